import { StereoCore } from '../../src/dsp/stereo.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

/** Width, bass mono and the correlation meter (src/dsp/stereo.ts); a mono input is L = R. Stereo out. */
export function stereoProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const core = new StereoCore(ctx.sampleRate);
  core.configure({ width: num(params, 'width'), monoBelow: num(params, 'monoBelow') });
  const ins: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  const outs: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = 2;
      ins[0] = input.data[0];
      ins[1] = input.channels > 1 ? input.data[1] : input.data[0];
      outs[0] = out.data[0];
      outs[1] = out.data[1];
      core.process(ins, outs, n);
    },
    // The core glides width and the cutoff itself (and switches monoBelow on and off with a crossfade)
    set: (_name, _value, p) => core.configure({ width: num(p, 'width'), monoBelow: num(p, 'monoBelow') }),
    read: (name) => (name === 'correlation' ? core.correlation : undefined),
  };
}
