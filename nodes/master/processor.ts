import { GuardCore } from '../../src/dsp/guard.ts';
import { applyGainStereo, Ramp } from '../../src/dsp/ramp.ts';
import { dbToGain, num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';
import { rightOf } from '../process.ts';

/**
 * The master: fader, then the guard (NaN and infinities become silence), into the speakers
 * (stereo: a mono mix is up-mixed to L = R). During A/B with a reference the mix fades out.
 */
export function masterProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  let current = params;
  let silenced = false;
  const fader = new Ramp(dbToGain(num(params, 'gain')), ctx.glide);
  const guard = new GuardCore();
  const pair: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  const level = () => (silenced ? 0 : dbToGain(num(current, 'gain')));
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const speakers = outputs[0];
      speakers.channels = 2;
      applyGainStereo(input.data[0], rightOf(input), speakers.data[0], speakers.data[1], n, fader);
      pair[0] = speakers.data[0];
      pair[1] = speakers.data[1];
      guard.process(pair, pair, n);
    },
    set(_name, _value, p) {
      current = p;
      fader.set(level());
    },
    monitor(source) {
      silenced = source === 'reference';
      fader.set(level());
    },
    read: (name) => (name === 'replaced' ? guard.replaced : undefined),
  };
}
