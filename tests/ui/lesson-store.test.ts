// The editor's one lesson store (src/ui/lessons/lessonStore.ts): edits with their own undo (typing
// in one field merged into one step), kept in storage and brought back on the next start, and
// storage that holds something else (or a broken lesson) forgotten rather than trusted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { addCheck, addStep, newLesson, updateStep } from '../../src/lessons/authoring.ts';
import { loadLesson } from '../../src/presets/lesson.ts';
import { LessonStore } from '../../src/ui/lessons/lessonStore.ts';

const start = loadLesson(readFileSync(join(import.meta.dirname, '../../presets/lessons/signal-flow-101.json'), 'utf8')).session;

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('lessonStore', () => {
  it('edits are undone and redone; typing in one field is one undo step', () => {
    const store = new LessonStore();
    let seen = 0;
    store.subscribe(() => seen++);
    store.open(newLesson(start, 'L'), { editing: true });
    store.edit((l) => addStep(l));
    for (const text of ['R', 'Ro', 'Rou', 'Route']) store.edit((l) => updateStep(l, 1, { text }), 'steps[1].text');
    expect(store.getState().lesson!.steps.map((s) => s.text)).toEqual(['', 'Route']);
    expect(seen).toBe(6);
    store.undo();
    expect(store.getState().lesson!.steps.map((s) => s.text)).toEqual(['', '']);
    store.undo();
    expect(store.getState().lesson!.steps).toHaveLength(1);
    expect(store.getState().canUndo).toBe(false);
    store.redo();
    store.redo();
    expect(store.getState().lesson!.steps[1].text).toBe('Route');
    expect(store.getState().canRedo).toBe(false);
    // Opening another lesson starts its history afresh.
    store.open(newLesson(start, 'M'));
    expect(store.getState()).toMatchObject({ editing: false, canUndo: false, canRedo: false });
  });

  it('kept across a restart, a draft the loader would refuse included; foreign or broken storage is forgotten', () => {
    const storage = memoryStorage();
    const a = new LessonStore(storage);
    a.open(newLesson(start, 'Kept'), { editing: true, startSetAt: 1234 });
    a.edit((l) => addCheck(l, 0, { type: 'path', from: 'kick', to: 'drums' }));
    // A check naming a node the start lacks: not saveable yet, but a draft to keep.
    a.edit((l) => addCheck(l, 0, { type: 'path', from: 'vocal', to: 'master' }));
    const b = new LessonStore(storage);
    expect(b.getState()).toMatchObject({ editing: true, startSetAt: 1234 });
    expect(b.getState().lesson!.name).toBe('Kept');
    expect(b.getState().lesson!.steps[0].checks).toEqual([{ type: 'path', from: 'kick', to: 'drums' }, { type: 'path', from: 'vocal', to: 'master' }]);
    expect(b.getState().lesson!.session.nodes.map((n) => n.id)).toEqual(start.nodes.map((n) => n.id));
    b.close();
    expect(storage.m.size).toBe(0);
    for (const junk of ['not json', '{"editing":true}', JSON.stringify({ editing: true, startSetAt: null, name: 'x', description: '', author: '', tags: [], seconds: 5, session: '{"kind":"chain"}', steps: [{ text: '', checks: [] }] })]) {
      storage.setItem('mixgraph:lesson', junk);
      expect(new LessonStore(storage).getState().lesson).toBeNull();
    }
  });
});
