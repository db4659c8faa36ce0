import { limiterLatency } from '../../src/dsp/limiter.ts';
import { signalDependent } from '../level-change.ts';
import { defineNode, num } from '../define.ts';
import { db } from '../summary.ts';
import { limiterProcessor } from './processor.ts';

export const limiter = defineNode({
  type: 'limiter',
  version: 1,
  category: 'dynamics',
  title: 'Limiter',
  description:
    'A safety ceiling for the final mix: nothing gets out louder than `ceiling`, even the peaks between the samples ' +
    'that a player or an MP3 encoder would reconstruct (true peak, dBTP). It looks `lookahead` ms ahead and turns ' +
    'the gain down smoothly just before a peak instead of clipping it, then lets it back up over `release` ms. ' +
    'The output is delayed by the lookahead; renders take that back out, so the file still lines up.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    ceiling: { kind: 'number', unit: 'dBTP', min: -12, max: 0, default: -1, label: 'Ceiling', description: 'Highest true peak out.' },
    release: { kind: 'number', unit: 'ms', min: 1, max: 1000, default: 60, scale: 'log', label: 'Release' },
    lookahead: {
      kind: 'number',
      unit: 'ms',
      min: 0.5,
      max: 10,
      default: 5,
      label: 'Lookahead',
      description: 'How early the gain starts to move before a peak; the output is delayed by this much.',
    },
  },
  outputCeiling: 'ceiling',
  bypassable: true,
  latency: (params, sampleRate) => limiterLatency(num(params, 'lookahead'), sampleRate) / sampleRate,
  processor: limiterProcessor,
  summary: (p) => `ceiling ${db(num(p, 'ceiling'), 'dBTP')}`,
  readings: ['reduction'],
  levelChange: (p) => signalDependent(`depends on the signal: peaks above ${db(num(p, 'ceiling'), 'dBTP')} are turned down to it, quieter ones pass`),
});
