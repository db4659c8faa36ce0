import { BANDS, MULTIBAND_DEFAULTS, MULTIBAND_RANGES, type MultibandSettings } from '../../src/dsp/multiband.ts';
import { defineNode, num, type NumberParam, type Unit } from '../define.ts';
import { hz, join, ratio } from '../summary.ts';
import { multibandProcessor } from './processor.ts';

const NAMES = Object.keys(MULTIBAND_DEFAULTS) as (keyof MultibandSettings)[];

function spec(name: keyof MultibandSettings, unit: Unit, label: string, scale?: 'log', description?: string): NumberParam {
  const [min, max] = MULTIBAND_RANGES[name];
  const p: NumberParam = { kind: 'number', unit, min, max, default: MULTIBAND_DEFAULTS[name], label };
  if (scale) p.scale = scale;
  if (description) p.description = description;
  return p;
}

const TITLE = { low: 'Low', mid: 'Mid', high: 'High' } as const;
const bandParams = Object.fromEntries(
  BANDS.flatMap((band) => [
    [`${band}Threshold`, spec(`${band}Threshold`, 'dB', `${TITLE[band]} threshold`)],
    [`${band}Ratio`, spec(`${band}Ratio`, 'ratio', `${TITLE[band]} ratio`, 'log', '1 leaves the band uncompressed.')],
    [`${band}Gain`, spec(`${band}Gain`, 'dB', `${TITLE[band]} gain`)],
  ]),
);

export const multiband = defineNode({
  type: 'multiband',
  version: 1,
  category: 'dynamics',
  title: 'Multiband compressor',
  description:
    'Splits the sound into low, mid and high bands (Linkwitz-Riley crossovers that add back up flat) and ' +
    'compresses each band on its own, so a boomy bass note no longer pushes the vocals down. Each band has a ' +
    'threshold, a ratio and a gain; at ratio 1 and gain 0 the sound passes unchanged.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    low: spec('low', 'Hz', 'Low / mid', 'log', 'Crossover between the low and mid bands.'),
    high: spec('high', 'Hz', 'Mid / high', 'log', 'Crossover between the mid and high bands.'),
    ...bandParams,
    // One timing for all three bands keeps the panel small; the bands still react independently.
    attack: spec('attack', 'ms', 'Attack', 'log', 'How fast every band reacts to a peak.'),
    release: spec('release', 'ms', 'Release', 'log', 'How fast every band recovers.'),
  },
  bypassable: true,
  processor: multibandProcessor,
  summary: (p) => join(`${hz(num(p, 'low'))} / ${hz(num(p, 'high'))}`, BANDS.map((b) => ratio(num(p, `${b}Ratio`))).join(' ')),
  readings: ['reduction', 'lowReduction', 'midReduction', 'highReduction'],
  learn: {
    why: 'A normal compressor turns everything down when the bass booms. Split into bands, only the band that is too loud is turned down: the usual tool for taming a boomy low end or harsh highs on a whole mix.',
    typical: 'Crossovers near 120 Hz and 4 kHz; one band at a time with a ratio of 2-3 and 2-3 dB of gain reduction; the others at ratio 1.',
    pitfall: 'Compressing all three bands hard flattens the mix and changes its tone as the music moves. Start with ratios of 1 and change only what needs it.',
    params: {
      lowThreshold: 'Above this level the low band is turned down, in dB.',
      lowGain: 'The low band turned up or down after its compression, in dB.',
      midThreshold: 'Above this level the mid band is turned down, in dB.',
      midGain: 'The mid band turned up or down after its compression, in dB.',
      highThreshold: 'Above this level the high band is turned down, in dB.',
      highGain: 'The high band turned up or down after its compression, in dB.',
    },
    listen: { input: { stem: 'bass' }, params: { lowThreshold: -36, lowRatio: 6, lowGain: 3 }, hear: 'The demo bass with only its low band compressed hard (6:1 at -36 dB). Watch the low band meter; set Low ratio back to 1 to compare.' },
  },
});
