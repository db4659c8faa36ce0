import { EchoCore, type EchoSettings } from '../../src/dsp/delay.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';
import { rightOf } from '../process.ts';

/** The node's time range, seconds. */
export const MAX_DELAY_SECONDS = 2;

/**
 * The echo core (src/dsp/delay.ts): stereo out (a mono input echoes on both sides), its own
 * bypass (part of the mix), and a loop breaker: the only node a feedback loop may pass through.
 */
export function delayProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const settings = (p: Params): EchoSettings => ({ time: (num(p, 'time') / 1000) * ctx.sampleRate, feedback: num(p, 'feedback'), mix: num(p, 'mix') });
  const core = new EchoCore(ctx.sampleRate, MAX_DELAY_SECONDS, settings(params), ctx.glide, ctx.maxFrames);
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = 2;
      core.process(input.data[0], rightOf(input), out.data[0], out.data[1], n);
    },
    set: (_name, _value, p) => core.configure(settings(p)),
    bypass: (on, immediate) => core.bypass(on, immediate),
    loop: {
      setLooped(looped) {
        core.looped = looped;
      },
      lookahead: () => core.lookahead(),
      pull(outputs, n) {
        const out = outputs[0];
        out.channels = 2;
        core.pull(out.data[0], out.data[1], n);
      },
      push(inputs, n) {
        const input = inputs[0];
        core.push(input.data[0], rightOf(input), n);
      },
    },
  };
}
