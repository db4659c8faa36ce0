import { defineNode, num } from '../define.ts';
import { unchanged } from '../level-change.ts';
import { db } from '../summary.ts';
import { loudnessProcessor } from './processor.ts';

/** Names `read()` answers: the meter's readings plus `delta`, the distance to the target. */
export const LOUDNESS_READINGS = ['momentary', 'shortTerm', 'integrated', 'range', 'truePeak', 'samplePeak', 'momentaryMax', 'shortTermMax', 'time', 'delta'] as const;

export const loudness = defineNode({
  type: 'loudness',
  version: 1,
  category: 'utility',
  title: 'Loudness meter',
  description:
    'Measures how loud the signal sounds, the way streaming services and broadcasters do (EBU R 128, in LUFS), ' +
    'and its true peak. The sound passes through unchanged. Set the target you deliver to (about -14 LUFS for ' +
    'streaming, -23 for broadcast) and the meter shows how far the mix is from it.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    target: {
      kind: 'number',
      unit: 'LUFS',
      min: -36,
      max: -5,
      default: -14,
      label: 'Target',
      description: 'The integrated loudness you aim for; the meter shows the difference.',
    },
  },
  // It never changes the sound, so there is nothing to bypass.
  bypassable: false,
  levelChange: () => unchanged('a meter: the sound passes unchanged'),
  processor: loudnessProcessor,
  summary: (p) => `target ${db(num(p, 'target'), 'LUFS', false)}`,
  readings: LOUDNESS_READINGS,
  learn: {
    why: 'Streaming services and broadcasters play everything at one loudness. Measuring yours tells you how a service will turn your master up or down, and whether it will sound as loud as others.',
    typical: 'Targets: -14 LUFS for streaming, -16 for podcasts, -23 LUFS for broadcast (EBU R 128); true peak under -1 dBTP.',
    pitfall: 'Reading the momentary value and chasing it: judge the integrated figure over the whole song, from the start.',
    listen: { input: { generator: { waveform: 'pink', level: -12 } }, params: { target: -14 }, hear: 'Pink noise at -12 dBFS peak through the meter: watch momentary, short-term and integrated loudness settle, and the distance to -14 LUFS.' },
  },
});
