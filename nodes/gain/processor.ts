// Gain (and bus: the runtime sums a port's connections, so a bus is a gain on the sum).
import { applyGainStereo, Ramp } from '../../src/dsp/ramp.ts';
import { dbToGain, num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

/** out = in · 10^(gain/20), the gain ramped; mono stays mono. */
export function gainProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const gain = new Ramp(dbToGain(num(params, 'gain')), ctx.glide);
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = input.channels;
      const stereo = input.channels > 1;
      applyGainStereo(input.data[0], stereo ? input.data[1] : undefined, out.data[0], stereo ? out.data[1] : undefined, n, gain);
    },
    set: (_name, _value, p) => gain.set(dbToGain(num(p, 'gain'))),
  };
}
