// Audio EQ Cookbook (Robert Bristow-Johnson) coefficients and magnitude response.
// `q` is the linear quality factor for every band type, as the session format promises.
// Used by the EQ for shelves (IIRFilterNode), by the tests as the reference, and by the UI curve.

export type BiquadType = 'highpass' | 'lowpass' | 'lowshelf' | 'highshelf' | 'peaking' | 'notch';

export interface BiquadCoefficients {
  b: [number, number, number];
  a: [number, number, number];
}

export function cookbook(type: BiquadType, frequency: number, q: number, gainDb: number, sampleRate: number): BiquadCoefficients {
  const w0 = (2 * Math.PI * Math.min(frequency, sampleRate / 2 - 1)) / sampleRate;
  const cos = Math.cos(w0);
  const sin = Math.sin(w0);
  const alpha = sin / (2 * q);
  const A = Math.pow(10, gainDb / 40);
  switch (type) {
    case 'lowpass':
      return { b: [(1 - cos) / 2, 1 - cos, (1 - cos) / 2], a: [1 + alpha, -2 * cos, 1 - alpha] };
    case 'highpass':
      return { b: [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2], a: [1 + alpha, -2 * cos, 1 - alpha] };
    case 'peaking':
      return { b: [1 + alpha * A, -2 * cos, 1 - alpha * A], a: [1 + alpha / A, -2 * cos, 1 - alpha / A] };
    case 'notch':
      return { b: [1, -2 * cos, 1], a: [1 + alpha, -2 * cos, 1 - alpha] };
    case 'lowshelf': {
      const k = 2 * Math.sqrt(A) * alpha;
      return {
        b: [A * (A + 1 - (A - 1) * cos + k), 2 * A * (A - 1 - (A + 1) * cos), A * (A + 1 - (A - 1) * cos - k)],
        a: [A + 1 + (A - 1) * cos + k, -2 * (A - 1 + (A + 1) * cos), A + 1 + (A - 1) * cos - k],
      };
    }
    case 'highshelf': {
      const k = 2 * Math.sqrt(A) * alpha;
      return {
        b: [A * (A + 1 + (A - 1) * cos + k), -2 * A * (A - 1 + (A + 1) * cos), A * (A + 1 + (A - 1) * cos - k)],
        a: [A + 1 - (A - 1) * cos + k, 2 * (A - 1 - (A + 1) * cos), A + 1 - (A - 1) * cos - k],
      };
    }
  }
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
