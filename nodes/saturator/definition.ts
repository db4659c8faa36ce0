import { defineNode, num } from '../define.ts';
import { signalDependent } from '../level-change.ts';
import { db, join, percent } from '../summary.ts';
import { saturatorProcessor } from './processor.ts';

export const saturator = defineNode({
  type: 'saturator',
  version: 1,
  category: 'effects',
  title: 'Saturator',
  description:
    'Soft clipping, like a hot tape or valve stage: the signal is boosted by `drive` into a tanh curve, so quiet ' +
    'parts grow and peaks round off, never past full scale. Mix blends the clean signal back in.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    drive: { kind: 'number', unit: 'dB', min: 0, max: 24, default: 6, label: 'Drive' },
    mix: { kind: 'number', unit: 'mix', min: 0, max: 1, default: 1, label: 'Mix' },
  },
  bypassable: true,
  processor: saturatorProcessor,
  summary: (p) => join(`drive ${db(num(p, 'drive'))}`, `mix ${percent(num(p, 'mix'))}`),
  levelChange: (p) => signalDependent(`depends on the signal: quiet parts gain up to ${db(num(p, 'drive'))}, peaks are rounded off under full scale`),
  learn: {
    why: 'A little saturation adds warmth and harmonics, so a bass is heard on small speakers and a drum sounds thicker; it also rounds off peaks gently.',
    typical: 'Drive 3-9 dB for warmth, more for obvious distortion; mix below 1 to blend it in.',
    pitfall: 'Drive makes it louder too: compare at the same level before you judge, and watch the output meter.',
    params: {
      drive: 'How hard the signal is pushed into the curve, in dB: more drive, more distortion.',
      mix: 'The balance: 0 is the clean signal, 1 only the saturated one.',
    },
    listen: { input: { generator: { waveform: 'sine', frequency: 110, level: -30 } }, params: { drive: 24, mix: 1 }, hear: 'A pure 110 Hz sine pushed 24 dB into the curve: harmonics appear and it buzzes. Lower Drive to 3 dB and hear it turn back into a clean (and much quieter) tone.' },
  },
});
