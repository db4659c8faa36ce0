import { describe, expect, it } from 'vitest';
import {
  addNode,
  batch,
  connect,
  disconnect,
  moveNodes,
  removeNodes,
  rename,
  setBypass,
  setParam,
  type Command,
} from '../../src/model/commands.ts';
import { History } from '../../src/model/history.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { clone, demo, edge } from './build.ts';

const param = (doc: SessionDoc, id: string, name: string) => doc.nodes.find((n) => n.id === id)!.params[name];

const commands: [string, () => Command][] = [
  ['addNode', () => addNode({ id: 'g', type: 'gain', params: { gain: 3 } })],
  ['removeNodes', () => removeNodes(['comp', 'snare'])],
  ['connect', () => connect({ from: 'snare', to: 'comp', toPort: 'sidechain' })],
  ['disconnect', () => disconnect(edge('eq1->comp'))],
  ['setParam', () => setParam('comp', 'threshold', -30)],
  ['setParam (list)', () => setParam('eq1', 'bands', [{ type: 'notch', frequency: 60, gain: 0, q: 10, enabled: true }])],
  ['setBypass', () => setBypass('eq1', true)],
  ['rename', () => rename('kick', 'Bass drum')],
  ['moveNodes', () => moveNodes([{ id: 'kick', position: { x: 1, y: 2 } }, { id: 'master', position: { x: 500, y: 0 } }])],
  ['batch', () => batch('Insert', [addNode({ id: 'p', type: 'pan' }), disconnect(edge('drums->master')), connect({ from: 'drums', to: 'p' }), connect({ from: 'p', to: 'master' })])],
];

describe('undo and redo restore exact documents', () => {
  it.each(commands)('%s', (_name, make) => {
    const h = new History(demo());
    const d0 = clone(h.doc);
    const d1 = h.run(make());
    expect(d1).not.toEqual(d0);
    const d1copy = clone(d1);
    expect(h.canUndo).toBe(true);
    expect(h.undo()).toEqual(d0);
    expect(h.doc).toEqual(d0);
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(true);
    expect(h.redo()).toEqual(d1copy);
    expect(h.canRedo).toBe(false);
    // And again, to show the steps survive a round trip.
    expect(h.undo()).toEqual(d0);
    expect(h.redo()).toEqual(d1copy);
  });

  it('a long sequence unwinds step by step to each earlier document', () => {
    const h = new History(demo());
    const docs = [clone(h.doc)];
    for (const [, make] of commands) {
      // removeNodes deleted comp and snare: skip what no longer applies or changes nothing.
      const before = h.doc;
      try {
        h.run(make());
      } catch {
        continue;
      }
      if (h.doc !== before) docs.push(clone(h.doc));
    }
    expect(docs.length).toBeGreaterThan(5);
    for (let i = docs.length - 2; i >= 0; i--) expect(h.undo()).toEqual(docs[i]);
    expect(h.canUndo).toBe(false);
    for (let i = 1; i < docs.length; i++) expect(h.redo()).toEqual(docs[i]);
  });

  it('labels name the steps', () => {
    const h = new History(demo());
    h.run(setBypass('comp', true));
    expect(h.undoLabel).toBe('Bypass comp');
    h.undo();
    expect(h.redoLabel).toBe('Bypass comp');
    expect(h.undoLabel).toBeUndefined();
  });
});

describe('redo', () => {
  it('is cleared by a new edit', () => {
    const h = new History(demo());
    h.run(setParam('comp', 'ratio', 8));
    h.undo();
    expect(h.canRedo).toBe(true);
    h.run(setBypass('comp', true));
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBe(h.doc);
    expect(param(h.doc, 'comp', 'ratio')).toBe(4);
  });

  it('is kept when a command changes nothing', () => {
    const h = new History(demo());
    h.run(setParam('comp', 'ratio', 8));
    h.undo();
    const doc = h.doc;
    expect(h.run(connect({ from: 'kick', to: 'eq1' }))).toBe(doc); // already there
    expect(h.run(setParam('comp', 'ratio', 4))).toBe(doc); // same value
    expect(h.canRedo).toBe(true);
  });
});

describe('gestures and merging', () => {
  it('a gesture is one undo step, however many edits it holds', () => {
    const h = new History(demo());
    const d0 = clone(h.doc);
    h.beginGesture('Drag threshold');
    for (let t = -19; t >= -40; t--) h.run(setParam('comp', 'threshold', t));
    h.run(setParam('comp', 'knee', 3)); // even a different param in the same gesture
    expect(h.canUndo).toBe(true);
    h.endGesture();
    expect(param(h.doc, 'comp', 'threshold')).toBe(-40);
    expect(h.undoLabel).toBe('Drag threshold');
    expect(h.undo()).toEqual(d0);
    expect(h.canUndo).toBe(false);
    h.redo();
    expect(param(h.doc, 'comp', 'threshold')).toBe(-40);
    expect(param(h.doc, 'comp', 'knee')).toBe(3);
  });

  it('undo during a gesture closes it and undoes all of it', () => {
    const h = new History(demo());
    const d0 = clone(h.doc);
    h.beginGesture('Drag');
    h.run(setParam('comp', 'ratio', 5));
    h.run(setParam('comp', 'ratio', 6));
    expect(h.undo()).toEqual(d0);
    expect(h.canUndo).toBe(false);
  });

  it('an empty gesture adds no step', () => {
    const h = new History(demo());
    h.beginGesture('Nothing');
    h.endGesture();
    expect(h.canUndo).toBe(false);
  });

  it('consecutive setParam on one param merge into one step', () => {
    const h = new History(demo());
    const d0 = clone(h.doc);
    h.run(setParam('drums', 'gain', 1));
    h.run(setParam('drums', 'gain', 2));
    h.run(setParam('drums', 'gain', 3));
    expect(h.undo()).toEqual(d0);
    expect(h.canUndo).toBe(false);
    expect(param(h.redo(), 'drums', 'gain')).toBe(3);
  });

  it('a different edit in between splits them', () => {
    const h = new History(demo());
    h.run(setParam('drums', 'gain', 1));
    h.run(setParam('drums', 'gain', 2));
    h.run(setBypass('comp', true));
    h.run(setParam('drums', 'gain', 3));
    h.run(setParam('drums', 'gain', 4));
    expect(param(h.undo(), 'drums', 'gain')).toBe(2);
    expect(h.doc.nodes[3].bypass).toBe(true);
    expect(h.undo().nodes[3].bypass).toBeUndefined();
    expect(param(h.doc, 'drums', 'gain')).toBe(2);
    expect(param(h.undo(), 'drums', 'gain')).toBe(0);
    expect(h.canUndo).toBe(false);
  });

  it('another param of the same node does not merge', () => {
    const h = new History(demo());
    h.run(setParam('comp', 'ratio', 2));
    h.run(setParam('comp', 'knee', 2));
    h.undo();
    expect(param(h.doc, 'comp', 'ratio')).toBe(2);
  });

  it('an undo closes the merge window', () => {
    const h = new History(demo());
    h.run(setParam('drums', 'gain', 1));
    h.run(setParam('comp', 'ratio', 2));
    h.undo(); // back to gain 1; the gain step is on top again
    h.run(setParam('drums', 'gain', 5));
    expect(param(h.undo(), 'drums', 'gain')).toBe(1);
  });

  it('a gesture end closes the merge window', () => {
    const h = new History(demo());
    h.run(setParam('drums', 'gain', 1));
    h.beginGesture('g');
    h.endGesture();
    h.run(setParam('drums', 'gain', 2));
    expect(param(h.undo(), 'drums', 'gain')).toBe(1);
  });

  it('moves of the same nodes merge; renames merge', () => {
    const h = new History(demo());
    const d0 = clone(h.doc);
    for (let x = 0; x < 20; x++) h.run(moveNodes([{ id: 'kick', position: { x, y: x } }]));
    h.run(moveNodes([{ id: 'snare', position: { x: 1, y: 1 } }])); // other node: its own step
    expect(h.undo().nodes[0].position).toEqual({ x: 19, y: 19 });
    expect(h.undo()).toEqual(d0);
    h.run(rename('kick', 'K'));
    h.run(rename('kick', 'Ki'));
    h.run(rename('kick', 'Kick drum'));
    expect(h.undo()).toEqual(d0);
  });
});

describe('limits and failures', () => {
  it('keeps at most `limit` steps, dropping the oldest', () => {
    const h = new History(demo(), 3);
    const values = [1, 2, 3, 4, 5];
    for (const v of values) {
      h.run(setParam('drums', 'gain', v));
      h.run(setBypass('drums', v % 2 === 1)); // splits the gain merges
    }
    // 10 steps were made; 3 remain.
    let undos = 0;
    while (h.canUndo) {
      h.undo();
      undos++;
    }
    expect(undos).toBe(3);
    // Steps: g1 b+ g2 b- g3 b+ g4 b- g5 b+. The last three (b- g5 b+) undo to: gain 4, bypassed.
    expect(param(h.doc, 'drums', 'gain')).toBe(4);
    expect(h.doc.nodes[4].bypass).toBe(true);
  });

  it('a throwing command changes nothing: document, undo and redo stacks', () => {
    const h = new History(demo());
    h.run(setParam('comp', 'ratio', 8));
    h.run(setBypass('comp', true));
    h.undo();
    const doc = h.doc;
    const before = clone(doc);
    expect(() => h.run(setParam('ghost', 'gain', 0))).toThrow(/ghost/);
    expect(() => h.run(batch('x', [setParam('comp', 'ratio', 2), removeNodes(['eq1']), setBypass('nobody', true)]))).toThrow();
    expect(() => h.run(addNode({ id: 'kick', type: 'gain' }))).toThrow();
    expect(h.doc).toBe(doc);
    expect(h.doc).toEqual(before);
    expect(h.canRedo).toBe(true);
    expect(param(h.undo(), 'comp', 'ratio')).toBe(4);
  });

  it('a throwing command inside a gesture does not add to the gesture', () => {
    const h = new History(demo());
    const d0 = clone(h.doc);
    h.beginGesture('g');
    h.run(setParam('comp', 'ratio', 3));
    expect(() => h.run(setParam('ghost', 'gain', 0))).toThrow();
    h.endGesture();
    expect(h.undo()).toEqual(d0);
  });

  it('old documents are never mutated by later edits, undo or redo', () => {
    const h = new History(demo());
    const snapshots: [SessionDoc, SessionDoc][] = [];
    const keep = () => snapshots.push([h.doc, clone(h.doc)]);
    keep();
    h.run(setParam('comp', 'ratio', 8));
    keep();
    h.run(removeNodes(['eq1']));
    keep();
    h.beginGesture('drag');
    h.run(moveNodes([{ id: 'kick', position: { x: 5, y: 5 } }]));
    h.run(moveNodes([{ id: 'kick', position: { x: 6, y: 5 } }]));
    h.endGesture();
    keep();
    h.undo();
    keep();
    h.undo();
    h.redo();
    keep();
    snapshots.forEach(([doc, copy], i) => {
      expect(doc).toEqual(copy);
      expect(Object.isFrozen(doc)).toBe(true);
      expect(Object.isFrozen(doc.nodes)).toBe(true);
      expect(Object.isFrozen(doc.nodes[0].params)).toBe(true);
    });
  });

  it('the first document is frozen too', () => {
    const doc = demo();
    const h = new History(doc);
    expect(h.doc).toBe(doc);
    expect(Object.isFrozen(doc.nodes[0].params)).toBe(true);
    expect(() => {
      doc.name = 'changed';
    }).toThrow();
  });

  it('reset starts a fresh history', () => {
    const h = new History(demo());
    h.run(setParam('comp', 'ratio', 8));
    h.undo();
    const fresh = demo();
    h.reset(fresh);
    expect(h.doc).toBe(fresh);
    expect(Object.isFrozen(fresh)).toBe(true);
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(false);
  });
});

describe('steps() and reset(doc, steps): the history kept with a session', () => {
  it('a history restored from its steps (through JSON, as autosave stores them) undoes and redoes as the original', () => {
    const h = new History(demo());
    h.run(setParam('comp', 'ratio', 8));
    h.run(addNode({ id: 'g', type: 'gain' }));
    h.run(connect({ from: 'g', to: 'master' }));
    h.undo();
    const kept = JSON.parse(JSON.stringify(h.steps()));
    expect(kept.past).toHaveLength(2);
    expect(kept.future).toHaveLength(1);
    const again = new History(demo());
    again.reset(h.doc, kept);
    expect(again.undoLabel).toBe(h.undoLabel);
    expect(again.redo()).toEqual(h.redo());
    expect(again.undo()).toEqual(h.undo());
    expect(again.undo()).toEqual(h.undo());
    expect(again.undo()).toEqual(demo());
    // steps() are copies: changing them leaves the history alone
    const s = again.steps();
    s.past.length = 0;
    expect(again.steps().future).toHaveLength(3);
    // without steps, reset starts afresh as before
    again.reset(demo());
    expect(again.canUndo || again.canRedo).toBe(false);
  });
});
