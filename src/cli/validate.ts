// mixgraph validate FILE.json: every problem with its place, one per line; exit 1 if any.
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { checkSources, readSession } from './session.ts';

export const VALIDATE_OPTIONS: readonly OptionSpec[] = [{ name: 'allow-any-path' }, { name: 'help', short: 'h' }];

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, VALIDATE_OPTIONS, 'validate');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  if (positionals.length === 0) throw new CliError('mixgraph: validate needs a session file: mixgraph validate FILE.json');
  if (positionals.length > 1) throw new CliError(`mixgraph: validate takes one file, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  const session = await readSession(positionals[0]);
  await checkSources(session, options.get('allow-any-path') === true);
  const { nodes, edges } = session.doc;
  io.out(`${session.name}: ok (${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${edges.length} edge${edges.length === 1 ? '' : 's'})`);
  return 0;
}
