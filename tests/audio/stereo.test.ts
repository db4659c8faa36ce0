// The stereo node through the runtime: width, bass mono, the correlation reading and a mono input.
// One render carries four nodes, each fed in its own time slot (the others are silent then), so
// every case is measured alone.
import { describe, expect, it } from 'vitest';
import type { Params } from '../../nodes/define.ts';
import { seededRandom } from '../../src/dsp/random.ts';
import type { DocEdge, DocNode, SessionDoc } from '../../src/model/document.ts';
import { db, edge, expectBelow, expectWithin, maxDiff, node, renderWith, rmsDb, session, toneAmplitude, type SourceMaker } from '../helpers/audio.ts';

const SR = 48000;

/** Render `doc` (`length` frames) and take the named readings after the last block. */
async function renderWithReadings(doc: SessionDoc, length: number, buffers: Record<string, SourceMaker>, reads: [string, string][]) {
  const { left, right, runtime } = renderWith(doc, { seconds: length / SR, buffers });
  const readings = reads.map(([id, name]) => runtime.reading(id, name) ?? NaN);
  runtime.dispose();
  return { left, right, readings };
}

const SEG = 6000; // 0.125 s of signal per slot
const SLOT = SEG + 480; // and 10 ms of silence after it
const LENGTH = 4 * SLOT;

/** A stereo signal that is silent outside slot `k`. */
function slotted(k: number, left: (i: number) => number, right: (i: number) => number) {
  const l = new Float32Array(LENGTH);
  const r = new Float32Array(LENGTH);
  for (let i = 0; i < SEG; i++) {
    l[k * SLOT + i] = left(i);
    r[k * SLOT + i] = right(i);
  }
  return { l, r };
}

function noisePair(k: number, seed: number) {
  const a = seededRandom(seed);
  const b = seededRandom(seed + 100);
  return slotted(k, () => 0.5 * (a() * 2 - 1), () => 0.5 * (b() * 2 - 1));
}

describe('stereo through the engine', () => {
  it('width 1 is the identity, 0 is mono, 2 doubles L - R; monoBelow 200 Hz removes a 50 Hz side; correlation reads', async () => {
    const wide1 = noisePair(0, 1);
    const mono = noisePair(1, 2);
    const wide2 = noisePair(2, 3);
    // Side only (R = -L): 50 Hz and 2 kHz, 0.25 peak each
    const tones = (i: number) => 0.25 * Math.sin((2 * Math.PI * 50 * i) / SR) + 0.25 * Math.sin((2 * Math.PI * 2000 * i) / SR);
    const side = slotted(3, tones, (i) => -tones(i));
    const inputs = [wide1, mono, wide2, side];
    const settings: Params[] = [{ width: 1 }, { width: 0 }, { width: 2 }, { width: 1, monoBelow: 200 }];

    const nodes: DocNode[] = [node('m', 'master')];
    const edges: DocEdge[] = [];
    const buffers: Record<string, SourceMaker> = {};
    inputs.forEach((input, k) => {
      // Stereo files: the track's panner at centre passes stereo unchanged
      nodes.push(node(`t${k}`, 'track', { source: `in${k}` }), node(`s${k}`, 'stereo', settings[k]));
      edges.push(edge(`t${k}`, `s${k}`), edge(`s${k}`, 'm'));
      buffers[`in${k}`] = () => [input.l, input.r];
    });
    const reads: [string, string][] = [
      ['s0', 'correlation'],
      ['s1', 'correlation'],
      ['s3', 'correlation'],
    ];
    const r = await renderWithReadings(session(nodes, edges), LENGTH, buffers, reads);
    const slot = (k: number) => [k * SLOT, k * SLOT + SEG] as const;

    // Width 1: the input, within 1e-6 (the track's centred panner adds R·cos(π/2) ≈ 6e-17·R to L)
    expectBelow(maxDiff(r.left, wide1.l, ...slot(0)), 1e-6, 'width 1: |out L - in L|');
    expectBelow(maxDiff(r.right, wide1.r, ...slot(0)), 1e-6, 'width 1: |out R - in R|');
    // Width 0: L == R exactly
    expect(maxDiff(r.left, r.right, ...slot(1))).toBe(0);
    // Width 2: S' = 2S, so L - R is 20·log10(2) = 6.02 dB louder than the input's
    const diff = (a: Float32Array, b: Float32Array) => a.map((v, i) => v - b[i]);
    const gain = rmsDb(diff(r.left, r.right), ...slot(2)) - rmsDb(diff(wide2.l, wide2.r), ...slot(2));
    expectWithin(gain, 6.02, 0.1, 'width 2: L - R level change (dB)');
    // monoBelow 200 Hz on a side-only signal: LR4 high-pass, -48.2 dB at 50 Hz, -0.001 dB at 2 kHz.
    // From 25 ms into the slot (the filters' onset, τ ≈ 1 ms, has rung out), 0.1 s = 5 periods of 50 Hz, 200 of 2 kHz
    const from = 3 * SLOT + 1200;
    const at = (f: number) => db(toneAmplitude(r.left, f, SR, from, 4800) / 0.25);
    expectBelow(at(50), -30, '50 Hz side tone, monoBelow 200 Hz (dB)');
    expectWithin(at(2000), 0, 0.5, '2 kHz side tone, monoBelow 200 Hz (dB)');

    const [independent, monoCorrelation, sideOnly] = r.readings;
    // The meter holds its last reading through silence (all three of its averages decay alike)
    expectWithin(independent, 0, 0.1, 'correlation of independent noise at width 1');
    expect(monoCorrelation).toBe(1);
    // (not exactly -1: the track's centred panner leaks 6e-17 of R into L)
    expectWithin(sideOnly, -1, 1e-9, 'correlation of a side-only signal');
  });

  it('a mono input is taken as L = R: at width 2 both outputs carry the tone unchanged, correlation +1', async () => {
    const doc = session(
      [node('g', 'generator', { frequency: 1000, level: -12 }), node('st', 'stereo', { width: 2 }), node('m', 'master')],
      [edge('g', 'st'), edge('st', 'm')],
    );
    const r = await renderWithReadings(doc, 9600, {}, [['st', 'correlation']]);
    expect(maxDiff(r.left, r.right)).toBe(0);
    // The generator's -12 dBFS peak, untouched: no side to widen
    expectWithin(db(toneAmplitude(r.left, 1000, SR, 4800, 4800)), -12, 0.01, 'mono tone through width 2 (dBFS)');
    expect(r.readings[0]).toBe(1);
  });
});
