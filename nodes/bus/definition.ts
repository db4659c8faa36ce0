import { defineNode, num } from '../define.ts';
import { gainChange } from '../level-change.ts';
import { fader } from '../summary.ts';
import { gainProcessor } from '../gain/processor.ts';

export const bus = defineNode({
  type: 'bus',
  version: 1,
  category: 'routing',
  title: 'Bus',
  description: 'Adds together everything connected to it, then applies one gain: a drum bus or a vocal bus lets you treat a group as one.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    gain: { kind: 'number', unit: 'dB', min: -60, max: 24, default: 0, label: 'Gain' },
  },
  strip: { kind: 'bus', fader: 'gain' },
  bypassable: true,
  processor: gainProcessor,
  summary: (p) => fader(num(p, 'gain')),
  levelChange: (p) => gainChange(num(p, 'gain'), 'bus gain'),
});
