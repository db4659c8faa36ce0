import { applyGainStereo, Ramp } from '../../src/dsp/ramp.ts';
import { dbToGain, num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';
import { copyBus } from '../process.ts';

/** "out" is the input exactly; "send" the input at the send level (ramped). */
export function sendProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const level = new Ramp(dbToGain(num(params, 'level')), ctx.glide);
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      copyBus(input, outputs[0], n);
      const send = outputs[1];
      send.channels = input.channels;
      const stereo = input.channels > 1;
      applyGainStereo(input.data[0], stereo ? input.data[1] : undefined, send.data[0], stereo ? send.data[1] : undefined, n, level);
    },
    set: (_name, _value, p) => level.set(dbToGain(num(p, 'level'))),
  };
}
