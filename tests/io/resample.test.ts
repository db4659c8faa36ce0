// The sample-rate converter (libsamplerate, SRC_SINC_BEST_QUALITY), measured: the passband is flat,
// what lies above the new Nyquist frequency is removed, a sine comes out clean, lengths are exact.
import { describe, expect, test } from 'vitest';

import { resample, resampledLength } from '../../src/io/resample.ts';

const sine = (f: number, rate: number, seconds: number, amp = 0.5) => Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / rate));

/** Least-squares fit of a sine at `f` (middle of the signal): its amplitude and the residual's level in dB below it. */
function fit(y: Float32Array, f: number, rate: number): { amp: number; snrDb: number } {
  const from = Math.floor(y.length / 4);
  const to = Math.floor((3 * y.length) / 4);
  let ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
  for (let i = from; i < to; i++) {
    const s = Math.sin((2 * Math.PI * f * i) / rate);
    const c = Math.cos((2 * Math.PI * f * i) / rate);
    ss += s * s; cc += c * c; sc += s * c; ys += y[i] * s; yc += y[i] * c;
  }
  const det = ss * cc - sc * sc;
  const A = (ys * cc - yc * sc) / det;
  const B = (yc * ss - ys * sc) / det;
  let r = 0, p = 0;
  for (let i = from; i < to; i++) {
    const m = A * Math.sin((2 * Math.PI * f * i) / rate) + B * Math.cos((2 * Math.PI * f * i) / rate);
    r += (y[i] - m) ** 2;
    p += m * m;
  }
  return { amp: Math.hypot(A, B), snrDb: 10 * Math.log10(p / r) };
}

const rms = (y: Float32Array, from = Math.floor(y.length / 4), to = Math.floor((3 * y.length) / 4)) => {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i] * y[i];
  return Math.sqrt(s / (to - from));
};

describe('resample', () => {
  test.each([
    [44100, 48000],
    [48000, 44100],
    [96000, 48000],
    [22050, 48000],
  ])('%i -> %i Hz: passband flat to 0.05 dB up to 90 percent of the lower Nyquist, sines clean to 100 dB', async (from, to) => {
    const top = 0.9 * (Math.min(from, to) / 2);
    for (const f of [100, 1000, 5000, top * 0.8, top]) {
      const [y] = await resample([sine(f, from, 1)], from, to);
      const { amp, snrDb } = fit(y, f, to);
      expect(Math.abs(20 * Math.log10(amp / 0.5)), `${f.toFixed(0)} Hz gain error, dB`).toBeLessThan(0.05);
      // Above 90 % of Nyquist the filter's transition band begins; below it the residue is float noise.
      expect(snrDb, `${f.toFixed(0)} Hz: residue below the sine, dB`).toBeGreaterThan(f < top * 0.85 ? 100 : 60);
    }
  });

  test('48 -> 44.1 kHz: a 23 kHz tone (above the new Nyquist, 22.05 kHz) is removed by more than 90 dB, not folded down', async () => {
    const [y] = await resample([sine(23000, 48000, 1)], 48000, 44100);
    const left = 20 * Math.log10(rms(y) / (0.5 / Math.SQRT2));
    expect(left).toBeLessThan(-90);
  });

  test('lengths follow round(frames × to / from); channels stay apart and equal in length', async () => {
    const left = sine(440, 44100, 0.5);
    const right = new Float32Array(left.length);
    const out = await resample([left, right], 44100, 48000);
    expect(out.map((c) => c.length)).toEqual([resampledLength(left.length, 44100, 48000), resampledLength(left.length, 44100, 48000)]);
    expect(out[0].length).toBe(24000);
    expect(Math.max(...out[1].map(Math.abs))).toBe(0);
  });
});
