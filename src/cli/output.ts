// Outputs of a command: planned (resolved and checked against every input) before any work, written
// as one all-or-none delivery after it (src/io/outputs.ts says how).
import { deliver, Delivery, OutputRefused, planOutputs, type DeliveryFs, type JobFile, type PlannedOutput } from '../io/outputs.ts';
import { WavWriteError } from '../io/wav-stream.ts';
import { reasonOf } from '../io/files.ts';
import { CliError } from './errors.ts';

export type { JobFile, PlannedOutput };

/** planOutputs with its refusals as one CliError line. */
export async function checkOutputs(outputs: readonly JobFile[], inputs: readonly JobFile[]): Promise<PlannedOutput[]> {
  try {
    return await planOutputs(outputs, inputs);
  } catch (err) {
    if (err instanceof OutputRefused) throw new CliError(`mixgraph: ${err.message}`);
    throw err;
  }
}

/** Write every planned output (all or none); a failure is one line naming `where`. */
export async function writeOutputs(plans: readonly PlannedOutput[], contents: readonly Uint8Array[], where: string, fs?: DeliveryFs): Promise<void> {
  try {
    await deliver(plans, contents, fs);
  } catch (err) {
    if (err instanceof OutputRefused) throw new CliError(`mixgraph: ${err.message}`);
    const kept = plans.length > 1 ? '; nothing was changed there' : '; nothing was written';
    throw new CliError(`mixgraph: cannot write ${where}: ${reasonOf(err)}${kept}`);
  }
}

/**
 * Write planned outputs while the work makes them (all or none): `work` gets the open delivery (its
 * exclusive temporary files) and writes into them; then every file is put in place. On any failure,
 * the work's own included, the temporary files are removed and nothing is changed. Failures to
 * write are one line naming `where`; the work's other errors pass through.
 */
export async function streamOutputs<T>(plans: readonly PlannedOutput[], where: string, work: (delivery: Delivery) => Promise<T>, fs?: DeliveryFs): Promise<T> {
  const kept = plans.length > 1 ? '; nothing was changed there' : '; nothing was written';
  const fail = (err: unknown): never => {
    if (err instanceof OutputRefused) throw new CliError(`mixgraph: ${err.message}`);
    throw new CliError(`mixgraph: cannot write ${where}: ${reasonOf(err instanceof WavWriteError ? err.cause : err)}${kept}`);
  };
  let delivery: Delivery;
  try {
    delivery = await Delivery.begin(plans, fs);
  } catch (err) {
    return fail(err);
  }
  let result: T;
  try {
    result = await work(delivery);
  } catch (err) {
    await delivery.abort();
    if (err instanceof WavWriteError) fail(err);
    throw err;
  }
  try {
    await delivery.commit();
  } catch (err) {
    fail(err);
  }
  return result;
}
