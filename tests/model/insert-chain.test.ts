// insertChain: a chain document put in place of one edge, as one undoable command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import { compile } from '../../src/compiler/compile.ts';
import { apply, insertChain, insertChainOnMix, masterInputs } from '../../src/model/commands.ts';
import type { ChainDoc, SessionDoc } from '../../src/model/document.ts';
import { History } from '../../src/model/history.ts';
import { validate } from '../../src/model/validate.ts';
import { loadChain } from '../../src/presets/chain.ts';
import { loadSession } from '../../src/presets/load.ts';
import { renderSession, toneDb } from '../helpers/audio.ts';
import { clone, demo, edge, node, session } from './build.ts';

const ROOT = join(import.meta.dirname, '../..');
const shipped = (name: string): ChainDoc => loadChain(readFileSync(join(ROOT, 'presets/chains', `${name}.json`), 'utf8'), `${name}.json`);
const realDemo = (): SessionDoc => loadSession(readFileSync(join(ROOT, 'presets/demo/demo.json'), 'utf8'), 'demo.json');

/** A chain from node specs and "a->b" edges (ids `input` and `output` are the ends). */
function chainOf(nodes: Parameters<typeof node>[0][], edges: string[], name = 'Test chain'): ChainDoc {
  return { format: 'mixgraph', version: 2, kind: 'chain', name, meta: { author: '', description: '', tags: [] }, nodes: nodes.map(node), edges: edges.map(edge) };
}

const eqLimiter = () =>
  chainOf(
    [
      { id: 'eq', type: 'eq', label: 'Tilt' },
      { id: 'limiter', type: 'limiter', params: { ceiling: -2 } },
    ],
    ['input->eq', 'eq->limiter', 'limiter->output'],
  );

describe('insertChain', () => {
  it('gives the chain nodes fresh ids, keeping their type, label and params', () => {
    // The document already has an "eq" and a "limiter": the chain's become eq2 and limiter2.
    const doc = session(
      [['src', 'generator'], ['eq', 'eq'], ['limiter', 'limiter'], ['m', 'master']],
      ['src->eq', 'eq->limiter', 'limiter->m'],
    );
    const { doc: next } = apply(doc, insertChain(eqLimiter(), edge('limiter->m')));
    const added = next.nodes.slice(doc.nodes.length);
    expect(added.map((n) => [n.id, n.type, n.label])).toEqual([
      ['eq2', 'eq', 'Tilt'],
      ['limiter2', 'limiter', undefined],
    ]);
    expect(added[1].params).toEqual({ ceiling: -2, release: 60, lookahead: 5 }); // given ceiling, defaults filled
    expect(next.nodes.slice(0, doc.nodes.length)).toEqual(doc.nodes); // nothing else touched
  });

  it('wires input to the edge start and output to the edge end, and removes the edge', () => {
    const doc = demo();
    const { doc: next } = apply(doc, insertChain(eqLimiter(), edge('comp->drums')));
    expect(next.edges).not.toContainEqual(edge('comp->drums'));
    expect(next.edges).toEqual([...doc.edges.filter((e) => e.from !== 'comp'), edge('comp->eq'), edge('eq->limiter'), edge('limiter->drums')]);
    expect(validate(next)).toEqual([]);
    expect(compile(next).ok).toBe(true);
  });

  it('keeps the ports of the edge it replaces (a send output into a sidechain input)', () => {
    const doc = session(
      [['src', 'generator'], ['key', 'generator'], ['snd', 'send'], ['comp', 'compressor'], ['m', 'master']],
      ['src->comp', 'key->snd', 'snd.send->comp.sidechain', 'comp->m', 'snd->m'],
    );
    const chain = chainOf([{ id: 'hp', type: 'eq' }], ['input->hp', 'hp->output']);
    const { doc: next } = apply(doc, insertChain(chain, edge('snd.send->comp.sidechain')));
    expect(next.edges).toContainEqual(edge('snd.send->hp'));
    expect(next.edges).toContainEqual(edge('hp->comp.sidechain'));
    expect(validate(next)).toEqual([]);
  });

  it('lays the nodes out left to right between the two nodes, or from `at`', () => {
    const doc = realDemo();
    // mix_bus -> master_eq: too close for five nodes, so they go in a row below, starting right of mix_bus.
    const from = doc.nodes.find((n) => n.id === 'mix_bus')!.position!;
    const to = doc.nodes.find((n) => n.id === 'master_eq')!.position!;
    expect(to.x - from.x).toBeLessThan(6 * 200);
    const { doc: below } = apply(doc, insertChain(shipped('streaming'), { from: 'mix_bus', fromPort: 'out', to: 'master_eq', toPort: 'in' }));
    const xs = below.nodes.slice(doc.nodes.length).map((n) => n.position!.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(5);
    expect(xs[0]).toBeGreaterThan(from.x);
    for (const n of below.nodes.slice(doc.nodes.length)) expect(n.position!.y).toBeGreaterThan(Math.max(from.y, to.y));

    // Far apart: spread evenly between, on the line joining them.
    const wide = session([['a', 'generator'], ['m', 'master']], ['a->m']);
    wide.nodes[0].position = { x: 0, y: 0 };
    wide.nodes[1].position = { x: 1200, y: 120 };
    const { doc: between } = apply(wide, insertChain(eqLimiter(), edge('a->m')));
    expect(between.nodes.slice(2).map((n) => n.position)).toEqual([
      { x: 400, y: 40 },
      { x: 800, y: 80 },
    ]);
    const { doc: placed } = apply(wide, insertChain(eqLimiter(), edge('a->m'), { x: 50, y: 500 }));
    expect(placed.nodes.slice(2).map((n) => n.position)).toEqual([
      { x: 50, y: 500 },
      { x: 290, y: 500 },
    ]);
  });

  it('is one undo step that restores the original document exactly; redo puts it back', () => {
    const original = realDemo();
    const copy = clone(original);
    const history = new History(original);
    const inserted = history.run(insertChain(shipped('demo-master'), { from: 'mix_bus', fromPort: 'out', to: 'master_eq', toPort: 'in' }));
    // The demo holds the same chain already: every id gets a suffix.
    expect(inserted.nodes.slice(original.nodes.length).map((n) => n.id)).toEqual(['master_eq2', 'master_comp2', 'master_sat2', 'master_gain2', 'master_limiter2', 'master_loudness2']);
    expect(history.undoLabel).toBe('Insert Demo mastering chain');
    expect(history.undo()).toEqual(copy);
    expect(history.canUndo).toBe(false);
    expect(history.redo()).toEqual(inserted);
  });

  it('every shipped chain inserts into the demo and the result compiles', () => {
    for (const name of ['streaming', 'club', 'broadcast-ebu-r128', 'demo-master']) {
      const { doc } = apply(realDemo(), insertChain(shipped(name), { from: 'mix_bus', fromPort: 'out', to: 'master_eq', toPort: 'in' }));
      expect(validate(doc), name).toEqual([]);
      expect(compile(doc).ok, name).toBe(true);
    }
  });

  it('refuses, changing nothing, a chain that would make the session invalid, and says why', () => {
    const doc = demo();
    const history = new History(doc);
    const withMaster = chainOf([{ id: 'm2', type: 'master' }], ['input->m2', 'm2->output']);
    expect(() => history.run(insertChain(withMaster, edge('comp->drums')))).toThrow(
      /Cannot insert "Test chain" at comp\.out -> drums\.in: the session would become invalid: .*2 master nodes \("master", "m2"\); a session has exactly one/,
    );
    // A loop inside the chain with no delay in it: Web Audio would silence it.
    const loop = chainOf([{ id: 'a', type: 'gain' }, { id: 'b', type: 'gain' }], ['input->a', 'a->b', 'b->a', 'b->output']);
    expect(() => history.run(insertChain(loop, edge('comp->drums')))).toThrow(/feedback loop without a delay: a -> b -> a/);
    expect(() => history.run(insertChain(eqLimiter(), edge('kick->drums')))).toThrow('Cannot insert "Test chain": there is no edge kick.out -> drums.in');
    expect(history.doc).toBe(doc);
    expect(history.canUndo).toBe(false);
  });

  it('a problem the session had before is not blamed on the chain', () => {
    // Two masters already (an invalid file being repaired): inserting a plain EQ is still allowed.
    const doc = session([['src', 'generator'], ['m', 'master'], ['m2', 'master']], ['src->m']);
    const { doc: next } = apply(doc, insertChain(chainOf([{ id: 'hp', type: 'eq' }], ['input->hp', 'hp->output']), edge('src->m')));
    expect(next.edges).toEqual([edge('src->hp'), edge('hp->m')]);
  });

  it('the inserted streaming chain is in the signal path: a 0 dBFS tone comes out limited to its -1 dBTP ceiling', async () => {
    const doc = session(
      [
        { id: 'tone', type: 'generator', params: { frequency: 1000, level: 0 } },
        { id: 'm', type: 'master' },
      ],
      ['tone->m'],
    );
    const { doc: mastered } = apply(doc, insertChain(shipped('streaming'), edge('tone->m')));
    const sr = 48000;
    const out = await renderSession(mastered, { seconds: 2, sampleRate: sr });
    const report = analyze([out.left, out.right], sr);
    // The limiter's ceiling is -1 dBTP; 0.1 dB for the detector's own accuracy (see tests/dsp/truepeak.test.ts).
    expect(report.truePeak).toBeLessThanOrEqual(-0.9);
    // Still the tone, turned down by the chain's multiband: 1 kHz is in its mid band (120 Hz-4 kHz),
    // threshold -18 dB at 1.5:1, so a 0 dB peak is 18 dB over and loses 18 * (1 - 1/1.5) = 6 dB.
    // The EQ's bands (300 Hz -1 dB, 10 kHz shelf +1 dB) move 1 kHz by a few tenths: ±0.5 dB (toBeCloseTo, 0 digits).
    expect(toneDb(out.left, 1000, sr, sr, sr)).toBeCloseTo(-6, 0);
  }, 180_000);
});

describe('insertChainOnMix: the chain on the whole mix', () => {
  // Three tones straight into the master: the case where "Insert chain" used to pick one edge.
  const tones = () =>
    session(
      [
        { id: 'a', type: 'generator', params: { frequency: 220, level: -20 } },
        { id: 'b', type: 'generator', params: { frequency: 1000, level: -20 } },
        { id: 'c', type: 'generator', params: { frequency: 3000, level: -20 } },
        { id: 'm', type: 'master' },
      ],
      ['a->m', 'b->m', 'c->m'],
    );
  const minus6 = () => chainOf([{ id: 'trim', type: 'gain', params: { gain: -6 } }], ['input->trim', 'trim->output'], 'Trim');

  it('a new bus collects every input of the master, then the chain; one undo step', () => {
    const h = new History(tones());
    const before = clone(h.doc);
    h.run(insertChainOnMix(minus6()));
    expect(h.doc.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(['a->mix_bus', 'b->mix_bus', 'c->mix_bus', 'mix_bus->trim', 'trim->m'].sort());
    expect(h.doc.nodes.find((n) => n.id === 'mix_bus')).toMatchObject({ type: 'bus', label: 'Mix bus' });
    expect(validate(h.doc)).toEqual([]);
    expect(h.undoLabel).toBe('Insert Trim on the whole mix');
    h.undo();
    expect(h.doc).toEqual(before);
    h.redo();
    expect(h.doc.nodes.some((n) => n.id === 'trim')).toBe(true);
  });

  it('every tone goes through the chain: each is 6 dB down in the render', async () => {
    const h = new History(tones());
    const dry = await renderSession(h.doc, { seconds: 0.3 });
    h.run(insertChainOnMix(minus6()));
    const wet = await renderSession(h.doc, { seconds: 0.3 });
    for (const f of [220, 1000, 3000]) {
      // A -6 dB gain on the sum: each tone's level drops by 6 dB (±0.05 dB for the tone measure)
      expect(toneDb(wet.left, f, 48000, 4800, 9600) - toneDb(dry.left, f, 48000, 4800, 9600)).toBeCloseTo(-6, 1);
    }
  });

  it('as a group; an existing mix_bus id is not reused; no master input is a clear refusal', () => {
    const h = new History(tones());
    h.run(insertChainOnMix(minus6(), { asGroup: true }));
    expect(h.doc.nodes.find((n) => n.type === 'group')!.id).toBe('trim');
    expect(h.doc.edges.map((e) => `${e.from}->${e.to}`)).toContain('trim->m');
    h.run(insertChainOnMix(minus6()));
    expect(h.doc.nodes.map((n) => n.id)).toContain('mix_bus2');
    const empty = new History(session([['m', 'master']]));
    expect(() => empty.run(insertChainOnMix(minus6()))).toThrow(/nothing reaches the master yet/);
    expect(masterInputs(tones())).toHaveLength(3);
  });
});
