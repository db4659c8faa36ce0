// Snapshots: capture the whole session's parameter state, recall it as one undo step, rename, delete;
// inner group nodes by path; saved in the session and checked on load.
import { describe, expect, it } from 'vitest';
import { addNode, setBypass, setParam } from '../../src/model/commands.ts';
import { layoutOnly, nodeAt } from '../../src/model/document.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { captureSnapshot, deleteSnapshot, matchingSnapshot, moveSnapshot, nextSnapshotName, recallSnapshot, renameSnapshot, snapshotValues, updateSnapshot } from '../../src/model/snapshots.ts';
import { validate } from '../../src/model/validate.ts';
import { loadSession, loadSessionValue, saveSession } from '../../src/presets/load.ts';
import { clone, demo } from './build.ts';

describe('snapshots', () => {
  it('capture holds every node by path: params that reach the sound, bypass where it applies; no files, no metadata', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    const values = snapshotValues(h.doc);
    expect(Object.keys(values).sort()).toEqual(['drums', 'fx', 'fx/comp', 'fx/eq1', 'kick', 'master', 'snare'].sort());
    expect(values.kick.params).toEqual({ gain: -6, pan: 0, mute: false, solo: false, invert: false, offset: 0 }); // no source, category, colour
    expect(values.kick.bypass).toBeUndefined(); // a track cannot be bypassed
    expect(values['fx/comp']).toEqual({ params: { threshold: -18, ratio: 4, knee: 6, attack: 10, release: 150, makeup: 0 }, bypass: false });
    expect(values.fx).toEqual({ params: {}, bypass: false }); // the group itself: its bypass
  });

  it('A/B: store, change, store, switch back and forth; each recall is one undo step', () => {
    const h = new History(demo());
    h.run(captureSnapshot(nextSnapshotName(h.doc)));
    expect(h.doc.snapshots!.map((s) => [s.id, s.name])).toEqual([['s1', 'A']]);
    h.run(setParam('comp', 'threshold', -30));
    h.run(setBypass('eq1', true));
    h.run(setParam('kick', 'gain', -10));
    h.run(captureSnapshot(nextSnapshotName(h.doc)));
    expect(h.doc.snapshots!.map((s) => s.name)).toEqual(['A', 'B']);
    expect(matchingSnapshot(h.doc)).toBe('s2');

    const steps = (h as unknown as { past: unknown[] }).past.length;
    h.run(recallSnapshot('s1'));
    expect((h as unknown as { past: unknown[] }).past.length).toBe(steps + 1);
    expect(nodeAt(h.doc, 'comp')!.params.threshold).toBe(-18);
    expect(nodeAt(h.doc, 'eq1')!.bypass).toBe(false);
    expect(nodeAt(h.doc, 'kick')!.params.gain).toBe(-6);
    expect(matchingSnapshot(h.doc)).toBe('s1');
    h.run(recallSnapshot('s2'));
    expect(nodeAt(h.doc, 'comp')!.params.threshold).toBe(-30);
    expect(h.undoLabel).toBe('Recall snapshot');
    h.undo();
    expect(nodeAt(h.doc, 'comp')!.params.threshold).toBe(-18);
    h.redo();
    expect(nodeAt(h.doc, 'comp')!.params.threshold).toBe(-30);
    // Recalling the state the session is in changes nothing: no undo step.
    const before = h.doc;
    expect(h.run(recallSnapshot('s2'))).toBe(before);
  });

  it('recall keeps a node added after the snapshot as it is, and reaches inside groups', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    h.run(captureSnapshot('A'));
    h.run(setParam('fx/comp', 'ratio', 10));
    h.run(addNode({ id: 'late', type: 'gain', params: { gain: 5 } }));
    h.run(recallSnapshot('s1'));
    expect(nodeAt(h.doc, 'fx/comp')!.params.ratio).toBe(4);
    expect(nodeAt(h.doc, 'late')!.params.gain).toBe(5);
  });

  it('update, rename, move and delete, each undoable; no snapshots left is no field at all', () => {
    const h = new History(demo());
    h.run(captureSnapshot('A'));
    h.run(captureSnapshot('B'));
    h.run(setParam('comp', 'ratio', 2));
    h.run(updateSnapshot('s1'));
    expect(h.doc.snapshots![0].values.comp.params.ratio).toBe(2);
    h.run(renameSnapshot('s1', 'Loud'));
    h.run(moveSnapshot('s2', 0));
    expect(h.doc.snapshots!.map((s) => s.name)).toEqual(['B', 'Loud']);
    h.run(deleteSnapshot('s1'));
    h.run(deleteSnapshot('s2'));
    expect('snapshots' in h.doc).toBe(false);
    for (let i = 0; i < 4; i++) h.undo();
    expect(h.doc.snapshots!.map((s) => s.name)).toEqual(['A', 'B']);
    expect(() => h.run(recallSnapshot('nope'))).toThrow(/no snapshot "nope"/);
  });

  it('saved in the session and loaded back equal; a snapshot edit is not an audio edit', () => {
    const h = new History(demo());
    const before = h.doc;
    h.run(captureSnapshot('A'));
    expect(layoutOnly(before, h.doc)).toBe(true);
    expect(loadSession(saveSession(h.doc))).toEqual(h.doc);
  });

  it('a file with a snapshot for a node that is not there, or a bad value, is refused with the path', () => {
    const h = new History(demo());
    h.run(captureSnapshot('A'));
    const file = JSON.parse(saveSession(h.doc));
    const bad = clone(file);
    bad.snapshots[0].values.ghost = { params: {} };
    bad.snapshots[0].values.comp.params.ratio = 99;
    bad.snapshots[0].values.kick.params.source = 'x.wav';
    bad.snapshots.push({ ...bad.snapshots[0] });
    const r = loadSessionValue(bad);
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(lines).toContain('snapshots[0].values.ghost: no node at "ghost" (inside a group: "group/node")');
    expect(lines).toContain('snapshots[0].values.comp.params.ratio: must be a number from 1 to 20, got 99');
    expect(lines.some((l) => /^snapshots\[0\]\.values\.kick\.params\.source: a snapshot holds the params that reach the sound/.test(l))).toBe(true);
    expect(lines).toContain('snapshots[1].id: duplicate snapshot id "s1"');
    expect(validate(h.doc)).toEqual([]);
  });
});
