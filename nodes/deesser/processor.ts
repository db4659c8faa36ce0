import { DeesserCore, type DeesserListen, type DeesserSettings } from '../../src/dsp/deesser.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

const settingsOf = (p: Params): DeesserSettings => ({
  frequency: num(p, 'frequency'),
  threshold: num(p, 'threshold'),
  range: num(p, 'range'),
  listen: p.listen as DeesserListen,
});

/** The split-band de-esser (src/dsp/deesser.ts); the crossover glides to a new frequency. Mono stays mono. */
export function deesserProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const core = new DeesserCore(ctx.sampleRate);
  core.configure(settingsOf(params));
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = input.channels;
      const stereo = input.channels > 1;
      core.process(input.data[0], stereo ? input.data[1] : undefined, out.data[0], stereo ? out.data[1] : undefined, n);
    },
    set: (_name, _value, p) => core.configure(settingsOf(p)),
    read: (name) => (name === 'reduction' ? core.reduction : undefined),
  };
}
