// The compressor's static curve, sidechain and timing, measured on rendered sines.
// Several compressors can share one render: each has its own generator at its own frequency,
// all multiples of 5 Hz, so each output tone is measured alone (whole periods in the window).
import { describe, expect, it } from 'vitest';
import { staticCurve } from '../../src/dsp/compressor.ts';
import { edge, expectBelow, expectWithin, node, renderSession, session, sine, toneDb } from '../helpers/audio.ts';
import type { DocEdge, DocNode } from '../../src/model/document.ts';

const SR = 48000;

interface Case {
  level: number; // peak of the input sine, dBFS
  threshold: number;
  ratio: number;
  knee: number;
  makeup: number;
  frequency: number;
}

/** One render, one generator -> compressor chain per case; the settled output level of each (dBFS). */
async function settled(cases: Case[]): Promise<number[]> {
  const nodes: DocNode[] = [node('m', 'master')];
  const edges: DocEdge[] = [];
  cases.forEach((c, i) => {
    nodes.push(node(`g${i}`, 'generator', { frequency: c.frequency, level: c.level }));
    nodes.push(node(`c${i}`, 'compressor', { threshold: c.threshold, ratio: c.ratio, knee: c.knee, makeup: c.makeup, attack: 5, release: 100 }));
    edges.push(edge(`g${i}`, `c${i}`), edge(`c${i}`, 'm'));
  });
  const r = await renderSession(session(nodes, edges), { seconds: 0.5 });
  // 0.3-0.5 s: 60 attack times in, the detector has settled
  return cases.map((c) => toneDb(r.left, c.frequency, SR, 14400, 9600));
}

const FREQS = [1000, 1250, 1500, 1750, 2250];

describe('compressor static curve', () => {
  it('hard knee, above threshold: a steady sine settles at T + (L - T)/R + makeup (within 1 dB)', async () => {
    const cases: Case[] = [
      { level: -6, threshold: -20, ratio: 4, knee: 0, makeup: 0, frequency: FREQS[0] },
      { level: -10, threshold: -30, ratio: 2, knee: 0, makeup: 3, frequency: FREQS[1] },
      { level: 0, threshold: -24, ratio: 10, knee: 0, makeup: 6, frequency: FREQS[2] },
      { level: -3, threshold: -12, ratio: 20, knee: 0, makeup: 0, frequency: FREQS[3] },
    ];
    const measured = await settled(cases);
    cases.forEach((c, i) => {
      // e.g. L -6, T -20, 4:1 -> -20 + 14/4 = -16.5 dBFS; the detector reads sample peaks, so the knobs are the numbers
      const expected = c.threshold + (c.level - c.threshold) / c.ratio + c.makeup;
      expectWithin(measured[i], expected, 1, `L ${c.level} T ${c.threshold} R ${c.ratio} makeup ${c.makeup} (dBFS)`);
    });
  });

  it('below threshold a sine passes at L + makeup (within 0.1 dB)', async () => {
    const cases: Case[] = [
      { level: -30, threshold: -20, ratio: 4, knee: 0, makeup: 4, frequency: FREQS[0] },
      { level: -40, threshold: -12, ratio: 20, knee: 6, makeup: 0, frequency: FREQS[1] },
    ];
    const measured = await settled(cases);
    // -30 + 4 = -26 dBFS; -40 dBFS untouched (14 dB below the knee's lower edge)
    expectWithin(measured[0], -26, 0.1, 'L -30, T -20, makeup 4 (dBFS)');
    expectWithin(measured[1], -40, 0.1, 'L -40, T -12, knee 6 (dBFS)');
  });

  it('soft knee: the quadratic (Giannoulis et al.) between the 1:1 line and the R:1 line', async () => {
    const knee = { threshold: -20, ratio: 4, knee: 12, makeup: 0 };
    const levels = [-26, -22, -20, -18, -14]; // the knee spans T ± 6 dB
    const measured = await settled(levels.map((level, i) => ({ level, ...knee, frequency: FREQS[i] })));
    levels.forEach((level, i) => {
      // y = x + (1/R - 1)(x - T + K/2)² / 2K inside the knee, e.g. -21.13 dBFS at x = T
      expectWithin(measured[i], staticCurve(level, knee), 0.25, `soft knee at ${level} dBFS (dBFS)`);
    });
    // Knee edges meet the straight lines: -26 in -> -26 out (1:1), -14 in -> -20 + 6/4 = -18.5 (4:1)
    expectWithin(measured[0], -26, 0.25, 'lower knee edge (dBFS)');
    expectWithin(measured[4], -18.5, 0.25, 'upper knee edge (dBFS)');
    // Inside the knee the ratio moves from 1:1 to 4:1: the local slope (dB out per dB in) lies between 1/R and 1
    for (let i = 1; i < levels.length; i++) {
      const slope = (measured[i] - measured[i - 1]) / (levels[i] - levels[i - 1]);
      if (process.env.AUDIO_REPORT) console.log(`[measured] soft knee slope ${levels[i - 1]}..${levels[i]}: ${slope.toFixed(3)}`);
      expect(slope).toBeGreaterThan(1 / knee.ratio - 0.02);
      expect(slope).toBeLessThan(1 + 0.02);
    }
    // and it compresses more than hard-knee at the threshold: (1 - 1/R)·K/8 = 1.125 dB of reduction there
    expectWithin(-20 - measured[2], 1.125, 0.25, 'reduction at the threshold (dB)');
  });
});

describe('compressor sidechain', () => {
  it('a loud sidechain ducks a quiet input by the predicted amount; without the edge, no ducking', async () => {
    const settings = { threshold: -20, ratio: 4, knee: 0, makeup: 0, attack: 5, release: 100 };
    const doc = session(
      [
        node('quiet', 'generator', { frequency: 1000, level: -30 }),
        node('loud', 'generator', { frequency: 3000, level: -6 }),
        node('ducked', 'compressor', settings),
        node('quiet2', 'generator', { frequency: 1500, level: -30 }),
        node('plain', 'compressor', settings),
        node('m', 'master'),
      ],
      [edge('quiet', 'ducked'), edge('loud', 'ducked.sidechain'), edge('ducked', 'm'), edge('quiet2', 'plain'), edge('plain', 'm')],
    );
    const r = await renderSession(doc, { seconds: 0.5 });
    // The sidechain's -6 dBFS peak is 14 dB over: reduction 14 - 14/4 = 10.5 dB, so -30 -> -40.5 dBFS
    const reduction = -6 - staticCurve(-6, settings);
    expectWithin(toneDb(r.left, 1000, SR, 14400, 9600), -30 - reduction, 1, 'ducked input (dBFS)');
    // No sidechain edge: the -30 dBFS input is below threshold and detects itself, untouched
    expectWithin(toneDb(r.left, 1500, SR, 14400, 9600), -30, 0.1, 'input with no sidechain edge (dBFS)');
    // The sidechain only drives the detector; it is not in the output
    expectBelow(toneDb(r.left, 3000, SR, 14400, 9600), -100, 'sidechain tone in the output (dBFS)');
  });

  it('attack and release: reduction builds with the attack time and recovers with the release time', async () => {
    // A -6 dBFS burst on the sidechain from 0.1 to 0.3 s (a track, hard left so its peak is exactly
    // -6 dBFS) ducks two quiet -30 dBFS tones through two compressors: one with a slow attack
    // (to watch it build), one with a fast attack and a 50 ms release (to watch it recover).
    const slowAttack = { threshold: -20, ratio: 4, knee: 0, makeup: 0, attack: 20, release: 200 };
    const fastAttack = { threshold: -20, ratio: 4, knee: 0, makeup: 0, attack: 1, release: 50 };
    const doc = session(
      [
        node('burst', 'track', { source: 'burst', offset: 100, pan: -1 }),
        node('a', 'generator', { frequency: 2000, level: -30 }),
        node('ca', 'compressor', slowAttack),
        node('r', 'generator', { frequency: 1000, level: -30 }),
        node('cr', 'compressor', fastAttack),
        node('m', 'master'),
      ],
      [edge('burst', 'ca.sidechain'), edge('burst', 'cr.sidechain'), edge('a', 'ca'), edge('ca', 'm'), edge('r', 'cr'), edge('cr', 'm')],
    );
    const r = await renderSession(doc, { seconds: 0.6, buffers: { burst: sine(3000, 10 ** (-6 / 20), 0.2) } });
    const full = -6 - staticCurve(-6, fastAttack); // 10.5 dB
    // Reduction (dB) of a tone in a 2 ms window centred `t` seconds into the render
    const reductionAt = (f: number, t: number) => -30 - toneDb(r.left, f, SR, Math.round((t - 0.001) * SR), 96);

    // Before the burst: nothing
    expectWithin(reductionAt(1000, 0.05), 0, 0.1, 'reduction before the burst (dB)');
    // Attack: one attack time (20 ms) in, 1 - 1/e of the full 10.5 dB = 6.6 dB; ten in, all of it
    expectWithin(reductionAt(2000, 0.1 + 0.02), full * (1 - Math.exp(-1)), 1, 'reduction one attack time in (dB)');
    expectWithin(reductionAt(2000, 0.29), full, 0.5, 'reduction ten attack times in (dB)');
    // Release (fast attack): just after the burst nearly all of it is still there (10.5·e^-0.1 = 9.5 dB)...
    expectWithin(reductionAt(1000, 0.3 + 0.005), full * Math.exp(-0.1), 1, 'reduction 5 ms after the burst (dB)');
    // ...one release time (50 ms) later it has fallen to ~1/e: 10.5·e^-1·50/49 = 3.9 dB (the 1 ms attack stage lags a little)
    expectWithin(reductionAt(1000, 0.3 + 0.05), (full * Math.exp(-1) * 50) / 49, 1, 'reduction one release time after (dB)');
    // ...and five release times later the gain has recovered (10.5·e^-5 = 0.07 dB)
    expectBelow(reductionAt(1000, 0.3 + 0.25), 0.2, 'reduction five release times after (dB)');
  });
});
