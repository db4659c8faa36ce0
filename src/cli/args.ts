// A small, strict argument parser: --name value, --name=value, -o value, flags, and `--`.
import { CliError } from './errors.ts';

export interface OptionSpec {
  name: string;
  short?: string;
  /** Takes a value (--name VALUE); otherwise a flag. */
  value?: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) inline = arg.slice(eq + 1);
      spec = byName.get(name);
    } else if (arg.length === 2) {
      spec = byShort.get(arg[1]);
    }
    if (!spec) throw new CliError(`mixgraph: unknown option ${JSON.stringify(arg.split('=')[0])} for ${command}; see mixgraph --help`);
    const flag = spec.short ? `-${spec.short}/--${spec.name}` : `--${spec.name}`;
    if (!spec.value) {
      if (inline !== undefined) throw new CliError(`mixgraph: ${flag} takes no value`);
      options.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new CliError(`mixgraph: ${flag} needs a value: ${flag.split('/').pop()} ${spec.value}`);
      value = argv[++i];
    }
    options.set(spec.name, value);
  }
  return { positionals, options };
}
