// The mastering chains that ship in presets/chains: each loads, carries its target, and masters a
// real (generated) mix onto that target under its ceiling, measured on the result.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { truePeakOf } from '../../src/dsp/truepeak.ts';
import { chainTarget, master } from '../../src/mastering/master.ts';
import { loadChain } from '../../src/presets/chain.ts';
import { chainToGroupNode } from '../../src/model/groups.ts';
import type { ChainDoc } from '../../src/model/document.ts';
import { loadSession } from '../../src/presets/load.ts';
import { songChannels } from '../helpers/signals.ts';

const DIR = join(import.meta.dirname, '../../presets/chains');
const load = (name: string) => loadChain(readFileSync(join(DIR, name), 'utf8'), name);

describe('shipped mastering chains', () => {
  it('the mastering chains (tag "mastering") ship with a limiter and a loudness target; mixing chains with neither', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    const mastering = files.filter((f) => load(f).meta.tags.includes('mastering'));
    expect(mastering).toEqual(['broadcast-ebu-r128.json', 'club.json', 'demo-master.json', 'gentle-acoustic.json', 'podcast-speech.json', 'streaming.json']);
    const targets = Object.fromEntries(mastering.map((f) => [f, chainTarget(load(f))]));
    expect(targets).toEqual({ 'broadcast-ebu-r128.json': -23, 'club.json': -8, 'demo-master.json': -14, 'gentle-acoustic.json': -16, 'podcast-speech.json': -16, 'streaming.json': -14 });
    for (const f of mastering) expect(load(f).nodes.some((n) => n.type === 'limiter'), f).toBe(true);
    const mixing = files.filter((f) => load(f).meta.tags.includes('mixing'));
    expect(mixing).toEqual(['acoustic-guitar.json', 'bass.json', 'drum-bus-glue.json', 'drum-close-mic.json', 'lead-vocal.json']);
    for (const f of mixing) expect(chainTarget(load(f)), f).toBeNull();
  });

  it("demo-master.json is the demo session's mastering chain, node for node", () => {
    const demo = loadSession(readFileSync(join(import.meta.dirname, '../../presets/demo/demo.json'), 'utf8'));
    const chain = load('demo-master.json');
    for (const n of chain.nodes) {
      const inDemo = demo.nodes.find((d) => d.id === n.id);
      expect(inDemo?.params, n.id).toEqual(n.params);
    }
    // The same order: mix bus -> ... -> master in the session, input -> ... -> output in the chain
    const path = (edges: { from: string; to: string }[], start: string, end: string) => {
      const out = [start];
      while (out[out.length - 1] !== end) out.push(edges.find((e) => e.from === out[out.length - 1])!.to);
      return out.slice(1, -1);
    };
    expect(path(chain.edges, 'input', 'output')).toEqual(path(demo.edges.filter((e) => !e.fromPort || e.fromPort === 'out'), 'mix_bus', 'master'));
  });

  for (const [file, ceiling] of [
    ['streaming.json', -1],
    ['broadcast-ebu-r128.json', -1],
    ['club.json', -0.3],
    ['podcast-speech.json', -1],
    ['gentle-acoustic.json', -1],
  ] as const) {
    it(`${file} masters a mix to its target within ±0.5 LU, true peak at most ${ceiling} + 0.1 dBTP`, async () => {
      const chain = load(file);
      const target = chainTarget(chain)!;
      const r = await master(chain, { channels: songChannels(3, 48000, -10, 5), sampleRate: 48000 }, { target, ceiling: null });
      expect(Math.abs(r.report.integrated - target)).toBeLessThanOrEqual(0.5);
      expect(20 * Math.log10(truePeakOf(r.audio.channels, 48000))).toBeLessThanOrEqual(ceiling + 0.1);
      expect(r.audio.channels[0].length).toBe(3 * 48000);
    }, 180_000);
  }
});

describe('a chain whose limiter is inside a group', () => {
  it('masters to its target like the chain itself: the limiter is found through the group, none is added', async () => {
    const streaming = load('streaming.json');
    const wrapped: ChainDoc = {
      ...streaming,
      nodes: [chainToGroupNode(streaming, 'master_chain')],
      edges: [{ from: 'input', fromPort: 'out', to: 'master_chain', toPort: 'in' }, { from: 'master_chain', fromPort: 'out', to: 'output', toPort: 'in' }],
    };
    expect(chainTarget(wrapped)).toBe(-14);
    const input = { channels: songChannels(3, 48000, -10, 5), sampleRate: 48000 };
    const [plain, grouped] = [await master(streaming, input, { target: -14, ceiling: null }), await master(wrapped, input, { target: -14, ceiling: null })];
    expect(grouped.addedLimiter).toBe(false);
    expect(Math.abs(grouped.report.integrated - -14)).toBeLessThanOrEqual(0.5);
    expect(grouped.gainDb).toBeCloseTo(plain.gainDb, 6); // the same search on the same audio
  }, 180_000);
});
