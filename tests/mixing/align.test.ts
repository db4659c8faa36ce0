// Align to a reference (src/mixing/align.ts, GCC-PHAT in src/dsp/gcc.ts) on synthesised drums:
// close microphones delayed, early, inverted and off by a fraction of a sample against an
// overhead that hears the whole kit, and tracks that share nothing with it.
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/model/commands.ts';
import { nodeAt, type SessionDoc } from '../../src/model/document.ts';
import { alignTracks } from '../../src/mixing/align.ts';
import { memoryAudio } from '../../src/mixing/render.ts';
import { edge, node, session } from '../helpers/audio.ts';
import { bass, delayed, hats, inverted, kick, overhead, snare, vocal } from '../helpers/stems.ts';

const SR = 48000;
const S = 12;
const stems = new Map<string, Float32Array[]>([
  ['overhead.wav', [overhead(S, SR)]],
  ['kick.wav', [delayed(kick(S, SR), 0.03 * SR)]], // 30 ms late: 1440 samples
  ['snare-bottom.wav', [inverted(snare(S, SR))]], // on time, polarity flipped
  ['snare-top.wav', [delayed(snare(S, SR), 10.25)]], // a quarter of a sample past 10
  ['hats.wav', [hats(S, SR).slice(240)]], // 5 ms early
  ['kick-on-time.wav', [kick(S, SR)]], // on time, but the session offsets it by +30 ms
  ['vox.wav', [vocal(S, SR)]], // nothing in common with the kit
  ['bass.wav', [bass(S, SR)]],
]);

function kit(): SessionDoc {
  const tracks = [
    node('oh', 'track', { source: 'overhead.wav', category: 'drums' }),
    node('kick', 'track', { source: 'kick.wav' }),
    node('sn_bot', 'track', { source: 'snare-bottom.wav' }),
    node('sn_top', 'track', { source: 'snare-top.wav', gain: -4 }),
    node('hats', 'track', { source: 'hats.wav', pan: 0.4 }),
    node('kick2', 'track', { source: 'kick-on-time.wav', offset: 30 }),
    node('vox', 'track', { source: 'vox.wav' }),
    node('bass', 'track', { source: 'bass.wav', mute: true }),
  ];
  return session([...tracks, node('m', 'master')], tracks.map((t) => edge(t.id, 'm')));
}

describe('align to the overhead', async () => {
  const doc = kit();
  const result = await alignTracks(doc, { reference: 'oh', audio: memoryAudio(stems, SR) });
  const t = new Map(result.tracks.map((x) => [x.path, x]));
  const aligned = apply(doc, result.command!).doc;
  if (process.env.AUDIO_REPORT) for (const x of result.tracks) console.log(`[measured] ${x.path}: ${x.status} delay ${x.delaySamples?.toFixed(3)} samples (${x.delayMs?.toFixed(3)} ms) inverted ${x.inverted} confidence ${x.confidence.toFixed(3)} coherence ${x.coherence.toFixed(3)}`);

  it('finds a kick 30 ms late to the sample (1440 samples at 48 kHz) and moves it 30 ms earlier', () => {
    const k = t.get('kick')!;
    expect(k.status).toBe('aligned');
    expect(Math.abs(k.delaySamples! - 1440)).toBeLessThan(0.5);
    expect(k.inverted).toBe(false);
    expect(k.offsetAfter).toBe(-30);
    expect(nodeAt(aligned, 'kick')!.params.offset).toBe(-30);
  });

  it('finds an inverted snare inverted (on time) and flips it', () => {
    const s = t.get('sn_bot')!;
    expect(s.inverted).toBe(true);
    expect(Math.abs(s.delaySamples!)).toBeLessThan(0.5);
    expect(s.invertAfter).toBe(true);
    expect(nodeAt(aligned, 'sn_bot')!.params.invert).toBe(true);
    expect(nodeAt(aligned, 'sn_bot')!.params.offset).toBe(0);
  });

  it('measures a fraction of a sample: 10.25 samples within 0.1', () => {
    const s = t.get('sn_top')!;
    expect(Math.abs(s.delaySamples! - 10.25)).toBeLessThan(0.1);
    expect(s.offsetAfter).toBeCloseTo((-10 / SR) * 1000, 6); // offsets play to the whole sample
  });

  it('finds an early track (5 ms) and an offset that made a track late, panned or not', () => {
    expect(Math.abs(t.get('hats')!.delaySamples! - -240)).toBeLessThan(0.5);
    expect(t.get('hats')!.offsetAfter).toBe(5);
    expect(Math.abs(t.get('kick2')!.delayMs! - 30)).toBeLessThan(0.5 / 48);
    expect(t.get('kick2')!.offsetAfter).toBe(0);
  });

  it('leaves tracks that share no material with the reference alone, with a low confidence (muted ones measured too)', () => {
    for (const p of ['vox', 'bass']) {
      const x = t.get(p)!;
      expect(x.status, p).toBe('low-confidence');
      expect(x.confidence, p).toBeLessThan(0.5);
      expect(nodeAt(aligned, p)!.params.offset).toBe(0);
      expect(nodeAt(aligned, p)!.params.invert).toBe(false);
    }
    for (const p of ['kick', 'sn_bot', 'sn_top', 'hats', 'kick2']) expect(t.get(p)!.confidence, p).toBeGreaterThan(0.7);
    expect(t.get('oh')!.status).toBe('reference');
  });

  it('is one undo step; aligning the aligned session again finds nothing to move', async () => {
    expect(result.command!.label).toBe('Align to oh');
    const again = await alignTracks(aligned, { reference: 'oh', audio: memoryAudio(stems, SR) });
    expect(again.command).toBeNull();
    for (const p of ['kick', 'sn_bot', 'hats', 'kick2']) expect(again.tracks.find((x) => x.path === p)!.status, p).toBe('unchanged');
  });
});
