import { dbToGain, defineNode, num, rampParam } from '../define.ts';
import { gainNode } from '../shared.ts';
import { saturatorProcessor } from './processor.ts';

/** Input range the curve covers: signals up to +24 dBFS are shaped, not clipped flat. */
const HEADROOM = 16;
const CURVE_POINTS = 8193; // odd, so zero in maps exactly to zero out

/** y = tanh(drive · x), tabulated over x in [-HEADROOM, HEADROOM]. */
export function saturationCurve(driveDb: number): Float32Array<ArrayBuffer> {
  const g = dbToGain(driveDb);
  const curve = new Float32Array(CURVE_POINTS);
  for (let i = 0; i < CURVE_POINTS; i++) {
    const x = ((i / (CURVE_POINTS - 1)) * 2 - 1) * HEADROOM;
    curve[i] = Math.tanh(g * x);
  }
  return curve;
}

export const saturator = defineNode({
  type: 'saturator',
  version: 1,
  category: 'effects',
  title: 'Saturator',
  description:
    'Soft clipping, like a hot tape or valve stage: the signal is boosted by `drive` into a tanh curve, so quiet ' +
    'parts grow and peaks round off, never past full scale. Mix blends the clean signal back in.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    drive: { kind: 'number', unit: 'dB', min: 0, max: 24, default: 6, label: 'Drive' },
    mix: { kind: 'number', unit: 'mix', min: 0, max: 1, default: 1, label: 'Mix' },
  },
  bypassable: true,
  processor: saturatorProcessor,
  create(ctx, params, env) {
    const input = gainNode(ctx);
    const output = gainNode(ctx);
    const dry = gainNode(ctx, 1 - num(params, 'mix'));
    const wet = gainNode(ctx, num(params, 'mix'));
    const scale = gainNode(ctx, 1 / HEADROOM); // the shaper reads [-1, 1]
    const shaper = ctx.createWaveShaper();
    shaper.curve = saturationCurve(num(params, 'drive'));
    // No oversampling: its resampler delays the wet path and would comb-filter against the dry one.
    shaper.oversample = 'none';
    input.connect(dry).connect(output);
    input.connect(scale).connect(shaper).connect(wet).connect(output);
    return {
      inputs: { in: { node: input } },
      outputs: { out: { node: output } },
      setParam(name, _value, p) {
        if (name === 'drive') shaper.curve = saturationCurve(num(p, 'drive'));
        else {
          rampParam(dry.gain, 1 - num(p, 'mix'), ctx, env.smoothing);
          rampParam(wet.gain, num(p, 'mix'), ctx, env.smoothing);
        }
      },
      dispose: () => [input, output, dry, wet, scale, shaper].forEach((n) => n.disconnect()),
    };
  },
});
