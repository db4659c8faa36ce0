// Mix check (src/mixing/mixcheck.ts) on rendered stems: a balanced session (the fixture
// tests/fixtures/mixing/balanced.json, the proof) gives no finding; each finding is raised on
// material made for it, and applying its suggestion clears it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/model/commands.ts';
import { nodeAt, type SessionDoc } from '../../src/model/document.ts';
import { loadSession } from '../../src/presets/load.ts';
import { mixCheck, type MixCheckResult } from '../../src/mixing/mixcheck.ts';
import { memoryAudio } from '../../src/mixing/render.ts';
import { planOrThrow } from '../../src/mixing/graph.ts';
import { bandStems } from '../helpers/stems.ts';

const SR = 48000;
const S = 8;
const stems = bandStems(S, SR);
const audio = memoryAudio(stems, SR);
const balanced = (): SessionDoc => loadSession(readFileSync(new URL('../fixtures/mixing/balanced.json', import.meta.url), 'utf8'), 'balanced.json');

function show(name: string, r: MixCheckResult) {
  if (!process.env.AUDIO_REPORT) return;
  console.log(`[measured] ${name}: mix ${r.mixLoudness.toFixed(2)} LUFS`);
  for (const t of r.tracks) console.log(`[measured]   ${t.path}: ${t.loudness?.toFixed(2)} LUFS (${t.relative?.toFixed(2)} LU)`);
  for (const f of r.findings) console.log(`[measured]   ${f.kind}: ${f.message} | ${JSON.stringify(f.figures)} | ${f.suggestion?.text}`);
}

/** The balanced session with some params changed: [path, param, value]. */
function variant(changes: [string, string, unknown][]): SessionDoc {
  const doc = balanced();
  for (const [path, param, value] of changes) (nodeAt(doc, path)!.params as Record<string, unknown>)[param] = value;
  return doc;
}

describe('mix check', async () => {
  it('finds nothing in the balanced session', async () => {
    const doc = balanced();
    planOrThrow(doc);
    const r = await mixCheck(doc, { audio });
    show('balanced', r);
    expect(r.findings).toEqual([]);
    expect(r.tracks.every((t) => t.loudness !== null)).toBe(true);
  });

  it('flags a track 12 dB hotter as dominating, and its fix clears it', async () => {
    const doc = variant([['keys', 'gain', 12]]);
    const r = await mixCheck(doc, { audio });
    show('keys +12', r);
    const f = r.findings.find((x) => x.kind === 'dominating');
    expect(f?.tracks).toEqual(['keys']);
    expect(f!.figures.over).toBeGreaterThan(6);
    expect(f!.suggestion!.edit).toMatchObject({ type: 'gain', track: 'keys' });
    const fixed = await mixCheck(apply(doc, f!.suggestion!.command).doc, { audio });
    expect(fixed.findings.filter((x) => x.kind === 'dominating')).toEqual([]);
  });

  it('finds a masking pair (two pads in one register) with a peaking cut that clears it', async () => {
    const doc = balanced();
    doc.nodes.push({ id: 'pad', type: 'track', label: 'Pad', params: { ...nodeAt(doc, 'keys')!.params, source: 'pad.wav', pan: 0.3, gain: 0 } });
    doc.edges.push({ from: 'pad', fromPort: 'out', to: 'master', toPort: 'in' });
    const r = await mixCheck(doc, { audio });
    show('keys + pad', r);
    const f = r.findings.find((x) => x.kind === 'masking');
    expect(f?.tracks.sort()).toEqual(['keys', 'pad']);
    expect(f!.suggestion!.edit.type).toBe('peaking-cut');
    expect(f!.figures.fraction).toBeGreaterThan(0.8);
    const fixed = await mixCheck(apply(doc, f!.suggestion!.command).doc, { audio });
    show('keys + pad, cut', fixed);
    // the pair no longer masks anywhere in the bands the finding named
    const pair = fixed.findings.filter((x) => x.kind === 'masking' && x.tracks.includes('pad') && x.tracks.includes('keys'));
    for (const x of pair) expect(x.figures.high < f!.figures.low || x.figures.low > f!.figures.high, x.message).toBe(true);
  });

  it('finds a sub bass and the kick masking each other when the bass is not ducked, and its duck clears it', async () => {
    // a sub bass (its roots from 44 to 65 Hz on every beat) sits where the kick's body is (its 110 -> 48 Hz sweep)
    const doc = variant([
      ['bass', 'source', 'sub-bass.wav'],
      ['bass', 'gain', -4], // about as loud as the kick
    ]);
    doc.nodes = doc.nodes.filter((n) => n.id !== 'bass_duck');
    doc.edges = doc.edges.filter((e) => e.from !== 'bass_duck' && e.to !== 'bass_duck');
    doc.edges.push({ from: 'bass', fromPort: 'out', to: 'master', toPort: 'in' });
    const r = await mixCheck(doc, { audio });
    show('bass not ducked', r);
    const f = r.findings.find((x) => x.kind === 'masking');
    expect(f?.tracks.sort()).toEqual(['bass', 'kick']);
    expect(f!.suggestion!.edit).toEqual({ type: 'duck', key: 'kick', target: 'bass' });
    const ducked = apply(doc, f!.suggestion!.command).doc;
    expect(ducked.edges.some((e) => e.from === 'kick' && e.toPort === 'sidechain')).toBe(true);
    const fixed = await mixCheck(ducked, { audio });
    show('bass ducked by the suggestion', fixed);
    expect(fixed.findings.filter((x) => x.kind === 'masking')).toEqual([]);
  });

  it('finds a buried vocal and one on top; the fader fix clears each', async () => {
    for (const [gain, kind] of [[-14, 'vocal-buried'], [12, 'vocal-on-top']] as const) {
      const doc = variant([['vox', 'gain', gain]]);
      const r = await mixCheck(doc, { audio });
      show(`vox ${gain}`, r);
      const f = r.findings.find((x) => x.kind === kind);
      expect(f?.tracks, kind).toEqual(['vox']);
      const fixed = await mixCheck(apply(doc, f!.suggestion!.command).doc, { audio });
      expect(fixed.findings.filter((x) => x.kind.startsWith('vocal'))).toEqual([]);
    }
  });
});
