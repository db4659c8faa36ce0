import { type BiquadType } from '../../src/dsp/biquad.ts';
import { defineNode } from '../define.ts';
import { eqProcessor } from './processor.ts';

export const BAND_TYPES = ['highpass', 'lowpass', 'lowshelf', 'highshelf', 'peaking', 'notch'] as const;

export interface Band {
  type: BiquadType;
  frequency: number;
  gain: number;
  q: number;
  enabled: boolean;
}

export const eq = defineNode({
  type: 'eq',
  version: 1,
  category: 'eq',
  title: 'EQ',
  description:
    'Shapes the tone with up to 8 bands: cut rumble with a high-pass, tame harshness with a peaking cut, ' +
    'add air with a high shelf. Each band follows the Audio EQ Cookbook; q is the bandwidth (0.707 is Butterworth, higher is narrower).',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    bands: {
      kind: 'list',
      label: 'Bands',
      maxItems: 8,
      required: ['type', 'frequency'],
      item: {
        type: { kind: 'enum', options: BAND_TYPES, default: 'peaking', label: 'Type' },
        frequency: { kind: 'number', unit: 'Hz', min: 20, max: 20000, default: 1000, scale: 'log', label: 'Frequency' },
        gain: { kind: 'number', unit: 'dB', min: -24, max: 24, default: 0, label: 'Gain' },
        q: { kind: 'number', unit: 'Q', min: 0.1, max: 18, default: 0.707, scale: 'log', label: 'Q' },
        enabled: { kind: 'bool', default: true, label: 'On' },
      },
      default: [],
    },
  },
  bypassable: true,
  processor: eqProcessor,
});
