// Where the command writes: the process's streams, or anything else with the same shape.

export interface Io {
  /** One or more lines of results, on stdout. */
  out(text: string): void;
  /** One or more lines of errors, warnings and progress, on stderr. */
  err(text: string): void;
  /** Raw text on stderr (progress redrawn with \r on a terminal). */
  errRaw(text: string): void;
  errIsTTY: boolean;
  usage: string;
}

export function processIo(usage: string): Io {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    errRaw: (text) => void process.stderr.write(text),
    errIsTTY: process.stderr.isTTY === true,
    usage,
  };
}
