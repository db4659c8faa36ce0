// The format's one schema: presets/schema.json is generated from src/presets/schema.ts (npm run schema)
// and must be up to date; every shipped preset points to it and passes it; and the published schema
// refuses what the loaders refuse (checked by turning it back into a validator with zod).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { History } from '../../src/model/history.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { captureSnapshot } from '../../src/model/snapshots.ts';
import { publishedSchemaText } from '../../src/presets/schema.ts';
import { loadSession, saveSession } from '../../src/presets/load.ts';
import { loadChain } from '../../src/presets/chain.ts';
import { loadLesson } from '../../src/presets/lesson.ts';
import { demo } from '../model/build.ts';

const ROOT = join(import.meta.dirname, '../..');
const PRESETS = join(ROOT, 'presets');
const published = readFileSync(join(PRESETS, 'schema.json'), 'utf8');
const validator = z.fromJSONSchema(JSON.parse(published));

function presetFiles(dir = PRESETS): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return presetFiles(path);
    return name.endsWith('.json') && path !== join(PRESETS, 'schema.json') ? [path] : [];
  });
}

describe('presets/schema.json', () => {
  it('is up to date with src/presets/schema.ts (run `npm run schema` after changing the format or a node type)', () => {
    expect(published === publishedSchemaText(), 'presets/schema.json is out of date: run npm run schema').toBe(true);
  });

  it('is JSON Schema draft 2020-12, describing sessions, chains, node presets, albums and lessons', () => {
    const schema = JSON.parse(published);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.anyOf.map((s: { title: string }) => s.title)).toEqual(['Session', 'Chain', 'Node preset', 'Album', 'Lesson']);
    // Units, ranges and defaults from the node definitions reach an editor's hover text.
    expect(published).toContain('[dB] -60 to 12, default 0.');
  });

  it('every shipped preset carries "$schema" (the relative path to it), passes it and loads', () => {
    const files = presetFiles();
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const value = JSON.parse(readFileSync(file, 'utf8'));
      expect(value.$schema, file).toBe(relative(join(file, '..'), join(PRESETS, 'schema.json')));
      const r = validator.safeParse(value);
      expect(r.success, `${file}: ${r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3))}`).toBe(true);
      if (value.kind === 'chain') expect(() => loadChain(readFileSync(file, 'utf8'), file)).not.toThrow();
      if (value.kind === 'session') expect(() => loadSession(readFileSync(file, 'utf8'), file)).not.toThrow();
      if (value.kind === 'lesson') expect(() => loadLesson(readFileSync(file, 'utf8'), file)).not.toThrow();
    }
  });

  it('accepts what Mixgraph saves: groups nested, knobs, snapshots', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'inner', knobs: [{ node: 'comp', param: 'ratio' }] }));
    h.run(groupNodes(['inner', 'drums'], { id: 'outer' }));
    h.run(captureSnapshot('A'));
    expect(validator.safeParse(JSON.parse(saveSession(h.doc))).success).toBe(true);
  });

  it('refuses what the loader refuses: a param out of range or unknown, an unknown type, a bad enum, a wrong kind', () => {
    const base = () => JSON.parse(saveSession(demo()));
    const bad: [string, (d: any) => void][] = [
      ['gain out of range', (d) => (d.nodes[0].params.gain = 99)],
      ['unknown param', (d) => (d.nodes[3].params.treshold = -10)],
      ['unknown type', (d) => (d.nodes[3].type = 'compresor')],
      ['bad band type', (d) => (d.nodes[2].params.bands[0].type = 'bell')],
      ['unknown field', (d) => (d.nodes[0].colour = 'red')],
      ['wrong kind', (d) => (d.kind = 'preset')],
      ['newer version', (d) => (d.version = 3)],
    ];
    expect(validator.safeParse(base()).success).toBe(true);
    for (const [what, change] of bad) {
      const d = base();
      change(d);
      expect(validator.safeParse(d).success, what).toBe(false);
      expect(() => loadSession(JSON.stringify(d)), what).toThrow();
    }
  });
});
