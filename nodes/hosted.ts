// Node types that have a runtime processor and no Web Audio factory: the editor's Web Audio engine
// (src/engine/engine.ts, until it runs the runtime itself) plays them by running this processor
// inside one AudioWorkletNode (src/worklets/host.ts). Only processors are listed here, not their
// definitions: this table goes into the worklet bundle, which should not carry every factory.
// The contract test checks that every type without `create` is here.
import type { NodeProcessor, Params, ProcessorContext } from './define.ts';
import { deesserProcessor } from './deesser/processor.ts';
import { gateProcessor } from './gate/processor.ts';

export const HOSTED_PROCESSORS: Readonly<Record<string, (ctx: ProcessorContext, params: Params) => NodeProcessor>> = {
  gate: gateProcessor,
  deesser: deesserProcessor,
};
