// Outputs of a command: planned (resolved and checked against every input) before any work, written
// as one all-or-none delivery after it (src/io/outputs.ts says how).
import { deliver, OutputRefused, planOutputs, type DeliveryFs, type JobFile, type PlannedOutput } from '../io/outputs.ts';
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
