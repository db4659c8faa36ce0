import { defineNode, num, type Params } from '../define.ts';
import { join, percent } from '../summary.ts';
import { reverbProcessor } from './processor.ts';

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
  summary: (p) => join(`${num(p, 'decay').toFixed(1)} s`, `mix ${percent(num(p, 'mix'))}`),
  learn: {
    why: 'Recordings made close to the microphone sound dry and unnatural; a reverb puts them in a room, and one shared reverb puts the whole band in the same room.',
    typical: 'Decay 1-2 s for a room, 2-4 s for a hall; pre-delay 10-40 ms keeps the voice clear of its reverb; mix 1 on a send return, 0.15-0.3 as an insert.',
    pitfall: 'Too much reverb pushes a part to the back and muddies the mix. Turn it up until you hear it, then back a little.',
    params: {
      decay: 'How long the reverb takes to fade by 60 dB, in seconds: small rooms 0.5-1 s, halls 2-3 s.',
      predelay: 'The gap before the reverb starts, in ms, as in a large room where the walls are far away.',
      mix: 'The balance: 0 is only the dry sound, 1 only the reverb.',
    },
    listen: { input: { stem: 'drums' }, params: { decay: 2.5, predelay: 20, mix: 0.35 }, hear: 'The demo drums in a 2.5 s room at mix 0.35. Turn Decay down to 0.5 s, a small room, then raise Mix.' },
  },
});
