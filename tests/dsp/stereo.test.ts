// The stereo core on its own: width by mid/side, the LR4 bass mono-maker, and the correlation meter.
import { describe, expect, it } from 'vitest';
import { LR4, lr4MagnitudeDb } from '../../src/dsp/crossover.ts';
import { seededRandom } from '../../src/dsp/random.ts';
import { CORRELATION_TAU, CorrelationMeter, STEREO_DEFAULTS, StereoCore, type StereoSettings } from '../../src/dsp/stereo.ts';
import { allFinite, db, expectBelow, expectWithin, maxDiff, rmsDb, toneAmplitude, toneDb } from '../helpers/audio.ts';

const SR = 48000;
const BLOCK = 128;

interface Stereo {
  left: Float32Array;
  right: Float32Array;
}

/** Run a stereo (or mono: right omitted) signal through a core in 128-frame blocks. */
function run(core: StereoCore, left: Float32Array, right?: Float32Array, at?: (frame: number) => void): Stereo {
  const out = { left: new Float32Array(left.length), right: new Float32Array(left.length) };
  for (let s = 0; s < left.length; s += BLOCK) {
    at?.(s);
    const n = Math.min(BLOCK, left.length - s);
    const input = right ? [left.subarray(s, s + n), right.subarray(s, s + n)] : [left.subarray(s, s + n)];
    core.process(input, [out.left.subarray(s, s + n), out.right.subarray(s, s + n)], n);
  }
  return out;
}

function coreWith(settings: Partial<StereoSettings>): StereoCore {
  const core = new StereoCore(SR);
  core.configure({ ...STEREO_DEFAULTS, ...settings });
  return core;
}

/** Uniform noise in [-amplitude, amplitude), seeded. */
function noise(seed: number, length: number, amplitude = 0.5): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length }, () => amplitude * (random() * 2 - 1));
}

const sineWave = (frequency: number, amplitude: number, length: number) =>
  Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / SR));

const difference = (s: Stereo) => s.left.map((v, i) => v - s.right[i]);
const sum = (s: Stereo) => s.left.map((v, i) => v + s.right[i]);

describe('stereo width', () => {
  const left = noise(1, SR);
  const right = noise(2, SR);

  it('width 1 (and monoBelow off) gives back the input exactly', () => {
    const out = run(coreWith({ width: 1 }), left, right);
    // (L+R)/2 + (L-R)/2 in double precision rounds back to L: bit-exact
    expect(maxDiff(out.left, left)).toBe(0);
    expect(maxDiff(out.right, right)).toBe(0);
  });

  it('width 0 is mono: L == R == (L + R)/2', () => {
    const out = run(coreWith({ width: 0 }), left, right);
    expect(maxDiff(out.left, out.right)).toBe(0);
    expectBelow(maxDiff(out.left, left.map((v, i) => (v + right[i]) / 2)), 1e-7, 'L - (L+R)/2');
  });

  it('width 2 doubles the side: L - R is 6.02 dB louder, L + R unchanged', () => {
    const input = { left, right };
    const out = run(coreWith({ width: 2 }), left, right);
    // S' = 2·S: 20·log10(2) = +6.02 dB on independent noise channels
    expectWithin(rmsDb(difference(out)) - rmsDb(difference(input)), 6.02, 0.1, 'L - R level change at width 2 (dB)');
    expectWithin(rmsDb(sum(out)) - rmsDb(sum(input)), 0, 0.001, 'L + R level change at width 2 (dB)');
  });

  it('a mono input (one channel) is taken as L = R: both outputs equal it at any width', () => {
    const mono = noise(3, 9600);
    const out = run(coreWith({ width: 2, monoBelow: 0 }), mono);
    expect(maxDiff(out.left, mono)).toBe(0);
    expect(maxDiff(out.right, mono)).toBe(0);
  });

  it('a width change glides (τ 5 ms): no step in the side, and it lands on the new width', () => {
    const f = 997;
    const w = (2 * Math.PI * f) / SR;
    const side = sineWave(f, 0.25, SR);
    const core = coreWith({ width: 0 });
    const change = 24064;
    const out = run(core, side, side.map((v) => -v), (s) => {
      if (s === change) core.configure({ width: 2, monoBelow: 0 });
    });
    let peak = 0;
    for (let i = change - 1; i < change + 4800; i++) peak = Math.max(peak, Math.abs(out.left[i + 1] - 2 * out.left[i] + out.left[i - 1]));
    // A clean sine at the final level (0.5 peak) bounds the second difference by 0.5·w²; a step would be ~1000x that
    expectBelow(peak / (0.5 * w * w), 1.05, 'width glide: peak second difference / clean sine at the final level');
    expectWithin(toneDb(out.left, f, SR, 38400, 9600), db(0.5), 0.001, 'side at width 2 after the glide (dBFS)');
  });
});

describe('stereo mono below', () => {
  const n = SR;
  /** A tone on the side only (L = s, R = -s) or the mid only (L = R = s); the settled output tone of each channel. */
  function through(settings: Partial<StereoSettings>, f: number, onSide: boolean) {
    const s = sineWave(f, 0.5, n);
    const out = run(coreWith(settings), s, onSide ? s.map((v) => -v) : s);
    return { left: toneDb(out.left, f, SR, 24000, 24000), right: toneDb(out.right, f, SR, 24000, 24000), out };
  }

  it('monoBelow 200 Hz: a 50 Hz side-only tone drops >= 30 dB, a 2 kHz side-only tone stays within 0.5 dB', () => {
    const low = through({ monoBelow: 200 }, 50, true);
    const high = through({ monoBelow: 200 }, 2000, true);
    // LR4 high-pass on the side: -48.2 dB at 50 Hz (two octaves below), -0.001 dB at 2 kHz
    expect(db(0.5) - low.left).toBeGreaterThanOrEqual(30);
    expect(db(0.5) - low.right).toBeGreaterThanOrEqual(30);
    expectWithin(low.left - db(0.5), lr4MagnitudeDb('highpass', 200, 50, SR), 0.05, '50 Hz side tone against the LR4 figure (dB)');
    expectWithin(high.left - db(0.5), 0, 0.5, '2 kHz side tone (dB)');
    expectWithin(high.right - db(0.5), 0, 0.5, '2 kHz side tone, right (dB)');
  });

  it('the mid passes at its level at every frequency (it only goes through the matching allpass)', () => {
    for (const f of [30, 100, 200, 400, 5000]) {
      const r = through({ monoBelow: 200 }, f, false);
      expectWithin(r.left - db(0.5), 0, 0.001, `mid tone at ${f} Hz (dB)`);
      expect(maxDiff(r.out.left, r.out.right)).toBe(0);
    }
  });

  it('phase-coherent at the cutoff: a hard-left tone at 200 Hz stays left (3:1 in level) and in phase', () => {
    // L = s, R = 0: M = S = s/2. At the cutoff |HP| = 1/2 and HP has the allpass's phase, so
    // L' = AP(s/2)·(1 + 1/2) and R' = AP(s/2)·(1 - 1/2): 0.75 and 0.25 of the tone, same phase.
    // A high-pass on the side alone (180° there) would give the mirror image: 0.25 left, 0.75 right.
    const f = 200;
    const s = sineWave(f, 1, n);
    const out = run(coreWith({ monoBelow: f }), s, new Float32Array(n));
    expectWithin(toneAmplitude(out.left, f, SR, 24000, 24000), 0.75, 0.002, 'left at the cutoff (peak)');
    expectWithin(toneAmplitude(out.right, f, SR, 24000, 24000), 0.25, 0.002, 'right at the cutoff (peak)');
    const meter = new CorrelationMeter(SR);
    meter.process(out.left, out.right, n - 24000, 24000);
    expectWithin(meter.value, 1, 0.01, 'correlation of left and right (in phase)');
  });

  it('switching monoBelow on then off crossfades (20 ms) and returns to the exact input', () => {
    const left = noise(4, SR);
    const right = noise(5, SR);
    const core = coreWith({ monoBelow: 0 });
    const out = run(core, left, right, (s) => {
      if (s === 9600) core.configure({ width: 1, monoBelow: 150 });
      if (s === 24064) core.configure({ width: 1, monoBelow: 0 });
    });
    expect(allFinite(out.left) && allFinite(out.right)).toBe(true);
    // 20 ms after switching off (960 frames) the filtered path is gone: bit-exact again
    expect(maxDiff(out.left, left, 24064 + 1024)).toBe(0);
    expect(maxDiff(out.right, right, 24064 + 1024)).toBe(0);
    // While on (after the 20 ms fade-in), the low side is gone: L - R through an LR4 low-pass at 50 Hz
    // drops by 30 dB or more (measured 36 dB; LR4 high-pass at 150 Hz: -38 dB at 50 Hz, -15.6 dB at 100 Hz)
    const lowSide = (x: Float32Array) => {
      const lp = new LR4('lowpass', 1);
      lp.tune(50, SR);
      const buf = Float64Array.from(x);
      lp.process(buf, 0, 0, buf.length);
      return rmsDb(Float32Array.from(buf), 14400, 24000);
    };
    expectBelow(lowSide(difference(out)) - lowSide(difference({ left, right })), -30, 'low side while monoBelow is on (dB)');
  });
});

describe('correlation meter', () => {
  const n = SR; // 1 s: more than three time constants (300 ms)
  const a = noise(6, n);
  const b = noise(7, n);

  it('+1 for L == R, -1 for L == -R, 0 (±0.1) for independent noise, 0 for silence', () => {
    const same = new CorrelationMeter(SR);
    same.process(a, a, n);
    expect(same.value).toBe(1);
    const inverted = new CorrelationMeter(SR);
    inverted.process(a, a.map((v) => -v), n);
    expect(inverted.value).toBe(-1);
    const independent = new CorrelationMeter(SR);
    independent.process(a, b, n);
    // Averaged over ~2τ·fs = 28800 samples: a standard deviation of about 0.006
    expectWithin(independent.value, 0, 0.1, 'independent noise');
    const silent = new CorrelationMeter(SR);
    silent.process(new Float32Array(n), new Float32Array(n), n);
    expect(silent.value).toBe(0);
  });

  it('integrates with a 300 ms time constant: one τ after L = R turns into L = -R it reads -1 + 2/e', () => {
    const meter = new CorrelationMeter(SR);
    meter.process(a, a, n);
    const tau = Math.round(CORRELATION_TAU * SR);
    const inverted = a.map((v) => -v);
    meter.process(a, inverted, tau);
    // Σ L·R goes from +P to -P exponentially while Σ L² and Σ R² stay at P: r(t) = -1 + 2·e^(-t/τ) = -0.264
    expectWithin(meter.value, -1 + 2 / Math.E, 0.03, 'correlation one time constant after the flip');
  });

  it('the core meters its output: width 0 reads +1, a side-only input at width 1 reads -1', () => {
    const mono = coreWith({ width: 0 });
    run(mono, a, b);
    expect(mono.correlation).toBe(1);
    const side = coreWith({ width: 1 });
    run(side, a, a.map((v) => -v));
    expect(side.correlation).toBe(-1);
  });
});
