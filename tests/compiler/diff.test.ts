import { beforeAll, describe, expect, it } from 'vitest';
import { diff } from '../../src/compiler/diff.ts';
import type { Operation, Plan } from '../../src/compiler/plan.ts';
import { addNode, batch, connect, disconnect, moveNodes, removeNodes, rename, setBypass, setParam, type Command } from '../../src/model/commands.ts';
import { History } from '../../src/model/history.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { edge } from '../model/build.ts';
import { bigSession, FakeEngine, planOf, stateOf } from './fake.ts';

// One 1,001-node session (250 chains generator -> eq -> compressor -> bus -> master), compiled
// once; each test edits it through a History and diffs the plans.
let base: SessionDoc;
let basePlan: Plan;
beforeAll(() => {
  base = bigSession(250);
  new History(base); // freezes it, as the editor's documents are
  basePlan = planOf(base);
});

function edit(...commands: Command[]): { ops: Operation[]; plan: Plan; doc: SessionDoc } {
  const h = new History(base);
  for (const c of commands) h.run(c);
  const plan = planOf(h.doc);
  return { ops: diff(basePlan, plan), plan, doc: h.doc };
}

/** Apply ops to an engine holding the base plan; its state must then be the new plan's. */
function expectComplete(ops: Operation[], plan: Plan) {
  const engine = new FakeEngine();
  engine.apply(diff(null, basePlan));
  engine.apply(ops);
  expect(engine.state()).toEqual(stateOf(plan));
}

describe('diff on a 1,000-node graph', () => {
  it('has 1,001 nodes and 1,000 edges', () => {
    expect(basePlan.nodes).toHaveLength(1001);
    expect(basePlan.edges).toHaveLength(1000);
  });

  it('from nothing: one create per node (in plan order), then one connect per edge', () => {
    const ops = diff(null, basePlan);
    expect(ops).toHaveLength(2001);
    expect(ops.slice(0, 1001)).toEqual(basePlan.nodes.map((node) => ({ op: 'create', node })));
    expect(ops.slice(1001)).toEqual(basePlan.edges.map((e) => ({ op: 'connect', edge: e })));
    expect(ops.slice(0, 1001).every((o) => o.op === 'create' && o.node === basePlan.nodes[ops.indexOf(o)])).toBe(true);
  });

  it('a plan against itself, or a recompile of the same document, is nothing', () => {
    expect(diff(basePlan, basePlan)).toEqual([]);
    expect(diff(basePlan, planOf(base))).toEqual([]);
  });

  it('a param edit is exactly one `set`, with the full new params', () => {
    const { ops, plan } = edit(setParam('comp117', 'threshold', -30));
    const params = plan.nodes.find((n) => n.id === 'comp117')!.params;
    expect(ops).toEqual([{ op: 'set', id: 'comp117', param: 'threshold', value: -30, params }]);
    expect(params).toEqual({ threshold: -30, ratio: 4, knee: 6, attack: 10, release: 150, makeup: 0 });
  });

  it('an EQ band edit is exactly one `set` of the bands list', () => {
    const bands = [
      { type: 'highpass', frequency: 40, gain: 0, q: 0.707, enabled: true },
      { type: 'peaking', frequency: 1042, gain: -6, q: 0.707, enabled: true },
    ];
    const { ops, plan } = edit(setParam('eq42', 'bands', bands));
    expect(ops).toEqual([{ op: 'set', id: 'eq42', param: 'bands', value: bands, params: plan.nodes.find((n) => n.id === 'eq42')!.params }]);
    expectComplete(ops, plan);
  });

  it('setting the bands to an equal list is nothing', () => {
    const same = structuredClone(base.nodes.find((n) => n.id === 'eq42')!.params.bands);
    expect(edit(setParam('eq42', 'bands', same)).ops).toEqual([]);
  });

  it('many edits in one gesture: still one `set` for the last value', () => {
    const h = new History(base);
    h.beginGesture('drag');
    for (let g = 1; g <= 24; g++) h.run(setParam('bus3', 'gain', g));
    h.endGesture();
    expect(diff(basePlan, planOf(h.doc))).toEqual([expect.objectContaining({ op: 'set', id: 'bus3', param: 'gain', value: 24 })]);
  });

  it('a bypass toggle is exactly one `bypass`', () => {
    expect(edit(setBypass('comp9', true)).ops).toEqual([{ op: 'bypass', id: 'comp9', bypass: true }]);
    const { ops, plan } = edit(setBypass('comp9', true), setParam('comp9', 'ratio', 2));
    expect(ops).toEqual([expect.objectContaining({ op: 'set', id: 'comp9', param: 'ratio', value: 2 }), { op: 'bypass', id: 'comp9', bypass: true }]);
    expectComplete(ops, plan);
  });

  it('adding one edge is exactly one `connect`', () => {
    const { ops } = edit(connect({ from: 'gen1', to: 'comp2', toPort: 'sidechain' }));
    expect(ops).toEqual([{ op: 'connect', edge: edge('gen1->comp2.sidechain') }]);
  });

  it('removing one edge is exactly one `disconnect`', () => {
    const { ops, plan } = edit(disconnect(edge('bus200->master')));
    expect(ops).toEqual([{ op: 'disconnect', edge: edge('bus200->master') }]);
    expectComplete(ops, plan);
  });

  it('layout-only edits (move, rename) are zero operations and keep every plan node', () => {
    const { ops, plan } = edit(
      moveNodes(Array.from({ length: 100 }, (_, i) => ({ id: `gen${i}`, position: { x: i, y: 2 * i } }))),
      rename('bus0', 'Drums'),
      rename('master', 'Out'),
    );
    expect(ops).toEqual([]);
    // Nodes not touched are the very same plan nodes; moved or renamed ones are equal ones.
    const touched = new Set([...Array.from({ length: 100 }, (_, i) => `gen${i}`), 'bus0', 'master']);
    plan.nodes.forEach((n, i) => {
      if (touched.has(n.id)) expect(n).toEqual(basePlan.nodes[i]);
      else expect(n).toBe(basePlan.nodes[i]);
    });
  });

  it('removing a node: a disconnect for each of its edges, then one remove', () => {
    const { ops, plan } = edit(removeNodes(['eq10']));
    expect(ops).toEqual([
      { op: 'disconnect', edge: edge('gen10->eq10') },
      { op: 'disconnect', edge: edge('eq10->comp10') },
      { op: 'remove', id: 'eq10' },
    ]);
    expectComplete(ops, plan);
  });

  it('adding a node: one create, and one connect per new edge', () => {
    const { ops, plan } = edit(
      batch('Insert', [addNode({ id: 'sat', type: 'saturator' }), disconnect(edge('comp5->bus5')), connect({ from: 'comp5', to: 'sat' }), connect({ from: 'sat', to: 'bus5' })]),
    );
    expect(ops).toEqual([
      { op: 'disconnect', edge: edge('comp5->bus5') },
      { op: 'create', node: plan.nodes.find((n) => n.id === 'sat') },
      { op: 'connect', edge: edge('comp5->sat') },
      { op: 'connect', edge: edge('sat->bus5') },
    ]);
    expectComplete(ops, plan);
  });

  it('a type change: remove + create + the node\'s edges reconnected', () => {
    const { ops, plan } = edit(
      batch('Replace with gain', [removeNodes(['comp20']), addNode({ id: 'comp20', type: 'gain', params: { gain: -3 } }), connect({ from: 'eq20', to: 'comp20' }), connect({ from: 'comp20', to: 'bus20' })]),
    );
    expect(ops).toEqual([
      { op: 'disconnect', edge: edge('eq20->comp20') },
      { op: 'disconnect', edge: edge('comp20->bus20') },
      { op: 'remove', id: 'comp20' },
      { op: 'create', node: { id: 'comp20', type: 'gain', params: { gain: -3 }, bypass: false } },
      { op: 'connect', edge: edge('eq20->comp20') },
      { op: 'connect', edge: edge('comp20->bus20') },
    ]);
    expectComplete(ops, plan);
  });

  it('a node removed and re-added with the same type is updated in place, not recreated', () => {
    const { ops, plan } = edit(batch('Re-add', [removeNodes(['bus7']), addNode({ id: 'bus7', type: 'bus', params: { gain: 3 } }), connect({ from: 'comp7', to: 'bus7' })]));
    expect(ops).toEqual([{ op: 'disconnect', edge: edge('bus7->master') }, expect.objectContaining({ op: 'set', id: 'bus7', param: 'gain', value: 3 })]);
    expectComplete(ops, plan);
  });

  it('operations come in a safe order: disconnects, removes, creates, connects, changes', () => {
    const { ops, plan } = edit(
      removeNodes(['bus1']),
      addNode({ id: 'newbus', type: 'bus' }),
      connect({ from: 'comp1', to: 'newbus' }),
      connect({ from: 'newbus', to: 'master' }),
      setParam('gen1', 'level', -20),
      setBypass('eq1', true),
    );
    const rank = { disconnect: 0, remove: 1, create: 2, connect: 3, set: 4, bypass: 4 };
    const ranks = ops.map((o) => rank[o.op]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ops.map((o) => o.op)).toEqual(['disconnect', 'disconnect', 'remove', 'create', 'connect', 'connect', 'set', 'bypass']);
    expectComplete(ops, plan);
  });
});
