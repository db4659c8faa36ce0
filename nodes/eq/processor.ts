import type { BiquadType } from '../../src/dsp/biquad.ts';
import { EqCore, type EqBand } from '../../src/dsp/eq.ts';
import type { NodeProcessor, Params, ProcessorContext } from '../define.ts';

/** The enabled bands, in order, with their defaults filled (the compiler filled them). */
function activeBands(p: Params): EqBand[] {
  const list = (p.bands ?? []) as unknown as { type: BiquadType; frequency: number; gain?: number; q?: number; enabled?: boolean }[];
  return list.filter((b) => b.enabled !== false).map((b) => ({ type: b.type, frequency: b.frequency, gain: b.gain ?? 0, q: b.q ?? 0.707 }));
}

/** Cookbook biquads in cascade (src/dsp/eq.ts); mono stays mono; band edits glide, shape changes crossfade. */
export function eqProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const core = new EqCore(ctx.sampleRate, activeBands(params), ctx.glide, ctx.maxFrames);
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = input.channels;
      const stereo = input.channels > 1;
      core.process(input.data[0], stereo ? input.data[1] : undefined, out.data[0], stereo ? out.data[1] : undefined, n);
    },
    set: (_name, _value, p) => core.configure(activeBands(p)),
  };
}
