// Packages on the command line: a `.mixgraph` file wherever a session is taken (render, validate, album
// tracks; a chain package for master), and `mixgraph pack` to make one. A package is opened by
// src/presets/package.ts (every limit checked before anything is inflated); its audio is written into
// a private temporary folder (mkdtemp, mode 0700) that nothing else knows of, read from there like a
// session's audio, and removed when the command ends. Nothing is ever written outside that folder.
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

import type { ChainDoc, SessionDoc } from '../model/document.ts';
import { InputRefused, readRegularFile, reasonOf } from '../io/files.ts';
import { MAX_AUDIO_BYTES } from '../io/audio-limits.ts';
import { DEFAULT_PACKAGE_LIMITS, PACKAGE_EXTENSION, PackageError, packagePath, readPackage, writePackage, type OpenedPackage, type PackageFile } from '../presets/package.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { checkOutputs, writeOutputs, type JobFile } from './output.ts';
import { parseJson } from '../presets/json.ts';
import { checkSources, fileParams, loadOrFail, readChain, readDocumentText, readSession, type LoadedSession } from './session.ts';
import { formatProblem } from '../model/validate.ts';
import { loadLessonValue, type LessonDoc } from '../presets/lesson.ts';

/** A package file is read whole: its directory is at its end. */
export const MAX_PACKAGE_BYTES = DEFAULT_PACKAGE_LIMITS.maxTotalBytes + 64 * 1024 * 1024;

export const isPackagePath = (path: string): boolean => path.toLowerCase().endsWith(PACKAGE_EXTENSION);

/** Open a package file: read it (a regular file within the limit) and check it; nothing inflated but the document. */
export async function openPackageFile(path: string): Promise<OpenedPackage> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, MAX_PACKAGE_BYTES);
  } catch (err) {
    if (err instanceof InputRefused) throw new CliError(`mixgraph: cannot read ${JSON.stringify(path)}: ${err.message}`);
    throw err;
  }
  try {
    return readPackage(bytes, { label: path });
  } catch (err) {
    if (err instanceof PackageError) throw new CliError(err.problems);
    throw err;
  }
}

export interface ExtractedPackage {
  pkg: OpenedPackage;
  /** The private folder the audio is in, at the paths the document names. */
  dir: string;
  /** The extracted files (absolute), for the output checks. */
  files: string[];
  /** Removes the folder and everything in it. */
  cleanup(): Promise<void>;
}

/**
 * Open a package and write the audio its document names into a fresh private folder. On any failure
 * the folder is removed before the error goes on.
 */
export async function extractPackage(path: string): Promise<ExtractedPackage> {
  const pkg = await openPackageFile(path);
  const dir = await mkdtemp(join(tmpdir(), 'mixgraph-package-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const files: string[] = [];
  try {
    for (const name of new Set(pkg.sources.values())) {
      const file = resolve(dir, ...name.split('/'));
      // The names were checked (no "..", no absolute paths, no backslashes); this holds whatever happens.
      const rel = relative(dir, file);
      if (rel === '' || isAbsolute(rel) || rel.split(/[\\/]/)[0] === '..') throw new CliError(`${path}: entry ${JSON.stringify(name)} would land outside the package's folder; refused`);
      let data: Uint8Array;
      try {
        data = pkg.read(name);
      } catch (err) {
        if (err instanceof PackageError) throw new CliError(err.problems);
        throw err;
      }
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      // 'wx': a new file only (the folder is ours and fresh, so nothing can be there, not even a link).
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(data);
      } finally {
        await handle.close();
      }
      files.push(file);
    }
  } catch (err) {
    await cleanup();
    if (err instanceof CliError) throw err;
    throw new CliError(`mixgraph: cannot unpack ${JSON.stringify(path)} into a temporary folder: ${reasonOf(err)}`);
  }
  return { pkg, dir, files, cleanup };
}

/** A chain from a chain file or a package holding chain.json (its audio, if any, is not needed). */
export async function readChainPackage(path: string): Promise<ChainDoc> {
  const pkg = await openPackageFile(path);
  if (pkg.doc.kind !== 'chain') throw new CliError(`${path}: holds ${pkg.document}, not chain.json: give a chain (a chain file or a package of one)`);
  return pkg.doc;
}

// ------------------------------------------------------------------ mixgraph pack

export const PACK_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'NAME.mixgraph' },
  { name: 'help', short: 'h' },
];

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function loadLessonOrFail(value: unknown, path: string): LessonDoc {
  const result = loadLessonValue(value);
  if (!result.ok) throw new CliError(result.problems.map((p) => `${path}: ${formatProblem(p)}`));
  return result.doc;
}

/** mixgraph pack SESSION.json -o NAME.mixgraph: the session (or a chain, or a lesson) and every audio file it names, in one file. */
export async function packCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, PACK_OPTIONS, 'pack');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError('mixgraph: pack needs one session (or chain or lesson) file: mixgraph pack SESSION.json -o NAME.mixgraph');
  const out = options.get('output');
  if (typeof out !== 'string' || out === '') throw new CliError('mixgraph: pack needs an output file: -o NAME.mixgraph');
  if (!isPackagePath(out)) throw new CliError(`mixgraph: the package must be named NAME${PACKAGE_EXTENSION}, got ${JSON.stringify(out)}`);
  const path = positionals[0];
  if (isPackagePath(path)) throw new CliError(`mixgraph: ${JSON.stringify(path)} is a package already; pack takes the session file it was made from`);
  const text = await readDocumentText(path);
  // A chain has no audio: it packs as chain.json alone.
  const value = loadOrFail(() => parseJson(text, path));
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  const isChain = kind === 'chain';
  // A lesson packs as lesson.json with its starting session's audio (relative to the lesson file).
  const lesson = kind === 'lesson' ? loadLessonOrFail(value, path) : null;
  const session: LoadedSession | null = lesson
    ? { doc: lesson.session, name: `${path}: session`, file: path, dir: dirname(resolve(path)), also: [], cleanup: async () => {} }
    : isChain
      ? null
      : await readSession(path);
  const doc: SessionDoc | ChainDoc | LessonDoc = lesson ?? (session ? session.doc : await readChain(path));
  const lines: string[] = [];
  const packed: PackageFile[] = [];
  const inputs: JobFile[] = [{ path, what: isChain ? 'the chain file' : lesson ? 'the lesson file' : 'the session file' }];
  if (session) {
    // The same path rule as render: audio inside the session's folder, no absolute paths, no links out.
    const where = await checkSources(session, false);
    const done = new Set<string>();
    for (const f of fileParams(session.doc)) {
      const name = packagePath(f.value);
      if (!name.ok) {
        lines.push(`${path}: node "${f.node}": ${name.message}`);
        continue;
      }
      if (done.has(name.name)) continue;
      done.add(name.name);
      const file = where.get(f.value)!;
      inputs.push({ path: file, what: `node ${JSON.stringify(f.node)}'s ${f.param} file` });
      try {
        packed.push({ name: name.name, bytes: await readRegularFile(file, MAX_AUDIO_BYTES) });
      } catch (err) {
        if (err instanceof InputRefused) lines.push(`${path}: node "${f.node}": cannot read ${JSON.stringify(f.value)}: ${err.message}`);
        else throw err;
      }
    }
  }
  if (lines.length) throw new CliError(lines);
  const [output] = await checkOutputs([{ path: out, what: 'the package' }], inputs);
  let bytes: Uint8Array;
  try {
    bytes = writePackage(doc, packed);
  } catch (err) {
    if (err instanceof PackageError) throw new CliError(err.problems.map((l) => `${path}: ${l}`));
    throw err;
  }
  await writeOutputs([output], [bytes], JSON.stringify(out));
  const what = doc.kind === 'chain' ? 'chain.json' : doc.kind === 'lesson' ? 'lesson.json' : 'session.json';
  io.out(`wrote ${out}: ${what} and ${packed.length} audio file${packed.length === 1 ? '' : 's'}, ${mib(bytes.length)}`);
  return 0;
}
