import { CompressorCore, type CompressorSettings } from '../../src/dsp/compressor.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

const settingsOf = (p: Params): CompressorSettings => ({
  threshold: num(p, 'threshold'),
  ratio: num(p, 'ratio'),
  knee: num(p, 'knee'),
  attack: num(p, 'attack'),
  release: num(p, 'release'),
  makeup: num(p, 'makeup'),
});

/**
 * The fast compressor core (src/dsp/compressor.ts), stereo-linked; the sidechain drives it while
 * connected. Threshold, ratio, knee and times take effect at once (the detector's attack and
 * release smooth the change); the makeup glides. Mono stays mono.
 */
export function compressorProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const core = new CompressorCore(ctx.sampleRate, ctx.glide);
  core.configure(settingsOf(params));
  let sidechain = false;
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const det = sidechain ? inputs[1] : input;
      const out = outputs[0];
      out.channels = input.channels;
      const stereo = input.channels > 1;
      core.processChannels(
        input.data[0],
        stereo ? input.data[1] : undefined,
        det.data[0],
        det.channels > 1 ? det.data[1] : undefined,
        out.data[0],
        stereo ? out.data[1] : undefined,
        n,
      );
    },
    set: (_name, _value, p) => core.configure(settingsOf(p)),
    read: (name) => (name === 'reduction' ? core.reduction : undefined),
    portConnected(port, connected) {
      if (port === 'sidechain') sidechain = connected;
    },
  };
}
