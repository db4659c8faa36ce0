// Gain-matched bypass (Runtime.matchBypass, src/dsp/match.ts): a bypassed processor plays its
// input at the loudness its output has, so a change is judged by its sound and not by being louder.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import { bounce } from '../../src/runtime/render.ts';
import { memorySource } from '../../src/runtime/source.ts';
import { edge, maxDiff, node, planOf, renderWith, session } from '../helpers/audio.ts';
import { songChannels } from '../helpers/signals.ts';

const SR = 48000;
const SECONDS = 12;
const song = songChannels(SECONDS, SR, -12, 3);
const sources = (name: string) => (name === 'song.wav' ? memorySource(song, SR) : undefined);

/** The song through an EQ boosting 6 dB (a low shelf at 1 kHz: the kick and the pad), bypassed or not. */
const boosted = (bypass: boolean) =>
  session(
    [
      node('song', 'track', { source: 'song.wav' }),
      node('eq', 'eq', { bands: [{ type: 'lowshelf', frequency: 1000, gain: 6, q: 0.707 }] }, bypass),
      node('m', 'master'),
    ],
    [edge('song', 'eq'), edge('eq', 'm')],
  );

const loudness = (ch: Float32Array[], from = 0) => analyze(ch.map((c) => c.subarray(Math.round(from * SR))), SR).integrated;

describe('gain-matched bypass', () => {
  const frames = SECONDS * SR;
  const processed = bounce(planOf(boosted(false)), { sampleRate: SR, frames, sources });
  const plain = bounce(planOf(boosted(true)), { sampleRate: SR, frames, sources });
  const matched = bounce(planOf(boosted(true)), { sampleRate: SR, frames, sources, matchBypass: 'all' });

  it('an EQ boosting 6 dB, bypassed matched, comes out within 0.5 LU of the processed loudness', () => {
    const lp = loudness(processed);
    const lb = loudness(plain);
    const lm = loudness(matched);
    // the boost is real: a plain bypass is more than 2 LU quieter than the processed sound
    expect(lp - lb).toBeGreaterThan(2);
    expect(Math.abs(lm - lp)).toBeLessThanOrEqual(0.5);
    // and the match is the loudness difference itself: out - in, measured on the music
    if (process.env.AUDIO_REPORT) console.log(`[measured] processed ${lp.toFixed(2)} LUFS, bypassed ${lb.toFixed(2)}, matched ${lm.toFixed(2)}`);
  });

  it('the matched bypass is the input scaled, not processed: its spectrum is the dry one', () => {
    // matched / plain is one gain (within the glide's small moves after the first 3 s)
    const from = 4 * SR;
    let num = 0;
    let den = 0;
    for (let i = from; i < frames; i++) {
      num += matched[0][i] * plain[0][i];
      den += plain[0][i] * plain[0][i];
    }
    const g = num / den;
    let residual = 0;
    let total = 0;
    for (let i = from; i < frames; i++) {
      const r = matched[0][i] - g * plain[0][i];
      residual += r * r;
      total += matched[0][i] * matched[0][i];
    }
    // a scaled copy to better than -40 dB (the EQ's own difference is far larger)
    expect(10 * Math.log10(residual / total)).toBeLessThan(-40);
    expect(20 * Math.log10(g)).toBeGreaterThan(2);
  });

  it('off by default, and turned off a bypass is the input to the bit again', () => {
    const r = renderWith(boosted(true), { seconds: 2, buffers: { 'song.wav': () => song.map((c) => c.slice(0, 2 * SR)) } });
    const direct = renderWith(session([node('song', 'track', { source: 'song.wav' }), node('m', 'master')], [edge('song', 'm')]), {
      seconds: 2,
      buffers: { 'song.wav': () => song.map((c) => c.slice(0, 2 * SR)) },
    });
    expect(maxDiff(r.left, direct.left)).toBe(0);
    // matched for a while, then off: after the dry gain's glide the input comes back exactly
    const m = renderWith(boosted(true), {
      seconds: 6,
      buffers: { 'song.wav': () => song.map((c) => c.slice(0, 6 * SR)) },
      before: (rt) => rt.matchBypass(['eq']),
      edits: [{ at: 4, apply: (rt) => rt.matchBypass('off') }],
    });
    expect(m.runtime.bypassMatch('eq')).toBeUndefined();
    const d = renderWith(session([node('song', 'track', { source: 'song.wav' }), node('m', 'master')], [edge('song', 'm')]), {
      seconds: 6,
      buffers: { 'song.wav': () => song.map((c) => c.slice(0, 6 * SR)) },
    });
    expect(maxDiff(m.left, d.left, 4 * SR)).toBe(0);
    expect(maxDiff(m.left, d.left, SR, 3 * SR)).toBeGreaterThan(0.01);
  });

  it('a live bypass toggle while matched glides: no sample jumps more than the music does', () => {
    const r = renderWith(boosted(false), {
      seconds: 8,
      buffers: { 'song.wav': () => song.map((c) => c.slice(0, 8 * SR)) },
      before: (rt) => rt.matchBypass('all'),
      edits: [{ at: 5, apply: (rt) => rt.update(planOf(boosted(true))) }],
    });
    expect(r.runtime.bypassMatch('eq')).toBeGreaterThan(2);
    let jump = 0;
    let musical = 0;
    for (let i = 1; i < r.left.length; i++) {
      const d = Math.abs(r.left[i] - r.left[i - 1]);
      if (i > 5 * SR - 10 && i < 5 * SR + 2000) jump = Math.max(jump, d);
      else musical = Math.max(musical, d);
    }
    expect(jump).toBeLessThanOrEqual(musical);
  });
});
