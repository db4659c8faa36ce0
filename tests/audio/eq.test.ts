// The EQ against the Audio EQ Cookbook: steady sines through the rendered EQ, measured after
// the filters settle, compared with cookbook() + magnitudeDb() from src/dsp/biquad.ts. Within
// 0.001 dB: the runtime's biquads are the Cookbook's coefficients in double precision (the Web
// Audio engine's native filters were held to 0.1 dB).
import { describe, expect, it } from 'vitest';
import { cookbook, magnitudeDb, type BiquadType } from '../../src/dsp/biquad.ts';
import type { Operation } from '../../src/compiler/plan.ts';
import { edge, expectWithin, node, planOf, renderSession, session, toneDb } from '../helpers/audio.ts';

const SR = 48000;
const TONE_DB = -24; // each probe tone's level: six of them sum to under 0.4 peak
// Measure 0.1-0.3 s: the filters (time constants of a few ms) have settled, and 9600 samples hold
// a whole number of periods of every probe tone (all multiples of 5 Hz), so they do not leak
// into one another's measurement.
const START = 4800;
const WINDOW = 9600;
const SECONDS = 0.3;

// A type alias, not an interface: it must fit the `bands` param (a list of plain records).
type BandSpec = {
  type: BiquadType;
  frequency: number;
  q: number;
  gain?: number;
};

/** Render probe tones at `freqs` through an EQ with `bands`; the measured gain (dB) of each. */
async function measure(bands: BandSpec[], freqs: number[]): Promise<number[]> {
  const nodes = [...freqs.map((f, i) => node(`g${i}`, 'generator', { frequency: f, level: TONE_DB })), node('eq', 'eq', { bands }), node('m', 'master')];
  const edges = [...freqs.map((_, i) => edge(`g${i}`, 'eq')), edge('eq', 'm')];
  const r = await renderSession(session(nodes, edges), { seconds: SECONDS, sampleRate: SR });
  return freqs.map((f) => toneDb(r.left, f, SR, START, WINDOW) - TONE_DB);
}

const reference = (bands: BandSpec[], f: number) => bands.reduce((sum, b) => sum + magnitudeDb(cookbook(b.type, b.frequency, b.q, b.gain ?? 0, SR), f, SR), 0);

// f0/4, f0/2, f0, 2·f0, 4·f0, plus one near f0 (0.9·f0): for the notch the exact null is
// skipped (its -280 dB is numerical noise) and 0.9·f0 and 1.1·f0 probe the sides of the notch.
const CASES: BandSpec[] = [
  { type: 'highpass', frequency: 1000, q: 0.707 },
  { type: 'highpass', frequency: 200, q: 2 },
  { type: 'lowpass', frequency: 2000, q: 0.5 },
  { type: 'lowpass', frequency: 5000, q: 2 },
  { type: 'peaking', frequency: 1000, q: 0.707, gain: 6 },
  { type: 'peaking', frequency: 3000, q: 2, gain: -9 },
  { type: 'peaking', frequency: 300, q: 0.5, gain: 12 },
  { type: 'notch', frequency: 1000, q: 2 },
  { type: 'notch', frequency: 5000, q: 0.5 },
  { type: 'lowshelf', frequency: 500, q: 2, gain: 6 },
  { type: 'lowshelf', frequency: 200, q: 0.707, gain: -9 },
  { type: 'highshelf', frequency: 4000, q: 2, gain: 6 },
  { type: 'highshelf', frequency: 2000, q: 0.5, gain: -8 },
];

describe('EQ bands follow the Audio EQ Cookbook', () => {
  for (const band of CASES) {
    const f0 = band.frequency;
    const freqs = (band.type === 'notch' ? [f0 / 4, f0 / 2, 0.9 * f0, 1.1 * f0, 2 * f0, 4 * f0] : [f0 / 4, f0 / 2, 0.9 * f0, f0, 2 * f0, 4 * f0]).map(Math.round);
    it(`${band.type} ${f0} Hz q ${band.q}${band.gain ? ` ${band.gain} dB` : ''}: within 0.001 dB of the cookbook at ${freqs.join(', ')} Hz`, async () => {
      const measured = await measure([band], freqs);
      freqs.forEach((f, i) => {
        // Cookbook |H| at f (e.g. peaking at f0 = its gain, pass filters at f0 = 20·log10(q))
        expectWithin(measured[i], reference([band], f), 0.001, `${band.type} ${f0} Hz q ${band.q} at ${f} Hz (dB)`);
      });
    });
  }

  it('cookbook landmarks hold in the rendered EQ (peaking +6 dB at f0, pass filters 20·log10(q) at f0, shelves half gain at f0)', async () => {
    const [peak] = await measure([{ type: 'peaking', frequency: 1000, q: 2, gain: 6 }], [1000]);
    const [lp] = await measure([{ type: 'lowpass', frequency: 1000, q: 2 }], [1000]);
    const [shelf] = await measure([{ type: 'highshelf', frequency: 1000, q: 2, gain: 8 }], [1000]);
    // Cookbook peaking at f0: exactly its gain, +6 dB
    expectWithin(peak, 6, 0.001, 'peaking at f0 (dB)');
    // Cookbook low-pass at f0: |H| = q, 20·log10(2) = +6.02 dB
    expectWithin(lp, 20 * Math.log10(2), 0.001, 'lowpass q 2 at f0 (dB)');
    // Cookbook shelf at f0: half its gain, +4 dB
    expectWithin(shelf, 4, 0.001, 'highshelf +8 dB at f0 (dB)');
  });

  it('a multi-band EQ is the sum (in dB) of its bands', async () => {
    const bands: BandSpec[] = [
      { type: 'highpass', frequency: 80, q: 0.707 },
      { type: 'peaking', frequency: 1000, q: 1.5, gain: 6 },
      { type: 'lowshelf', frequency: 250, q: 0.707, gain: -4 },
      { type: 'highshelf', frequency: 6000, q: 2, gain: -6 },
      { type: 'notch', frequency: 3000, q: 4 },
    ];
    const freqs = [40, 150, 500, 1000, 2500, 8000];
    const measured = await measure(bands, freqs);
    freqs.forEach((f, i) => {
      // Cascaded biquads multiply, so their dB add: Σ cookbook |H_band(f)| in dB
      expectWithin(measured[i], reference(bands, f), 0.001, `multi-band at ${f} Hz (dB)`);
    });
  });
});

describe('EQ live edits', () => {
  // One band's gain changes at 0.16 s (frame 7680, between two blocks). The probe tone
  // sits at the band's centre, so before = old gain and after = new gain.
  async function liveEdit(type: BiquadType, frequency: number, probe: number, from: number, to: number) {
    const docWith = (gain: number) =>
      session(
        [node('g', 'generator', { frequency: probe, level: TONE_DB }), node('eq', 'eq', { bands: [{ type: 'highpass', frequency: 30, q: 0.707 }, { type, frequency, q: 1, gain }] }), node('m', 'master')],
        [edge('g', 'eq'), edge('eq', 'm')],
      );
    let ops: Operation[] = [];
    const r = await renderSession(docWith(from), { seconds: 0.4, edits: [{ at: 0.16, apply: (engine) => (ops = engine.update(planOf(docWith(to)))) }] });
    const band = (gain: number): BandSpec[] => [
      { type: 'highpass', frequency: 30, q: 0.707 },
      { type, frequency, q: 1, gain },
    ];
    return {
      ops,
      // 0.05-0.15 s and 0.2-0.4 s (the ramp or the crossfade is over by then)
      before: toneDb(r.left, probe, SR, 2400, 4800) - TONE_DB,
      after: toneDb(r.left, probe, SR, 9600, 9600) - TONE_DB,
      expectedBefore: reference(band(from), probe),
      expectedAfter: reference(band(to), probe),
    };
  }

  it('changing a peaking band gain takes effect, as exactly one "set" operation', async () => {
    const m = await liveEdit('peaking', 1000, 1000, 6, -6);
    // Cookbook peaking at f0: +6 dB before, -6 dB after (plus the 30 Hz high-pass's ~0 dB)
    expectWithin(m.before, m.expectedBefore, 0.001, 'before the edit (dB)');
    expectWithin(m.after, m.expectedAfter, 0.001, 'after the edit (dB)');
    expect(m.ops.map((o) => o.op)).toEqual(['set']);
    expect(m.ops[0]).toMatchObject({ op: 'set', id: 'eq', param: 'bands' });
  });

  it('changing a shelf gain (it glides like every band, Q and all) takes effect, as exactly one "set" operation', async () => {
    const m = await liveEdit('highshelf', 2000, 8000, 8, -4);
    // Cookbook high shelf well above f0: close to its gain, +8 dB before, -4 dB after
    expectWithin(m.before, m.expectedBefore, 0.001, 'before the edit (dB)');
    expectWithin(m.after, m.expectedAfter, 0.001, 'after the edit (dB)');
    expect(m.ops.map((o) => o.op)).toEqual(['set']);
  });
});
