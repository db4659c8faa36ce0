// Errors the user can act on: printed one line each, exit code 1, no stack trace.

export class CliError extends Error {
  readonly lines: string[];
  constructor(lines: string | string[]) {
    const list = typeof lines === 'string' ? [lines] : lines;
    super(list.join('\n'));
    this.lines = list;
  }
}

/** A short reason for a failed file operation, without the path Node repeats in its message. */
export { reasonOf as fsReason } from '../io/files.ts';
