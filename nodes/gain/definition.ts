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
  learn: {
    why: 'To set the level between two stages (gain staging): a little down before a compressor that works too hard, or up after an EQ cut.',
    typical: '-6 to +6 dB. Each 6 dB halves or doubles the amplitude; 10 dB sounds about twice as loud.',
    pitfall: 'Raising a quiet part with gain raises its noise by just as much: it does not add detail.',
    params: { gain: 'How much the signal is turned up (positive) or down (negative), in dB.' },
    listen: { input: { generator: { waveform: 'pink', level: -18 } }, params: { gain: -12 }, hear: 'Pink noise through a gain of -12 dB. Bypass the node to hear it jump back up, then try -6 dB.' },
  },
});
