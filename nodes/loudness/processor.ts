import { LoudnessMeter } from '../../src/dsp/loudness.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';
import { stereoFrom } from '../process.ts';

/**
 * Passes its input through untouched (a mono input is up-mixed to L = R, as the worklet node's
 * two-channel input did) and meters it with the LoudnessMeter the CLI's analysis uses.
 */
export function loudnessProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const meter = new LoudnessMeter(ctx.sampleRate, 2);
  let target = num(params, 'target');
  const pair: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  return {
    process(inputs, outputs, n) {
      const out = outputs[0];
      stereoFrom(inputs[0], out, n);
      pair[0] = out.data[0];
      pair[1] = out.data[1];
      meter.process(pair, n);
    },
    set(name, _value, p) {
      if (name === 'target') target = num(p, 'target');
    },
    read(name) {
      switch (name) {
        case 'momentary':
          return meter.momentary();
        case 'shortTerm':
          return meter.shortTerm();
        case 'integrated':
          return meter.integrated();
        case 'range':
          return meter.range();
        case 'truePeak':
          return meter.truePeak();
        case 'samplePeak':
          return meter.samplePeak();
        case 'momentaryMax':
          return meter.momentaryMax();
        case 'shortTermMax':
          return meter.shortTermMax();
        case 'time':
          return meter.duration();
        case 'delta': {
          const integrated = meter.integrated();
          return (Number.isFinite(integrated) ? integrated : meter.shortTerm()) - target;
        }
      }
      return undefined;
    },
  };
}
