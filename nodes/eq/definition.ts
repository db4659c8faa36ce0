import { type BiquadType } from '../../src/dsp/biquad.ts';
import { defineNode } from '../define.ts';
import { db, hz, join } from '../summary.ts';
import { eqProcessor } from './processor.ts';

export const BAND_TYPES = ['highpass', 'lowpass', 'lowshelf', 'highshelf', 'peaking', 'notch'] as const;

export interface Band {
  type: BiquadType;
  frequency: number;
  gain: number;
  q: number;
  enabled: boolean;
}

const BAND_PREFIX: Record<string, string> = { highpass: 'HP', lowpass: 'LP', lowshelf: 'LS', highshelf: 'HS', notch: 'notch' };
/** Pieces on the node's face: three lines of its width (the inspector lists every band). */
const SUMMARY_PIECES = 3;

/** One band as a mixer says it: "HP 80 Hz", "+2 dB @ 3 kHz", "HS +1.5 dB @ 10 kHz". */
function bandSummary(band: Band): string {
  if (band.type === 'highpass' || band.type === 'lowpass' || band.type === 'notch') return `${BAND_PREFIX[band.type]} ${hz(band.frequency)}`;
  const gain = `${db(band.gain)} @ ${hz(band.frequency)}`;
  return band.type === 'peaking' ? gain : `${BAND_PREFIX[band.type]} ${gain}`;
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
  // Low to high, as the curve reads; bands switched off or peaking/shelving at 0 dB change nothing.
  summary: (p) => {
    const bands = (p.bands as unknown as Band[])
      .filter((b) => b.enabled && (b.gain !== 0 || b.type === 'highpass' || b.type === 'lowpass' || b.type === 'notch'))
      .sort((a, b) => a.frequency - b.frequency);
    if (!bands.length) return 'flat';
    if (bands.length <= SUMMARY_PIECES) return join(...bands.map(bandSummary));
    const shown = SUMMARY_PIECES - 1;
    return join(...bands.slice(0, shown).map(bandSummary), `+${bands.length - shown} more`);
  },
});
