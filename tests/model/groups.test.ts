// Groups in the model: collapsing a selection (ports, knobs), editing inside by path, ungrouping,
// nesting, validation through groups, the flat graph the compiler builds, and group <-> chain.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.ts';
import { addNode, connect, disconnect, insertChain, removeNodes, setBypass, setParam, type Command } from '../../src/model/commands.ts';
import { connectionProblem } from '../../src/model/connection.ts';
import { layoutOnly, nodeAt, nodePorts, type ChainDoc, type SessionDoc } from '../../src/model/document.ts';
import { flatten, reachingMaster } from '../../src/model/flatten.ts';
import { chainToGroupBody, groupKnobs, groupNodes, groupToChain, knobCandidates, setKnobs, ungroup } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { captureSnapshot } from '../../src/model/snapshots.ts';
import { validate } from '../../src/model/validate.ts';
import { loadChainValue } from '../../src/presets/chain.ts';
import { loadSession, saveSession } from '../../src/presets/load.ts';
import { clone, demo, edge, node, session } from './build.ts';

const keys = (doc: { edges: { from: string; fromPort: string; to: string; toPort: string }[] }) => doc.edges.map((e) => `${e.from}.${e.fromPort}->${e.to}.${e.toPort}`).sort();
const flatKeys = (doc: SessionDoc) => keys(flatten(doc));

/** Run a command, then check that undo gives back the document before and redo the one after. */
function undoable(doc: SessionDoc, command: Command): SessionDoc {
  const h = new History(doc);
  const before = clone(h.doc);
  const after = h.run(command);
  expect(after).not.toEqual(before); // it did something
  const snapshot = clone(after);
  expect(h.undo()).toEqual(before);
  expect(h.redo()).toEqual(snapshot);
  return h.doc;
}

describe('groupNodes', () => {
  it('a chain of two nodes: one input, one output; the graph the audio hears is unchanged', () => {
    const doc = demo();
    const grouped = undoable(doc, groupNodes(['eq1', 'comp'], { id: 'kick_fx', label: 'Kick FX' }));
    const g = grouped.nodes.find((n) => n.id === 'kick_fx')!;
    expect(g).toMatchObject({ type: 'group', label: 'Kick FX', params: {} });
    expect(g.group!.inputs).toEqual([{ id: 'in', label: 'In' }]);
    expect(g.group!.outputs).toEqual([{ id: 'out', label: 'Out' }]);
    expect(keys(g.group!)).toEqual(['eq1.out->comp.in', 'comp.out->output.out', 'input.in->eq1.in'].sort());
    expect(keys(grouped)).toEqual(['drums.out->master.in', 'kick.out->kick_fx.in', 'kick_fx.out->drums.in', 'snare.out->drums.in'].sort());
    // Flattened: the same edges as before, inner nodes under their paths.
    expect(flatKeys(grouped)).toEqual(keys(doc).map((k) => k.replace(/\beq1\b/g, 'kick_fx/eq1').replace(/\bcomp\b/g, 'kick_fx/comp')).sort());
    expect(validate(grouped)).toEqual([]);
    expect(compile(grouped).ok).toBe(true);
  });

  it('a bus fed by many sources is one input; one source feeding two inner nodes is one input', () => {
    const doc = session(
      [['a', 'track'], ['b', 'track'], ['bus', 'bus'], ['x', 'eq'], ['y', 'compressor'], ['sum', 'bus'], ['m', 'master']],
      ['a->bus', 'b->bus', 'bus->m', 'a->x', 'a->y', 'x->sum', 'y->sum', 'sum->m'],
    );
    const one = undoable(doc, groupNodes(['bus']));
    expect(one.nodes.find((n) => n.id === 'group')!.group!.inputs).toHaveLength(1);
    expect(keys(one)).toContain('a.out->group.in');
    expect(keys(one)).toContain('b.out->group.in');
    const parallel = undoable(doc, groupNodes(['x', 'y', 'sum']));
    const body = parallel.nodes.find((n) => n.id === 'group')!.group!;
    expect(body.inputs).toHaveLength(1);
    expect(body.outputs).toHaveLength(1);
    expect(keys(body)).toEqual(['input.in->x.in', 'input.in->y.in', 'sum.out->output.out', 'x.out->sum.in', 'y.out->sum.in'].sort());
    expect(flatKeys(parallel)).toEqual(keys(doc).map((k) => k.replace(/\b(x|y|sum)\./g, 'group/$1.')).sort());
  });

  it('a sidechain from outside is a sidechain input; a send leaving is a send output', () => {
    const doc = session(
      [['kick', 'track'], ['bass', 'track'], ['duck', 'compressor'], ['s', 'send'], ['verb', 'reverb'], ['m', 'master']],
      ['kick->m', 'bass->duck', 'kick->duck.sidechain', 'duck->s', 's->m', 's.send->verb', 'verb->m'],
    );
    const g = undoable(doc, groupNodes(['duck', 's'])).nodes.find((n) => n.id === 'group')!;
    expect(g.group!.inputs).toEqual([{ id: 'in', label: 'In' }, { id: 'sidechain', label: 'Sidechain', role: 'sidechain' }]);
    expect(g.group!.outputs.map((p) => [p.id, p.role])).toEqual([['out', undefined], ['send', 'aux']]);
    expect(nodePorts(g).inputs.map((p) => p.id)).toEqual(['in', 'sidechain']);
  });

  it('tracks can be grouped (a group without inputs); the master cannot', () => {
    const doc = demo();
    const g = undoable(doc, groupNodes(['kick', 'snare'], { id: 'drum_tracks' })).nodes.find((n) => n.id === 'drum_tracks')!;
    expect(g.group!.inputs).toEqual([]);
    expect(g.group!.outputs.length).toBe(2); // kick -> eq1 and snare -> drums go to different places
    expect(() => new History(doc).run(groupNodes(['drums', 'master']))).toThrow(/master stays outside groups/);
    expect(() => new History(doc).run(groupNodes([]))).toThrow(/select the nodes/);
    expect(() => new History(doc).run(groupNodes(['ghost']))).toThrow(/no node "ghost"/);
  });

  it('knobs: views of inner params, set through the group; chosen knobs must be knob-able', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx', knobs: [{ node: 'comp', param: 'threshold', label: 'Squash' }, { node: 'comp', param: 'ratio' }] }));
    expect(groupKnobs(h.doc, 'fx').map((k) => [k.id, k.label, k.value, k.target.path])).toEqual([
      ['threshold', 'Squash', -18, 'fx/comp'],
      ['ratio', 'comp Ratio', 4, 'fx/comp'],
    ]);
    h.run(setParam('fx', 'threshold', -30));
    expect(nodeAt(h.doc, 'fx/comp')!.params.threshold).toBe(-30);
    expect(groupKnobs(h.doc, 'fx')[0].value).toBe(-30);
    expect(h.doc.nodes.find((n) => n.id === 'fx')!.params).toEqual({}); // no copy on the group
    h.undo();
    expect(nodeAt(h.doc, 'fx/comp')!.params.threshold).toBe(-18);
    expect(() => h.run(setParam('fx', 'nope', 1))).toThrow(/no knob "nope"/);
    expect(() => new History(demo()).run(groupNodes(['eq1'], { knobs: [{ node: 'eq1', param: 'bands' }] }))).toThrow(/cannot be a knob/);
    expect(knobCandidates(h.doc.nodes.find((n) => n.id === 'fx')!.group!).map((c) => `${c.node}.${c.param}`)).toEqual(['comp.threshold', 'comp.ratio', 'comp.knee', 'comp.attack', 'comp.release', 'comp.makeup']);
    undoable(h.doc, setKnobs('fx', [{ node: 'comp', param: 'makeup' }]));
  });

  it('editing inside a group by path and scope; connection checks inside', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    undoable(h.doc, setParam('fx/eq1', 'bands', [{ type: 'peaking', frequency: 500, gain: 3, q: 1, enabled: true }]));
    undoable(h.doc, setBypass('fx/comp', true));
    const added = undoable(h.doc, addNode({ id: 'sat', type: 'saturator' }, 'fx'));
    expect(nodeAt(added, 'fx/sat')).toBeDefined();
    expect(connectionProblem(added, edge('comp->sat'), 'fx')).toBeNull();
    expect(connectionProblem(added, { from: 'sat', fromPort: 'out', to: 'output', toPort: 'out' }, 'fx')).toBeNull();
    expect(connectionProblem(added, { from: 'input', fromPort: 'in', to: 'sat', toPort: 'in' }, 'fx')).toBeNull();
    expect(connectionProblem(added, { from: 'input', fromPort: 'nope', to: 'sat', toPort: 'in' }, 'fx')).toMatch(/"nope" is not an output of the group's inputs/);
    expect(connectionProblem(added, edge('comp->eq1'), 'fx')).toMatch(/feedback loop without a delay \(fx\/comp → fx\/eq1 → fx\/comp\)|feedback loop without a delay \(fx\/eq1 → fx\/comp → fx\/eq1\)/);
    const wired = undoable(added, connect(edge('comp->sat'), 'fx'));
    const removed = undoable(wired, removeNodes(['sat'], 'fx'));
    expect(nodeAt(removed, 'fx/sat')).toBeUndefined();
  });

  it('a loop through a group is found on the flat graph', () => {
    const h = new History(session([['t', 'track'], ['a', 'gain'], ['b', 'gain'], ['m', 'master']], ['t->a', 'a->b', 'b->m']));
    h.run(groupNodes(['b'], { id: 'g' }));
    const doc = clone(h.doc);
    doc.edges.push(edge('g->a'));
    const loop = validate(doc).find((p) => /feedback loop/.test(p.message));
    expect(loop?.message).toMatch(/a -> g\/b -> a/);
  });

  it('nesting: a group inside a group, knobs through both, ungroup one level at a time', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'inner', knobs: [{ node: 'comp', param: 'threshold' }] }));
    h.run(groupNodes(['inner', 'drums'], { id: 'outer', knobs: [{ node: 'inner', param: 'threshold', label: 'Drive' }] }));
    expect(nodeAt(h.doc, 'outer/inner/comp')?.type).toBe('compressor');
    expect(groupKnobs(h.doc, 'outer')[0]).toMatchObject({ label: 'Drive', target: { path: 'outer/inner/comp', param: 'threshold' } });
    h.run(setParam('outer', 'threshold', -40));
    expect(nodeAt(h.doc, 'outer/inner/comp')!.params.threshold).toBe(-40);
    expect(compile(h.doc).ok && compile(h.doc).ok).toBe(true);
    const plan = compile(h.doc);
    expect(plan.ok && plan.plan.nodes.map((n) => n.id)).toContain('outer/inner/comp');
    // Ungroup the outer: the inner group comes up a level and the outer's knob is gone with it.
    h.run(ungroup('outer'));
    expect(nodeAt(h.doc, 'inner/comp')!.params.threshold).toBe(-40);
    expect(groupKnobs(h.doc, 'inner').map((k) => k.id)).toEqual(['threshold']);
    h.run(ungroup('inner'));
    expect(keys(h.doc)).toEqual(keys(demo()));
  });

  it('ungroup gives back the graph, and ids that clash get fresh ones', () => {
    const doc = demo();
    const grouped = undoable(doc, groupNodes(['eq1', 'comp'], { id: 'fx' }));
    const back = undoable(grouped, ungroup('fx'));
    expect(keys(back)).toEqual(keys(doc));
    expect(back.nodes.map((n) => n.id).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    // A node called "comp" outside while the group holds one: the inner one becomes comp2.
    const h = new History(grouped);
    h.run(addNode({ id: 'comp', type: 'compressor' }));
    h.run(ungroup('fx'));
    expect(h.doc.nodes.map((n) => n.id)).toContain('comp2');
    expect(keys(h.doc)).toContain('eq1.out->comp2.in');
    expect(() => new History(grouped).run(ungroup('drums'))).toThrow(/not a group/);
    const bypassed = new History(grouped);
    bypassed.run(setBypass('fx', true));
    expect(() => bypassed.run(ungroup('fx'))).toThrow(/bypassed.*enable it first/);
  });

  it('snapshot entries follow nodes into and out of groups; removing nodes drops their entries and knobs', () => {
    const h = new History(demo());
    h.run(captureSnapshot('A'));
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx', knobs: [{ node: 'comp', param: 'ratio' }] }));
    const values = h.doc.snapshots![0].values;
    expect(values['fx/comp']).toBeDefined();
    expect(values.comp).toBeUndefined();
    expect(validate(h.doc)).toEqual([]);
    h.run(removeNodes(['comp'], 'fx'));
    expect(h.doc.snapshots![0].values['fx/comp']).toBeUndefined();
    expect(h.doc.nodes.find((n) => n.id === 'fx')!.group!.exposed).toEqual([]);
    expect(validate(h.doc).filter((p) => p.path.startsWith('snapshots') || p.path.includes('exposed'))).toEqual([]);
    h.undo();
    h.run(ungroup('fx'));
    expect(h.doc.snapshots![0].values.comp).toBeDefined();
  });

  it('groups save and load, nested, knobs and all', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'inner', knobs: [{ node: 'comp', param: 'threshold' }] }));
    h.run(groupNodes(['inner', 'drums'], { id: 'outer' }));
    h.run(captureSnapshot('A'));
    const text = saveSession(h.doc);
    const file = JSON.parse(text);
    expect(file.types).toEqual({ bus: 1, compressor: 1, eq: 1, group: 1, master: 1, track: 1 });
    expect(file.nodes.find((n: { id: string }) => n.id === 'outer').group.nodes[0].group.exposed).toEqual([{ id: 'threshold', node: 'comp', param: 'threshold' }]);
    expect(loadSession(text)).toEqual(h.doc);
  });

  it('layoutOnly sees into groups: a move inside is layout only, a param inside is not', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    const before = h.doc;
    const moved = h.run({ label: 'move', run: (d) => void (d.nodes.find((n) => n.id === 'fx')!.group!.nodes[0].position = { x: 5, y: 5 }) });
    expect(layoutOnly(before, moved)).toBe(true);
    const set = h.run(setParam('fx/comp', 'ratio', 8));
    expect(layoutOnly(moved, set)).toBe(false);
    expect(layoutOnly(set, h.run(captureSnapshot('A')))).toBe(true);
  });
});

describe('bypassing a group', () => {
  it('refuses when joining its input to its output would close a loop (found by the fuzz test)', () => {
    // n5 -> g.in, g.out -> n5; inside, the input feeds a dead end and a track feeds the output: no
    // loop until bypass joins in to out.
    const h = new History(session([['n5', 'gain'], ['m', 'master']], ['n5->m']));
    h.run(
      addNode({
        id: 'g',
        type: 'group',
        group: {
          nodes: [node({ id: 't', type: 'track' }), node({ id: 'sat', type: 'saturator' })],
          edges: [{ from: 'input', fromPort: 'in', to: 'sat', toPort: 'in' }, { from: 't', fromPort: 'out', to: 'output', toPort: 'out' }],
          inputs: [{ id: 'in' }],
          outputs: [{ id: 'out' }],
          exposed: [],
        },
      }),
    );
    h.run(connect({ from: 'n5', to: 'g', toPort: 'in' }));
    h.run(connect({ from: 'g', fromPort: 'out', to: 'n5' }));
    expect(validate(h.doc)).toEqual([]);
    const before = h.doc;
    expect(() => h.run(setBypass('g', true))).toThrow(/^Cannot bypass "g": its input would reach its output directly and close a feedback loop without a delay: /);
    expect(h.doc).toBe(before);
  });
});

describe('validation inside groups', () => {
  const grouped = () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx', knobs: [{ node: 'comp', param: 'ratio' }] }));
    return clone(h.doc);
  };
  const fx = (doc: SessionDoc) => doc.nodes.find((n) => n.id === 'fx')!;

  it('an inner param: its JSON path and the node path', () => {
    const doc = grouped();
    fx(doc).group!.nodes[1].params.ratio = 50;
    const i = doc.nodes.indexOf(fx(doc));
    expect(validate(doc)).toEqual([{ path: `nodes[${i}].group.nodes[1].params.ratio`, node: 'fx/comp', message: 'must be a number from 1 to 20, got 50' }]);
  });

  it('inner edges to ports the group does not have, and reserved ids', () => {
    const doc = grouped();
    fx(doc).group!.edges.push({ from: 'input', fromPort: 'side', to: 'eq1', toPort: 'in' });
    fx(doc).group!.nodes.push(node({ id: 'output', type: 'gain' }));
    const messages = validate(doc).map((p) => p.message);
    expect(messages).toContain('the group has no input "side" (inputs: in)');
    expect(messages.some((m) => /"output" is reserved in a group/.test(m))).toBe(true);
  });

  it('a knob on a node or param that is not there; a master in a group; a group without a body', () => {
    const doc = grouped();
    fx(doc).group!.exposed.push({ id: 'k', node: 'ghost', param: 'x' }, { id: 'k2', node: 'comp', param: 'nope' });
    fx(doc).group!.nodes.push(node({ id: 'm2', type: 'master' }));
    doc.nodes.push({ id: 'empty', type: 'group', params: {} });
    const messages = validate(doc).map((p) => p.message);
    expect(messages).toContain('the group has no node "ghost"');
    expect(messages.some((m) => /compressor has no parameter "nope"/.test(m))).toBe(true);
    expect(messages.some((m) => /a group cannot hold the master/.test(m))).toBe(true);
    expect(messages.some((m) => /a group needs its body/.test(m))).toBe(true);
  });
});

describe('groups and chain presets', () => {
  const streaming: ChainDoc = {
    format: 'mixgraph',
    version: 2,
    kind: 'chain',
    name: 'Streaming master',
    meta: { author: 'Mixgraph', description: 'For streaming', tags: ['master'] },
    nodes: [node({ id: 'eq', type: 'eq' }), node({ id: 'lim', type: 'limiter' })],
    edges: [edge('input->eq'), edge('eq->lim'), edge('lim->output')],
    exposed: [{ id: 'ceiling', node: 'lim', param: 'ceiling' }],
  };

  it('a chain inserts as a group (its knobs on it), one undo step; that group saves as the same chain', () => {
    const doc = demo();
    const inserted = undoable(doc, insertChain(streaming, edge('drums->master'), undefined, { asGroup: true }));
    const g = inserted.nodes.find((n) => n.type === 'group')!;
    expect(g.id).toBe('streaming-master');
    expect(keys(inserted)).toContain('drums.out->streaming-master.in');
    expect(keys(inserted)).toContain('streaming-master.out->master.in');
    expect(groupKnobs(inserted, g.id).map((k) => k.id)).toEqual(['ceiling']);
    const back = groupToChain(g, { name: 'Streaming master', meta: streaming.meta });
    expect(back).toEqual(streaming);
    expect(loadChainValue(back).ok).toBe(true);
  });

  it('a grouped selection saves as a chain that loads and inserts as the same nodes', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    const chain = groupToChain(h.doc.nodes.find((n) => n.id === 'fx')!, { name: 'Kick chain' });
    const loaded = loadChainValue(JSON.parse(saveSession(chain)));
    expect(loaded.ok).toBe(true);
    expect(chainToGroupBody(chain).edges).toEqual(h.doc.nodes.find((n) => n.id === 'fx')!.group!.edges);
  });

  it('a group with two inputs, or holding a track, is not a chain: the message says why', () => {
    const sc = new History(session([['kick', 'track'], ['bass', 'track'], ['duck', 'compressor'], ['m', 'master']], ['kick->m', 'bass->duck', 'kick->duck.sidechain', 'duck->m']));
    sc.run(groupNodes(['duck'], { id: 'g' }));
    expect(() => groupToChain(sc.doc.nodes.find((n) => n.id === 'g')!)).toThrow(/one input and one output, this group has 2 inputs \(in, sidechain\)/);
    const tracks = new History(demo());
    tracks.run(groupNodes(['snare', 'drums'], { id: 't' }));
    expect(() => groupToChain(tracks.doc.nodes.find((n) => n.id === 't')!)).toThrow(/has 0 inputs|holds a track/);
  });
});

describe('flatten', () => {
  it('is worked out once per frozen document (validate and compile share it on every edit); a plain one each time', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    expect(flatten(h.doc)).toBe(flatten(h.doc));
    const plain = clone(h.doc);
    expect(flatten(plain)).not.toBe(flatten(plain));
    expect(flatten(plain)).toEqual(flatten(h.doc));
  });

  it('stays linear: 10,000 nodes (the file limit) in 10,000 edges flatten in a fraction of a second', () => {
    const doc = session([['m', 'master'], ...Array.from({ length: 9999 }, (_, i): [string, string] => [`g${i}`, 'gain'])], Array.from({ length: 9999 }, (_, i) => `g${i}->m`));
    const t = performance.now();
    expect(flatten(doc).edges).toHaveLength(9999);
    // Linear: ~10 ms here. Scanning the nodes for each edge end (as it once did) is some 10^8 comparisons.
    expect(performance.now() - t).toBeLessThan(300);
  });
});

describe('reachingMaster', () => {
  it('sees through groups; a sidechain alone does not reach; an unconnected track does not', () => {
    const h = new History(session([['kick', 'track'], ['bass', 'track'], ['lost', 'track'], ['duck', 'compressor'], ['m', 'master']], ['bass->duck', 'kick->duck.sidechain', 'duck->m']));
    h.run(groupNodes(['duck'], { id: 'g' }));
    expect([...reachingMaster(h.doc)].sort()).toEqual(['bass', 'g/duck', 'm']);
    h.run(connect(edge('kick->m')));
    expect(reachingMaster(h.doc).has('kick')).toBe(true);
    expect(reachingMaster(h.doc).has('lost')).toBe(false);
  });
});
