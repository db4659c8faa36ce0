import { defineNode, num } from '../define.ts';
import { gainChange } from '../level-change.ts';
import { fader } from '../summary.ts';
import { masterProcessor } from './processor.ts';

export const master = defineNode({
  type: 'master',
  version: 1,
  category: 'output',
  title: 'Master',
  description:
    'The speakers: whatever reaches the master is what you hear and what gets rendered. Exactly one per session. ' +
    'It guards your ears: a broken signal (NaN or infinity) is turned into silence before it can reach them.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [] },
  params: {
    gain: { kind: 'number', unit: 'dB', min: -60, max: 12, default: 0, label: 'Gain' },
  },
  strip: { kind: 'master', fader: 'gain' },
  bypassable: false,
  processor: masterProcessor,
  summary: (p) => fader(num(p, 'gain')),
  levelChange: (p) => gainChange(num(p, 'gain'), 'master gain'),
  speakers: 'mix',
  readings: ['replaced'],
});
