// Property-based tests (fast-check) of the loaders over more than 10,000 generated documents of every
// kind (sessions with groups nested and snapshots, chains with knobs, node presets, albums):
//   - every valid document survives save, then load, unchanged (and saves to the same text again);
//   - every mutated document, random value and damaged text is loaded or refused with a JSON path for
//     each problem, and the loaders never throw anything but PresetError (for text); the lesson loader too,
//     on random starting sessions, steps and checks, and a lesson that loads is evaluated without a throw;
//   - a document the loader accepts passes the published JSON Schema too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';

import type { NodeDefinition, ParamSpec, ParamValue, Params } from '../../nodes/define.ts';
import { definitions, getDefinition } from '../../nodes/registry.ts';
import { addNode, connect, setBypass, setParam } from '../../src/model/commands.ts';
import { connectionProblem } from '../../src/model/connection.ts';
import { CHAIN_EXCLUDED_TYPES, emptySession, nodePorts, type ChainDoc, type NodePresetDoc, type SessionDoc } from '../../src/model/document.ts';
import { groupNodes, knobCandidates } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { fillParams } from '../../src/model/params.ts';
import { nodePresetOf } from '../../src/model/presets.ts';
import { captureSnapshot } from '../../src/model/snapshots.ts';
import { canBypass, validate } from '../../src/model/validate.ts';
import { loadAlbumValue, saveAlbum, type AlbumDoc } from '../../src/presets/album.ts';
import { loadChainValue } from '../../src/presets/chain.ts';
import { evaluateSteps } from '../../src/lessons/checks.ts';
import { loadLessonValue, saveLesson, type LessonDoc } from '../../src/presets/lesson.ts';
import { PresetError } from '../../src/presets/json.ts';
import { loadNodePresetValue, loadSession, loadSessionValue, saveNodePreset, saveSession, type Loaded } from '../../src/presets/load.ts';
import type { Problem } from '../../src/model/validate.ts';

const RUNS = { sessions: 2500, chains: 1000, presets: 800, albums: 700, mutated: 4000, values: 1000, texts: 1000 };
// 11,000 documents in all. A failure prints its seed and the shrunk case: rerun with { seed, path }.

// ------------------------------------------------------------------ valid documents

const noNegZero = (v: number) => (Object.is(v, -0) ? 0 : v); // JSON has no -0: it reads back as 0

function valueArb(spec: ParamSpec): fc.Arbitrary<ParamValue> {
  switch (spec.kind) {
    case 'number':
      return fc.oneof(fc.constantFrom(spec.min, spec.max, spec.default), fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true })).map(noNegZero);
    case 'bool':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...spec.options);
    case 'string':
      if (spec.format === 'color') return fc.oneof(fc.constant(''), fc.stringMatching(/^#[0-9a-f]{6}$/));
      if (spec.format === 'file') return fc.oneof(fc.constant(''), fc.constantFrom('a.wav', 'stems/kick.wav', 'x/y/z.flac', 'caf\u00e9 \u{1F3B8}.wav'));
      return fc.string({ maxLength: spec.maxLength ?? 40, unit: 'binary' });
    case 'list':
      return fc.array(fc.record(Object.fromEntries(Object.entries(spec.item).map(([k, s]) => [k, valueArb(s)])), { requiredKeys: [...spec.required] }), { maxLength: spec.maxItems }) as unknown as fc.Arbitrary<ParamValue>;
  }
}

/** Some of a type's params (the others take their defaults when loaded). */
const paramsArb = (def: NodeDefinition): fc.Arbitrary<Params> => fc.record(Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, valueArb(s)])), { requiredKeys: [] }) as fc.Arbitrary<Params>;

const labelArb = fc.string({ maxLength: 30, unit: 'binary' });
const positionArb = fc.record({ x: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(noNegZero), y: fc.integer({ min: -5000, max: 5000 }) });
const metaArb = fc.record({ author: labelArb, description: fc.string({ maxLength: 200, unit: 'grapheme' }), tags: fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }) });

interface NodeSpec {
  type: string;
  params: Params;
  label?: string;
  position?: { x: number; y: number };
  bypass?: boolean;
}
const nodeArb = (types: readonly NodeDefinition[]): fc.Arbitrary<NodeSpec> =>
  fc.constantFrom(...types).chain((def) =>
    fc.record({ type: fc.constant(def.type), params: paramsArb(def), label: labelArb, position: positionArb, bypass: fc.boolean() }, { requiredKeys: ['type', 'params'] }).map((n) => {
      const out: NodeSpec = { type: n.type, params: n.params };
      if (n.label !== undefined) out.label = n.label;
      if (n.position !== undefined) out.position = n.position;
      if (n.bypass !== undefined && def.bypassable) out.bypass = n.bypass;
      return out;
    }),
  );

const SESSION_TYPES = definitions.filter((d) => d.type !== 'master');
const CHAIN_TYPES = definitions.filter((d) => !CHAIN_EXCLUDED_TYPES.has(d.type));

/** Picks: small numbers the builder turns into choices (ports, nodes, subsets), so fast-check can shrink them. */
const picksArb = fc.array(fc.nat({ max: 1000 }), { maxLength: 24 });

function addEdges(h: History, picks: number[], scope?: string): void {
  for (let i = 0; i + 3 < picks.length; i += 4) {
    const nodes = h.doc.nodes;
    const from = nodes[picks[i] % nodes.length];
    const to = nodes[picks[i + 1] % nodes.length];
    const outs = nodePorts(from).outputs;
    const ins = nodePorts(to).inputs;
    if (!outs.length || !ins.length) continue;
    const edge = { from: from.id, fromPort: outs[picks[i + 2] % outs.length].id, to: to.id, toPort: ins[picks[i + 3] % ins.length].id };
    if (connectionProblem(h.doc, edge, scope) === null) h.run(connect(edge, scope));
  }
}

const sessionArb = fc
  .record({
    name: labelArb,
    meta: metaArb,
    nodes: fc.array(nodeArb(SESSION_TYPES), { maxLength: 9 }),
    edges: picksArb,
    groups: fc.array(fc.record({ members: fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 4 }), knobs: fc.array(fc.nat({ max: 50 }), { maxLength: 3 }), bypass: fc.boolean() }), { maxLength: 3 }),
    snapshots: fc.array(fc.tuple(labelArb, fc.array(fc.nat({ max: 1000 }), { maxLength: 3 })), { maxLength: 3 }),
  })
  .map((r): SessionDoc => {
    const h = new History({ ...emptySession(r.name), meta: r.meta });
    h.run(addNode({ id: 'master', type: 'master', position: { x: 0, y: 0 } }));
    r.nodes.forEach((n, i) => h.run(addNode({ id: `n${i}`, ...n })));
    addEdges(h, r.edges);
    for (const [k, g] of r.groups.entries()) {
      const candidates = h.doc.nodes.filter((n) => n.type !== 'master');
      if (!candidates.length) break;
      const ids = [...new Set(g.members.map((m) => candidates[m % candidates.length].id))];
      // Knobs from what the group would hold (grouping first, then the knobs, as the editor does).
      const probe = new History(h.doc);
      probe.run(groupNodes(ids, { id: `g${k}` }));
      const body = probe.doc.nodes.find((n) => n.id === `g${k}`)!.group!;
      const options = knobCandidates(body);
      const knobs = options.length ? [...new Map(g.knobs.map((x) => options[x % options.length]).map((c) => [`${c.node}.${c.param}`, c])).values()] : [];
      h.run(groupNodes(ids, { id: `g${k}`, label: `Group ${k}`, knobs }));
      // Bypass joins a group's input to its output: where that would close a loop, setBypass refuses.
      if (g.bypass && canBypass(h.doc.nodes.find((n) => n.id === `g${k}`)!)) {
        try {
          h.run(setBypass(`g${k}`, true));
        } catch (err) {
          expect((err as Error).message).toMatch(/^Cannot bypass "g\d": its input would reach its output directly and close a feedback loop without a delay/);
        }
      }
    }
    for (const [name, edits] of r.snapshots) {
      h.run(captureSnapshot(name));
      for (const e of edits) {
        const flat = h.doc.nodes.filter((n) => !n.group && n.type !== 'master' && getDefinition(n.type)!.params.gain?.kind === 'number');
        if (flat.length) h.run(setParam(flat[e % flat.length].id, 'gain', (e % 12) - 11));
      }
    }
    return h.doc;
  });

const chainArb = fc
  .record({ name: labelArb, meta: metaArb, nodes: fc.array(nodeArb(CHAIN_TYPES.filter((d) => d.ports.inputs.some((p) => p.id === 'in') && d.ports.outputs.some((p) => p.id === 'out'))), { minLength: 1, maxLength: 6 }), extra: picksArb, knobs: fc.array(fc.nat({ max: 100 }), { maxLength: 2 }) })
  .map((r): ChainDoc => {
    const nodes = r.nodes.map((n, i) => ({ id: `c${i}`, ...n, params: fillParams(getDefinition(n.type)!, n.params) }));
    const ids = ['input', ...nodes.map((n) => n.id), 'output'];
    const edges = ids.slice(1).map((to, i) => ({ from: ids[i], fromPort: 'out', to, toPort: 'in' }));
    const chain: ChainDoc = { format: 'mixgraph', version: 2, kind: 'chain', name: r.name, meta: r.meta, nodes, edges };
    const options = knobCandidates({ nodes, edges: [], inputs: [], outputs: [], exposed: [] });
    if (options.length && r.knobs.length) {
      const picked = [...new Map(r.knobs.map((k) => options[k % options.length]).map((c) => [`${c.node}.${c.param}`, c])).values()];
      chain.exposed = picked.map((c, i) => ({ id: `k${i}`, node: c.node, param: c.param }));
    }
    return chain;
  });

const presetArb = nodeArb(definitions).map((n): NodePresetDoc => nodePresetOf({ id: 'p', type: n.type, params: fillParams(getDefinition(n.type)!, n.params) }, { name: n.label ?? 'Preset' }));

const isrcArb = fc.tuple(fc.stringMatching(/^[A-Z]{2}$/), fc.stringMatching(/^[A-Z0-9]{3}$/), fc.stringMatching(/^[0-9]{7}$/)).map(([a, b, c]) => `${a}${b}${c}`);
const albumArb = fc
  .record({
    name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
    artist: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
    chain: fc.oneof(fc.constant('chains/streaming.json'), chainArb),
    target: fc.double({ min: -36, max: -5, noNaN: true }).map(noNegZero),
    ceiling: fc.option(fc.integer({ min: -12, max: 0 }).map(noNegZero), { nil: undefined }),
    tracks: fc.uniqueArray(fc.record({ title: fc.constantFrom('One', 'Two', 'Ballad', 'Outro'), source: fc.constantFrom('01.wav', 'mix.json', 'song.mixgraph'), isrc: fc.option(isrcArb, { nil: undefined }), gain: fc.integer({ min: -24, max: 24 }).map(noNegZero) }), { minLength: 1, maxLength: 5, selector: (t) => t.isrc ?? Math.random() }),
  })
  .map((r): AlbumDoc => {
    const doc: AlbumDoc = { format: 'mixgraph', version: 2, kind: 'album', name: r.name, artist: r.artist, chain: r.chain, target: r.target, tracks: r.tracks.map((t) => (t.isrc ? t : { title: t.title, source: t.source, gain: t.gain })) };
    if (r.ceiling !== undefined) doc.ceiling = r.ceiling;
    return doc;
  });

// ------------------------------------------------------------------ checks

const published = z.fromJSONSchema(JSON.parse(readFileSync(join(import.meta.dirname, '../../presets/schema.json'), 'utf8')));

/** Every loader, on any value: a result, never a throw; every problem has a path and a message. */
function loadAny(value: unknown): Loaded<unknown>[] {
  const results = [loadSessionValue(value), loadChainValue(value), loadNodePresetValue(value), loadAlbumValue(value), loadLessonValue(value)] as Loaded<unknown>[];
  for (const r of results) {
    if (r.ok) {
      // A lesson that loads can be evaluated: its checks never throw on its own starting session.
      const d = r.doc as { kind: string };
      if (d.kind === 'lesson') evaluateSteps((d as LessonDoc).session, (d as LessonDoc).steps);
      continue;
    }
    expect(r.problems.length).toBeGreaterThan(0);
    for (const p of r.problems as Problem[]) {
      expect(typeof p.path).toBe('string');
      expect(p.path.length, JSON.stringify(p)).toBeGreaterThan(0);
      expect(p.path).toMatch(/^(\(top\)|[A-Za-z_$][\w$]*|\[)/);
      expect(p.message.length).toBeGreaterThan(0);
    }
  }
  return results;
}

function roundTrip<T>(text: string, load: (v: unknown) => Loaded<T>, save: (d: T) => string, expected: T): void {
  const loaded = load(JSON.parse(text));
  if (!loaded.ok) throw new Error(`a valid document was refused:\n${(loaded.problems as Problem[]).map((p) => `${p.path}: ${p.message}`).join('\n')}\n${text.slice(0, 2000)}`);
  expect(loaded.doc).toEqual(expected);
  expect(save(loaded.doc)).toBe(text);
  expect(published.safeParse(JSON.parse(text)).success).toBe(true);
}

describe('valid documents survive save then load unchanged', () => {
  it(`sessions (${RUNS.sessions}, with nested groups, knobs, bypassed groups and snapshots)`, () => {
    let groups = 0;
    let snapshots = 0;
    fc.assert(
      fc.property(sessionArb, (doc) => {
        expect(validate(doc)).toEqual([]);
        groups += doc.nodes.filter((n) => n.group).length;
        snapshots += doc.snapshots?.length ?? 0;
        roundTrip(saveSession(doc), loadSessionValue, saveSession, doc);
      }),
      { numRuns: RUNS.sessions },
    );
    expect(groups).toBeGreaterThan(RUNS.sessions / 2); // the generator really makes groups
    expect(snapshots).toBeGreaterThan(RUNS.sessions / 2);
  });

  it(`chains (${RUNS.chains}, with knobs)`, () => {
    fc.assert(fc.property(chainArb, (chain) => roundTrip(saveSession(chain), loadChainValue, saveSession, chain)), { numRuns: RUNS.chains });
  });

  it(`node presets (${RUNS.presets})`, () => {
    fc.assert(fc.property(presetArb, (preset) => roundTrip(saveNodePreset(preset), loadNodePresetValue, saveNodePreset, preset)), { numRuns: RUNS.presets });
  });

  it(`albums (${RUNS.albums}, with inline chains)`, () => {
    fc.assert(fc.property(albumArb, (album) => roundTrip(saveAlbum(album), loadAlbumValue, saveAlbum, album)), { numRuns: RUNS.albums });
  });
});

// ------------------------------------------------------------------ mutated and random input

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (as a list of keys) in a JSON value, the root included. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

const mutationArb = fc.record({
  where: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'add', 'number', 'string', 'duplicate', 'empty'),
  value: fc.jsonValue({ maxDepth: 3 }),
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'id', 'type', 'group', 'params', 'types', 'nodes', 'exposed')),
  number: fc.oneof(fc.double(), fc.constantFrom(1e308, -1e308, 0, -1, 1.5, 2 ** 53, 65)),
});

type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(doc: Json, m: Mutation): Json {
  const all = paths(doc);
  const path = all[m.where % all.length];
  if (path.length === 0) return m.op === 'replace' ? (m.value as Json) : doc;
  const parent = path.slice(0, -1).reduce<Json>((x, k) => (x as Record<string | number, Json>)[k], doc) as Record<string | number, Json> | Json[];
  const key = path[path.length - 1];
  const target = (parent as Record<string | number, Json>)[key];
  switch (m.op) {
    case 'replace':
      (parent as Record<string | number, Json>)[key] = m.value as Json;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'add':
      if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      else if (Array.isArray(target)) target.push(m.value as Json);
      break;
    case 'number':
      (parent as Record<string | number, Json>)[key] = m.number;
      break;
    case 'string':
      (parent as Record<string | number, Json>)[key] = typeof target === 'number' ? String(target) : m.key;
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(target));
      break;
    case 'empty':
      (parent as Record<string | number, Json>)[key] = Array.isArray(target) ? [] : target && typeof target === 'object' ? {} : '';
      break;
  }
  return doc;
}

const anyValidText = fc.oneof(sessionArb.map(saveSession), chainArb.map(saveSession), presetArb.map(saveNodePreset), albumArb.map(saveAlbum));

describe('mutated and random input: loaded or refused with a path, never another error', () => {
  it(`${RUNS.mutated} valid documents with one to four mutations each`, () => {
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(anyValidText, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (text, mutations) => {
        let doc = JSON.parse(text) as Json;
        for (const m of mutations) doc = mutate(doc, m);
        const results = loadAny(doc);
        for (const r of results) {
          if (!r.ok) continue;
          accepted++;
          // What is accepted is a document like any other: it saves and loads back the same, and the
          // published schema takes it too.
          const d = r.doc as SessionDoc | ChainDoc | NodePresetDoc | AlbumDoc | LessonDoc;
          const saved = d.kind === 'lesson' ? saveLesson(d) : d.kind === 'album' ? saveAlbum(d) : d.kind === 'node-preset' ? saveNodePreset(d) : saveSession(d);
          const again = loadAny(JSON.parse(saved)).find((x) => x.ok);
          expect(again && again.ok && again.doc).toEqual(d);
          expect(published.safeParse(JSON.parse(saved)).success).toBe(true);
        }
        if (results.every((r) => !r.ok)) refused++;
      }),
      { numRuns: RUNS.mutated },
    );
    // Both outcomes happen a lot: the mutations are neither all harmless nor all fatal.
    expect(refused).toBeGreaterThan(RUNS.mutated / 4);
    expect(accepted).toBeGreaterThan(RUNS.mutated / 20);
  });

  it(`${RUNS.values} random values of any shape`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything({ maxDepth: 4, withNullPrototype: true, withBoxedValues: true, withObjectString: true })), (value) => {
        loadAny(value);
        loadAny({ format: 'mixgraph', version: 2, kind: 'session', nodes: value });
        loadAny({ format: 'mixgraph', version: 1, kind: 'session', nodes: [{ id: 'm', type: 'master' }, { id: 'g', type: 'group', group: value }] });
        // A lesson's parts: its starting session, its steps, one step's checks, one check's fields.
        const start = { nodes: [{ id: 'k', type: 'generator' }, { id: 'm', type: 'master' }], edges: [{ from: 'k', to: 'm' }] };
        loadAny({ format: 'mixgraph', version: 2, kind: 'lesson', name: 'l', session: value, steps: [{ text: 't' }] });
        loadAny({ format: 'mixgraph', version: 2, kind: 'lesson', name: 'l', session: start, steps: value });
        loadAny({ format: 'mixgraph', version: 2, kind: 'lesson', name: 'l', session: start, steps: [{ text: 't', checks: value }] });
        const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { min: value };
        for (const type of ['path', 'param', 'level', 'loudness', 'bypass', 'levelled']) loadAny({ format: 'mixgraph', version: 2, kind: 'lesson', name: 'l', session: start, steps: [{ text: 't', checks: [{ type, from: 'k', to: 'm', node: 'k', ...fields }] }] });
      }),
      { numRuns: RUNS.values },
    );
  });

  it(`${RUNS.texts} damaged texts: a result or a PresetError, nothing else`, () => {
    fc.assert(
      fc.property(anyValidText, fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 6, unit: 'binary' }), (text, at, cut, insert) => {
        const i = at % (text.length + 1);
        const damaged = text.slice(0, i) + insert + text.slice(Math.min(text.length, i + cut));
        try {
          loadSession(damaged, 'fuzz.json');
        } catch (err) {
          expect(err).toBeInstanceOf(PresetError);
          for (const line of (err as PresetError).problems) expect(line.startsWith('fuzz.json')).toBe(true);
        }
      }),
      { numRuns: RUNS.texts },
    );
  });
});
