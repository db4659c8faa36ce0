import { cookbook, magnitudeDb, type BiquadType } from '../../src/dsp/biquad.ts';
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
  // Its change depends on where the signal's energy lies: the figure is its response at 1 kHz
  // (a test tone's usual frequency), with the bands that move more than that named.
  levelChange: (p) => {
    const bands = (p.bands as unknown as Band[]).filter((b) => b.enabled !== false);
    const at1k = bands.reduce((sum, b) => sum + magnitudeDb(cookbook(b.type, b.frequency, b.q ?? 0.707, b.gain ?? 0, 48000), 1000, 48000), 0);
    const figure = Math.abs(at1k) < 0.05 ? 0 : Math.round(at1k * 10) / 10;
    if (!bands.length) return { db: 0, kind: 'exact', note: 'flat: no band on' };
    return { db: figure, kind: 'static', note: `${db(figure)} at 1 kHz; elsewhere its bands (${bands.map(bandSummary).join(', ')}) depend on what the signal holds there` };
  },
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
  learn: {
    why: 'To make room for each part: cut what a sound does not need (rumble under a voice, boxiness in a drum) so the other parts can be heard, and lift a little of what makes it special.',
    typical: 'A high-pass at 80-120 Hz on everything but bass and kick; cuts of 3-6 dB with q 1-2 where it sounds muddy (200-500 Hz) or harsh (2-5 kHz); gentle boosts of 1-3 dB.',
    pitfall: 'Boosting everything. Cut before you boost: a cut makes room, a boost only makes it louder (and louder always sounds better at first). Compare with bypass at matched loudness.',
    params: {
      bands: 'Up to eight filters, added up into one curve. Each band has:',
      'bands.type': 'highpass or lowpass (remove everything below or above the frequency), lowshelf or highshelf (turn everything below or above it up or down), peaking (a bump or a dip around it) or notch (remove one narrow frequency).',
      'bands.frequency': 'Where the band works, in Hz: low frequencies are bass and rumble, 1-4 kHz presence, above 8 kHz air.',
      'bands.gain': 'How far a peaking or shelf band turns its frequencies up or down, in dB.',
      'bands.q': 'How narrow the band is: 0.7 is wide and gentle, 4 and up is narrow and surgical.',
      'bands.enabled': 'Switches the band on or off without losing its settings.',
    },
    listen: {
      input: { generator: { waveform: 'pink', level: -24 } },
      params: { bands: [{ type: 'highpass', frequency: 150, q: 0.707 }, { type: 'peaking', frequency: 2500, gain: 9, q: 1.4 }] },
      hear: 'Pink noise through a high-pass at 150 Hz and a 9 dB boost at 2.5 kHz. Bypass the EQ to hear the difference, then drag the boost in the curve and hear it move.',
    },
  },
});
