// Delay, reverb and saturator, measured on impulses and sines.
import { describe, expect, it } from 'vitest';
import {
  bufferFrom,
  chain,
  edge,
  energy,
  expectBelow,
  expectWithin,
  firstNonZero,
  impulse,
  maxDiff,
  node,
  peak,
  renderSession,
  session,
  toneDb,
  type SourceMaker,
} from '../helpers/audio.ts';

const SR = 48000;

/** Sample indices and values of every |sample| > threshold. */
function nonZero(x: Float32Array, threshold = 0): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) > threshold) out.push([i, x[i]]);
  return out;
}

/** A stereo buffer with a different sine on each side. */
const stereoTones: SourceMaker = (sampleRate) =>
  bufferFrom(Math.round(0.3 * sampleRate), (i, c) => (c === 0 ? 0.5 * Math.sin((2 * Math.PI * 440 * i) / sampleRate) : 0.3 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate + 1)), 2);

// A track hard left plays a mono impulse at exactly 1.0 on the left only (pan gain cos 0 = 1).
const impulseTrack = (extra: Record<string, unknown> = {}) => node('t', 'track', { source: 'i', pan: -1, ...extra });

describe('delay', () => {
  it('feedback 0, mix 1: 250 ms at 48 kHz delays an impulse by exactly 12000 samples, on its own side', async () => {
    const doc = session([impulseTrack(), node('d', 'delay', { time: 250, feedback: 0, mix: 1 }), node('m', 'master')], chain(['t', 'd', 'm']));
    const r = await renderSession(doc, { seconds: 0.3, buffers: { i: impulse(0, 10) } });
    // 0.25 s × 48000 = 12000 samples; one sample, full height; nothing else
    expect(nonZero(r.left)).toEqual([[12000, 1]]);
    // The echo stays on the left, where the source is (a plain DelayNode here used to fold it to
    // the centre at half height: 0.5 left and 0.5 right)
    expect(nonZero(r.right)).toEqual([]);
  });

  it('feedback 0, mix 1: 10 ms at 44.1 kHz lands on sample 441', async () => {
    const doc = session([impulseTrack(), node('d', 'delay', { time: 10, feedback: 0, mix: 1 }), node('m', 'master')], chain(['t', 'd', 'm']));
    const r = await renderSession(doc, { seconds: 0.05, sampleRate: 44100, buffers: { i: impulse(0, 10) } });
    // 0.010 s × 44100 = 441 samples (441.00000000000006 in doubles: a whole number of samples, read
    // without interpolation). One sample, full height, nothing else: the Web Audio engine's float32
    // delayTime (440.99999 samples) leaked 1e-5 into sample 440, which the old tolerance allowed.
    expect(nonZero(r.left)).toEqual([[441, 1]]);
    expectBelow(Math.abs(r.left[440]) + Math.abs(r.left[442]), 3e-5, 'leak into the neighbouring samples');
  });

  // 62.5 ms is 3000 samples at 48 kHz: the echoes land on whole samples, with no interpolation.
  it('mix law: output = (1 - mix)·dry + mix·echo', async () => {
    for (const mix of [0.3, 0.75]) {
      const doc = session([impulseTrack(), node('d', 'delay', { time: 62.5, feedback: 0, mix }), node('m', 'master')], chain(['t', 'd', 'm']));
      const r = await renderSession(doc, { seconds: 0.1, buffers: { i: impulse(0, 10) } });
      // mix 0.3: the dry impulse at 0.7 on sample 0, the echo at 0.3 on sample 3000 (62.5 ms)
      const got = nonZero(r.left, 1e-6);
      expect(got.map(([i]) => i)).toEqual([0, 3000]);
      expectWithin(got[0][1], 1 - mix, 1e-6, `dry at mix ${mix}`);
      expectWithin(got[1][1], mix, 1e-6, `echo at mix ${mix}`);
    }
  });

  it('feedback: echo n arrives at n·time with feedback^(n-1) times the first echo', async () => {
    const feedback = 0.5;
    const doc = session([impulseTrack(), node('d', 'delay', { time: 62.5, feedback, mix: 1 }), node('m', 'master')], chain(['t', 'd', 'm']));
    const r = await renderSession(doc, { seconds: 0.26, buffers: { i: impulse(0, 10) } });
    // Echoes at 3000, 6000, 9000, 12000 samples; each 0.5 of the one before (-6.02 dB)
    const first = r.left[3000];
    expectWithin(first, 1, 1e-6, 'first echo');
    for (const n of [2, 3, 4]) expectWithin(r.left[n * 3000] / first, feedback ** (n - 1), 1e-6, `echo ${n} / echo 1`);
    // Nothing between the echoes
    expect(nonZero(r.left, 1e-6).map(([i]) => i)).toEqual([3000, 6000, 9000, 12000]);
    // Recirculated echoes keep their side too
    expectBelow(peak(r.right), 1e-6, 'right channel peak');
  });

  it('a feedback loop through a delay node (bus -> delay -> gain -> bus) sounds', async () => {
    // The validator allows loops through a delay; the runtime runs the loop in sub-blocks no longer
    // than the delay (at mix 1 the delay's dry path is silent, so 50 ms sub-blocks here).
    const doc = session(
      [node('t', 'track', { source: 'i' }), node('b', 'bus'), node('d', 'delay', { time: 50, feedback: 0, mix: 1 }), node('g', 'gain', { gain: -6.0206 }), node('m', 'master')],
      [edge('t', 'b'), edge('b', 'd'), edge('d', 'g'), edge('g', 'b'), edge('b', 'm')],
    );
    const r = await renderSession(doc, { seconds: 0.2, buffers: { i: impulse(0, 10) } });
    const got = nonZero(r.left, 1e-4);
    // The impulse (0.707 at centre), then each trip round the loop: 50 ms later and half as loud
    expect(got.map(([i]) => i)).toEqual([0, 2400, 4800, 7200]);
    got.forEach(([, v], n) => expectWithin(v, Math.SQRT1_2 * 0.5 ** n, 1e-4, `loop pass ${n}`));
  });
});

describe('reverb', () => {
  it('mix 0 is the dry signal exactly', async () => {
    const doc = session([node('t', 'track', { source: 's' }), node('rv', 'reverb', { mix: 0, decay: 1 }), node('m', 'master')], chain(['t', 'rv', 'm']));
    const plain = session([node('t', 'track', { source: 's' }), node('m', 'master')], chain(['t', 'm']));
    const r = await renderSession(doc, { seconds: 0.3, buffers: { s: stereoTones } });
    const d = await renderSession(plain, { seconds: 0.3, buffers: { s: stereoTones } });
    // (1 - 0)·dry + 0·wet: bit for bit
    expect(maxDiff(r.left, d.left)).toBe(0);
    expect(maxDiff(r.right, d.right)).toBe(0);
  });

  for (const decay of [0.5, 1]) {
    it(`mix 1, decay ${decay} s: an impulse's tail falls 60 dB in ${decay} s`, async () => {
      const doc = session([impulseTrack(), node('rv', 'reverb', { mix: 1, decay, predelay: 0 }), node('m', 'master')], chain(['t', 'rv', 'm']));
      const r = await renderSession(doc, { seconds: decay + 0.05, buffers: { i: impulse(0, 10) } });
      // Energy envelope in 50 ms windows; the slope between windows at 10% and 80% of the decay
      const w = 0.05 * SR;
      const level = (t: number) => 10 * Math.log10(energy(r.left, Math.round(t * SR), Math.round(t * SR) + w) / w);
      const [t1, t2] = [0.1 * decay, 0.8 * decay];
      const dbPerDecay = ((level(t2) - level(t1)) / (t2 - t1)) * decay;
      // RT60: -60 dB per `decay` seconds (the IR's envelope is exp(ln(10^-3)·t/decay))
      expectWithin(dbPerDecay, -60, 3, `decay slope, dB per ${decay} s`);
      // A second pair of windows agrees (the decay is exponential: a straight line in dB)
      const [t3, t4] = [0.3 * decay, 0.6 * decay];
      expectWithin(((level(t4) - level(t3)) / (t4 - t3)) * decay, -60, 3, `decay slope (second pair), dB per ${decay} s`);
      // Unit-energy IR: the tail of a unit impulse carries 0 dB of energy
      expectWithin(10 * Math.log10(energy(r.left)), 0, 0.1, 'tail energy (dB)');
    });
  }

  it('predelay: nothing wet before the predelay, the tail starts there, on the source side', async () => {
    for (const predelay of [20, 50]) {
      const doc = session([impulseTrack(), node('rv', 'reverb', { mix: 1, decay: 0.3, predelay }), node('m', 'master')], chain(['t', 'rv', 'm']));
      const r = await renderSession(doc, { seconds: 0.2, buffers: { i: impulse(0, 10) } });
      const at = Math.round((predelay / 1000) * SR); // 960 and 2400 samples
      // Nothing at all before the tail (the partitioned convolver adds no rounding noise ahead of its
      // input; the Web Audio convolver's FFT left ~1e-9 there, so this counted from -120 dB).
      // The IR's 2 ms fade-in starts at exactly 0, so its first non-zero sample is the next one.
      const first = firstNonZero(r.left, 0);
      expect(first).toBeGreaterThanOrEqual(at);
      expect(first).toBeLessThanOrEqual(at + 1);
      expectBelow(peak(r.left, 0, at), 1e-6, `wet before ${predelay} ms`);
      // A hard-left source's reverb stays left at full energy (the predelay used to fold it to the centre, -6 dB each side)
      expectWithin(10 * Math.log10(energy(r.left)), 0, 0.1, 'left tail energy (dB)');
      expectBelow(peak(r.right), 1e-6, 'right channel peak');
    }
  });
});

describe('saturator', () => {
  for (const drive of [0, 6, 12, 24]) {
    it(`drive ${drive} dB: a -60 dBFS sine gains ${drive} dB; a 0 dBFS sine peaks at or below 1`, async () => {
      // Two saturators in one render, kept apart by hard panning (and frequency): a -60 dBFS 1 kHz sine
      // on the left, a 0 dBFS 1.5 kHz one on the right
      const doc = session(
        [
          node('small', 'generator', { level: -60 }),
          node('s1', 'saturator', { drive }),
          node('left', 'pan', { pan: -1 }),
          node('loud', 'generator', { level: 0, frequency: 1500 }),
          node('s2', 'saturator', { drive }),
          node('right', 'pan', { pan: 1 }),
          node('m', 'master'),
        ],
        [...chain(['small', 's1', 'left', 'm']), ...chain(['loud', 's2', 'right', 'm'])],
      );
      const r = await renderSession(doc, { seconds: 0.2 });
      // tanh(g·x) ≈ g·x for small x: the gain is the drive (the tabulated curve's chord costs < 0.02 dB)
      expectWithin(toneDb(r.left, 1000, SR, 0, 9600) + 60, drive, 0.05, `small-signal gain at drive ${drive} (dB)`);
      // tanh never exceeds 1: peak = tanh(10^(drive/20)), e.g. 0.964 at 6 dB
      expect(peak(r.right)).toBeLessThanOrEqual(1);
      expectWithin(peak(r.right), Math.tanh(10 ** (drive / 20)), 1e-4, `full-scale peak at drive ${drive}`);
    });
  }

  it('a +12 dBFS input (4.0 peak) is still held to 1', async () => {
    const doc = session([node('g', 'generator', { level: 0 }), node('x', 'gain', { gain: 12 }), node('s', 'saturator', { drive: 6 }), node('m', 'master')], chain(['g', 'x', 's', 'm']));
    const r = await renderSession(doc, { seconds: 0.1 });
    // tanh(2 × 3.98) = 0.99999977 ≤ 1
    expect(peak(r.left)).toBeLessThanOrEqual(1);
    expect(peak(r.left)).toBeGreaterThan(0.9999);
  });

  it('mix 0 is the dry signal exactly', async () => {
    const doc = session([node('t', 'track', { source: 's' }), node('sat', 'saturator', { drive: 24, mix: 0 }), node('m', 'master')], chain(['t', 'sat', 'm']));
    const plain = session([node('t', 'track', { source: 's' }), node('m', 'master')], chain(['t', 'm']));
    const r = await renderSession(doc, { seconds: 0.2, buffers: { s: stereoTones } });
    const d = await renderSession(plain, { seconds: 0.2, buffers: { s: stereoTones } });
    // (1 - 0)·dry + 0·wet: bit for bit
    expect(maxDiff(r.left, d.left)).toBe(0);
    expect(maxDiff(r.right, d.right)).toBe(0);
  });
});
