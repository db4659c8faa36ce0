import { defineNode, num } from '../define.ts';
import { db, join, ratio } from '../summary.ts';
import { compressorProcessor } from './processor.ts';

export const compressor = defineNode({
  type: 'compressor',
  version: 1,
  category: 'dynamics',
  title: 'Compressor',
  description:
    'Turns loud parts down so the level varies less. Above the threshold, every `ratio` dB in gives 1 dB out ' +
    '(4:1 turns 8 dB over into 2 dB over); attack and release set how fast it reacts. Connect another signal to ' +
    'the sidechain input and that signal drives it instead (ducking). Makeup gain is only what you set.',
  ports: {
    inputs: [
      { id: 'in', label: 'In' },
      { id: 'sidechain', label: 'Sidechain', role: 'sidechain', optional: true },
    ],
    outputs: [{ id: 'out', label: 'Out' }],
  },
  params: {
    threshold: { kind: 'number', unit: 'dB', min: -60, max: 0, default: -18, label: 'Threshold' },
    ratio: { kind: 'number', unit: 'ratio', min: 1, max: 20, default: 4, scale: 'log', label: 'Ratio' },
    knee: { kind: 'number', unit: 'dB', min: 0, max: 24, default: 6, label: 'Knee' },
    attack: { kind: 'number', unit: 'ms', min: 0.1, max: 200, default: 10, scale: 'log', label: 'Attack' },
    release: { kind: 'number', unit: 'ms', min: 5, max: 2000, default: 150, scale: 'log', label: 'Release' },
    makeup: { kind: 'number', unit: 'dB', min: 0, max: 24, default: 0, label: 'Makeup' },
  },
  bypassable: true,
  processor: compressorProcessor,
  summary: (p) => join(`${ratio(num(p, 'ratio'))} @ ${db(num(p, 'threshold'))}`, num(p, 'makeup') !== 0 && `makeup ${db(num(p, 'makeup'))}`),
  readings: ['reduction'],
  // Its make-up is the one figure the params fix; how much it turns down depends on the signal.
  levelChange: (p) => ({ db: num(p, 'makeup'), kind: 'static', note: `make-up ${db(num(p, 'makeup'))}, less its gain reduction above ${db(num(p, 'threshold'))} (${ratio(num(p, 'ratio'))}), which depends on the signal` }),
  learn: {
    why: 'To even out a part whose level jumps around (a singer close and then far from the microphone, a bass played unevenly), so it sits steadily in the mix; slower settings also add punch to drums.',
    typical: 'Vocals 3:1 to 4:1, attack 5-15 ms, release 100-200 ms, aiming for 3-6 dB of gain reduction; drums 4:1 with a 20-30 ms attack to let the hit through.',
    pitfall: 'Judging it louder = better. Set the makeup so bypass on and off sound equally loud (or use Match bypass loudness), then decide. Too much compression sounds flat and lifeless.',
    params: {
      threshold: 'The level above which it starts to turn the sound down, in dB. Lower it and more of the sound is compressed.',
      ratio: 'How strongly it turns down what is above the threshold: at 4:1, 4 dB over the threshold come out as 1 dB over.',
      knee: 'How gently it starts around the threshold: 0 dB switches in sharply, 6-12 dB eases in.',
      attack: 'How fast it reacts to a loud sound, in ms. Fast attack catches peaks; a slower one lets the start of each hit through (punch).',
      release: 'How fast it lets go after the sound falls back, in ms. Too fast pumps, too slow holds the level down.',
      makeup: 'Gain added after the compression, to make up for what it took away.',
    },
    listen: {
      input: { stem: 'drums' },
      params: { threshold: -30, ratio: 8, attack: 5, release: 120, makeup: 6 },
      hear: 'The demo drums through heavy compression (8:1 at -30 dB): the hits are squashed and the sound between them comes up. Watch the GR meter, bypass it, then raise Attack to 30 ms and hear the punch come back.',
    },
  },
});
