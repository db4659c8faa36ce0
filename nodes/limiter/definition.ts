import { limiterLatency } from '../../src/dsp/limiter.ts';
import { LIMITER_PROCESSOR } from '../../src/worklets/names.ts';
import { defineNode, num } from '../define.ts';
import { lazyReadings, numberField, workletNode } from '../shared.ts';
import { limiterProcessor } from './processor.ts';

const PARAMS = ['ceiling', 'release', 'lookahead'] as const;

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
  worklets: [LIMITER_PROCESSOR],
  latency: (params, sampleRate) => limiterLatency(num(params, 'lookahead'), sampleRate) / sampleRate,
  processor: limiterProcessor,
  readings: ['reduction'],
  create(ctx, params, env) {
    const worklet = workletNode(ctx, env, LIMITER_PROCESSOR);
    const { node } = worklet;
    for (const name of PARAMS) worklet.param(name).value = num(params, name);
    const reduction = lazyReadings(node.port, 0, numberField('reduction'));
    return {
      inputs: { in: { node } },
      outputs: { out: { node } },
      setParam(name, _value, p) {
        // A lookahead change moves the delay line's read point: set it at once, a ramp would
        // re-seat it on every block of the glide.
        if (name === 'lookahead') worklet.jump(name, num(p, name));
        else worklet.ramp(name, num(p, name));
      },
      read: (name) => (name === 'reduction' ? reduction() : undefined),
      dispose: worklet.dispose,
    };
  },
});
