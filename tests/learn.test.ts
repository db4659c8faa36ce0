// The Learn panel's content and its Listen example, for every node type in the palette: the teaching
// text is there, every param is explained, and the example is a real, valid session edit that is heard
// at the master (rendered through the runtime with the demo stems) and taken back without a trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_STEMS, type ParamSpec } from '../nodes/define.ts';
import { definitions, getDefinition } from '../nodes/registry.ts';
import { compile } from '../src/compiler/compile.ts';
import { decodeWav } from '../src/io/wav-read.ts';
import { addNode, apply, connect, moveNodes, type Command } from '../src/model/commands.ts';
import { emptySession, type SessionDoc } from '../src/model/document.ts';
import { exampleInDoc, exampleTarget, LISTEN_LABEL, listenExample, listenStemSource, removeListenExample, type ListenExample } from '../src/model/listen.ts';
import { validate } from '../src/model/validate.ts';
import { loadSession, saveSession } from '../src/presets/load.ts';
import { renderWith, rmsDb, type SourceMaker } from './helpers/audio.ts';

const ROOT = join(import.meta.dirname, '..');
const demo = loadSession(readFileSync(join(ROOT, 'presets/demo/demo.json'), 'utf8'), 'demo.json');
const STEM_RATE = 44100;
const stems: Record<string, SourceMaker> = Object.fromEntries(
  DEMO_STEMS.map((s) => {
    const wav = decodeWav(new Uint8Array(readFileSync(join(ROOT, `presets/demo/stems/${s}.wav`))));
    expect(wav.sampleRate).toBe(STEM_RATE);
    return [listenStemSource(s), () => wav.channels];
  }),
);

/** A session with only a master: what reaches it comes from the example alone. */
function bare(): SessionDoc {
  return apply(emptySession('bare'), addNode({ id: 'master', type: 'master', position: { x: 800, y: 0 } })).doc;
}

function run(doc: SessionDoc, command: Command): SessionDoc {
  return apply(doc, command).doc;
}

/** The example added, or the test fails saying why it was refused. */
function added(doc: SessionDoc, type: string, options: Parameters<typeof listenExample>[2] = {}): { doc: SessionDoc; example: ListenExample } {
  const plan = listenExample(doc, type, options);
  if (!plan.command) throw new Error(`${type}: ${plan.reason}`);
  return { doc: run(doc, plan.command), example: plan.example };
}

/** The level at the speakers over the first two seconds of the session, in dBFS RMS (louder channel). */
function heardDb(doc: SessionDoc): number {
  const r = renderWith(doc, { seconds: 2, sampleRate: STEM_RATE, buffers: stems });
  r.runtime.dispose();
  return Math.max(rmsDb(r.left), rmsDb(r.right));
}

const explained = (text: string | undefined) => typeof text === 'string' && text.trim().length >= 12;

describe('Learn: every node type explains itself', () => {
  it('every type in the palette has why, typical settings, a pitfall and a Listen example that says what to hear', () => {
    for (const def of definitions) {
      const learn = def.learn;
      expect(learn, `${def.type} has learn text`).toBeDefined();
      for (const key of ['why', 'typical', 'pitfall'] as const) expect(learn![key].length, `${def.type}.learn.${key}`).toBeGreaterThan(30);
      expect(learn!.listen.hear.length, `${def.type}: what to hear`).toBeGreaterThan(30);
    }
  });

  it('every param is explained, by its own description or by the learn text (list items too), and learn names only real params', () => {
    for (const def of definitions) {
      const extra = def.learn?.params ?? {};
      const check = (key: string, spec: ParamSpec) => expect(explained(extra[key] ?? spec.description), `${def.type}: param ${key} is explained`).toBe(true);
      for (const [key, spec] of Object.entries(def.params)) {
        check(key, spec);
        if (spec.kind === 'list') for (const [field, item] of Object.entries(spec.item)) check(`${key}.${field}`, item);
      }
      for (const key of Object.keys(extra)) {
        const [param, field] = key.split('.');
        const spec = def.params[param];
        expect(spec, `${def.type}: learn.params.${key} names a param`).toBeDefined();
        if (field) expect(spec.kind === 'list' && field in spec.item, `${def.type}: ${key} names a list field`).toBe(true);
      }
    }
  });

  it('every recipe names real node types, and its params are valid for them', () => {
    for (const def of definitions) {
      const r = def.learn!.listen;
      for (const t of [r.through?.type, r.aux?.type].filter(Boolean) as string[]) expect(getDefinition(t), `${def.type}: ${t}`).toBeDefined();
      if (r.aux) expect(def.ports.outputs.some((p) => p.id === r.aux!.port), `${def.type}: aux port ${r.aux.port}`).toBe(true);
      for (const name of Object.keys(r.params ?? {})) expect(def.params[name], `${def.type}: recipe param ${name}`).toBeDefined();
    }
  });
});

describe('Listen examples', () => {
  for (const def of definitions) {
    it(`${def.type}: into a new node, in one edit; the session validates, survives save and load, compiles and sounds; removing it restores the document`, () => {
      const before = bare();
      const { doc, example } = added(before, def.type, { at: { x: 300, y: 40 } });
      expect(validate(doc), def.type).toEqual([]);
      expect(loadSession(saveSession(doc), 'example.json')).toEqual(doc);
      const compiled = compile(doc);
      expect(compiled.ok, def.type).toBe(true);
      // Every node it added is marked as the example's.
      for (const n of example.nodes) expect(doc.nodes.find((d) => d.id === n.id)!.label, n.id).toMatch(new RegExp(`^${LISTEN_LABEL}: `));
      expect(exampleInDoc(doc, example)).toBe(true);
      expect(exampleTarget(doc, example)).toBe(example.target);
      // Heard at the master (a reference only through the A/B switch, never in a render).
      if (def.ports.outputs.length || def.speakers === 'mix') expect(heardDb(doc), `${def.type} example heard`).toBeGreaterThan(-50);
      const remove = removeListenExample(doc, example)!;
      expect(run(doc, remove)).toEqual(before);
      expect(exampleInDoc(run(doc, remove), example)).toBe(false);
    });
  }

  it('into a chosen node that reaches no master: the input and the connection to the master are added, the node itself is untouched', () => {
    for (const def of definitions.filter((d) => d.ports.inputs.length && !d.learn!.listen.single)) {
      const before = run(bare(), addNode({ id: 'mine', type: def.type, label: 'Mine', position: { x: 400, y: 200 } }));
      const { doc, example } = added(before, def.type, { target: 'mine' });
      expect(example.target).toBe('mine');
      expect(example.nodes.map((n) => n.id)).not.toContain('mine');
      expect(doc.nodes.find((n) => n.id === 'mine')).toEqual(before.nodes.find((n) => n.id === 'mine'));
      expect(doc.edges.some((e) => e.from === 'mine' && e.to === 'master'), def.type).toBe(true);
      expect(example.edges.map((e) => `${e.from}>${e.to}`)).toContain('mine>master');
      expect(heardDb(doc), `${def.type}: heard through the chosen node`).toBeGreaterThan(-50);
      expect(run(doc, removeListenExample(doc, example)!)).toEqual(before);
    }
  });

  it('into a node of the demo that reaches the master already: only the input is added; the demo comes back equal, saved JSON and all', () => {
    const before = demo;
    const { doc, example } = added(before, 'eq', { target: 'vox_eq' });
    expect(example.nodes.map((n) => n.type)).toEqual(['generator']);
    expect(example.edges).toEqual([]);
    expect(doc.edges.length).toBe(before.edges.length + 1);
    const after = run(doc, removeListenExample(doc, example)!);
    expect(saveSession(after)).toBe(saveSession(before));
  });

  it('the master is never added twice: its example feeds the one there is', () => {
    const { doc, example } = added(demo, 'master');
    expect(doc.nodes.filter((n) => n.type === 'master').length).toBe(1);
    expect(example.target).toBe('master');
    expect(example.nodes.map((n) => n.type)).toEqual(['generator']);
  });

  it('the send example returns its aux through a reverb; the stereo tool hears a stereo reverb (a mono stem has no width)', () => {
    const send = added(bare(), 'send', { at: { x: 0, y: 0 } });
    expect(send.example.nodes.map((n) => n.type).sort()).toEqual(['reverb', 'send', 'track']);
    expect(send.doc.edges.some((e) => e.fromPort === 'send' && e.to.startsWith('listen_reverb'))).toBe(true);
    const stereo = added(bare(), 'stereo', { at: { x: 0, y: 0 } });
    const r = renderWith(stereo.doc, { seconds: 2, sampleRate: STEM_RATE, buffers: stems });
    r.runtime.dispose();
    // Width 0: left and right are the same.
    let diff = 0;
    for (let i = 0; i < r.left.length; i++) diff = Math.max(diff, Math.abs(r.left[i] - r.right[i]));
    expect(diff).toBeLessThan(1e-6);
  });

  it('removal takes away exactly the example, though the user moved its nodes and theirs, wired into it and added their own since', () => {
    const before = demo;
    const { doc, example } = added(before, 'delay', { at: { x: 100, y: 900 } });
    const source = example.nodes.find((n) => n.type === 'track')!.id;
    let edited = run(doc, moveNodes([{ id: source, position: { x: -500, y: 1200 } }, { id: 'drums', position: { x: 7, y: 8 } }]));
    edited = run(edited, addNode({ id: 'my_gain', type: 'gain', position: { x: 0, y: 0 } }));
    edited = run(edited, connect({ from: example.target, to: 'my_gain' }));
    const after = run(edited, removeListenExample(edited, example)!);
    let expected = run(before, moveNodes([{ id: 'drums', position: { x: 7, y: 8 } }]));
    expected = run(expected, addNode({ id: 'my_gain', type: 'gain', position: { x: 0, y: 0 } }));
    expect(after).toEqual(expected);
  });

  it('a node of the user under an example id, or an example already undone, is left alone', () => {
    const { doc, example } = added(bare(), 'gain', { at: { x: 0, y: 0 } });
    // Undone (the document from before), then the user adds a track that happens to get the same id.
    const gen = example.nodes.find((n) => n.type === 'generator')!;
    const mine = run(bare(), addNode({ id: gen.id, type: 'track', label: 'Mine', position: { x: 0, y: 0 } }));
    expect(exampleInDoc(mine, example)).toBe(false);
    expect(removeListenExample(mine, example)).toBeNull();
    expect(exampleInDoc(doc, example)).toBe(true);
  });

  it('says why when there is nothing to add, or the chosen node is not of the type', () => {
    const plan = listenExample(demo, 'bus', { target: 'drum_bus' });
    expect(plan.command).not.toBeNull();
    const wrong = listenExample(demo, 'eq', { target: 'master' });
    expect(wrong.command).toBeNull();
    if (!wrong.command) expect(wrong.reason).toMatch(/is not of the type EQ/);
    const track = listenExample(demo, 'track', { target: 'drums' });
    expect(track.command).toBeNull();
    if (!track.command) expect(track.reason).toMatch(/heard at the master already/);
    expect(listenExample(demo, 'group').command).toBeNull();
  });
  it('the example’s nodes overlap none of the session’s: under the graph for a new node, beside the chosen one otherwise', () => {
    const clear = (doc: SessionDoc, example: ListenExample) => {
      const ours = new Set(example.nodes.map((n) => n.id));
      const theirs = doc.nodes.filter((n) => !ours.has(n.id));
      for (const a of doc.nodes.filter((n) => ours.has(n.id)))
        for (const b of [...theirs, ...doc.nodes.filter((n) => ours.has(n.id) && n.id !== a.id)])
          expect(Math.abs(a.position!.x - b.position!.x) >= 240 || Math.abs(a.position!.y - b.position!.y) >= 170, `${a.id} clear of ${b.id}`).toBe(true);
    };
    for (const [type, target] of [['stereo', undefined], ['send', undefined], ['eq', 'vox_eq'], ['compressor', 'drums_comp'], ['send', 'vox_send']] as const) {
      const { doc, example } = added(demo, type, { target });
      clear(doc, example);
      const lowest = Math.max(...demo.nodes.map((n) => n.position!.y));
      if (!target) for (const n of example.nodes) expect(doc.nodes.find((d) => d.id === n.id)!.position!.y, n.id).toBeGreaterThan(lowest);
    }
  });
});
