import { ReverbCore, type ReverbSettings } from '../../src/dsp/reverb.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';
import { rightOf } from '../process.ts';

/** The convolution reverb (src/dsp/reverb.ts); stereo out, left and right convolved apart. */
export function reverbProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const settings = (p: Params): ReverbSettings => ({ decay: num(p, 'decay'), predelay: num(p, 'predelay'), mix: num(p, 'mix') });
  const core = new ReverbCore(ctx.sampleRate, settings(params), ctx.glide, ctx.maxFrames);
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = 2;
      core.process(input.data[0], rightOf(input), out.data[0], out.data[1], n);
    },
    set: (_name, _value, p) => core.configure(settings(p)),
  };
}
