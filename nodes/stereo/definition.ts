import { STEREO_DEFAULTS } from '../../src/dsp/stereo.ts';
import { STEREO_PROCESSOR } from '../../src/worklets/names.ts';
import { defineNode, num } from '../define.ts';
import { lazyReadings, numberField, workletNode } from '../shared.ts';
import { stereoProcessor } from './processor.ts';

export const stereo = defineNode({
  type: 'stereo',
  version: 1,
  category: 'utility',
  title: 'Stereo width',
  description:
    'Makes the stereo image narrower or wider by turning the side (the difference between left and right) ' +
    'down or up: width 0 is mono, 1 unchanged, 2 twice as wide. "Mono below" keeps the bass in the centre. ' +
    'The correlation meter reads +1 for mono, 0 for unrelated channels and -1 when they cancel in mono.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    width: { kind: 'number', unit: '', min: 0, max: 2, default: STEREO_DEFAULTS.width, label: 'Width', description: 'Side gain: 0 mono, 1 unchanged, 2 double.' },
    monoBelow: {
      kind: 'number',
      unit: 'Hz',
      min: 0,
      max: 500,
      default: STEREO_DEFAULTS.monoBelow,
      label: 'Mono below',
      description: 'Below this frequency left and right are made the same (Linkwitz-Riley, 24 dB/octave). 0 is off.',
    },
  },
  bypassable: true,
  worklets: [STEREO_PROCESSOR],
  processor: stereoProcessor,
  readings: ['correlation'],
  create(ctx, params, env) {
    const worklet = workletNode(ctx, env, STEREO_PROCESSOR, { stereoIn: true });
    const { node } = worklet;
    worklet.param('width').value = num(params, 'width');
    worklet.param('monoBelow').value = num(params, 'monoBelow');
    const correlation = lazyReadings(node.port, 0, numberField('correlation'));
    return {
      inputs: { in: { node } },
      outputs: { out: { node } },
      setParam(name, _value, p) {
        // monoBelow jumps: the processor glides the cutoff itself, and a ramp up from 0 (off)
        // would sweep the cutoff through every frequency on the way.
        if (name === 'monoBelow') worklet.jump(name, num(p, name));
        else worklet.ramp(name, num(p, name));
      },
      read: (name) => (name === 'correlation' ? correlation() : undefined),
      dispose: worklet.dispose,
    };
  },
});
