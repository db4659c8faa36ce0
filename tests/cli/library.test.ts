// The built-in library in presets/ (chains/, nodes/, templates/): every preset has a name, a description
// written for the person using it and tags; validates with `mixgraph validate`; renders with `mixgraph
// render` (a chain or node preset through a short generated source, a template with generated stems);
// and the mastering chains land on the loudness they promise under their ceiling (`mixgraph master`).
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';

import { encodeWav } from '../../src/io/wav.ts';
import { analyze } from '../../src/dsp/loudness.ts';
import { truePeakOf } from '../../src/dsp/truepeak.ts';
import { chainTarget } from '../../src/mastering/master.ts';
import { walkNodes, type ChainDoc, type SessionDoc } from '../../src/model/document.ts';
import { reachingMaster } from '../../src/model/flatten.ts';
import { chainToSession, loadChain } from '../../src/presets/chain.ts';
import { loadNodePreset, loadSession, saveSession } from '../../src/presets/load.ts';
import { readWav, run, scratch, songChannels, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT });

const ROOT = join(import.meta.dirname, '../..');
const dir = scratch();
const list = (folder: string) => readdirSync(join(ROOT, 'presets', folder)).filter((f) => f.endsWith('.json')).map((f) => join('presets', folder, f));
const chains = list('chains');
const nodes = list('nodes');
const templates = list('templates');
const all = [...chains, ...nodes, ...templates];
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

// A short generated song (kick, hats, a swelling pad) as the source for chains and node presets.
write(dir, 'song.wav', encodeWav(songChannels(4, 48000, -8, 3), 48000, '24'));
// The demo's generated stems (scripts/make-stems.ts) as the templates' audio, by category.
for (const stem of ['drums', 'bass', 'keys', 'vox']) copyFileSync(join(ROOT, 'presets/demo/stems', `${stem}.wav`), join(dir, `${stem}.wav`));
const STEM_FOR: Record<string, string> = { drums: 'drums.wav', bass: 'bass.wav', guitar: 'keys.wav', keys: 'keys.wav', vocals: 'vox.wav', other: 'keys.wav' };

describe('the built-in library', () => {
  test('at least 12 presets: mastering and mixing chains, node presets and templates, each described for its user', () => {
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const file of all) {
      const doc = JSON.parse(text(file));
      expect(doc.name, file).toMatch(/\S/);
      expect(doc.meta.description.length, `${file}: a description of a few sentences`).toBeGreaterThan(120);
      expect(doc.meta.author, file).toBe('Mixgraph');
      expect(doc.meta.tags.length, file).toBeGreaterThan(0);
    }
    const tagged = (tag: string) => chains.filter((f) => JSON.parse(text(f)).meta.tags.includes(tag)).length;
    expect(tagged('mastering')).toBeGreaterThanOrEqual(5);
    expect(tagged('mixing')).toBeGreaterThanOrEqual(4);
    expect(templates.map((f) => JSON.parse(text(f)).name).sort()).toEqual(['Band mix', 'Podcast, two voices']);
  });

  test.each(all)('%s validates', async (file) => {
    const r = await run(['validate', join(ROOT, file)], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: ok \(/);
  });

  test.each(chains)('%s renders a generated song through it', async (file) => {
    const chain = loadChain(text(file), file);
    const session = chainToSession(chain, 'song.wav');
    const name = `chain-${file.split('/').pop()}`;
    write(dir, name, saveSession(session));
    const r = await run(['render', name, '-o', `${name}.wav`], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const wav = readWav(join(dir, `${name}.wav`));
    const report = analyze(wav.channels, wav.sampleRate);
    expect(Number.isFinite(report.integrated), 'the chain passes sound').toBe(true);
    for (const c of wav.channels) expect(c.every(Number.isFinite)).toBe(true);
  });

  const mastering = chains.filter((f) => chainTarget(loadChain(text(f))) !== null);
  test.each(mastering)('%s masters to the loudness it promises, under its ceiling (mixgraph master)', async (file) => {
    const chain = loadChain(text(file));
    const target = chainTarget(chain)!;
    const ceiling = Math.min(...chain.nodes.filter((n) => n.type === 'limiter').map((n) => n.params.ceiling as number));
    const out = `mastered-${file.split('/').pop()}.wav`;
    const r = await run(['master', join(ROOT, file), 'song.wav', '-o', out, '--json'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // Auto-gain's promise: within 0.5 LU of the chain's target; true peak at most its ceiling (+0.1 for the 4x meter)
    expect(Math.abs(report.integrated - target)).toBeLessThanOrEqual(0.5);
    expect(report.truePeak).toBeLessThanOrEqual(ceiling + 0.1);
    const wav = readWav(join(dir, out));
    expect(Math.abs(analyze(wav.channels, wav.sampleRate).integrated - target)).toBeLessThanOrEqual(0.5);
  });

  test.each(nodes)('%s renders (a node of its type, set to the preset, on a generated song)', async (file) => {
    const preset = loadNodePreset(text(file), file);
    const chain: ChainDoc = { format: 'mixgraph', version: 2, kind: 'chain', name: preset.name, meta: preset.meta, nodes: [{ id: 'p', type: preset.type, params: preset.params }], edges: [{ from: 'input', fromPort: 'out', to: 'p', toPort: 'in' }, { from: 'p', fromPort: 'out', to: 'output', toPort: 'in' }] };
    const name = `node-${file.split('/').pop()}`;
    write(dir, name, saveSession(chainToSession(chain, 'song.wav')));
    const r = await run(['render', name, '-o', `${name}.wav`], dir);
    expect(r.code).toBe(0);
    expect(Number.isFinite(analyze(readWav(join(dir, `${name}.wav`)).channels, 48000).integrated)).toBe(true);
  });

  test.each(templates)('%s renders with generated stems: every track heard, true peak under the limiter ceiling', async (file) => {
    const doc: SessionDoc = loadSession(text(file), file);
    const tracks = [...walkNodes(doc)].filter(({ node }) => node.type === 'track');
    expect(tracks.length).toBeGreaterThanOrEqual(2);
    for (const { node } of tracks) {
      expect(node.params.source, 'a template ships without audio').toBe('');
      node.params.source = STEM_FOR[node.params.category as string];
    }
    const heard = reachingMaster(doc);
    for (const { path } of tracks) expect(heard.has(path), `${path} reaches the master`).toBe(true);
    const name = `template-${file.split('/').pop()}`;
    write(dir, name, saveSession(doc));
    const r = await run(['render', name, '-o', `${name}.wav`], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const wav = readWav(join(dir, `${name}.wav`));
    const limiter = [...walkNodes(doc)].find(({ node }) => node.type === 'limiter')!.node;
    expect(20 * Math.log10(truePeakOf(wav.channels, wav.sampleRate))).toBeLessThanOrEqual((limiter.params.ceiling as number) + 0.1);
    expect(analyze(wav.channels, wav.sampleRate).integrated).toBeGreaterThan(-40);
  });
});
