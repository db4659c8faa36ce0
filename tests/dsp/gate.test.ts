// The gate core against its stated curve and timings (src/dsp/gate.ts). The test signals are
// "flat squares": every sample has the same magnitude, so the peak detector sits exactly on that
// level and the gain, out/in sample by sample, reads the curve itself with no ripple.
import { describe, expect, it } from 'vitest';
import { GATE_DEFAULTS, GATE_DETECTOR_TAU, gateCurve, GateCore, type GateSettings } from '../../src/dsp/gate.ts';
import { expectWithin } from '../helpers/audio.ts';

const SR = 48000;
const ms = (t: number) => Math.round((t / 1000) * SR);
const db = (x: number) => 20 * Math.log10(x);

/** A square wave of 1 kHz whose every sample has magnitude 10^(level/20) (silence for -Infinity). */
function flat(levelDb: number, frames: number, into = new Float32Array(frames), at = 0): Float32Array {
  const a = levelDb === -Infinity ? 0 : Math.pow(10, levelDb / 20);
  for (let i = 0; i < frames; i++) into[at + i] = Math.floor((at + i) / 24) % 2 === 0 ? a : -a;
  return into;
}

function run(s: GateSettings, input: Float32Array, key = input, block = 128): { out: Float32Array; gain: Float64Array; core: GateCore } {
  const core = new GateCore(SR);
  core.configure(s, true);
  const out = new Float32Array(input.length);
  for (let at = 0; at < input.length; at += block) {
    const n = Math.min(block, input.length - at);
    core.process(input.subarray(at, at + n), undefined, key.subarray(at, at + n), undefined, out.subarray(at, at + n), undefined, n);
  }
  const gain = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) gain[i] = input[i] === 0 ? NaN : db(Math.abs(out[i] / input[i]));
  return { out, gain, core };
}

/** First index >= from where pred(gain) holds. */
const when = (gain: Float64Array, from: number, pred: (g: number) => boolean) => {
  for (let i = from; i < gain.length; i++) if (pred(gain[i])) return i;
  return -1;
};

describe('gate: static curve (gain of a closed gate for a steady key)', () => {
  // Settled gains, read on the last sample of 0.5 s: exact up to exp2's 3e-9 dB.
  const cases: [Partial<GateSettings>, number, number][] = [
    [{ ratio: 2, range: 30 }, -30, 0], // above the threshold: open
    [{ ratio: 2, range: 30 }, -50, -10], // 10 dB under at 1:2: 10 dB down
    [{ ratio: 2, range: 30 }, -60, -20],
    [{ ratio: 2, range: 30 }, -80, -30], // capped at the range
    [{ ratio: 4, range: 60 }, -45, -15], // 5 dB under at 1:4: 15 dB down
    [{ ratio: 100, range: 60 }, -41, -60], // a gate: 1 dB under is closed
    [{ ratio: 20, range: 25 }, -Infinity, -25], // silence at the key: exactly the range
  ];
  for (const [over, level, expected] of cases) {
    it(`T -40, ratio ${over.ratio}, range ${over.range}: key at ${level} dB -> ${expected} dB`, () => {
      const s = { ...GATE_DEFAULTS, threshold: -40, hysteresis: 0, attack: 0.05, release: 1, ...over };
      const input = flat(-6, ms(500));
      const key = flat(level, ms(500));
      const { out } = run(s, input, key);
      const g = db(Math.abs(out[out.length - 1] / input[input.length - 1]));
      expectWithin(g, expected, 1e-6, 'gain (dB)');
      expect(gateCurve(level, s)).toBeCloseTo(expected, 9);
    });
  }
});

describe('gate: hysteresis', () => {
  it('opens at the threshold, stays open down to threshold - hysteresis, closes under it', () => {
    const s = { ...GATE_DEFAULTS, threshold: -40, hysteresis: 6, ratio: 100, range: 60, attack: 0.05, hold: 0, release: 1 };
    const key = new Float32Array(ms(800));
    flat(-42, ms(200), key, 0); // under the threshold, above the closing level: a closed gate stays closed
    flat(-39, ms(200), key, ms(200)); // opens
    flat(-45, ms(200), key, ms(400)); // under the threshold by 5 (< 6): stays open
    flat(-47, ms(200), key, ms(600)); // 7 under: closes
    const input = flat(-6, key.length);
    const { gain } = run(s, input, key);
    expectWithin(gain[ms(199)], -60, 1e-6, 'closed at -42 (it never opened)');
    expectWithin(gain[ms(399)], 0, 1e-6, 'open at -39');
    expectWithin(gain[ms(599)], 0, 1e-6, 'still open at -45 (hysteresis 6)');
    expectWithin(gain[ms(799)], -60, 1e-6, 'closed at -47');
  });
});

describe('gate: attack, hold and release timings', () => {
  // Key at -20 dBFS from 100 to 300 ms; the input a steady -6 dBFS, so the gain is visible throughout.
  const s: GateSettings = { ...GATE_DEFAULTS, threshold: -40, hysteresis: 4, range: 60, ratio: 100, attack: 2, hold: 20, release: 50 };
  const key = new Float32Array(ms(600));
  flat(-20, ms(200), key, ms(100));
  const input = flat(-6, key.length);
  const { gain } = run(s, input, key);
  const t0 = ms(100);
  const t1 = ms(300);
  // The detector falls from -20 to the closing level (-44) at 8.69 dB per τ = 10 ms: 27.63 ms.
  const fall = GATE_DETECTOR_TAU * 1000 * Math.log(Math.pow(10, 24 / 20));

  it('opens in a straight line of dB: -30 dB (halfway) at 1 ms, fully open at 2 ms (the attack)', () => {
    expectWithin(gain[t0 - 1], -60, 1e-6, 'closed before the key');
    const half = when(gain, t0, (g) => g >= -30);
    const open = when(gain, t0, (g) => g >= -1e-5);
    expectWithin((half - t0) / SR * 1000, 1, 1 / 48, 'time to -30 dB (ms)');
    expectWithin((open - t0) / SR * 1000, 2, 1 / 48, 'time to fully open (ms)');
  });

  it('stays open for the detector fall (27.6 ms) plus the hold (20 ms), then closes in 50 ms (the release)', () => {
    expect(fall).toBeCloseTo(27.63, 2);
    const closing = when(gain, t1, (g) => g < -1e-5);
    const half = when(gain, t1, (g) => g <= -30);
    const closed = when(gain, t1, (g) => g <= -60 + 1e-5); // float32 output: within 1e-5 dB
    expectWithin((closing - t1) / SR * 1000, fall + 20, 0.05, 'open after the key stops (ms)');
    expectWithin((half - closing) / SR * 1000, 25, 1.5 / 48, 'time to -30 dB (ms)');
    // ±1.5 samples: `closing` is the ramp's first step, so the count is one sample short
    expectWithin((closed - closing) / SR * 1000, 50, 1.5 / 48, 'time to fully closed (ms)');
    expectWithin(gain[gain.length - 1], -60, 1e-6, 'closed: the range');
  });

  it('gives the same samples however the frames are split into calls', () => {
    const a = run(s, input, key, 128).out;
    for (const block of [1, 37, 1000]) {
      const b = run(s, input, key, block).out;
      expect(b).toEqual(a);
    }
  });
});

describe('gate: the key filter', () => {
  const base: GateSettings = { ...GATE_DEFAULTS, threshold: -40, hysteresis: 0, ratio: 100, range: 60, attack: 0.05, release: 1, hold: 0 };
  const tone = (f: number, levelDb: number, frames: number) => {
    const a = Math.pow(10, levelDb / 20);
    return Float32Array.from({ length: frames }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / SR));
  };
  const settled = (s: GateSettings, key: Float32Array) => {
    const input = flat(-6, key.length);
    const { gain } = run(s, input, key);
    return gain[gain.length - 1];
  };

  it('a hi-hat at 8 kHz, 10 dB over the threshold, opens it; with the key low-pass at 1 kHz (-36 dB there) it stays closed', () => {
    const hat = tone(8000, -30, ms(300));
    expectWithin(settled(base, hat), 0, 1e-6, 'unfiltered: open');
    expectWithin(settled({ ...base, keyLowpass: 1000 }, hat), -60, 1e-6, 'low-passed key: closed');
  });

  it('a 50 Hz hum 10 dB over opens it; with the key high-pass at 500 Hz (-40 dB there) it stays closed', () => {
    const hum = tone(50, -30, ms(500));
    expectWithin(settled({ ...base, hold: 20 }, hum), 0, 1e-6, 'unfiltered: open');
    expectWithin(settled({ ...base, keyHighpass: 500 }, hum), -60, 1e-6, 'high-passed key: closed');
  });
});
