import { describe, expect, it } from 'vitest';
import { getDefinition } from '../../nodes/registry.ts';
import {
  addNode,
  apply,
  batch,
  connect,
  disconnect,
  freshId,
  moveNodes,
  removeNodes,
  rename,
  setBypass,
  setParam,
  type Command,
} from '../../src/model/commands.ts';
import { defaultParams } from '../../src/model/params.ts';
import { clone, demo, edge } from './build.ts';

/** Apply and check the input document was left exactly as it was. */
function run(command: Command, doc = demo()) {
  const before = clone(doc);
  const result = apply(doc, command);
  expect(doc).toEqual(before);
  return result;
}

describe('addNode', () => {
  it('fills every omitted param with its default', () => {
    const { doc } = run(addNode({ id: 'c2', type: 'compressor', params: { ratio: 8 } }));
    const added = doc.nodes.find((n) => n.id === 'c2')!;
    expect(added.params).toEqual({ ...defaultParams(getDefinition('compressor')!), ratio: 8 });
    expect(added.params).toEqual({ threshold: -18, ratio: 8, knee: 6, attack: 10, release: 150, makeup: 0 });
  });

  it('fills omitted EQ band fields, keeping the given ones', () => {
    const { doc } = run(addNode({ id: 'eq2', type: 'eq', params: { bands: [{ type: 'lowshelf', frequency: 200 }] } }));
    expect(doc.nodes.at(-1)!.params.bands).toEqual([{ type: 'lowshelf', frequency: 200, gain: 0, q: 0.707, enabled: true }]);
  });

  it('keeps label, position and bypass', () => {
    const { doc } = run(addNode({ id: 'g', type: 'gain', label: 'Trim', position: { x: 3, y: 4 }, bypass: true }));
    expect(doc.nodes.at(-1)).toMatchObject({ id: 'g', type: 'gain', label: 'Trim', position: { x: 3, y: 4 }, bypass: true, params: { gain: 0 } });
  });

  it('throws on an unknown type and on an id in use', () => {
    expect(() => addNode({ id: 'x', type: 'wobbler' })).toThrow(/unknown node type "wobbler"/);
    expect(() => apply(demo(), addNode({ id: 'comp', type: 'gain' }))).toThrow(/exists already/);
  });

  it('freshId picks an unused id', () => {
    const doc = demo();
    expect(freshId(doc, 'gain')).toBe('gain');
    expect(freshId(doc, 'comp')).toBe('comp2');
    const { doc: next } = apply(doc, addNode({ id: 'comp2', type: 'compressor' }));
    expect(freshId(next, 'comp')).toBe('comp3');
  });
});

describe('removeNodes', () => {
  it('removes the nodes and every edge touching them, and nothing else', () => {
    const { doc } = run(removeNodes(['comp']));
    expect(doc.nodes.map((n) => n.id)).toEqual(['kick', 'snare', 'eq1', 'drums', 'master']);
    expect(doc.edges).toEqual([edge('kick->eq1'), edge('snare->drums'), edge('drums->master')]);
  });

  it('removes several at once', () => {
    const { doc } = run(removeNodes(['kick', 'drums']));
    expect(doc.nodes.map((n) => n.id)).toEqual(['snare', 'eq1', 'comp', 'master']);
    expect(doc.edges).toEqual([edge('eq1->comp')]);
  });

  it('removing a node that does not exist is no change at all (no undo step)', () => {
    const doc = demo();
    const { doc: next, patches } = apply(doc, removeNodes(['nope']));
    expect(patches).toEqual([]);
    expect(next).toBe(doc);
  });
});

describe('connect', () => {
  it('defaults the ports to out -> in', () => {
    const { doc } = run(connect({ from: 'kick', to: 'master' }));
    expect(doc.edges.at(-1)).toEqual({ from: 'kick', fromPort: 'out', to: 'master', toPort: 'in' });
  });

  it('keeps explicit ports', () => {
    const { doc } = run(connect({ from: 'snare', to: 'comp', toPort: 'sidechain' }));
    expect(doc.edges.at(-1)).toEqual({ from: 'snare', fromPort: 'out', to: 'comp', toPort: 'sidechain' });
  });

  it('does not add a duplicate (and makes no change)', () => {
    const doc = demo();
    const { doc: next, patches } = apply(doc, connect({ from: 'kick', fromPort: 'out', to: 'eq1' }));
    expect(patches).toEqual([]);
    expect(next).toBe(doc);
    expect(next.edges).toHaveLength(5);
  });
});

describe('disconnect', () => {
  it('removes exactly that edge', () => {
    const { doc } = run(disconnect(edge('comp->drums')));
    expect(doc.edges).toEqual([edge('kick->eq1'), edge('eq1->comp'), edge('snare->drums'), edge('drums->master')]);
  });

  it('an edge that is not there is no change (no undo step)', () => {
    const doc = demo();
    const { doc: next, patches } = apply(doc, disconnect(edge('kick->master')));
    expect(patches).toEqual([]);
    expect(next).toBe(doc);
  });
});

describe('setParam, setBypass, rename, moveNodes', () => {
  it('setParam sets one value on one node', () => {
    const doc = demo();
    const { doc: next } = run(setParam('comp', 'ratio', 8), doc);
    expect(next.nodes[3].params).toEqual({ ...doc.nodes[3].params, ratio: 8 });
    // Every other node is the very same object (structural sharing).
    next.nodes.forEach((n, i) => i !== 3 && expect(n).toBe(doc.nodes[i]));
    expect(next.edges).toBe(doc.edges);
  });

  it('setParam replaces a list (the EQ bands)', () => {
    const bands = [{ type: 'peaking', frequency: 3000, gain: 2, q: 1, enabled: true }];
    const { doc } = run(setParam('eq1', 'bands', bands));
    expect(doc.nodes[2].params.bands).toEqual(bands);
  });

  it('setParam on a missing node throws', () => {
    expect(() => apply(demo(), setParam('ghost', 'gain', 1))).toThrow(/no node with id "ghost"/);
  });

  it('setBypass sets and clears', () => {
    const { doc } = run(setBypass('comp', true));
    expect(doc.nodes[3].bypass).toBe(true);
    expect(apply(doc, setBypass('comp', false)).doc.nodes[3].bypass).toBe(false);
  });

  it('rename sets the label', () => {
    expect(run(rename('drums', 'Drums')).doc.nodes[4].label).toBe('Drums');
  });

  it('moveNodes sets every position, copying the given objects', () => {
    const pos = { x: 10, y: 20 };
    const { doc } = run(moveNodes([{ id: 'kick', position: pos }, { id: 'snare', position: { x: -5, y: 0.5 } }]));
    expect(doc.nodes[0].position).toEqual({ x: 10, y: 20 });
    expect(doc.nodes[1].position).toEqual({ x: -5, y: 0.5 });
    pos.x = 99; // the caller's object is not the document's
    expect(doc.nodes[0].position).toEqual({ x: 10, y: 20 });
  });

  it('a move of a missing node throws', () => {
    expect(() => apply(demo(), moveNodes([{ id: 'kick', position: { x: 1, y: 1 } }, { id: 'ghost', position: { x: 0, y: 0 } }]))).toThrow(/ghost/);
  });
});

describe('batch', () => {
  it('runs every command in order as one change', () => {
    const cmd = batch('Insert gain', [
      addNode({ id: 'trim', type: 'gain', params: { gain: -3 } }),
      disconnect(edge('comp->drums')),
      connect({ from: 'comp', to: 'trim' }),
      connect({ from: 'trim', to: 'drums' }),
    ]);
    const { doc } = run(cmd);
    expect(cmd.label).toBe('Insert gain');
    expect(doc.nodes.at(-1)).toEqual({ id: 'trim', type: 'gain', params: { gain: -3 } });
    expect(doc.edges).toEqual([edge('kick->eq1'), edge('eq1->comp'), edge('snare->drums'), edge('drums->master'), edge('comp->trim'), edge('trim->drums')]);
  });

  it('a failing command inside leaves the document unchanged', () => {
    const doc = demo();
    const before = clone(doc);
    expect(() => apply(doc, batch('x', [setParam('comp', 'ratio', 2), setParam('ghost', 'gain', 0)]))).toThrow();
    expect(doc).toEqual(before);
  });
});

describe('immutability', () => {
  it('results are frozen, so an old document cannot be changed by accident', () => {
    const { doc } = apply(demo(), setParam('comp', 'ratio', 8));
    expect(Object.isFrozen(doc)).toBe(true);
    expect(Object.isFrozen(doc.nodes[3].params)).toBe(true);
    expect(() => {
      (doc.nodes[3].params as Record<string, unknown>).ratio = 2;
    }).toThrow();
  });

  it('addNode does not keep a reference to the caller\'s params', () => {
    const bands = [{ type: 'peaking', frequency: 500 }];
    const { doc } = apply(demo(), addNode({ id: 'eq9', type: 'eq', params: { bands } }));
    bands[0].frequency = 900;
    expect((doc.nodes.at(-1)!.params.bands as { frequency: number }[])[0].frequency).toBe(500);
  });
});
