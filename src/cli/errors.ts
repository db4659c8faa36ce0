// Errors the user can act on: printed one line each, exit code 1, no stack trace.

export class CliError extends Error {
  readonly lines: string[];
  /** The exit status: 1, or 128 + the signal's number for a command stopped by SIGINT or SIGTERM. */
  readonly status: number;
  constructor(lines: string | string[], status = 1) {
    const list = typeof lines === 'string' ? [lines] : lines;
    super(list.join('\n'));
    this.lines = list;
    this.status = status;
  }
}

/** A short reason for a failed file operation, without the path Node repeats in its message. */
export { reasonOf as fsReason } from '../io/files.ts';
