// Ctrl-C and SIGTERM during a long job: the job stops between two chunks, the delivery removes its
// temporary files (the promise of README "Your files": nothing left on failure), and the command
// exits with 128 + the signal's number, as a process killed by it would.
import { CliError } from './errors.ts';

const NUMBERS: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 2, SIGTERM: 15 };

export interface Interrupt {
  /** Aborted when a signal arrives. */
  readonly signal: AbortSignal;
  /** The signal that arrived, if any. */
  readonly received: 'SIGINT' | 'SIGTERM' | null;
  /** The command's error for it (call when `received`). */
  error(what: string): CliError;
  /** Give the signals back to Node's default (ending the process). */
  release(): void;
}

/** Catch SIGINT and SIGTERM until release(). */
export function catchInterrupts(): Interrupt {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | null = null;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      received ??= name;
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    error: (what) => new CliError(`mixgraph: stopped by ${received}; ${what}`, 128 + NUMBERS[received ?? 'SIGTERM']),
    release() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
