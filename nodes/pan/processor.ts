import { PanStage } from '../../src/dsp/pan.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

/** Equal power for a mono input, balance for a stereo one (src/dsp/pan.ts); the output is stereo. */
export function panProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const stage = new PanStage(num(params, 'pan'), 1, ctx.glide);
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = 2;
      stage.process(input.data[0], input.channels > 1 ? input.data[1] : undefined, out.data[0], out.data[1], n);
    },
    set: (_name, _value, p) => stage.setPan(num(p, 'pan')),
  };
}
