import { defineNode, num } from '../define.ts';
import { gainChange } from '../level-change.ts';
import { fader } from '../summary.ts';
import { gainProcessor } from './processor.ts';

export const gain = defineNode({
  type: 'gain',
  version: 1,
  category: 'utility',
  title: 'Gain',
  description: 'Turns the signal up or down by a number of decibels: -6 dB halves the amplitude, +6 dB doubles it.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    gain: { kind: 'number', unit: 'dB', min: -60, max: 24, default: 0, label: 'Gain' },
  },
  bypassable: true,
  processor: gainProcessor,
  summary: (p) => fader(num(p, 'gain')),
  levelChange: (p) => gainChange(num(p, 'gain')),
});
