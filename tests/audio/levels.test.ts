// Levels, pan law, routing, mute/solo, polarity and track timing, measured on real renders.
import { describe, expect, it } from 'vitest';
import {
  bufferFrom,
  chain,
  edge,
  expectBelow,
  expectWithin,
  firstNonZero,
  impulse,
  maxDiff,
  node,
  peak,
  peakDb,
  planOf,
  renderSession,
  session,
  sine,
  toneDb,
  type SourceMaker,
} from '../helpers/audio.ts';

const SR = 48000;
const WINDOW = 9600; // 0.2 s at 48 kHz: a whole number of periods of every tone used here (multiples of 5 Hz)
const PAN_CENTRE_DB = 20 * Math.log10(Math.SQRT1_2); // -3.0103 dB

/** A stereo buffer with a different sine on each side (so left and right can be told apart). */
const stereoTones = (fl: number, al: number, fr: number, ar: number, seconds: number): SourceMaker => (sampleRate) =>
  bufferFrom(Math.round(seconds * sampleRate), (i, c) => (c === 0 ? al * Math.sin((2 * Math.PI * fl * i) / sampleRate) : ar * Math.sin((2 * Math.PI * fr * i) / sampleRate + 0.7)), 2);

/** The same signal as `stereoTones`, computed here as float32, to compare against. */
function expectedStereo(fl: number, al: number, fr: number, ar: number, length: number): [Float32Array, Float32Array] {
  const l = new Float32Array(length);
  const r = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    l[i] = Math.fround(al * Math.sin((2 * Math.PI * fl * i) / SR));
    r[i] = Math.fround(ar * Math.sin((2 * Math.PI * fr * i) / SR + 0.7));
  }
  return [l, r];
}

describe('gain', () => {
  it('gain node at -6 dB scales a 0 dBFS sine to 0.501', async () => {
    const doc = session([node('g', 'generator', { level: 0, frequency: 1000 }), node('x', 'gain', { gain: -6 }), node('m', 'master')], chain(['g', 'x', 'm']));
    const r = await renderSession(doc, { seconds: 0.2 });
    // 10^(-6/20) = 0.50119: the generator's peak of 1 becomes -6.00 dB
    expectWithin(toneDb(r.left, 1000, SR, 0, WINDOW), -6, 0.01, 'gain node tone (dB)');
    expectWithin(peak(r.left), 0.50119, 0.0006, 'gain node peak');
    expectWithin(toneDb(r.right, 1000, SR, 0, WINDOW), -6, 0.01, 'gain node tone, right (dB)');
  });

  it('track gain at -6 dB', async () => {
    const doc = session([node('t', 'track', { source: 's', gain: -6, pan: -1 }), node('m', 'master')], chain(['t', 'm']));
    const r = await renderSession(doc, { seconds: 0.2, buffers: { s: sine(1000, 0.5, 0.2) } });
    // 0.5 peak (-6.02 dBFS) hard left (pan gain 1) with -6 dB of fader: -12.02 dBFS
    expectWithin(toneDb(r.left, 1000, SR, 0, WINDOW), 20 * Math.log10(0.5) - 6, 0.01, 'track gain tone (dB)');
  });

  it('master gain at -6 dB', async () => {
    const doc = session([node('g', 'generator', { level: 0, frequency: 1000 }), node('m', 'master', { gain: -6 })], chain(['g', 'm']));
    const r = await renderSession(doc, { seconds: 0.2 });
    // 0 dBFS in, master fader -6 dB: -6.00 dBFS out
    expectWithin(toneDb(r.left, 1000, SR, 0, WINDOW), -6, 0.01, 'master gain tone (dB)');
  });
});

describe('pan law (equal power)', () => {
  const cases: [number, number, number][] = [
    // pan, expected left dB, expected right dB: cos and sin of (pan + 1)·π/4
    [0, PAN_CENTRE_DB, PAN_CENTRE_DB],
    [0.5, 20 * Math.log10(Math.cos((3 * Math.PI) / 8)), 20 * Math.log10(Math.sin((3 * Math.PI) / 8))],
    [-0.5, 20 * Math.log10(Math.sin((3 * Math.PI) / 8)), 20 * Math.log10(Math.cos((3 * Math.PI) / 8))],
  ];

  // One render per position: a track with a 1 kHz sine and, beside it, a generator at 1.5 kHz
  // through a pan node; both reach the master and each tone is measured on its own.
  const panned = (pan: number) =>
    renderSession(
      session([node('t', 'track', { source: 's', pan }), node('g', 'generator', { level: 0, frequency: 1500 }), node('p', 'pan', { pan }), node('m', 'master')], [
        edge('t', 'm'),
        edge('g', 'p'),
        edge('p', 'm'),
      ]),
      { seconds: 0.2, buffers: { s: sine(1000, 1, 0.2) } },
    );

  for (const [pan, leftDb, rightDb] of cases) {
    it(`pan ${pan} (track pan, and a pan node on a mono source): left ${leftDb.toFixed(2)} dB, right ${rightDb.toFixed(2)} dB`, async () => {
      const r = await panned(pan);
      // Mono 0 dBFS sines; centre is -3.01 dB each side, and L² + R² stays 1 at every position
      expectWithin(toneDb(r.left, 1000, SR, 0, WINDOW), leftDb, 0.05, `track pan ${pan}, left (dB)`);
      expectWithin(toneDb(r.right, 1000, SR, 0, WINDOW), rightDb, 0.05, `track pan ${pan}, right (dB)`);
      // The generator is mono, so the pan node applies the same equal-power law as a track
      expectWithin(toneDb(r.left, 1500, SR, 0, WINDOW), leftDb, 0.05, `pan node ${pan}, left (dB)`);
      expectWithin(toneDb(r.right, 1500, SR, 0, WINDOW), rightDb, 0.05, `pan node ${pan}, right (dB)`);
    });
  }

  it('hard left / hard right: 0 dB on that side, silence on the other (track and pan node)', async () => {
    for (const pan of [-1, 1]) {
      const r = await panned(pan);
      const [near, far] = pan < 0 ? [r.left, r.right] : [r.right, r.left];
      for (const f of [1000, 1500]) {
        // Full level on the near side (cos 0 = 1): 0 dB
        expectWithin(toneDb(near, f, SR, 0, WINDOW), 0, 0.05, `pan ${pan}, ${f === 1000 ? 'track' : 'pan node'}, near side (dB)`);
      }
      // cos(π/2) is 6e-17: nothing audible on the far side
      expectBelow(peakDb(far), -120, `pan ${pan} far side peak (dBFS)`);
    }
  });

  it('a stereo source at centre passes left and right unchanged (track pan and pan node)', async () => {
    const buffers = { s: stereoTones(1000, 0.5, 300, 0.25, 0.2) };
    const [l, r] = expectedStereo(1000, 0.5, 300, 0.25, WINDOW);
    const viaTrack = await renderSession(session([node('t', 'track', { source: 's' }), node('m', 'master')], chain(['t', 'm'])), { seconds: 0.2, buffers });
    const viaPan = await renderSession(session([node('t', 'track', { source: 's' }), node('p', 'pan', { pan: 0 }), node('m', 'master')], chain(['t', 'p', 'm'])), { seconds: 0.2, buffers });
    for (const out of [viaTrack, viaPan]) {
      // Balance law: at centre a stereo signal is not touched (no -3 dB), sample for sample
      expect(maxDiff(out.left, l), 'left difference').toBe(0);
      expect(maxDiff(out.right, r), 'right difference').toBe(0);
    }
  });
});

describe('pan law (balance, stereo sources)', () => {
  // Left 1 kHz at 0.5, right 300 Hz at 0.25. The spec's balance law, x = pan·π/2 for pan > 0 and
  // (pan + 1)·π/2 for pan <= 0: right of centre L·cos x stays left and L·sin x joins the right;
  // left of centre R·cos x joins the left and R·sin x stays right.
  const buffers = { s: stereoTones(1000, 0.5, 300, 0.25, 0.2) };
  const dB = (a: number) => 20 * Math.log10(a);
  const c = Math.SQRT1_2; // cos and sin of π/4
  const cases: { pan: number; left: [number, number]; right: [number, number] }[] = [
    // [amplitude of 1 kHz, amplitude of 300 Hz] on each side
    { pan: 0.5, left: [0.5 * c, 0], right: [0.5 * c, 0.25] },
    { pan: -0.5, left: [0.5, 0.25 * c], right: [0, 0.25 * c] },
  ];
  for (const { pan, left, right } of cases) {
    it(`pan ${pan}: track pan and pan node move a stereo source by the balance law`, async () => {
      const viaTrack = await renderSession(session([node('t', 'track', { source: 's', pan }), node('m', 'master')], chain(['t', 'm'])), { seconds: 0.2, buffers });
      const viaPan = await renderSession(session([node('t', 'track', { source: 's' }), node('p', 'pan', { pan }), node('m', 'master')], chain(['t', 'p', 'm'])), { seconds: 0.2, buffers });
      for (const [name, out] of [['track', viaTrack], ['pan node', viaPan]] as const) {
        for (const [side, signal, want] of [['left', out.left, left], ['right', out.right, right]] as const) {
          for (const [i, f] of [1000, 300].entries()) {
            if (want[i] === 0) expectBelow(toneDb(signal, f, SR, 0, WINDOW), -100, `${name} ${pan}: ${f} Hz on the ${side} (dB)`);
            else expectWithin(toneDb(signal, f, SR, 0, WINDOW), dB(want[i]), 0.05, `${name} ${pan}: ${f} Hz on the ${side} (dB)`);
          }
        }
      }
    });
  }
});

describe('bus and send', () => {
  const a = { fl: 440, al: 0.3, fr: 660, ar: 0.2 };
  const b = { fl: 1000, al: 0.25, fr: 1500, ar: 0.35 };
  const buffers = { a: stereoTones(a.fl, a.al, a.fr, a.ar, 0.2), b: stereoTones(b.fl, b.al, b.fr, b.ar, 0.2) };
  const [al, ar] = expectedStereo(a.fl, a.al, a.fr, a.ar, WINDOW);
  const [bl, br] = expectedStereo(b.fl, b.al, b.fr, b.ar, WINDOW);

  for (const gain of [0, -6]) {
    it(`a bus at ${gain} dB outputs the sample-wise sum of its inputs times ${10 ** (gain / 20)}`, async () => {
      const doc = session([node('a', 'track', { source: 'a' }), node('b', 'track', { source: 'b' }), node('bus', 'bus', { gain }), node('m', 'master')], [
        edge('a', 'bus'),
        edge('b', 'bus'),
        edge('bus', 'm'),
      ]);
      const r = await renderSession(doc, { seconds: 0.2, buffers });
      const g = 10 ** (gain / 20);
      const sumL = al.map((v, i) => g * (v + bl[i]));
      const sumR = ar.map((v, i) => g * (v + br[i]));
      // The runtime sums every connection into an input: out = g·(a + b), sample by sample
      expectBelow(maxDiff(r.left, sumL), 1e-6, 'left difference from the sum');
      expectBelow(maxDiff(r.right, sumR), 1e-6, 'right difference from the sum');
    });
  }

  it('send: "out" is the input exactly', async () => {
    const doc = session([node('a', 'track', { source: 'a' }), node('s', 'send', { level: -12 }), node('m', 'master')], [edge('a', 's'), edge('s.out', 'm')]);
    const r = await renderSession(doc, { seconds: 0.2, buffers });
    // The input is what the track puts out (its centred balance panner rounds at 3e-8, so render it)
    const input = await renderSession(session([node('a', 'track', { source: 'a' }), node('m', 'master')], [edge('a', 'm')]), { seconds: 0.2, buffers });
    // "out" passes the signal on unchanged: bit for bit
    expect(maxDiff(r.left, input.left)).toBe(0);
    expect(maxDiff(r.right, input.right)).toBe(0);
  });

  it('send: "send" carries the input at the send level', async () => {
    for (const level of [-12, 6]) {
      const doc = session([node('a', 'track', { source: 'a' }), node('s', 'send', { level }), node('m', 'master')], [edge('a', 's'), edge('s.send', 'm')]);
      const r = await renderSession(doc, { seconds: 0.2, buffers });
      // The send port is the input times 10^(level/20): level dB relative to the input's tones
      expectWithin(toneDb(r.left, a.fl, SR, 0, WINDOW) - 20 * Math.log10(a.al), level, 0.01, `send ${level} dB, left (dB)`);
      expectWithin(toneDb(r.right, a.fr, SR, 0, WINDOW) - 20 * Math.log10(a.ar), level, 0.01, `send ${level} dB, right (dB)`);
      const g = 10 ** (level / 20);
      expectBelow(maxDiff(r.left, al.map((v) => v * g)), 1e-6, 'send left difference');
    }
  });
});

describe('mute, solo and polarity', () => {
  const tones = [500, 1000, 2000];
  const buffers = { t500: sine(500, 0.5, 0.4), t1000: sine(1000, 0.5, 0.4), t2000: sine(2000, 0.5, 0.4) };
  const toneLevel = 20 * Math.log10(0.5) + PAN_CENTRE_DB; // -9.03 dB: a 0.5 sine at centre
  const trio = (extra: Record<string, Record<string, unknown>>) =>
    session(
      [...tones.map((f) => node(`t${f}`, 'track', { source: `t${f}`, ...(extra[`t${f}`] ?? {}) })), node('m', 'master')],
      tones.map((f) => edge(`t${f}`, 'm')),
    );

  it('a muted track is silent, the others play', async () => {
    const r = await renderSession(trio({ t1000: { mute: true } }), { seconds: 0.2, buffers });
    // The 500 and 2000 Hz tracks at -9.03 dB (0.5 peak at centre); the muted 1 kHz one below -120 dB
    expectWithin(toneDb(r.left, 500, SR, 0, WINDOW), toneLevel, 0.05, '500 Hz track (dB)');
    expectWithin(toneDb(r.left, 2000, SR, 0, WINDOW), toneLevel, 0.05, '2000 Hz track (dB)');
    expectBelow(toneDb(r.left, 1000, SR, 0, WINDOW), -120, 'muted 1 kHz track (dB)');
  });

  it('with one track soloed only it sounds; unsoloing (a live edit) restores the others', async () => {
    const soloed = trio({ t2000: { solo: true } });
    const unsoloed = trio({});
    let ops: { op: string }[] = [];
    // Edit at 0.16 s (frame 7680, between two blocks); measure 0-0.16 s and 0.2-0.4 s
    const r = await renderSession(soloed, { seconds: 0.4, buffers, edits: [{ at: 0.16, apply: (engine) => (ops = engine.update(planOf(unsoloed))) }] });
    const before = 7680;
    // Soloed: only the 2 kHz track, at -9.03 dB; the others below -120 dB
    expectWithin(toneDb(r.left, 2000, SR, 0, before), toneLevel, 0.05, 'soloed 2 kHz (dB)');
    expectBelow(toneDb(r.left, 500, SR, 0, before), -120, '500 Hz while another is soloed (dB)');
    expectBelow(toneDb(r.left, 1000, SR, 0, before), -120, '1 kHz while another is soloed (dB)');
    // Unsoloed: all three back at -9.03 dB (after the 5 ms ramp)
    for (const f of tones) expectWithin(toneDb(r.left, f, SR, 9600, WINDOW), toneLevel, 0.05, `${f} Hz after unsolo (dB)`);
    // Unsolo is two parameter sets (the other tracks' resolved mute), no rebuild
    expect(ops.every((o) => o.op === 'set')).toBe(true);
  });

  it('a track and its polarity-inverted copy cancel on a bus', async () => {
    const doc = session([node('a', 'track', { source: 's' }), node('b', 'track', { source: 's', invert: true }), node('bus', 'bus'), node('m', 'master')], [
      edge('a', 'bus'),
      edge('b', 'bus'),
      edge('bus', 'm'),
    ]);
    const r = await renderSession(doc, { seconds: 0.2, buffers: { s: stereoTones(440, 0.8, 1000, 0.6, 0.2) } });
    // x + (-x) = 0 exactly in floating point
    expectBelow(peakDb(r.left), -120, 'left peak (dBFS)');
    expectBelow(peakDb(r.right), -120, 'right peak (dBFS)');
    // ...and the inverted copy alone is the source, negated
    const inv = await renderSession(session([node('b', 'track', { source: 's', invert: true }), node('m', 'master')], chain(['b', 'm'])), {
      seconds: 0.2,
      buffers: { s: stereoTones(440, 0.8, 1000, 0.6, 0.2) },
    });
    const [l] = expectedStereo(440, 0.8, 1000, 0.6, WINDOW);
    expectBelow(maxDiff(inv.left, l.map((v) => -v)), 1e-6, 'inverted track vs -source');
  });
});

describe('track offset, to the sample', () => {
  // The one non-zero sample, its value, and the next non-zero one (-1: none). Offsets are whole
  // frames, so nothing leaks into the neighbours (node-web-audio-api's playhead leaked ~3e-12 into
  // the next sample on a negative offset, so this counted from -180 dBFS).
  const onlySample = (x: Float32Array) => {
    const at = firstNonZero(x, 0);
    return { at, value: x[at], next: firstNonZero(x, 0, at + 1) };
  };

  it('+10 ms at 48 kHz puts an impulse at sample 0 on sample 480', async () => {
    const doc = session([node('t', 'track', { source: 'i', offset: 10, pan: -1 }), node('m', 'master')], chain(['t', 'm']));
    const r = await renderSession(doc, { seconds: 0.05, buffers: { i: impulse(0, 100) } });
    // 0.010 s × 48000 = 480 samples later, one sample, full height
    expect(onlySample(r.left)).toEqual({ at: 480, value: 1, next: -1 });
  });

  it('+10 ms at 44.1 kHz: sample 441; +10.01 ms at 48 kHz rounds to sample 480', async () => {
    const a = await renderSession(session([node('t', 'track', { source: 'i', offset: 10, pan: -1 }), node('m', 'master')], chain(['t', 'm'])), {
      seconds: 0.05,
      sampleRate: 44100,
      buffers: { i: impulse(0, 100) },
    });
    // 0.010 s × 44100 = 441 samples
    expect(onlySample(a.left)).toEqual({ at: 441, value: 1, next: -1 });
    const b = await renderSession(session([node('t', 'track', { source: 'i', offset: 10.01, pan: -1 }), node('m', 'master')], chain(['t', 'm'])), {
      seconds: 0.05,
      buffers: { i: impulse(0, 100) },
    });
    // 480.48 samples is rounded to a whole 480: no sub-sample smear
    expect(onlySample(b.left)).toEqual({ at: 480, value: 1, next: -1 });
  });

  it('-10 ms skips the first 480 samples: an impulse at 600 plays at 120', async () => {
    const doc = session([node('t', 'track', { source: 'i', offset: -10, pan: -1 }), node('m', 'master')], chain(['t', 'm']));
    const r = await renderSession(doc, { seconds: 0.05, buffers: { i: impulse(600, 1000) } });
    // 600 - 480 = 120
    expect(onlySample(r.left)).toEqual({ at: 120, value: 1, next: -1 });
  });
});
