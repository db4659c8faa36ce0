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
});
