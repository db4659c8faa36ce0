// GCC-PHAT with coherence weighting (src/dsp/gcc.ts) on noise, where the answer is known exactly.
import { describe, expect, it } from 'vitest';
import { DelayEstimator } from '../../src/dsp/gcc.ts';
import { seededRandom } from '../../src/dsp/random.ts';
import { delayed } from '../helpers/stems.ts';

const SR = 48000;
const noise = (seconds: number, seed: number) => {
  const r = seededRandom(seed);
  return Float32Array.from({ length: seconds * SR }, () => r() * 2 - 1);
};
const estimate = (ref: Float32Array, x: Float32Array, maxLag = 9600) => {
  const e = new DelayEstimator(SR, maxLag, 1);
  // in blocks, as a render hands them over
  for (let at = 0; at < ref.length; at += 128) e.push(ref.subarray(at, at + 128), [x.subarray(at, at + 128)], Math.min(128, ref.length - at));
  e.finish();
  return e.estimate(0)!;
};

describe('GCC-PHAT delay estimator', () => {
  const ref = noise(6, 1);

  it('finds whole-sample delays either way and the polarity', () => {
    for (const d of [0, 1, 1440, -480, 9599]) {
      const x = d >= 0 ? delayed(ref, d) : ref.slice(-d).slice(0, ref.length);
      const padded = new Float32Array(ref.length);
      padded.set(x.subarray(0, ref.length));
      const e = estimate(ref, padded);
      expect(e.whole, `delay ${d}`).toBe(d);
      expect(e.inverted).toBe(false);
      if (process.env.AUDIO_REPORT) console.log(`[measured] delay ${d}: peak ${e.peak.toFixed(3)} confidence ${e.confidence.toFixed(3)}`);
      expect(e.confidence).toBeGreaterThan(0.7);
    }
    const e = estimate(ref, delayed(ref, 300).map((v) => -v));
    expect(e.whole).toBe(300);
    expect(e.inverted).toBe(true);
  });

  it('finds fractions of a sample within 0.01 (the band-limited correlation maximised between samples)', () => {
    for (const d of [0.25, 0.5, 12.7, 100.1]) {
      const e = estimate(ref, delayed(ref, d));
      if (process.env.AUDIO_REPORT) console.log(`[measured] delay ${d}: ${e.lag.toFixed(4)}`);
      expect(Math.abs(e.lag - d), `delay ${d}`).toBeLessThan(0.01);
    }
  });

  it('still finds a delay under as much unrelated noise (0 dB SNR), with a lower coherence', () => {
    const other = noise(6, 2);
    const x = delayed(ref, 777);
    for (let i = 0; i < x.length; i++) x[i] += other[i];
    const e = estimate(ref, x);
    expect(e.whole).toBe(777);
    expect(e.coherence).toBeLessThan(0.6);
    expect(e.confidence).toBeGreaterThan(0.5);
  });

  it('gives unrelated material a low confidence', () => {
    const e = estimate(ref, noise(6, 3));
    expect(e.confidence).toBeLessThan(0.1);
    expect(e.peak).toBeLessThan(0.1);
  });

  it('says nothing for silence', () => {
    const e = new DelayEstimator(SR, 9600, 1);
    e.push(ref, [new Float32Array(ref.length)], ref.length);
    e.finish();
    expect(e.estimate(0)).toBeNull();
  });
});
