// Notes and frames in the session format: they load, save and load back unchanged, travel in share
// links and rooms (top-level fields of the session), and every bad value is refused with its place,
// what was expected and what was found.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as Y from 'yjs';
import { loadSession, loadSessionValue, saveSession } from '../../src/presets/load.ts';
import { PresetError } from '../../src/presets/json.ts';
import { formatProblem } from '../../src/model/validate.ts';
import { validateRoom, writeSession } from '../../src/room/doc.ts';
import { MAX_ANNOTATIONS, NOTE_MAX_TEXT } from '../../src/presets/schema.ts';
import { openShared, sharedPayload, shareLink } from '../../src/ui/share/link.ts';

const base = () => ({
  format: 'mixgraph',
  version: 2,
  kind: 'session',
  name: 'Notes',
  nodes: [
    { id: 'gen', type: 'generator', position: { x: 0, y: 0 } },
    { id: 'master', type: 'master', position: { x: 300, y: 0 } },
  ],
  edges: [{ from: 'gen', to: 'master' }],
});
const note = { id: 'intro', kind: 'note', position: { x: -20, y: 180 }, size: { width: 260, height: 150 }, text: '# Signal flow\n\nThe **generator** feeds the [master](https://example.org/m).\n\n- one\n- two', color: '#e0b040' };
const frame = { id: 'src', kind: 'frame', position: { x: -30, y: -50 }, size: { width: 200, height: 160 }, label: 'Sources' };
const withAnnotations = (annotations: unknown) => ({ ...base(), annotations });

function problems(value: unknown): string[] {
  const r = loadSessionValue(value);
  if (r.ok) throw new Error('expected the session to be refused');
  return r.problems.map(formatProblem);
}

describe('annotations in a session file', () => {
  it('load, save and load back the same; a session without them saves without the field', () => {
    const doc = loadSession(JSON.stringify(withAnnotations([note, frame])));
    expect(doc.annotations).toEqual([note, frame]);
    const text = saveSession(doc);
    expect(JSON.parse(text).annotations).toEqual([note, frame]);
    expect(loadSession(text)).toEqual(doc);
    expect(JSON.parse(saveSession(loadSession(JSON.stringify(base()))))).not.toHaveProperty('annotations');
    // An empty list is the same as none.
    expect(loadSession(JSON.stringify(withAnnotations([])))).not.toHaveProperty('annotations');
  });

  it('refuses bad values, each with its place and what it expected', () => {
    const cases: [unknown, RegExp][] = [
      [[{ ...note, kind: 'sticker' }], /^annotations\[0\].kind: unknown annotation kind "sticker"; known: note, frame$/],
      [[{ ...note, size: { width: 0, height: 100 } }], /^annotations\[0\]\.size\.width: must be a number from 40 to 20000 \(the width in canvas pixels\), got 0$/],
      [[{ ...note, size: { width: 100, height: 'tall' } }], /^annotations\[0\]\.size\.height: must be a number from 40 to 20000 .*got "tall"$/],
      [[{ ...note, position: { x: 1e12, y: 0 } }], /^annotations\[0\]\.position\.x: must be a number from -1000000 to 1000000/],
      [[{ ...note, position: { y: 0 } }], /^annotations\[0\]\.position\.x: is required$/],
      [[{ ...note, text: 'x'.repeat(NOTE_MAX_TEXT + 1) }], new RegExp(`^annotations\\[0\\]\\.text: must be at most ${NOTE_MAX_TEXT} characters$`)],
      [[{ ...note, text: 42 }], /^annotations\[0\]\.text: must be the note's text \(a small subset of Markdown\), got 42$/],
      [[{ ...frame, label: 'x'.repeat(201) }], /^annotations\[0\]\.label: must be at most 200 characters$/],
      [[{ ...frame, text: 'a frame has a label' }], /^annotations\[0\]\.text: unknown field; known: id, position, size, color, kind, label$/],
      [[{ ...note, color: 'red' }], /^annotations\[0\]\.color: must be a colour like "#e0b040" \(# and six hex digits\), got "red"$/],
      [[{ ...note, color: 'url(javascript:x)' }], /^annotations\[0\]\.color: must be a colour/],
      [[{ ...note, id: '../x' }], /^annotations\[0\]\.id: annotation id "..\/x" must be 1-64 letters/],
      [[note, { ...frame, id: 'intro' }], /^annotations\[1\]\.id: duplicate annotation id "intro": each note and frame needs its own$/],
      [Array.from({ length: MAX_ANNOTATIONS + 1 }, (_, i) => ({ ...frame, id: `f${i}` })), new RegExp(`^annotations: ${MAX_ANNOTATIONS + 1} annotations; at most ${MAX_ANNOTATIONS}$`)],
      [{ intro: note }, /^annotations: must be a list of annotations$/],
    ];
    for (const [annotations, expected] of cases) {
      const found = problems(withAnnotations(annotations));
      expect(found, JSON.stringify(annotations).slice(0, 120)).toHaveLength(1);
      expect(found[0]).toMatch(expected);
    }
    // Through the file loader: one line per problem, prefixed with the file's name.
    expect(() => loadSession(JSON.stringify(withAnnotations([{ ...note, size: { width: -5, height: 50 } }])), 'class.json')).toThrow(PresetError);
    expect(() => loadSession(JSON.stringify(withAnnotations([{ ...note, size: { width: -5, height: 50 } }])), 'class.json')).toThrow(/^class\.json: annotations\[0\]\.size\.width: /);
  });

  it('are in the published JSON Schema (presets/schema.json): a session with them passes, a bad one does not', () => {
    const published = z.fromJSONSchema(JSON.parse(readFileSync(join(import.meta.dirname, '../../presets/schema.json'), 'utf8')));
    expect(published.safeParse(withAnnotations([note, frame])).success).toBe(true);
    expect(published.safeParse(withAnnotations([{ ...note, size: { width: 1, height: 1 } }])).success).toBe(false);
    expect(published.safeParse(withAnnotations([{ ...frame, kind: 'sticker' }])).success).toBe(false);
    expect(published.safeParse(withAnnotations([{ ...frame, text: 'x' }])).success).toBe(false);
  });
});

describe('annotations travel', () => {
  it('in a share link: the same notes and frames come out', async () => {
    const doc = loadSession(JSON.stringify(withAnnotations([note, frame])));
    const made = await shareLink(doc, 'https://mixgraph.example/');
    if (!('url' in made)) throw new Error('link too long');
    const back = await openShared(sharedPayload(new URL(made.url).hash)!);
    expect(back.annotations).toEqual([note, frame]);
    expect(back).toEqual(doc);
  });

  it("in a room: the teacher's notes and frames reach a student's copy as a head entry, and a bad one is refused", () => {
    const doc = loadSession(JSON.stringify(withAnnotations([note, frame])));
    const teacher = new Y.Doc();
    writeSession(teacher, JSON.parse(saveSession(doc)));
    expect(teacher.getMap('head').get('annotations')).toEqual([note, frame]);
    const student = new Y.Doc();
    Y.applyUpdate(student, Y.encodeStateAsUpdate(teacher));
    const read = validateRoom(student);
    expect(read.ok && read.session?.annotations).toEqual([note, frame]);

    // Moving a note sends the annotations entry only, not the nodes.
    let bytes = 0;
    teacher.once('update', (u: Uint8Array) => (bytes = u.length));
    writeSession(teacher, JSON.parse(saveSession({ ...doc, annotations: [{ ...doc.annotations![0], position: { x: 0, y: 0 } }, doc.annotations![1]] })));
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(saveSession(doc).length / 2);

    const hostile = new Y.Doc();
    writeSession(hostile, { ...JSON.parse(saveSession(doc)), annotations: [{ ...note, text: 7 }] });
    const refused = validateRoom(hostile);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems[0]).toMatch(/^annotations\[0\]\.text: /);
  });
});
