import { defineNode, num } from '../define.ts';
import { db, hz, join } from '../summary.ts';
import { unchanged } from '../level-change.ts';
import { generatorProcessor } from './processor.ts';

const WAVEFORMS = ['sine', 'square', 'sawtooth', 'triangle', 'white', 'pink'] as const;

export const generator = defineNode({
  type: 'generator',
  version: 1,
  category: 'source',
  title: 'Test signal',
  description:
    'Makes a test signal for calibration and teaching: a sine, square, sawtooth or triangle wave at a frequency, ' +
    'or white or pink noise. The level is the peak in dBFS (0 dBFS is full scale).',
  ports: { inputs: [], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    waveform: { kind: 'enum', options: WAVEFORMS, default: 'sine', label: 'Waveform' },
    frequency: { kind: 'number', unit: 'Hz', min: 20, max: 20000, default: 1000, scale: 'log', label: 'Frequency' },
    level: { kind: 'number', unit: 'dBFS', min: -96, max: 0, default: -18, label: 'Level', description: 'Peak level.' },
  },
  bypassable: false,
  processor: generatorProcessor,
  sourceLevel: (p) => ({ peakDb: num(p, 'level'), channels: 1, note: `a ${p.waveform} test signal` }),
  levelChange: () => unchanged('its level is the peak it is set to'),
  summary: (p) => join(String(p.waveform), hz(num(p, 'frequency')), db(num(p, 'level'), 'dBFS', false)),
});
