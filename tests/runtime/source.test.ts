// Tracks read their source through SourceAudio, block by block: the runtime never needs the whole
// file in memory (a later phase streams it from disk). A source computed on the fly shows what a
// track asks for: each frame once, in order, no more than a block at a time, only while it plays.
import { describe, expect, it } from 'vitest';
import type { SourceAudio } from '../../nodes/define.ts';
import { Runtime } from '../../src/runtime/runtime.ts';
import { chain, node, planOf, session } from '../helpers/audio.ts';

const SR = 48000;

/** A source whose sample i of channel c is f(i, c), recording every read. */
function computed(frames: number, channels: number, f: (i: number, c: number) => number) {
  const reads: [number, number][] = [];
  const source: SourceAudio = {
    sampleRate: SR,
    channels,
    frames,
    read(start, count, out) {
      reads.push([start, count]);
      for (let c = 0; c < channels; c++) for (let i = 0; i < count; i++) out[c][i] = f(start + i, c);
    },
  };
  return { source, reads };
}

function play(source: SourceAudio, params: Record<string, unknown>, frames: number, from = 0) {
  const runtime = new Runtime({ sampleRate: SR, sources: () => source });
  runtime.update(planOf(session([node('t', 'track', { source: 'x', ...params }), node('m', 'master')], chain(['t', 'm']))));
  runtime.start(from);
  const out = [new Float32Array(frames), new Float32Array(frames)];
  runtime.render(out, frames);
  runtime.dispose();
  return out;
}

describe('SourceAudio', () => {
  it('a track reads each frame once, in order, a block at most at a time, and stops at the end', () => {
    const { source, reads } = computed(1000, 1, (i) => i / 1000);
    const [left] = play(source, { pan: -1 }, 2000);
    expect(reads.every(([, count]) => count <= 128)).toBe(true);
    let next = 0;
    for (const [start, count] of reads) {
      expect(start).toBe(next);
      next = start + count;
    }
    expect(next).toBe(1000); // nothing read past the end...
    for (let i = 0; i < 1000; i++) expect(left[i]).toBe(Math.fround(i / 1000));
    expect(left.subarray(1000).every((v) => v === 0)).toBe(true); // ...and silence after it
  });

  it('offsets and start positions: the frames asked for are the ones that play (+5 ms: 240 frames late; from 1 s: 48,000 in)', () => {
    const late = computed(SR * 2, 1, (i) => (i % 100) / 100);
    const [a] = play(late.source, { pan: -1, offset: 5 }, 1000);
    expect(late.reads[0][0]).toBe(0);
    expect(a.subarray(0, 240).every((v) => v === 0)).toBe(true);
    expect(a[240 + 37]).toBe(Math.fround(0.37));
    const skipped = computed(SR * 2, 1, (i) => (i % 100) / 100);
    const [b] = play(skipped.source, { pan: -1 }, 256, 1);
    expect(skipped.reads[0]).toEqual([SR, 128]);
    expect(b[5]).toBe(Math.fround(((SR + 5) % 100) / 100));
  });

  it('stereo plays as stereo (balance law: untouched at centre); 5.1 is mixed down as Web Audio does', () => {
    const stereo = computed(256, 2, (i, c) => (c === 0 ? 0.25 : -0.5));
    const [l, r] = play(stereo.source, {}, 256);
    expect([l[10], r[10]]).toEqual([0.25, -0.5]);
    // L R C LFE SL SR: L' = L + √½·(C + SL), R' = R + √½·(C + SR); the LFE is left out
    const surround = computed(256, 6, (_i, c) => [0.1, 0.2, 0.3, 0.9, 0.05, 0.07][c]);
    const [sl, sr] = play(surround.source, {}, 256);
    expect(sl[10]).toBeCloseTo(0.1 + Math.SQRT1_2 * (0.3 + 0.05), 6);
    expect(sr[10]).toBeCloseTo(0.2 + Math.SQRT1_2 * (0.3 + 0.07), 6);
  });

  it('a source at another sample rate is refused, naming it (decoding resamples; the runtime does not)', () => {
    const { source } = computed(100, 1, () => 0);
    const wrong = { ...source, sampleRate: 44100, read: source.read };
    expect(() => play(wrong, {}, 128)).toThrow(/44100 Hz.*48000 Hz/);
  });
});
