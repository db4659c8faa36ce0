// mixgraph validate FILE.json: every problem with its place, one per line; exit 1 if any.
// Sessions, chains, node presets, albums, lessons and packages: the file's "kind" (or a package's document) says which checks apply.
import { dirname, resolve } from 'node:path';

import { resolveSource } from '../io/paths.ts';
import { formatProblem, type Problem } from '../model/validate.ts';
import { loadAlbumValue } from '../presets/album.ts';
import { loadChainValue } from '../presets/chain.ts';
import { loadLessonValue, type LessonDoc } from '../presets/lesson.ts';
import { parseJson } from '../presets/json.ts';
import { loadNodePresetValue, loadSessionValue } from '../presets/load.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { checkSources, loadOrFail, readChain, readDocumentText } from './session.ts';
import { isPackagePath, openPackageFile } from './package.ts';
import { PackageError } from '../presets/package.ts';

export const VALIDATE_OPTIONS: readonly OptionSpec[] = [{ name: 'allow-any-path' }, { name: 'help', short: 'h' }];

const lessonChecks = (lesson: LessonDoc) => lesson.steps.reduce((n, s) => n + s.checks.length, 0);
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A loader's document, or its problems as CliError lines worded as loadSession/loadChain/loadAlbum word them. */
function orFail<T>(result: { ok: true; doc: T } | { ok: false; problems: Problem[] }, path: string): T {
  if (result.ok) return result.doc;
  throw new CliError(result.problems.map((p) => `${path}: ${formatProblem(p)}`));
}

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, VALIDATE_OPTIONS, 'validate');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  if (positionals.length === 0) throw new CliError('mixgraph: validate needs a file: mixgraph validate FILE.json (a session, a chain or an album)');
  if (positionals.length > 1) throw new CliError(`mixgraph: validate takes one file, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  const path = positionals[0];
  const allowAnyPath = options.get('allow-any-path') === true;
  if (isPackagePath(path)) {
    // The zip's limits, the document and every audio file it names are checked on opening.
    const pkg = await openPackageFile(path);
    // Each audio file inflated too (and thrown away): its real size and checksum, not its header's word.
    for (const name of new Set(pkg.sources.values())) {
      try {
        pkg.read(name);
      } catch (err) {
        if (err instanceof PackageError) throw new CliError(err.problems);
        throw err;
      }
    }
    const { nodes, edges } = pkg.doc;
    if (pkg.lesson) {
      io.out(`${path}: ok (package: ${pkg.document}, a lesson with ${count(pkg.lesson.steps.length, 'step')}, ${count(lessonChecks(pkg.lesson), 'check')}, ${count(new Set(pkg.sources.values()).size, 'audio file')})`);
      return 0;
    }
    io.out(`${path}: ok (package: ${pkg.document}, ${count(nodes.length, 'node')}, ${count(edges.length, 'edge')}, ${count(new Set(pkg.sources.values()).size, 'audio file')})`);
    return 0;
  }
  const text = await readDocumentText(path);
  // Parsed once: the kind says which loader does the full checks.
  const value = loadOrFail(() => parseJson(text, path));
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind === 'chain') {
    const chain = orFail(loadChainValue(value), path);
    io.out(`${path}: ok (chain, ${count(chain.nodes.length, 'node')}, ${count(chain.edges.length, 'edge')})`);
    return 0;
  }
  if (kind === 'node-preset') {
    const preset = orFail(loadNodePresetValue(value), path);
    io.out(`${path}: ok (node preset for a ${preset.type}, ${count(Object.keys(preset.params).length, 'param')})`);
    return 0;
  }
  if (kind === 'lesson') {
    const lesson = orFail(loadLessonValue(value), path);
    // The starting session's audio files, by the path rule, relative to the lesson file.
    await checkSources({ doc: lesson.session, name: `${path}: session`, file: path, dir: dirname(resolve(path)), also: [], cleanup: async () => {} }, allowAnyPath);
    io.out(`${path}: ok (lesson, ${count(lesson.steps.length, 'step')}, ${count(lessonChecks(lesson), 'check')})`);
    return 0;
  }
  if (kind === 'album') {
    const album = orFail(loadAlbumValue(value), path);
    const dir = dirname(resolve(path));
    const lines: string[] = [];
    if (typeof album.chain === 'string') {
      const where = await resolveSource(dir, album.chain, allowAnyPath);
      if (!where.ok) lines.push(`${path}: chain: ${where.message}`);
      else {
        try {
          await readChain(where.file);
        } catch (err) {
          if (err instanceof CliError) lines.push(...err.lines);
          else throw err;
        }
      }
    }
    for (const [i, t] of album.tracks.entries()) {
      const where = await resolveSource(dir, t.source, allowAnyPath);
      if (!where.ok) lines.push(`${path}: tracks[${i}].source: ${where.message}`);
    }
    if (lines.length) throw new CliError(lines);
    io.out(`${path}: ok (album, ${count(album.tracks.length, 'track')})`);
    return 0;
  }
  const session = { doc: orFail(loadSessionValue(value), path), name: path, file: path, dir: dirname(resolve(path)), also: [], cleanup: async () => {} };
  await checkSources(session, allowAnyPath);
  const { nodes, edges } = session.doc;
  io.out(`${session.name}: ok (${count(nodes.length, 'node')}, ${count(edges.length, 'edge')})`);
  return 0;
}
