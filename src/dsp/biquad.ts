// Audio EQ Cookbook (Robert Bristow-Johnson) coefficients and magnitude response.
// `q` is the linear quality factor for every band type, as the session format promises.
// Used by the EQ (the runtime's biquads in src/dsp/eq.ts),
// by the tests as the reference, and by the UI curve.

export type BiquadType = 'highpass' | 'lowpass' | 'lowshelf' | 'highshelf' | 'peaking' | 'notch';

export interface BiquadCoefficients {
  b: [number, number, number];
  a: [number, number, number];
}

export function cookbook(type: BiquadType, frequency: number, q: number, gainDb: number, sampleRate: number): BiquadCoefficients {
  const k = new Float64Array(6);
  cookbookRaw(type, frequency, q, gainDb, sampleRate, k, 0);
  return { b: [k[0], k[1], k[2]], a: [k[3], k[4], k[5]] };
}

/** The Cookbook's b0 b1 b2 a0 a1 a2 into out[at, at + 6), without allocating. */
export function cookbookRaw(type: BiquadType, frequency: number, q: number, gainDb: number, sampleRate: number, out: Float64Array, at: number): void {
  const w0 = (2 * Math.PI * Math.min(frequency, sampleRate / 2 - 1)) / sampleRate;
  const cos = Math.cos(w0);
  const sin = Math.sin(w0);
  const alpha = sin / (2 * q);
  const A = Math.pow(10, gainDb / 40);
  let b0: number, b1: number, b2: number, a0: number, a1: number, a2: number;
  switch (type) {
    case 'lowpass':
      b0 = (1 - cos) / 2;
      b1 = 1 - cos;
      b2 = (1 - cos) / 2;
      a0 = 1 + alpha;
      a1 = -2 * cos;
      a2 = 1 - alpha;
      break;
    case 'highpass':
      b0 = (1 + cos) / 2;
      b1 = -(1 + cos);
      b2 = (1 + cos) / 2;
      a0 = 1 + alpha;
      a1 = -2 * cos;
      a2 = 1 - alpha;
      break;
    case 'peaking':
      b0 = 1 + alpha * A;
      b1 = -2 * cos;
      b2 = 1 - alpha * A;
      a0 = 1 + alpha / A;
      a1 = -2 * cos;
      a2 = 1 - alpha / A;
      break;
    case 'notch':
      b0 = 1;
      b1 = -2 * cos;
      b2 = 1;
      a0 = 1 + alpha;
      a1 = -2 * cos;
      a2 = 1 - alpha;
      break;
    case 'lowshelf': {
      const k = 2 * Math.sqrt(A) * alpha;
      b0 = A * (A + 1 - (A - 1) * cos + k);
      b1 = 2 * A * (A - 1 - (A + 1) * cos);
      b2 = A * (A + 1 - (A - 1) * cos - k);
      a0 = A + 1 + (A - 1) * cos + k;
      a1 = -2 * (A - 1 + (A + 1) * cos);
      a2 = A + 1 + (A - 1) * cos - k;
      break;
    }
    case 'highshelf': {
      const k = 2 * Math.sqrt(A) * alpha;
      b0 = A * (A + 1 + (A - 1) * cos + k);
      b1 = -2 * A * (A - 1 + (A + 1) * cos);
      b2 = A * (A + 1 + (A - 1) * cos - k);
      a0 = A + 1 - (A - 1) * cos + k;
      a1 = 2 * (A - 1 - (A + 1) * cos);
      a2 = A + 1 - (A - 1) * cos - k;
      break;
    }
    default:
      throw new Error(`unknown biquad type ${String(type)}`);
  }
  out[at] = b0;
  out[at + 1] = b1;
  out[at + 2] = b2;
  out[at + 3] = a0;
  out[at + 4] = a1;
  out[at + 5] = a2;
}

/** The Cookbook's coefficients divided by a0 (b0 b1 b2 a1 a2) into out[at, at + 5). */
export function cookbookNormalized(type: BiquadType, frequency: number, q: number, gainDb: number, sampleRate: number, out: Float64Array, at: number, scratch: Float64Array): void {
  cookbookRaw(type, frequency, q, gainDb, sampleRate, scratch, 0);
  const a0 = scratch[3];
  out[at] = scratch[0] / a0;
  out[at + 1] = scratch[1] / a0;
  out[at + 2] = scratch[2] / a0;
  out[at + 3] = scratch[4] / a0;
  out[at + 4] = scratch[5] / a0;
}

/** |H(e^jw)| in dB of one biquad at `frequency` Hz. */
export function magnitudeDb(c: BiquadCoefficients, frequency: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequency) / sampleRate;
  const re = (k: [number, number, number]) => k[0] + k[1] * Math.cos(w) + k[2] * Math.cos(2 * w);
  const im = (k: [number, number, number]) => -(k[1] * Math.sin(w) + k[2] * Math.sin(2 * w));
  const num = Math.hypot(re(c.b), im(c.b));
  const den = Math.hypot(re(c.a), im(c.a));
  return 20 * Math.log10(num / den);
}
