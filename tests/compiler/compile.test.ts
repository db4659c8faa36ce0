import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.ts';
import { diff } from '../../src/compiler/diff.ts';
import { addNode, connect, moveNodes, rename, setBypass, setParam } from '../../src/model/commands.ts';
import { History } from '../../src/model/history.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { validate } from '../../src/model/validate.ts';
import { demo, session } from '../model/build.ts';
import { planOf } from './fake.ts';

/** Every edge that is not part of a loop goes from an earlier node to a later one. */
function expectTopological(doc: SessionDoc, loopEdges: string[] = []) {
  const plan = planOf(doc);
  const at = new Map(plan.nodes.map((n, i) => [n.id, i]));
  expect(plan.nodes).toHaveLength(doc.nodes.length);
  for (const e of plan.edges) {
    if (loopEdges.includes(`${e.from}->${e.to}`)) continue;
    expect(at.get(e.from)!, `${e.from} before ${e.to}`).toBeLessThan(at.get(e.to)!);
  }
  return plan.nodes.map((n) => n.id);
}

describe('compile', () => {
  it('returns the validation problems for an invalid session', () => {
    const doc = demo();
    doc.nodes[3].params.ratio = 100;
    doc.edges.push({ from: 'kick', fromPort: 'out', to: 'nowhere', toPort: 'in' });
    const result = compile(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(validate(doc));
    expect(result.problems.map((p) => p.path)).toEqual(['nodes[3].params.ratio', 'edges[5].to']);
  });

  it('returns a plan with every node and the document\'s edges', () => {
    const doc = demo();
    const plan = planOf(doc);
    expect(plan.nodes.map((n) => n.id).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    expect(plan.edges).toEqual(doc.edges);
    expect(plan.nodes.find((n) => n.id === 'comp')).toEqual({ id: 'comp', type: 'compressor', params: doc.nodes[3].params, bypass: false });
  });

  it('orders nodes sources first, whatever the document order', () => {
    const doc = demo();
    expectTopological(doc);
    doc.nodes.reverse();
    const order = expectTopological(doc);
    expect(order.at(-1)).toBe('master');
  });

  it('orders a diamond with a sidechain', () => {
    const doc = session(
      [['master', 'master'], ['bus', 'bus'], ['comp', 'compressor'], ['s', 'send'], ['rev', 'reverb'], ['kick', 'track'], ['bass', 'track']],
      ['bus->master', 'comp->bus', 'rev->bus', 's.send->rev', 's->comp', 'bass->s', 'kick->comp.sidechain'],
    );
    expectTopological(doc);
  });

  it('a loop through a delay: only the loop edge points back, and what it feeds comes after it', () => {
    const doc = session(
      [['master', 'master'], ['a', 'gain'], ['d', 'delay'], ['src', 'generator'], ['after', 'pan']],
      ['src->a', 'a->d', 'd->a', 'd->after', 'after->master'],
    );
    const order = expectTopological(doc, ['d->a']);
    expect(order).toEqual(['src', 'a', 'd', 'after', 'master']);
  });

  it('two delay loops in a row keep their order', () => {
    const doc = session(
      [['master', 'master'], ['d2', 'delay'], ['b', 'gain'], ['d1', 'delay'], ['a', 'gain'], ['src', 'generator']],
      ['src->a', 'a->d1', 'd1->a', 'd1->b', 'b->d2', 'd2->b', 'd2->master'],
    );
    const order = expectTopological(doc, ['d1->a', 'd2->b']);
    expect(order.indexOf('d1')).toBeLessThan(order.indexOf('b'));
    expect(order.at(-1)).toBe('master');
  });

  it('bypass is a boolean in the plan', () => {
    const doc = demo();
    doc.nodes[3].bypass = true;
    const plan = planOf(doc);
    expect(plan.nodes.find((n) => n.id === 'comp')!.bypass).toBe(true);
    expect(plan.nodes.every((n) => typeof n.bypass === 'boolean')).toBe(true);
  });
});

describe('what reaches the audio', () => {
  const tracks = () =>
    session(
      [
        { id: 'a', type: 'track', params: { category: 'drums', color: '#ff0000' } },
        { id: 'b', type: 'track' },
        { id: 'c', type: 'track', params: { mute: true } },
        { id: 'g', type: 'generator' },
        { id: 'master', type: 'master' },
      ],
      ['a->master', 'b->master', 'c->master', 'g->master'],
    );
  const mute = (doc: SessionDoc) => Object.fromEntries(planOf(doc).nodes.filter((n) => n.type === 'track').map((n) => [n.id, n.params.mute]));

  it('leaves out meta params and solo', () => {
    const a = planOf(tracks()).nodes.find((n) => n.id === 'a')!;
    expect(Object.keys(a.params).sort()).toEqual(['gain', 'invert', 'mute', 'offset', 'pan', 'source']);
  });

  it('without a solo, mute is each track\'s own', () => {
    expect(mute(tracks())).toEqual({ a: false, b: false, c: true });
  });

  it('a solo mutes every other track', () => {
    const doc = tracks();
    doc.nodes[1].params.solo = true;
    expect(mute(doc)).toEqual({ a: true, b: false, c: true });
    doc.nodes[0].params.solo = true;
    expect(mute(doc)).toEqual({ a: false, b: false, c: true });
    // A soloed track that is muted stays muted; generators are not tracks.
    doc.nodes[2].params.solo = true;
    expect(mute(doc)).toEqual({ a: false, b: false, c: true });
    expect(planOf(doc).nodes.find((n) => n.id === 'g')!.params).toEqual(doc.nodes[3].params);
  });

  it('editing a meta param or a label gives zero operations', () => {
    const h = new History(tracks());
    let plan = planOf(h.doc);
    for (const cmd of [setParam('a', 'category', 'vocals'), setParam('a', 'color', '#00ff00'), rename('a', 'Lead'), moveNodes([{ id: 'a', position: { x: 1, y: 1 } }])]) {
      h.run(cmd);
      const next = planOf(h.doc);
      expect(diff(plan, next)).toEqual([]);
      plan = next;
    }
  });

  it('toggling solo is one `set mute` per other track', () => {
    const h = new History(tracks());
    const before = planOf(h.doc);
    h.run(setParam('b', 'solo', true));
    const ops = diff(before, planOf(h.doc));
    expect(ops.map((o) => (o.op === 'set' ? [o.id, o.param, o.value] : o))).toEqual([['a', 'mute', true]]);
    const after = planOf(h.doc);
    h.undo();
    expect(diff(after, planOf(h.doc)).map((o) => (o.op === 'set' ? [o.id, o.param, o.value] : o))).toEqual([['a', 'mute', false]]);
  });
});

describe('the reuse cache', () => {
  it('an unchanged node is the same PlanNode object from one compile to the next', () => {
    const h = new History(demo());
    const first = planOf(h.doc);
    h.run(setParam('comp', 'ratio', 8));
    const second = planOf(h.doc);
    const byId = (id: string, plan = first) => plan.nodes.find((n) => n.id === id)!;
    for (const n of second.nodes) {
      if (n.id === 'comp') expect(n).not.toBe(byId('comp'));
      else expect(n).toBe(byId(n.id));
    }
    expect(byId('comp', second).params.ratio).toBe(8);
    expect(byId('comp').params.ratio).toBe(4); // the old plan is untouched
  });

  it('survives undo and redo for the nodes they do not touch', () => {
    const h = new History(demo());
    h.run(setBypass('eq1', true));
    const a = planOf(h.doc);
    h.undo();
    const b = planOf(h.doc);
    expect(b.nodes.find((n) => n.id === 'kick')).toBe(a.nodes.find((n) => n.id === 'kick'));
    expect(b.nodes.find((n) => n.id === 'eq1')!.bypass).toBe(false);
  });

  it('a solo elsewhere recomputes tracks but not other nodes', () => {
    const h = new History(demo());
    const first = planOf(h.doc);
    h.run(setParam('snare', 'solo', true));
    const second = planOf(h.doc);
    const pick = (plan: typeof first, id: string) => plan.nodes.find((n) => n.id === id);
    expect(pick(second, 'kick')).not.toBe(pick(first, 'kick'));
    expect(pick(second, 'kick')!.params.mute).toBe(true);
    expect(pick(second, 'comp')).toBe(pick(first, 'comp'));
    // Compiling the same document again gives the same nodes.
    const third = planOf(h.doc);
    third.nodes.forEach((n, i) => expect(n).toBe(second.nodes[i]));
  });

  it('a plain (unfrozen) document changed in place is compiled afresh, never from a stale cache', () => {
    const doc = demo();
    expect(planOf(doc).nodes.find((n) => n.id === 'comp')!.params.ratio).toBe(4);
    doc.nodes[3].params.ratio = 6;
    expect(planOf(doc).nodes.find((n) => n.id === 'comp')!.params.ratio).toBe(6);
    doc.nodes[3].bypass = true;
    expect(planOf(doc).nodes.find((n) => n.id === 'comp')!.bypass).toBe(true);
  });

  it('a new node gets a new PlanNode', () => {
    const h = new History(demo());
    const first = planOf(h.doc);
    h.run(addNode({ id: 'g', type: 'gain' }));
    h.run(connect({ from: 'g', to: 'master' }));
    const second = planOf(h.doc);
    expect(second.nodes.find((n) => n.id === 'g')).toEqual({ id: 'g', type: 'gain', params: { gain: 0 }, bypass: false });
    expect(first.nodes.find((n) => n.id === 'g')).toBeUndefined();
  });
});
