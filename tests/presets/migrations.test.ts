// Versions and migrations: frozen files of every older version load as the newest; saving writes the
// newest; per-type migrations run from the version a file records in "types". The real change shown
// is the reverb's (type version 2): its mix now defaults to 1, right for an aux return; inserts keep
// their old sound. Rendered: the dry leak of an aux return at the old default is gone.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getDefinition } from '../../nodes/registry.ts';
import { FORMAT_VERSION, nodeAt, type SessionDoc } from '../../src/model/document.ts';
import { loadAlbumValue } from '../../src/presets/album.ts';
import { loadChain } from '../../src/presets/chain.ts';
import { parseJson } from '../../src/presets/json.ts';
import { loadSession, loadSessionValue, saveSession } from '../../src/presets/load.ts';
import { impulse, maxDiff, renderSession } from '../helpers/audio.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const mixOf = (doc: SessionDoc | { nodes: SessionDoc['nodes'] }, id: string) => nodeAt(doc as SessionDoc, id)!.params.mix;

describe('the frozen fixtures', () => {
  // These files are what older versions wrote. They are never edited: every later Mixgraph must open
  // them as they are. A changed byte fails here.
  it.each([
    ['v1-session.json', '1d3d061a1cc77d5d4deeab833e2473407753bb0088ae58d47d907d6c464ecb31'],
    ['v1-reverbs-session.json', 'a642953a2270484f8557b624a36ee7b80f7ab5c6e28fd6a996bcdeceaec81d46'],
    ['v1-chain.json', 'eefc2df0754ccd8b9bc546cac447f13d46aac6405b1b8e5eea69767d14464aa8'],
    ['v1-album.json', '5184a83b3a6f4b0267209b2c69161ec58b3aca0e329ce77363cf021c77a859ed'],
  ])('%s is unchanged and is a version 1 file', (name, hash) => {
    const text = fixture(name);
    expect(sha256(text)).toBe(hash);
    expect(JSON.parse(text).version).toBe(1);
    expect(JSON.parse(text).types).toBeUndefined();
  });
});

describe('version 1 -> 2', () => {
  it('a session: loads as version 2; each reverb by its place (insert keeps 0.25, aux returns at the old default become 1)', () => {
    const doc = loadSession(fixture('v1-reverbs-session.json'), 'v1-reverbs-session.json');
    expect(doc.version).toBe(FORMAT_VERSION);
    expect(mixOf(doc, 'room')).toBe(0.25); // an insert with mix left out: written out, sounds as before
    expect(mixOf(doc, 'plate')).toBe(1); // an aux return with mix left out
    expect(mixOf(doc, 'hall')).toBe(1); // an aux return saved with the old default, 0.25
    expect(mixOf(doc, 'chosen')).toBe(0.6); // a value someone chose stays
    expect(mixOf(doc, 'busverb')).toBe(1); // fed by sends through a bus: still an aux return
    expect(nodeAt(doc, 'plate')!.params).toEqual({ decay: 2.2, predelay: 20, mix: 1 });
  });

  it('the documented v1 example session (mix 1 on its aux plate) is unchanged apart from the version', () => {
    const doc = loadSession(fixture('v1-session.json'));
    expect(mixOf(doc, 'plate')).toBe(1);
  });

  it('a chain: the insert and the aux return inside it', () => {
    const chain = loadChain(fixture('v1-chain.json'), 'v1-chain.json');
    expect(chain.version).toBe(2);
    expect(chain.nodes.find((n) => n.id === 'room')!.params.mix).toBe(0.25); // fed from the chain's input: an insert
    expect(chain.nodes.find((n) => n.id === 'verb')!.params.mix).toBe(1);
  });

  it("an album: its inline chain's reverb migrates with it", () => {
    const r = loadAlbumValue(parseJson(fixture('v1-album.json'), 'v1-album.json'));
    expect(r.ok).toBe(true);
    if (!r.ok || typeof r.doc.chain === 'string') return;
    expect(r.doc.version).toBe(2);
    expect(r.doc.chain.nodes.find((n) => n.id === 'air')!.params.mix).toBe(0.25);
  });

  it("a version 2 album's inline chain is not migrated twice (its reverb keeps version 2's default)", () => {
    const album = { format: 'mixgraph', version: 2, kind: 'album', name: 'A', artist: 'B', target: -14, tracks: [{ title: 'T', source: 'a.wav' }],
      chain: { kind: 'chain', types: { reverb: 2 }, nodes: [{ id: 'r', type: 'reverb' }], edges: [{ from: 'input', to: 'r' }, { from: 'r', to: 'output' }] } };
    const r = loadAlbumValue(album);
    expect(r.ok && typeof r.doc.chain === 'object' && r.doc.chain.nodes[0].params.mix).toBe(1);
  });

  it('saving writes version 2 with "types"; loading that file changes nothing more (no second migration)', () => {
    const doc = loadSession(fixture('v1-reverbs-session.json'));
    const saved = saveSession(doc);
    const file = JSON.parse(saved);
    expect(file.version).toBe(2);
    expect(file.types).toEqual({ bus: 1, master: 1, reverb: 2, send: 1, track: 1 });
    expect(loadSession(saved)).toEqual(doc);
    expect(saveSession(loadSession(saved))).toBe(saved);
  });
});

describe('per-type versions ("types")', () => {
  const v2 = (types: unknown, mix?: number) => ({
    format: 'mixgraph',
    version: 2,
    kind: 'session',
    ...(types === undefined ? {} : { types }),
    nodes: [
      { id: 't', type: 'track' },
      { id: 'r', type: 'reverb', params: mix === undefined ? {} : { mix } },
      { id: 'm', type: 'master' },
    ],
    edges: [
      { from: 't', to: 'r' },
      { from: 'r', to: 'm' },
    ],
  });
  const load = (v: unknown) => loadSessionValue(v);

  it('a type missing from "types" is version 1 and migrates, in a version 2 file too; a current one does not', () => {
    const old = load(v2({}));
    expect(old.ok && mixOf(old.doc, 'r')).toBe(0.25); // an insert at version 1
    const current = load(v2({ reverb: 2 }));
    expect(current.ok && mixOf(current.doc, 'r')).toBe(1); // version 2's default
  });

  it('a newer type version, an unknown type, a version that is not a whole number: refused with their path', () => {
    const lines = (v: unknown) => {
      const r = load(v);
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(lines(v2({ reverb: 3 }))).toEqual(['types.reverb: reverb version 3 is newer than this Mixgraph reads (2): update Mixgraph to open this file']);
    expect(lines(v2({ flanger: 1 }))).toEqual(['types.flanger: unknown node type "flanger"']);
    expect(lines(v2({ reverb: 1.5 }))).toEqual(['types.reverb: must be a whole number from 1 to 2, got 1.5']);
    expect(lines(v2([1]))).toEqual(['types: must be an object: node type -> version, e.g. { "reverb": 2 }']);
  });

  it('every node type with a version above 1 has a migration for each step', () => {
    for (const type of ['reverb']) {
      const def = getDefinition(type)!;
      for (let v = 2; v <= def.version; v++) expect(def.migrations?.[v], `${type} ${v}`).toBeTypeOf('function');
    }
  });
});

describe('the reverb change, rendered', () => {
  // A hard-left impulse into a send (-6 dB) whose send output feeds a reverb with a 50 ms pre-delay:
  // at sample 0 only the track and anything dry come out, the room starts 50 ms later.
  const v1Aux = (mix?: number) =>
    JSON.stringify({
      format: 'mixgraph',
      version: 1,
      kind: 'session',
      nodes: [
        { id: 't', type: 'track', params: { source: 'i', pan: -1 } },
        { id: 's', type: 'send', params: { level: -6 } },
        { id: 'verb', type: 'reverb', params: { decay: 0.5, predelay: 50, ...(mix === undefined ? {} : { mix }) } },
        { id: 'm', type: 'master' },
      ],
      edges: [
        { from: 't', to: 's' },
        { from: 's', to: 'm' },
        { from: 's', fromPort: 'send', to: 'verb' },
        { from: 'verb', to: 'm' },
      ],
    });

  it('an aux return at the old default: the dry leak of the sent signal (0.75 × -6 dB, +2.8 dB on the direct sound) is gone', async () => {
    const migrated = loadSession(v1Aux());
    expect(mixOf(migrated, 'verb')).toBe(1);
    const asBefore = loadSession(v1Aux(0.3)); // a mix someone chose (0.3) is kept
    const oldDefault = structuredClone(migrated);
    nodeAt(oldDefault, 'verb')!.params.mix = 0.25; // what version 1 played
    const buffers = { i: impulse(0, 10) };
    const [now, then] = await Promise.all([renderSession(migrated, { seconds: 0.2, buffers }), renderSession(oldDefault, { seconds: 0.2, buffers })]);
    const send = 10 ** (-6 / 20);
    // Version 1: the direct impulse (1.0) plus 0.75 of the sent one leaking through the reverb dry.
    expect(then.left[0]).toBeCloseTo(1 + 0.75 * send, 5);
    // Version 2: the direct impulse alone; the reverb adds only its room, 50 ms later (2400 samples).
    expect(now.left[0]).toBeCloseTo(1, 6);
    let early = 0;
    for (let i = 1; i < 2390; i++) early = Math.max(early, Math.abs(now.left[i]));
    expect(early).toBeLessThan(1e-6);
    expect(20 * Math.log10(then.left[0] / now.left[0])).toBeCloseTo(2.76, 1);
    expect(mixOf(asBefore, 'verb')).toBe(0.3);
  });

  it('an insert reverb with mix left out sounds exactly as in version 1 (0.25 written out)', async () => {
    const v1Insert = JSON.stringify({
      format: 'mixgraph',
      version: 1,
      kind: 'session',
      nodes: [
        { id: 't', type: 'track', params: { source: 'i', pan: -1 } },
        { id: 'verb', type: 'reverb', params: { decay: 0.4, predelay: 5 } },
        { id: 'm', type: 'master' },
      ],
      edges: [
        { from: 't', to: 'verb' },
        { from: 'verb', to: 'm' },
      ],
    });
    const migrated = loadSession(v1Insert);
    const explicit = structuredClone(migrated);
    nodeAt(explicit, 'verb')!.params.mix = 0.25;
    const buffers = { i: impulse(0, 10) };
    const [a, b] = await Promise.all([renderSession(migrated, { seconds: 0.3, buffers }), renderSession(explicit, { seconds: 0.3, buffers })]);
    expect(mixOf(migrated, 'verb')).toBe(0.25);
    expect(maxDiff(a.left, b.left)).toBe(0);
    expect(a.left[0]).toBeCloseTo(0.75, 6); // the dry part of an insert at 0.25
  });
});
