// The lesson document kind: loading (shape, the starting session, each check against it), saving,
// and lesson packages.
import { describe, expect, it } from 'vitest';

import { loadLesson, loadLessonValue, saveLesson } from '../../src/presets/lesson.ts';
import { readPackage, writePackage } from '../../src/presets/package.ts';

const base = () => ({
  format: 'mixgraph',
  version: 2,
  kind: 'lesson',
  name: 'Routing',
  description: 'Route the kick.',
  author: 'A teacher',
  tags: ['routing'],
  session: {
    name: 'start',
    nodes: [
      { id: 'kick', type: 'track', label: 'Kick', params: { source: 'stems/kick.wav' } },
      { id: 'drums', type: 'bus', label: 'Drum bus', params: {} },
      { id: 'comp', type: 'compressor', params: {} },
      { id: 'master', type: 'master', params: {} },
    ],
    edges: [{ from: 'kick', to: 'master' }],
  },
  steps: [
    { title: 'Route it', text: 'Connect **Kick** to the *Drum bus*.', checks: [{ type: 'path', from: 'kick', to: 'drums' }] },
    { text: 'Squash it', checks: [{ type: 'param', nodeType: 'compressor', param: 'ratio', min: 4 }] },
  ],
});

const problems = (value: unknown) => {
  const r = loadLessonValue(value);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('lesson documents', () => {
  it('loads: the starting session filled with defaults, checks with theirs, seconds by default 5; saves and loads back equal', () => {
    const r = loadLessonValue(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.session.kind).toBe('session');
    expect(r.doc.session.nodes[0].params.gain).toBe(0);
    expect(r.doc.steps[0]).toEqual({ title: 'Route it', text: 'Connect **Kick** to the *Drum bus*.', checks: [{ type: 'path', from: 'kick', to: 'drums' }] });
    expect(r.doc.seconds).toBe(5);
    expect(loadLesson(saveLesson(r.doc))).toEqual(r.doc);
  });

  it('reports each problem with its place: the session\'s under session., checks against the starting session', () => {
    const d = base() as any;
    d.session.nodes[1].params.gain = 99;
    expect(problems(d)).toEqual(['session.nodes[1].params.gain: must be a number from -60 to 24 dB, got 99']);
    const c = base() as any;
    c.steps[0].checks = [
      { type: 'path', from: 'kick', to: 'bus' },
      { type: 'path', from: 'kick', to: 'master', through: 'compresor' },
      { type: 'param', nodeType: 'compressor', param: 'ratoi', min: 1 },
      { type: 'param', nodeType: 'compressor', param: 'ratio' },
      { type: 'param', nodeType: 'eq', param: 'bands', max: 0 },
      { type: 'level', node: 'drums', port: 'send', max: 0 },
      { type: 'bypass', node: 'master', bypassed: true },
      { type: 'loudness', min: -10, max: -20 },
      { type: 'volume', node: 'kick' },
      { type: 'path', from: 'kick' },
    ];
    expect(problems(c)).toEqual([
      'steps[0].checks[8].type: unknown check type "volume"; known: path, param, level, loudness, bypass, levelled',
      'steps[0].checks[9].to: is required',
    ]);
    c.steps[0].checks.splice(8, 2);
    expect(problems(c)).toEqual([
      'steps[0].checks[0].to: the starting session has no node "bus" (checks name nodes the student starts with)',
      'steps[0].checks[1].through: unknown node type "compresor"',
      'steps[0].checks[2].param: a compressor has no parameter "ratoi"; known: threshold, ratio, knee, attack, release, makeup',
      'steps[0].checks[3]: give "min", "max" or both: the range that passes',
      'steps[0].checks[4].param: "bands" is a list: name one field of its items, e.g. "bands.frequency"',
      'steps[0].checks[5].port: "drums" has no output port "send"; it has "out"',
      'steps[0].checks[6].node: "master" is a master, which cannot be bypassed',
      'steps[0].checks[7].min: min -10 is above max -20',
    ]);
  });

  it('refuses other kinds, a lesson without steps, unknown fields, and text that is not a string', () => {
    expect(problems({ ...base(), kind: 'session' })).toEqual(['kind: expected "lesson", got "session": this file is a session, not a lesson']);
    expect(problems({ ...base(), steps: [] })).toEqual(['steps: must be a list of at least one step: { "text": ..., "checks": [...] }']);
    expect(problems({ ...base(), colour: 'red' })[0]).toMatch(/^colour: unknown field; known: \$schema, format, version, kind/);
    expect(problems({ ...base(), steps: [{ text: 42 }] })).toEqual(['steps[0].text: must be text (a small subset of Markdown), got 42']);
    expect(problems({ ...base(), session: 'start.json' })).toEqual(['session: must be a session object: { "kind": "session", "nodes": [...], "edges": [...] }']);
  });

  it('a lesson package: lesson.json at the root with the starting session\'s audio; it opens with the lesson', () => {
    const r = loadLessonValue(base());
    if (!r.ok) throw new Error('did not load');
    const wav = new Uint8Array([1, 2, 3]);
    const bytes = writePackage(r.doc, [{ name: 'stems/kick.wav', bytes: wav }], { mtime: new Date(2020, 0, 1) });
    const pkg = readPackage(bytes, { label: 'routing.mixgraph' });
    expect(pkg.document).toBe('lesson.json');
    expect(pkg.lesson).toEqual(r.doc);
    expect(pkg.doc).toEqual(r.doc.session);
    expect([...pkg.sources]).toEqual([['stems/kick.wav', 'stems/kick.wav']]);
    expect(pkg.read('stems/kick.wav')).toEqual(wav);
    expect(() => writePackage(r.doc, [])).toThrow(/node "kick" names "stems\/kick\.wav", which is not among the files to pack/);
  });
});
