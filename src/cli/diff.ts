// mixgraph diff A B [--json]: what differs between two sessions, chains or node presets (or packages of
// them), for reviewing shared presets in a pull request. Its own exit status, like diff(1):
// 0 the same, 1 different, 2 bad input (a file that cannot be read or loaded, two kinds, an option).
import { diffDocuments, formatDiff, type Diffable } from '../presets/diff.ts';
import { parseJson } from '../presets/json.ts';
import { loadChainValue } from '../presets/chain.ts';
import { loadNodePresetValue, loadSessionValue } from '../presets/load.ts';
import { formatProblem } from '../model/validate.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { isPackagePath, openPackageFile } from './package.ts';
import { loadOrFail, readDocumentText } from './session.ts';

export const DIFF_OPTIONS: readonly OptionSpec[] = [{ name: 'json' }, { name: 'help', short: 'h' }];

async function readDiffable(path: string): Promise<Diffable> {
  if (isPackagePath(path)) return (await openPackageFile(path)).doc;
  const text = await readDocumentText(path);
  const value = loadOrFail(() => parseJson(text, path));
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  const result = kind === 'chain' ? loadChainValue(value) : kind === 'node-preset' ? loadNodePresetValue(value) : kind === 'album' ? null : loadSessionValue(value);
  if (result === null) throw new CliError(`${path}: is an album; diff compares sessions, chains and node presets`);
  if (!result.ok) throw new CliError(result.problems.map((p) => `${path}: ${formatProblem(p)}`));
  return result.doc;
}

export async function diffCommand(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { positionals, options } = parseArgs(argv, DIFF_OPTIONS, 'diff');
    if (options.has('help')) {
      io.out(io.usage);
      return 0;
    }
    if (positionals.length !== 2) throw new CliError(`mixgraph: diff needs two files: mixgraph diff A.json B.json [--json]${positionals.length ? `, got ${positionals.length}` : ''}`);
    const [pa, pb] = positionals;
    const [a, b] = [await readDiffable(pa), await readDiffable(pb)];
    if (a.kind !== b.kind) throw new CliError(`mixgraph: ${pa} is a ${a.kind} and ${pb} is a ${b.kind}; diff compares two documents of one kind`);
    const d = diffDocuments(a, b);
    if (options.has('json')) io.out(JSON.stringify({ a: pa, b: pb, ...d }, null, 2));
    else io.out(formatDiff(d, { a: pa, b: pb }).join('\n'));
    return d.equal ? 0 : 1;
  } catch (err) {
    // Bad input is 2 here (1 means "different"); the lines are the same as every command's.
    if (err instanceof CliError) {
      for (const line of err.lines) io.err(line);
      return 2;
    }
    throw err;
  }
}
