// The multiband node through the runtime: the three bands sum flat, each band compresses only its
// own frequencies, band gains are exact, the meter reads per-band gain reduction, and a live gain
// change lands on its value. Several nodes share a render where they can.
import { describe, expect, it } from 'vitest';
import { staticCurve } from '../../src/dsp/compressor.ts';
import { lr4MagnitudeDb } from '../../src/dsp/crossover.ts';
import { MULTIBAND_KNEE } from '../../src/dsp/multiband.ts';
import type { DocEdge, DocNode, SessionDoc } from '../../src/model/document.ts';
import { bufferFrom, db, edge, expectWithin, fft, fromDb, node, planOf, renderSession, renderWith, session, toneDb, type SourceMaker } from '../helpers/audio.ts';

/** Render `doc` and take the named readings after the last block. */
async function renderWithReadings(doc: SessionDoc, seconds: number, sampleRate: number, buffers: Record<string, SourceMaker>, reads: [string, string][]) {
  const { left, right, runtime } = renderWith(doc, { seconds, sampleRate, buffers });
  const readings = reads.map(([id, name]) => runtime.reading(id, name) ?? NaN);
  runtime.dispose();
  return { left, right, readings };
}

/** Largest |dB| of the magnitude response of h[start, start + n) between 20 Hz and 20 kHz. */
function worstDeviationDb(h: Float32Array, start: number, n: number, sampleRate: number): number {
  const re = Float64Array.from(h.subarray(start, start + n));
  const im = new Float64Array(n);
  fft(re, im);
  let worst = 0;
  for (let k = 1; k < n / 2; k++) {
    const f = (k * sampleRate) / n;
    if (f < 20 || f > 20000) continue;
    const d = 10 * Math.log10(re[k] * re[k] + im[k] * im[k]);
    if (Math.abs(d) > Math.abs(worst)) worst = d;
  }
  return worst;
}

describe('multiband through the engine', () => {
  // The core tests sweep six crossover pairs at both rates; here every extreme once, the default too
  const PAIRS: Record<number, [number, number][]> = {
    44100: [
      [40, 1000],
      [1000, 16000],
    ],
    48000: [
      [120, 4000],
      [40, 16000],
    ],
  };
  for (const sampleRate of [44100, 48000]) {
    it(`neutral bands sum flat (±0.1 dB, 20 Hz-20 kHz) at ${sampleRate} Hz: ${PAIRS[sampleRate].map((p) => p.join('/')).join(', ')} Hz`, async () => {
      // One multiband node per crossover pair, each fed a stereo unit impulse in its own 8192-sample
      // slot: the slowest allpass (40 Hz) rings down below float precision well within a slot.
      const pairs = PAIRS[sampleRate];
      const SLOT = 8192;
      const nodes: DocNode[] = [node('m', 'master')];
      const edges: DocEdge[] = [];
      const buffers: Record<string, SourceMaker> = {};
      pairs.forEach(([low, high], k) => {
        nodes.push(node(`t${k}`, 'track', { source: `impulse${k}` }), node(`mb${k}`, 'multiband', { low, high }));
        edges.push(edge(`t${k}`, `mb${k}`), edge(`mb${k}`, 'm'));
        // Stereo, so the track's panner passes it unchanged (a mono track at centre would be -3 dB)
        buffers[`impulse${k}`] = () => bufferFrom(SLOT * pairs.length, (i) => (i === k * SLOT ? 1 : 0), 2);
      });
      const r = await renderWithReadings(session(nodes, edges), (SLOT * pairs.length) / sampleRate, sampleRate, buffers, []);
      pairs.forEach(([low, high], k) => {
        // Theory: an exact allpass (AP(high)·AP(low)); the brief asks ±0.1 dB, measured ~1e-6 dB
        expectWithin(worstDeviationDb(r.left, k * SLOT, SLOT, sampleRate), 0, 0.01, `${low}/${high} Hz at ${sampleRate} Hz, left (dB)`);
        expectWithin(worstDeviationDb(r.right, k * SLOT, SLOT, sampleRate), 0, 0.01, `${low}/${high} Hz at ${sampleRate} Hz, right (dB)`);
      });
    });
  }

  it('a high-band tone is compressed by the high band alone, a 60 Hz tone passes, +6 dB on mid lifts 1 kHz; meters read per band', async () => {
    const SR = 48000;
    const A = fromDb(-6);
    // 7919 Hz rather than 8 kHz: at 48 kHz an 8 kHz sine never has a sample on its crest (6 samples a period)
    const HI = 7919;
    const doc = session(
      [
        node('hi', 'generator', { frequency: HI, level: -6 }),
        node('lo', 'generator', { frequency: 60, level: -6 }),
        node('split', 'multiband', { high: 2000, highThreshold: -30, highRatio: 4 }),
        node('mid', 'generator', { frequency: 1000, level: -6 }),
        node('lift', 'multiband', { midGain: 6 }),
        node('m', 'master'),
      ],
      [edge('hi', 'split'), edge('lo', 'split'), edge('split', 'm'), edge('mid', 'lift'), edge('lift', 'm')],
    );
    const reads: [string, string][] = [
      ['split', 'highReduction'],
      ['split', 'lowReduction'],
      ['split', 'midReduction'],
      ['split', 'reduction'],
    ];
    const r = await renderWithReadings(doc, 0.4, SR, {}, reads);
    // 0.2-0.4 s: 10 attack times (20 ms) in; 0.2 s is 12 whole periods of 60 Hz and 200 of 1 kHz
    const tone = (f: number) => toneDb(r.left, f, SR, 9600, 9600);

    // The high band holds the tone at -6.007 dBFS: 24 dB over T -30, 4:1 -> 18.0 dB of reduction;
    // the mid band's -47 dB share passes uncompressed and adds in phase: -23.81 dBFS in all
    const band = fromDb(lr4MagnitudeDb('highpass', 2000, HI, SR) + lr4MagnitudeDb('highpass', 120, HI, SR));
    const x = db(A * band);
    const reduction = x - staticCurve(x, { threshold: -30, ratio: 4, knee: MULTIBAND_KNEE });
    const expected = db(A * (band * fromDb(-reduction) + fromDb(lr4MagnitudeDb('lowpass', 2000, HI, SR))));
    expectWithin(tone(HI), expected, 1, 'high-band tone at T -30 4:1 (dBFS)');
    expectWithin(tone(60), -6, 0.2, '60 Hz tone through the same node (dBFS)');
    // +6 dB on the mid band: 1 kHz sits 3 octaves from both crossovers, +5.98 dB by the LR4 sum
    expectWithin(tone(1000) + 6, 6, 0.2, '1 kHz with mid gain +6 (dB)');

    const [high, low, mid, overall] = r.readings;
    // The meter is the detector's gain reduction: 18 dB, minus the release ripple between crests
    expectWithin(high, reduction, 0.5, 'highReduction reading (dB)');
    expect(low).toBe(0);
    expect(mid).toBe(0);
    expect(overall).toBe(high);
  });

  it('a live change of the mid gain (0 -> -9 dB) reaches the running node and lands on its value', async () => {
    const SR = 48000;
    const before = session([node('g', 'generator', { frequency: 1000, level: -6 }), node('mb', 'multiband'), node('m', 'master')], [edge('g', 'mb'), edge('mb', 'm')]);
    const after = structuredClone(before);
    after.nodes[1].params.midGain = -9;
    const r = await renderSession(before, { seconds: 0.4, edits: [{ at: 0.15, apply: (engine) => engine.update(planOf(after)) }] });
    // Before: unchanged (-6 dBFS); after: -9 dB on 99.6 % of the tone, the rest passes: -14.93 dBFS by the LR4 sum
    expectWithin(toneDb(r.left, 1000, SR, 2400, 4800), -6, 0.01, 'before the change (dBFS)');
    expectWithin(toneDb(r.left, 1000, SR, 12000, 7200), -6 - 9, 0.2, 'after the change (dBFS)');
  });
});
