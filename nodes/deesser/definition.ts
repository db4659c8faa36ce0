import { DEESSER_LISTEN } from '../../src/dsp/deesser.ts';
import { defineNode, num } from '../define.ts';
import { db, hz, join } from '../summary.ts';
import { deesserProcessor } from './processor.ts';

export const deesser = defineNode({
  type: 'deesser',
  version: 1,
  category: 'dynamics',
  title: 'De-esser',
  description:
    'Tames the hiss of "s" and "t" in a voice: the band above `frequency` is turned down while its peak is over the ' +
    'threshold (held at the threshold, by at most `range` dB), and the voice below it is left alone. Listen to ' +
    '"band" to find the sibilance, or to "removed" to hear exactly what is taken away.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    frequency: { kind: 'number', unit: 'Hz', min: 2000, max: 16000, default: 6000, scale: 'log', label: 'Frequency', description: 'The crossover: the sibilant band lies above it (4-8 kHz for most voices).' },
    threshold: { kind: 'number', unit: 'dB', min: -60, max: 0, default: -30, label: 'Threshold', description: 'The peak level of the band above which it is turned down.' },
    range: { kind: 'number', unit: 'dB', min: 0, max: 24, default: 6, label: 'Range', description: 'The most the band is turned down.' },
    listen: { kind: 'enum', options: DEESSER_LISTEN, default: 'off', label: 'Listen', description: 'off: the de-essed voice; band: the sibilant band alone; removed: only what is taken away.' },
  },
  bypassable: true,
  processor: deesserProcessor,
  summary: (p) => join(`${hz(num(p, 'frequency'))} @ ${db(num(p, 'threshold'))}`, `max ${db(-num(p, 'range'))}`, p.listen !== 'off' && `listen ${String(p.listen)}`),
  readings: ['reduction'],
  learn: {
    why: 'A bright voice, or one compressed hard, makes "s" and "t" sounds sharp and piercing. A de-esser turns down only those moments, only in the high band, and leaves the rest of the voice alone.',
    typical: 'Frequency 5-8 kHz, a threshold where it acts only on the "s" sounds, range 4-8 dB.',
    pitfall: 'Too much range or too low a threshold makes the singer lisp. Set Listen to "removed" and check that only hiss is taken away.',
    listen: { input: { generator: { waveform: 'white', level: -12 } }, params: { frequency: 5000, threshold: -40, range: 12, listen: 'removed' }, hear: 'White noise (all hiss) through a de-esser set to Listen: removed, so you hear only what it takes away above 5 kHz. Set Listen to off to hear the noise with its top turned down.' },
  },
});
