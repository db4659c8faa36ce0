import { STEREO_DEFAULTS } from '../../src/dsp/stereo.ts';
import { defineNode, num } from '../define.ts';
import { hz, join, percent } from '../summary.ts';
import { stereoProcessor } from './processor.ts';

export const stereo = defineNode({
  type: 'stereo',
  version: 1,
  category: 'utility',
  title: 'Stereo width',
  description:
    'Makes the stereo image narrower or wider by turning the side (the difference between left and right) ' +
    'down or up: width 0 is mono, 1 unchanged, 2 twice as wide. "Mono below" keeps the bass in the centre. ' +
    'The correlation meter reads +1 for mono, 0 for unrelated channels and -1 when they cancel in mono.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    width: { kind: 'number', unit: '', min: 0, max: 2, default: STEREO_DEFAULTS.width, label: 'Width', description: 'Side gain: 0 mono, 1 unchanged, 2 double.' },
    monoBelow: {
      kind: 'number',
      unit: 'Hz',
      min: 0,
      max: 500,
      default: STEREO_DEFAULTS.monoBelow,
      label: 'Mono below',
      description: 'Below this frequency left and right are made the same (Linkwitz-Riley, 24 dB/octave). 0 is off.',
    },
  },
  bypassable: true,
  processor: stereoProcessor,
  summary: (p) => join(`width ${percent(num(p, 'width'))}`, num(p, 'monoBelow') > 0 && `mono < ${hz(num(p, 'monoBelow'))}`),
  readings: ['correlation'],
  learn: {
    why: 'To make a mix wider or narrower, and to keep the bass in the middle so it sounds the same on mono speakers and cuts a clean vinyl or club mix.',
    typical: 'Width 1 (unchanged) to 1.3 on a mix; mono below 100-150 Hz.',
    pitfall: 'Too wide (past 1.5) cancels in mono: watch the correlation meter, it should stay above 0. A mono sound has no sides, so width does nothing to it.',
    listen: { input: { stem: 'keys' }, through: { type: 'reverb', params: { decay: 2, mix: 0.6 } }, params: { width: 0 }, hear: 'The demo keys in a stereo reverb, made mono (width 0). Turn Width up to 2 and hear the room open up; the correlation meter falls as it gets wider.' },
  },
});
