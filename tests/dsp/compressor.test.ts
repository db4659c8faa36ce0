// The compressor core against the direct formulas it replaces: per sample 20·log10 of the peak,
// the static curve, the two detector stages and 10^((makeup - reduction)/20). The fast core
// takes the log only above the knee and turns dB into gain with exp2(); it must give the same
// gains to far below the 0.02 dB the audio tests resolve.
import { describe, expect, it } from 'vitest';
import { CompressorCore, staticCurve, type CompressorSettings } from '../../src/dsp/compressor.ts';
import { seededRandom } from '../../src/dsp/random.ts';

const SR = 48000;

/** The compressor as it was written before the fast core (log10 and pow on every sample). */
function reference(input: Float32Array[], s: CompressorSettings): Float32Array[] {
  const alphaA = Math.exp(-1 / ((Math.max(s.attack, 0.01) / 1000) * SR));
  const alphaR = Math.exp(-1 / ((Math.max(s.release, 0.01) / 1000) * SR));
  let hold = 0;
  let env = 0;
  const out = input.map((c) => new Float32Array(c.length));
  for (let i = 0; i < input[0].length; i++) {
    let peak = 0;
    for (const c of input) if (Math.abs(c[i]) > peak) peak = Math.abs(c[i]);
    let gr = 0;
    if (peak > 1e-9) {
      const x = 20 * Math.log10(peak);
      gr = x - staticCurve(x, s);
    }
    const released = alphaR * hold + (1 - alphaR) * gr;
    hold = gr > released ? gr : released;
    if (hold < 1e-12) hold = 0;
    env = alphaA * env + (1 - alphaA) * hold;
    if (env < 1e-12) env = 0;
    const g = Math.pow(10, (s.makeup - env) / 20);
    for (let c = 0; c < input.length; c++) out[c][i] = input[c][i] * g;
  }
  return out;
}

/** A stereo test signal with bursts from silence to +6 dBFS, so every region of the curve is crossed. */
function bursts(frames: number): Float32Array[] {
  const random = seededRandom(5);
  const l = new Float32Array(frames);
  const r = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const level = Math.pow(10, (-70 + 76 * (0.5 + 0.5 * Math.sin((2 * Math.PI * i) / 9000))) / 20);
    l[i] = level * Math.sin((2 * Math.PI * 440 * i) / SR);
    r[i] = level * (random() * 2 - 1);
  }
  return [l, r];
}

const dbRatio = (a: number, b: number) => Math.abs(20 * Math.log10(Math.abs(a) / Math.abs(b)));

describe('CompressorCore (fast) against the direct formulas', () => {
  const settings: CompressorSettings[] = [
    { threshold: -24, ratio: 3, knee: 6, attack: 10, release: 120, makeup: 2 },
    { threshold: -12, ratio: 20, knee: 0, attack: 0.1, release: 5, makeup: 0 },
    { threshold: -40, ratio: 1.5, knee: 24, attack: 200, release: 2000, makeup: 12 },
  ];
  for (const s of settings) {
    it(`T ${s.threshold} R ${s.ratio} K ${s.knee}: every output sample within 1e-6 dB of the reference`, () => {
      const input = bursts(SR);
      const want = reference(input, s);
      const core = new CompressorCore(SR);
      core.configure(s);
      const got = [new Float32Array(SR), new Float32Array(SR)];
      // Odd block lengths: the core carries its state across blocks of any size
      for (let at = 0, k = 0; at < SR; k++) {
        const n = Math.min(SR - at, [128, 1, 37, 500][k % 4]);
        core.process(input.map((c) => c.subarray(at, at + n)), input.map((c) => c.subarray(at, at + n)), got.map((c) => c.subarray(at, at + n)), n);
        at += n;
      }
      let worst = 0;
      for (let c = 0; c < 2; c++) for (let i = 0; i < SR; i++) if (Math.abs(want[c][i]) > 1e-6) worst = Math.max(worst, dbRatio(got[c][i], want[c][i]));
      // Float32 output rounding alone is 1e-6 dB (2^-24 relative): the gains agree to that
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('below the knee the output is the input times the makeup, bit for bit; silence stays 0', () => {
    const core = new CompressorCore(SR);
    core.configure({ threshold: -20, ratio: 4, knee: 6, attack: 5, release: 50, makeup: 0 });
    const x = Float32Array.from({ length: 256 }, (_, i) => 0.05 * Math.sin(i / 3)); // -26 dBFS, under the knee's edge at -23
    const y = new Float32Array(256);
    core.process([x], [x], [y], 256);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(core.reduction).toBe(0);
  });

  it('a makeup change glides when the core is built with a glide factor, and lands exactly', () => {
    const coef = Math.exp(-1 / (0.005 * SR));
    const core = new CompressorCore(SR, coef);
    core.configure({ threshold: 0, ratio: 4, knee: 0, attack: 5, release: 50, makeup: 0 });
    const x = new Float32Array(SR / 2).fill(0.1);
    const y = new Float32Array(SR / 2);
    core.configure({ threshold: 0, ratio: 4, knee: 0, attack: 5, release: 50, makeup: 6 });
    core.process([x], [x], [y], SR / 2);
    // One time constant (5 ms, 240 samples) in: 1 - 1/e of the 6 dB step
    expect(20 * Math.log10(y[239] / 0.1)).toBeCloseTo(6 * (1 - Math.exp(-1)), 2);
    // 0.5 s later it has landed on 10^(6/20) exactly (to exp2's 3e-10)
    expect(Math.abs(y[SR / 2 - 1] / Math.fround(0.1) / Math.pow(10, 6 / 20) - 1)).toBeLessThan(1e-7);
  });
});

describe('CompressorCore and broken samples', () => {
  it('an infinity or a NaN counts as silence in the detector: the gain comes back once they pass', () => {
    const core = new CompressorCore(SR);
    core.configure({ threshold: -20, ratio: 4, knee: 0, attack: 1, release: 10, makeup: 0 });
    const x = new Float32Array(SR / 10).fill(0.01); // -40 dBFS: no reduction
    x[100] = Infinity;
    x[101] = -Infinity;
    x[102] = NaN;
    const y = new Float32Array(x.length);
    core.process([x], [x], [y], x.length);
    // A few samples later (and ever after) the input passes untouched again
    expect(y[200]).toBe(x[200]);
    expect(y[x.length - 1]).toBe(x[x.length - 1]);
    expect(core.reduction).toBe(0);
  });
});
