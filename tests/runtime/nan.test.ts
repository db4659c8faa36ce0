// A NaN (or an infinity) in one source never reaches the output, and does not silence the session
// for ever: filters whose state went non-finite are flushed at the end of the block, delay lines
// and convolvers store silence in its place, so everything recovers once the broken samples pass.
import { describe, expect, it } from 'vitest';
import { allFinite, edge, expectBelow, maxDiff, node, renderWith, session, toneDb } from '../helpers/audio.ts';

const SR = 48000;

/** A 500 Hz sine with NaN, +Infinity and -Infinity in a burst at 0.1 s (or zeros there, `clean`). */
const broken = (clean: boolean) => () => {
  const x = new Float32Array(SR);
  for (let i = 0; i < SR; i++) x[i] = 0.25 * Math.sin((2 * Math.PI * 500 * i) / SR);
  for (let i = 4800; i < 4900; i++) x[i] = clean ? 0 : [NaN, Infinity, -Infinity][i % 3];
  return [x];
};

function chainThroughEverything() {
  return session(
    [
      node('t', 'track', { source: 'x' }),
      node('eq', 'eq', { bands: [{ type: 'peaking', frequency: 1000, gain: 6, q: 1 }, { type: 'lowshelf', frequency: 200, gain: 3, q: 0.707 }] }),
      node('c', 'compressor'),
      node('d', 'delay', { time: 20, feedback: 0.5 }),
      node('rv', 'reverb', { decay: 0.3, mix: 0.3 }),
      node('mb', 'multiband', { lowRatio: 2, lowThreshold: -30 }),
      node('st', 'stereo', { monoBelow: 100 }),
      node('lim', 'limiter'),
      node('lu', 'loudness'),
      // Another source, clean, on its own path to the master
      node('other', 'generator', { frequency: 2000, level: -20 }),
      node('m', 'master'),
    ],
    [edge('t', 'eq'), edge('eq', 'c'), edge('c', 'd'), edge('d', 'rv'), edge('rv', 'mb'), edge('mb', 'st'), edge('st', 'lim'), edge('lim', 'lu'), edge('lu', 'm'), edge('other', 'm')],
  );
}

describe('NaN recovery', () => {
  it('the output is finite throughout, and returns to what the session gives without the broken samples', () => {
    const bad = renderWith(chainThroughEverything(), { seconds: 1, buffers: { x: broken(false) } });
    const good = renderWith(chainThroughEverything(), { seconds: 1, buffers: { x: broken(true) } });
    expect(allFinite(bad.left) && allFinite(bad.right)).toBe(true);
    // The clean generator is heard all along, also right after the burst (0.11-0.21 s), at its -20 dBFS
    expect(Math.abs(toneDb(bad.left, 2000, SR, 5280, 4800) - -20)).toBeLessThan(0.5);
    // After the burst has passed through the delay's echoes (0.5 feedback: -60 dB in 10 echoes, 0.2 s),
    // the reverb (0.3 s) and the filters, the output is the clean session's to -100 dB
    expectBelow(maxDiff(bad.left, good.left, 0.75 * SR, SR), 1e-5, 'left, 0.75-1 s, broken vs clean source');
    expectBelow(maxDiff(bad.right, good.right, 0.75 * SR, SR), 1e-5, 'right, 0.75-1 s, broken vs clean source');
    // The master's guard counted what it replaced (the samples that got through a processor unfiltered)
    expect(bad.runtime.reading('m', 'replaced')).toBeGreaterThanOrEqual(0);
    expect(good.runtime.reading('m', 'replaced')).toBe(0);
    // The loudness meter skipped the broken samples too: a finite integrated loudness
    expect(Number.isFinite(bad.runtime.reading('lu', 'integrated'))).toBe(true);
  });

  it('a NaN straight into a bus: those samples are silent, the other inputs play before and after', () => {
    const doc = session(
      [node('t', 'track', { source: 'x' }), node('g', 'generator', { frequency: 1000, level: -12 }), node('b', 'bus'), node('m', 'master')],
      [edge('t', 'b'), edge('g', 'b'), edge('b', 'm')],
    );
    const r = renderWith(doc, { seconds: 0.2, buffers: { x: broken(false) } });
    expect(allFinite(r.left)).toBe(true);
    for (let i = 4800; i < 4900; i++) expect(r.left[i]).toBe(0);
    expect(r.runtime.reading('m', 'replaced')).toBe(2 * 100);
    // Both sources right after: the sum is back, sample for sample
    const clean = renderWith(doc, { seconds: 0.2, buffers: { x: broken(true) } });
    expect(maxDiff(r.left, clean.left, 4900, 9600)).toBe(0);
  });
});
