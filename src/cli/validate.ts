// mixgraph validate FILE.json: every problem with its place, one per line; exit 1 if any.
// Sessions, chains and albums: the file's "kind" says which checks apply.
import { dirname, resolve } from 'node:path';

import { resolveSource } from '../io/paths.ts';
import { loadAlbum } from '../presets/album.ts';
import { loadChain } from '../presets/chain.ts';
import { parseJson } from '../presets/json.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { checkSources, loadOrFail, readChain, readDocumentText, readSession } from './session.ts';

export const VALIDATE_OPTIONS: readonly OptionSpec[] = [{ name: 'allow-any-path' }, { name: 'help', short: 'h' }];

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

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
  const text = await readDocumentText(path, 'a Mixgraph file');
  // Peek at the kind only; each loader does the full checks (and parse errors come from it).
  let kind: unknown;
  try {
    const value = parseJson(text, path) as { kind?: unknown };
    kind = typeof value === 'object' && value !== null ? value.kind : undefined;
  } catch {
    kind = undefined;
  }
  if (kind === 'chain') {
    const chain = loadOrFail(() => loadChain(text, path));
    io.out(`${path}: ok (chain, ${count(chain.nodes.length, 'node')}, ${count(chain.edges.length, 'edge')})`);
    return 0;
  }
  if (kind === 'album') {
    const album = loadOrFail(() => loadAlbum(text, path));
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
  const session = await readSession(path);
  await checkSources(session, allowAnyPath);
  const { nodes, edges } = session.doc;
  io.out(`${session.name}: ok (${count(nodes.length, 'node')}, ${count(edges.length, 'edge')})`);
  return 0;
}
