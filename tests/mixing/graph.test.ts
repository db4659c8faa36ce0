// The edits the analyses propose (src/mixing/graph.ts), as commands on documents: "Duck under…"
// (with a render: the target dips while the key plays), the peaking cut, and their refusals.
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/model/commands.ts';
import { nodeAt, type SessionDoc } from '../../src/model/document.ts';
import { validate } from '../../src/model/validate.ts';
import { bounce } from '../../src/runtime/render.ts';
import { memorySource } from '../../src/runtime/source.ts';
import { addPeakingCut, duckUnder, planOrThrow } from '../../src/mixing/graph.ts';
import { edge, node, session } from '../helpers/audio.ts';

const SR = 48000;
const S = 4;
// The target: a steady 200 Hz tone; the key: 100 ms bursts every 500 ms
const tone = Float32Array.from({ length: S * SR }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 200 * i) / SR));
const bursts = Float32Array.from({ length: S * SR }, (_, i) => (i % (SR / 2) < 0.1 * SR ? 0.5 * Math.sin((2 * Math.PI * 60 * i) / SR) : 0));
const sources = new Map([
  ['bass.wav', [tone]],
  ['kick.wav', [bursts]],
]);

function doc(withComp = false): SessionDoc {
  const nodes = [node('kick', 'track', { source: 'kick.wav' }), node('bass', 'track', { source: 'bass.wav' }), node('m', 'master')];
  const edges = [edge('kick', 'm')];
  if (withComp) {
    nodes.push(node('bass_comp', 'compressor', { threshold: -10, ratio: 2, attack: 20, release: 200 }));
    edges.push(edge('bass', 'bass_comp'), edge('bass_comp', 'm'));
  } else edges.push(edge('bass', 'm'));
  return session(nodes, edges);
}

/** RMS (dB) of the bass's path alone (the kick muted at the master: its key still plays) in [from, to) s of each 0.5 s beat. */
function bassLevel(d: SessionDoc, from: number, to: number): number {
  const muted = structuredClone(d);
  // take the kick off the master so only the (ducked) bass is heard; the sidechain edge stays
  muted.edges = muted.edges.filter((e) => !(e.from === 'kick' && e.to === 'm'));
  const out = bounce(planOrThrow(muted), { sampleRate: SR, frames: S * SR, sources: (name) => (sources.has(name) ? memorySource(sources.get(name)!, SR) : undefined) });
  let e = 0;
  let n = 0;
  for (let i = SR; i < S * SR; i++) {
    const t = (i % (SR / 2)) / SR;
    if (t < from || t >= to) continue;
    e += out[0][i] * out[0][i];
    n++;
  }
  return 10 * Math.log10(e / n);
}

describe('duck under', () => {
  it('inserts a compressor keyed from the kick at the end of the bass chain, one undo step, and the bass dips while the kick plays', () => {
    const before = doc();
    const cmd = duckUnder(before, { key: 'kick', target: 'bass' });
    expect(cmd.label).toBe('Duck bass under kick');
    const after = apply(before, cmd).doc;
    expect(validate(after)).toEqual([]);
    const comp = after.nodes.find((n) => n.type === 'compressor')!;
    expect(comp.params).toMatchObject({ threshold: -30, ratio: 4, attack: 5, release: 120 });
    expect(after.edges).toContainEqual({ from: 'kick', fromPort: 'out', to: comp.id, toPort: 'sidechain' });
    expect(after.edges).toContainEqual({ from: 'bass', fromPort: 'out', to: comp.id, toPort: 'in' });
    expect(after.edges).toContainEqual({ from: comp.id, fromPort: 'out', to: 'm', toPort: 'in' });
    expect(before.nodes.some((n) => n.type === 'compressor')).toBe(false); // the document is untouched
    // Measured: during the bursts (30-100 ms into the beat) against the gaps (300-500 ms)
    const during = bassLevel(after, 0.03, 0.1);
    const gap = bassLevel(after, 0.4, 0.5);
    if (process.env.AUDIO_REPORT) console.log(`[measured] ducked bass: ${during.toFixed(2)} dB under the kick, ${gap.toFixed(2)} dB between`);
    expect(gap - during).toBeGreaterThan(6);
    // back to within 1.5 dB of the unducked bass 300-400 ms after each burst (a 120 ms release)
    const free = bassLevel(before, 0.4, 0.5);
    if (process.env.AUDIO_REPORT) console.log(`[measured] 300-400 ms after the burst: ${(gap - free).toFixed(2)} dB against the bass not ducked`);
    expect(Math.abs(gap - free)).toBeLessThan(1.5);
  });

  it("uses the bass chain's own compressor when its sidechain is free (its settings kept), and refuses a loop", () => {
    const before = doc(true);
    const after = apply(before, duckUnder(before, { key: 'kick', target: 'bass' })).doc;
    expect(after.nodes.filter((n) => n.type === 'compressor')).toHaveLength(1);
    expect(nodeAt(after, 'bass_comp')!.params.threshold).toBe(-10);
    expect(after.edges).toContainEqual({ from: 'kick', fromPort: 'out', to: 'bass_comp', toPort: 'sidechain' });
    // the bass keyed from its own compressor's output would be a loop: refused, nothing changes
    expect(() => apply(before, duckUnder(before, { key: 'bass_comp', target: 'bass' }))).toThrow(/invalid|loop|cycle/i);
    expect(() => duckUnder(before, { key: 'bass', target: 'bass' })).toThrow();
  });
});

describe('peaking cut', () => {
  it('inserts an EQ after a track without one, adds a band to an existing EQ, deepens a band near the frequency', () => {
    const d0 = doc();
    const a = apply(d0, addPeakingCut(d0, { track: 'bass', frequency: 400, gain: -4.5, q: 1.4 })).doc;
    const eq = a.nodes.find((n) => n.type === 'eq')!;
    expect(eq.params.bands).toEqual([{ type: 'peaking', frequency: 400, gain: -4.5, q: 1.4, enabled: true }]);
    expect(a.edges).toContainEqual({ from: 'bass', fromPort: 'out', to: eq.id, toPort: 'in' });
    const b = apply(a, addPeakingCut(a, { track: 'bass', frequency: 420, gain: -2, q: 1 })).doc; // within 1/6 octave: deepened
    expect(nodeAt(b, eq.id)!.params.bands).toEqual([{ type: 'peaking', frequency: 400, gain: -6.5, q: 1.4, enabled: true }]);
    const c = apply(b, addPeakingCut(b, { track: 'bass', frequency: 2000, gain: -3, q: 2 })).doc;
    expect((nodeAt(c, eq.id)!.params.bands as unknown[]).length).toBe(2);
    expect(c.nodes.filter((n) => n.type === 'eq')).toHaveLength(1);
    expect(addPeakingCut(c, { track: 'bass', frequency: 2000, gain: -3, q: 2 }).label).toBe('Cut bass by 3 dB at 2 kHz');
  });
});
