// The reverb's partitioned convolver against direct convolution, and the real FFT it is built on.
import { describe, expect, it } from 'vitest';
import { Convolver } from '../../src/dsp/convolver.ts';
import { RealFFT } from '../../src/dsp/fft.ts';
import { seededRandom } from '../../src/dsp/random.ts';

describe('RealFFT', () => {
  it('matches the DFT and inverts exactly (to rounding) at 8 and 1024 points', () => {
    const random = seededRandom(3);
    for (const n of [8, 1024]) {
      const fft = new RealFFT(n);
      const x = Float64Array.from({ length: n }, () => random() * 2 - 1);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      fft.forward(x, re, im);
      for (const k of [0, 1, 3, n / 4, n / 2]) {
        let r = 0;
        let i = 0;
        for (let t = 0; t < n; t++) {
          r += x[t] * Math.cos((2 * Math.PI * k * t) / n);
          i -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
        }
        expect(Math.abs(re[k] - r)).toBeLessThan(1e-9);
        expect(Math.abs(im[k] - i)).toBeLessThan(1e-9);
      }
      const back = new Float64Array(n);
      fft.inverse(re, im, back);
      for (let t = 0; t < n; t++) expect(Math.abs(back[t] - x[t])).toBeLessThan(1e-12);
    }
  });
});

describe('Convolver', () => {
  for (const length of [1, 64, 300, 40000]) {
    it(`a ${length}-tap response: every output sample as direct convolution gives it (within float32 rounding), any block sizes`, () => {
      const random = seededRandom(length);
      const ir = Float32Array.from({ length }, () => random() * 2 - 1);
      const frames = length + 5000;
      const x = Float32Array.from({ length: frames }, (_, i) => (i < 3000 ? random() * 2 - 1 : 0));
      const c = new Convolver(ir);
      const y = new Float32Array(frames);
      const block = new Float32Array(500);
      const out = new Float32Array(500);
      for (let at = 0, k = 0; at < frames; k++) {
        const n = Math.min(frames - at, [128, 1, 37, 500][k % 4]);
        block.set(x.subarray(at, at + n));
        c.process(block, out, n);
        y.set(out.subarray(0, n), at);
        at += n;
      }
      let worst = 0;
      let scale = 0;
      for (let t = 0; t < frames; t += 3) {
        let s = 0;
        for (let m = 0; m < length && m <= t; m++) s += ir[m] * x[t - m];
        worst = Math.max(worst, Math.abs(s - y[t]));
        scale = Math.max(scale, Math.abs(s));
      }
      // Float32 output: half an ulp of the largest value (2^-24 relative) plus the FFTs' double rounding
      expect(worst).toBeLessThan(scale * 1e-6);
    });
  }

  it('nothing before the input: no rounding noise ahead of an impulse at 10,000', () => {
    const ir = Float32Array.from({ length: 20000 }, (_, i) => Math.exp(-i / 3000));
    const c = new Convolver(ir);
    const x = new Float32Array(30000);
    x[10000] = 1;
    const y = new Float32Array(30000);
    c.process(x, y, 30000);
    expect(y.subarray(0, 10000).every((v) => v === 0)).toBe(true);
    expect(y[10000]).toBe(1);
  });
});
