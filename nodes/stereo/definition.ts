import { STEREO_DEFAULTS } from '../../src/dsp/stereo.ts';
import { STEREO_PROCESSOR } from '../../src/worklets/names.ts';
import { defineNode, num, rampParam } from '../define.ts';

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
  create(ctx, params, env) {
    const node = env.createWorklet(STEREO_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [2],
      // Always two channels in: a mono input is up-mixed to L = R by Web Audio.
      channelCount: 2,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    const param = (name: string) => node.parameters.get(name) as AudioParam;
    param('width').value = num(params, 'width');
    param('monoBelow').value = num(params, 'monoBelow');
    // Listen only once someone reads: in Node a port with a listener keeps the process alive.
    let correlation: number | null = null;
    const listen = () => {
      correlation = 0;
      node.port.onmessage = (e: MessageEvent<{ correlation?: number }>) => {
        if (typeof e.data.correlation === 'number') correlation = e.data.correlation;
      };
    };
    return {
      inputs: { in: { node } },
      outputs: { out: { node } },
      setParam(name, _value, p) {
        // monoBelow jumps: the processor glides the cutoff itself, and a ramp up from 0 (off)
        // would sweep the cutoff through every frequency on the way.
        if (name === 'monoBelow') param(name).setValueAtTime(num(p, name), ctx.currentTime);
        else rampParam(param(name), num(p, name), ctx, env.smoothing);
      },
      read(name) {
        if (name !== 'correlation') return undefined;
        if (correlation === null) listen();
        return correlation ?? 0;
      },
      dispose() {
        node.disconnect();
        node.port.close();
      },
    };
  },
});
