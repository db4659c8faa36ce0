import { GateCore, type GateSettings } from '../../src/dsp/gate.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

export const settingsOf = (p: Params): GateSettings => ({
  threshold: num(p, 'threshold'),
  range: num(p, 'range'),
  ratio: num(p, 'ratio'),
  attack: num(p, 'attack'),
  hold: num(p, 'hold'),
  release: num(p, 'release'),
  hysteresis: num(p, 'hysteresis'),
  keyHighpass: num(p, 'keyHighpass'),
  keyLowpass: num(p, 'keyLowpass'),
});

/**
 * The gate core (src/dsp/gate.ts), stereo-linked; the key input drives it while connected, the
 * input itself otherwise. A new gate starts closed. Settings take effect from the next frame (the
 * gain's own attack and release ramps keep a change from clicking). Mono stays mono.
 */
export function gateProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const core = new GateCore(ctx.sampleRate);
  core.configure(settingsOf(params), true);
  let keyed = false;
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const key = keyed ? inputs[1] : input;
      const out = outputs[0];
      out.channels = input.channels;
      const stereo = input.channels > 1;
      core.process(input.data[0], stereo ? input.data[1] : undefined, key.data[0], key.channels > 1 ? key.data[1] : undefined, out.data[0], stereo ? out.data[1] : undefined, n);
    },
    set: (_name, _value, p) => core.configure(settingsOf(p)),
    read: (name) => (name === 'reduction' ? core.reduction : name === 'open' ? (core.isOpen ? 1 : 0) : undefined),
    portConnected(port, connected) {
      if (port === 'key') keyed = connected;
    },
  };
}
