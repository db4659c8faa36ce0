// The true-peak detector: the optimised streaming code against a plain reference of the same
// polyphase interpolator, the exact skip shortcut, and the accuracy on sines (BS.1770-4 Annex 2).
import { describe, expect, it } from 'vitest';
import { interpolationBranches, oversamplingFactor, TruePeakChannel, truePeakOf } from '../../src/dsp/truepeak.ts';
import { seededRandom } from '../../src/dsp/random.ts';

/** Per-sample peaks by the definition: max of the delayed sample and every branch's dot product. */
function reference(x: Float32Array, sampleRate: number, taps: number): Float64Array {
  const factor = oversamplingFactor(sampleRate);
  const branches = interpolationBranches(factor, taps);
  const at = (i: number) => (i >= 0 ? x[i] : 0);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (factor === 1) {
      out[i] = Math.abs(x[i]);
      continue;
    }
    let peak = Math.abs(at(i - taps / 2));
    // The first `taps` samples count only as samples (the window is not yet full of signal).
    if (i >= taps)
      for (const h of branches) {
        let acc = 0;
        for (let j = 0; j < taps; j++) acc += h[j] * at(i - j);
        peak = Math.max(peak, Math.abs(acc));
      }
    out[i] = peak;
  }
  return out;
}

function noise(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const x = new Float32Array(n);
  // Level steps every 1000 samples, so stretches fall both above and below the running peak.
  for (let i = 0; i < n; i++) x[i] = (random() * 2 - 1) * (0.1 + 0.8 * ((Math.floor(i / 1000) * 7) % 10) / 10);
  return x;
}

describe('TruePeakChannel', () => {
  it.each([
    [48000, 16],
    [96000, 16],
    [192000, 16],
    [44100, 8],
  ])('at %i Hz with %i taps, per-sample peaks equal the plain polyphase reference in any block size', (sr, taps) => {
    const x = noise(20000, 3);
    const want = reference(x, sr, taps);
    for (const block of [1, 13, 128, 4096, 20000]) {
      const tp = new TruePeakChannel(sr, taps);
      const peaks = new Float32Array(x.length);
      for (let at = 0; at < x.length; at += block) {
        const n = Math.min(block, x.length - at);
        tp.process(x.subarray(at, at + n), n, peaks.subarray(at, at + n));
      }
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(peaks[i] - want[i]));
      // Float32 storage of the peaks: within one float rounding of values below 1
      expect(worst).toBeLessThan(1e-7);
    }
  });

  it('skipping stretches that cannot exceed the running maximum leaves the maximum exactly the same', () => {
    const x = noise(200000, 5);
    const plain = new TruePeakChannel(48000);
    const skipping = new TruePeakChannel(48000);
    let a = 0;
    let b = 0;
    for (let at = 0; at < x.length; at += 512) {
      const n = Math.min(512, x.length - at);
      a = Math.max(a, plain.process(x.subarray(at, at + n), n));
      b = Math.max(b, skipping.process(x.subarray(at, at + n), n, undefined, b));
    }
    expect(b).toBe(a);
    // The folded arithmetic rounds differently from the plain sums: equal to 1e-12
    expect(Math.abs(b - reference(x, 48000, 16).reduce((m, v) => Math.max(m, v), 0))).toBeLessThan(1e-12);
  });

  it('reads sines from 1 to 15 kHz at any phase within +0.2 / -0.4 dB of their peak (EBU Tech 3341 tolerance)', () => {
    for (const sr of [44100, 48000]) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const f of [997, 3000, 6000, 10000, 15000]) {
        for (let k = 0; k < 8; k++) {
          const x = new Float32Array(4096);
          for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * f * i) / sr + (k * Math.PI) / 8);
          const err = 20 * Math.log10(truePeakOf([x], sr) / 0.5);
          lo = Math.min(lo, err);
          hi = Math.max(hi, err);
        }
      }
      if (process.env.AUDIO_REPORT) console.log(`[measured] ${sr} Hz sine true-peak error: ${lo.toFixed(3)} .. ${hi.toFixed(3)} dB`);
      // 4x oversampling misses the crest by at most 1 - cos(pi f / 4 fs): -0.27 dB at 15 kHz / 44.1 kHz
      expect(lo).toBeGreaterThan(-0.4);
      expect(hi).toBeLessThan(0.2);
    }
  });

  it('NaN and infinities count as silence; reset forgets the past', () => {
    const tp = new TruePeakChannel(48000);
    const x = new Float32Array(256).fill(0.25);
    x[100] = NaN;
    x[101] = Infinity;
    expect(tp.process(x, x.length)).toBeLessThan(0.5);
    tp.reset();
    expect(tp.process(new Float32Array(64), 64)).toBe(0);
  });
});
