import { defineNode, num, rampParam, type Params } from '../define.ts';
import { reverbImpulse } from '../../src/dsp/reverb.ts';
import { Crossfader, gainNode, StereoDelay } from '../shared.ts';
import { reverbProcessor } from './processor.ts';

/** The room's stereo impulse response (src/dsp/reverb.ts) as an AudioBuffer for the convolver. */
export function impulseResponse(ctx: BaseAudioContext, decay: number): AudioBuffer {
  const channels = reverbImpulse(decay, ctx.sampleRate);
  const ir = ctx.createBuffer(2, channels[0].length, ctx.sampleRate);
  channels.forEach((data, c) => ir.getChannelData(c).set(data));
  return ir;
}

export const reverb = defineNode({
  type: 'reverb',
  // Version 2: mix defaults to 1 (fully wet), right for the usual place of a reverb, an aux return fed by
  // a send. In version 1 it defaulted to 0.25, so an aux return leaked 0.75 of the sent signal back into
  // the mix dry, a second time beside the track's own.
  version: 2,
  migrations: {
    // Inserts keep their sound (the old default written out); aux returns at the old default become
    // fully wet. Any other value was chosen by someone and stays.
    2: (params, ctx) => {
      if (ctx.auxReturn()) return params.mix === undefined || params.mix === 0.25 ? { ...params, mix: 1 } : params;
      return params.mix === undefined ? { ...params, mix: 0.25 } : params;
    },
  },
  category: 'effects',
  title: 'Reverb',
  description:
    'Adds the sound of a room: decay is how long the reverb takes to fall by 60 dB, pre-delay the gap before ' +
    'it starts. Mix sets the balance: output = (1 - mix)·dry + mix·reverb. Fed by a send (an aux return) keep ' +
    'mix at 1, fully wet; used as an insert on a track, turn it down to about 0.2-0.3.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    decay: { kind: 'number', unit: 's', min: 0.1, max: 10, default: 1.8, scale: 'log', label: 'Decay' },
    predelay: { kind: 'number', unit: 'ms', min: 0, max: 200, default: 10, label: 'Pre-delay' },
    mix: { kind: 'number', unit: 'mix', min: 0, max: 1, default: 1, label: 'Mix' },
  },
  bypassable: true,
  tail: (p: Params) => num(p, 'decay') + num(p, 'predelay') / 1000,
  processor: reverbProcessor,
  create(ctx, params, env) {
    const input = gainNode(ctx);
    const output = gainNode(ctx);
    const dry = gainNode(ctx, 1 - num(params, 'mix'));
    const wet = gainNode(ctx, num(params, 'mix'));
    // A StereoDelay, not a DelayNode: node-web-audio-api's DelayNode folds stereo to mono (see shared.ts).
    const predelay = new StereoDelay(ctx, 0.2, num(params, 'predelay') / 1000);
    // A convolver's buffer cannot change smoothly: a new decay crossfades to a new convolver.
    const rooms = new Crossfader(ctx, env, 0.05);
    const room = (decay: number) => {
      const convolver = ctx.createConvolver();
      convolver.normalize = false;
      convolver.buffer = impulseResponse(ctx, decay);
      rooms.swap(convolver, convolver, [convolver]);
    };
    room(num(params, 'decay'));
    input.connect(dry).connect(output);
    input.connect(predelay.input);
    predelay.output.connect(rooms.input);
    rooms.output.connect(wet).connect(output);
    return {
      inputs: { in: { node: input } },
      outputs: { out: { node: output } },
      setParam(name, _value, p) {
        if (name === 'decay') room(num(p, 'decay'));
        else if (name === 'predelay') predelay.setTime(num(p, 'predelay') / 1000, env.smoothing);
        else if (name === 'mix') {
          rampParam(dry.gain, 1 - num(p, 'mix'), ctx, env.smoothing);
          rampParam(wet.gain, num(p, 'mix'), ctx, env.smoothing);
        }
      },
      dispose() {
        rooms.dispose();
        predelay.dispose();
        for (const n of [input, output, dry, wet]) n.disconnect();
      },
    };
  },
});
