// Level tracks (src/mixing/level.ts) on rendered stems: every track's fader is set so that it
// gives the mix -18 LUFS through its own chain, measured again afterwards by an independent
// render and analyze() of each chain's output.
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/model/commands.ts';
import { nodeAt, type SessionDoc } from '../../src/model/document.ts';
import { analyze } from '../../src/dsp/loudness.ts';
import { bounce } from '../../src/runtime/render.ts';
import { memorySource } from '../../src/runtime/source.ts';
import { levelTracks } from '../../src/mixing/level.ts';
import { memoryAudio } from '../../src/mixing/render.ts';
import { planOrThrow, trackChains } from '../../src/mixing/graph.ts';
import { edge, node, session } from '../helpers/audio.ts';
import { bass, keys, kick, normalise, vocal } from '../helpers/stems.ts';
import { seededRandom } from '../../src/dsp/random.ts';

const SR = 48000;
const S = 10;
const noise = (db: number) => {
  const r = seededRandom(4);
  return normalise(Float32Array.from({ length: S * SR }, () => r() * 2 - 1), db);
};
const stems = new Map<string, Float32Array[]>([
  ['kick.wav', [kick(S, SR, -6)]],
  ['bass.wav', [bass(S, SR, -3)]],
  ['keys.wav', [keys(S, SR, -8 + 12)]], // 12 dB hotter than the others' peaks
  ['vox.wav', [vocal(S, SR, -10)]],
  ['silence.wav', [new Float32Array(S * SR)]],
  ['hiss.wav', [noise(-85)]],
]);

function band(): SessionDoc {
  return session(
    [
      node('kick', 'track', { source: 'kick.wav', gain: -3 }),
      node('kick_eq', 'eq', { bands: [{ type: 'lowshelf', frequency: 100, gain: 3, q: 0.707 }] }),
      node('bass', 'track', { source: 'bass.wav', gain: 2 }),
      node('bass_comp', 'compressor', { threshold: -18, ratio: 3, attack: 10, release: 120, makeup: 8 }),
      node('keys', 'track', { source: 'keys.wav' }),
      node('vox', 'track', { source: 'vox.wav', gain: -6, category: 'vocals' }),
      node('vox_ds', 'deesser', { threshold: -36, range: 6 }),
      node('vox_send', 'send', { level: -10 }),
      node('verb', 'reverb', { decay: 1.2 }),
      node('quiet', 'track', { source: 'silence.wav' }),
      node('hiss', 'track', { source: 'hiss.wav' }),
      node('loose', 'track', { source: 'kick.wav' }), // connected to nothing
      node('drums', 'bus'),
      node('m', 'master'),
    ],
    [
      edge('kick', 'kick_eq'),
      edge('kick_eq', 'drums'),
      edge('drums', 'm'),
      edge('bass', 'bass_comp'),
      edge('bass_comp', 'm'),
      edge('keys', 'm'),
      edge('vox', 'vox_ds'),
      edge('vox_ds', 'vox_send'),
      edge('vox_send', 'm'),
      edge('vox_send.send', 'verb'),
      edge('verb', 'm'),
      edge('quiet', 'm'),
      edge('hiss', 'm'),
    ],
  );
}

/**
 * Each chain rendered on its own and its main exits (the vocal's dry path and its own reverb return,
 * which only the vocal feeds) measured by analyze(): an independent check.
 */
function chainLoudness(doc: SessionDoc, path: string): number {
  const chain = trackChains(doc).find((c) => c.path === path)!;
  const exits = chain.exits.slice(0, chain.mainExits);
  const plan = {
    nodes: [...chain.plan!.nodes, { id: '__m', type: 'master', params: { gain: 0 }, bypass: false }],
    edges: [...chain.plan!.edges, ...exits.map((x) => ({ from: x.id, fromPort: x.port, to: '__m', toPort: 'in' }))],
  };
  const out = bounce(plan, { sampleRate: SR, frames: S * SR, sources: (name) => (stems.has(name) ? memorySource(stems.get(name)!, SR) : undefined) });
  return analyze(out, SR).integrated;
}

describe('level tracks', async () => {
  const doc = band();
  planOrThrow(doc);
  const result = await levelTracks(doc, { audio: memoryAudio(stems, SR) });
  const levelled = apply(doc, result.command!).doc;
  const byPath = new Map(result.tracks.map((t) => [t.path, t]));

  it('puts every sounding track at -18 LUFS through its chain (the 12 dB hotter keys included), within 0.5 LU', () => {
    for (const path of ['kick', 'bass', 'keys', 'vox']) {
      const t = byPath.get(path)!;
      expect(t.status, path).toBe('levelled');
      const measured = chainLoudness(levelled, path);
      if (process.env.AUDIO_REPORT) console.log(`[measured] ${path}: ${t.loudness!.toFixed(2)} LUFS at ${t.gainBefore} dB -> ${measured.toFixed(2)} LUFS at ${t.gainAfter} dB (${t.renders} renders)`);
      expect(Math.abs(measured - -18), path).toBeLessThanOrEqual(0.5);
      // the report's own figure agrees with the independent render
      expect(Math.abs(t.loudnessAfter! - measured), path).toBeLessThan(0.05);
      expect(nodeAt(levelled, path)!.params.gain).toBe(t.gainAfter);
    }
    // The hot keys came down by about 12 dB more than the kick did (both linear chains)
    expect(byPath.get('keys')!.gainAfter).toBeLessThan(-8);
  });

  it('linear chains take one render; the compressed bass is searched and lands within 0.1 LU', () => {
    expect(byPath.get('keys')!.renders).toBe(1);
    expect(byPath.get('kick')!.renders).toBe(1);
    expect(byPath.get('bass')!.renders).toBeGreaterThan(1);
    expect(Math.abs(byPath.get('bass')!.loudnessAfter! - -18)).toBeLessThanOrEqual(0.1);
  });

  it('leaves silent, near-silent and unconnected tracks alone, and names them', () => {
    expect(byPath.get('quiet')!.status).toBe('silent');
    expect(byPath.get('hiss')!.status).toBe('silent'); // -85 dBFS noise: under the -70 LUFS gate
    expect(byPath.get('loose')!.status).toBe('unreached');
    expect(result.silent.sort()).toEqual(['hiss', 'quiet']);
    for (const p of ['quiet', 'hiss', 'loose']) expect(nodeAt(levelled, p)!.params.gain).toBe(nodeAt(doc, p)!.params.gain);
  });

  it('is one undo step, and levelling again changes nothing', async () => {
    const again = await levelTracks(levelled, { audio: memoryAudio(stems, SR) });
    for (const t of again.tracks.filter((x) => x.status !== 'silent' && x.status !== 'unreached')) expect(Math.abs(t.loudness! - -18), t.path).toBeLessThanOrEqual(0.1);
    expect(result.command!.label).toBe('Level tracks to -18 LUFS');
  });

  it('takes another target', async () => {
    const r = await levelTracks(doc, { audio: memoryAudio(stems, SR), target: -23 });
    const keysAt = chainLoudness(apply(doc, r.command!).doc, 'keys');
    expect(Math.abs(keysAt - -23)).toBeLessThanOrEqual(0.5);
  });
});
