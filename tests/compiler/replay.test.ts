// diff() must be complete, not only small: replaying its operations on a fake engine, edit
// after edit, must always leave the engine holding exactly the compiled plan.
import { describe, expect, it } from 'vitest';
import type { NumberParam } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { compile } from '../../src/compiler/compile.ts';
import { diff } from '../../src/compiler/diff.ts';
import type { Plan } from '../../src/compiler/plan.ts';
import { addNode, batch, connect, disconnect, freshId, moveNodes, removeNodes, rename, setBypass, setParam, type Command } from '../../src/model/commands.ts';
import { History } from '../../src/model/history.ts';
import { wouldCloseSilentLoop } from '../../src/model/validate.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { demo, edge, session } from '../model/build.ts';
import { FakeEngine, planOf, stateOf } from './fake.ts';
import { seededRandom } from '../../src/dsp/random.ts';

/** The editor's loop: after every edit, compile; if valid, send the diff to the engine. */
class Rig {
  engine = new FakeEngine();
  plan: Plan | null = null;
  compiled = 0;
  constructor(public history: History) {
    this.sync();
  }
  sync(): void {
    const result = compile(this.history.doc);
    if (!result.ok) return; // an invalid document is not played; the engine keeps the last plan
    this.engine.apply(diff(this.plan, result.plan));
    this.plan = result.plan;
    this.compiled++;
    expect(this.engine.state()).toEqual(stateOf(result.plan));
  }
  run(...commands: Command[]): void {
    for (const c of commands) {
      this.history.run(c);
      this.sync();
    }
  }
  undo(): void {
    this.history.undo();
    this.sync();
  }
  redo(): void {
    this.history.redo();
    this.sync();
  }
}

describe('replaying diffs on a fake engine', () => {
  it('a scripted editing session', () => {
    const rig = new Rig(new History(demo()));
    rig.run(setParam('comp', 'ratio', 6));
    rig.run(setParam('eq1', 'bands', [{ type: 'lowshelf', frequency: 120, gain: 3, q: 0.7, enabled: true }]));
    rig.run(setBypass('eq1', true));
    rig.run(setParam('snare', 'solo', true));
    rig.run(connect({ from: 'snare', to: 'comp', toPort: 'sidechain' }));
    rig.run(batch('Insert delay', [addNode({ id: 'dly', type: 'delay' }), disconnect(edge('drums->master')), connect({ from: 'drums', to: 'dly' }), connect({ from: 'dly', to: 'master' })]));
    rig.run(connect({ from: 'dly', to: 'drums' })); // feedback through the delay: valid
    rig.run(connect({ from: 'comp', to: 'eq1' })); // a silent loop: invalid, not played
    expect(compile(rig.history.doc).ok).toBe(false);
    rig.run(setParam('kick', 'gain', -3)); // still invalid
    rig.undo(); // back to the loop edit
    rig.undo(); // loop gone: valid again, and the gain change undone too
    expect(compile(rig.history.doc).ok).toBe(true);
    rig.run(batch('Comp to gain', [removeNodes(['comp']), addNode({ id: 'comp', type: 'gain' }), connect({ from: 'eq1', to: 'comp' }), connect({ from: 'comp', to: 'drums' })]));
    rig.run(removeNodes(['kick', 'eq1']));
    rig.run(setParam('snare', 'solo', false));
    while (rig.history.canUndo) rig.undo();
    expect(rig.history.doc).toEqual(demo());
    expect(rig.engine.state()).toEqual(stateOf(planOf(demo())));
    while (rig.history.canRedo) rig.redo();
    expect(rig.compiled).toBeGreaterThan(20);
  });

  it('a seeded random walk of 400 edits, undos and redos', () => {
    const random = seededRandom(20240611);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const start = session(
      [
        { id: 't1', type: 'track', params: { source: 'a.wav' } },
        { id: 't2', type: 'track', params: { source: 'b.wav' } },
        { id: 't3', type: 'track', params: { source: 'c.wav', category: 'vocals' } },
        { id: 'g1', type: 'generator' },
        { id: 'eq', type: 'eq' },
        { id: 'c', type: 'compressor' },
        { id: 's', type: 'send' },
        { id: 'rev', type: 'reverb' },
        { id: 'bus', type: 'bus' },
        { id: 'master', type: 'master' },
      ],
      ['t1->eq', 'eq->c', 't2->c.sidechain', 't2->s', 's->bus', 's.send->rev', 'rev->bus', 't3->bus', 'g1->bus', 'c->bus', 'bus->master'],
    );
    const rig = new Rig(new History(start));
    const processors = ['gain', 'pan', 'eq', 'compressor', 'bus', 'send', 'delay', 'reverb', 'saturator'];
    const value = (spec: NumberParam) => Math.round((spec.min + random() * (spec.max - spec.min)) * 100) / 100;

    const edits: (() => Command | 'undo' | 'redo' | null)[] = [
      () => {
        const n = pick(rig.history.doc.nodes);
        const def = getDefinition(n.type)!;
        const entries = Object.entries(def.params);
        if (!entries.length) return null;
        const [name, spec] = pick(entries);
        if (spec.kind === 'number') return setParam(n.id, name, value(spec));
        if (spec.kind === 'bool') return setParam(n.id, name, random() < 0.5);
        if (spec.kind === 'enum') return setParam(n.id, name, pick(spec.options));
        if (spec.kind === 'string') return setParam(n.id, name, spec.format === 'color' ? pick(['', '#abc', '#123456']) : pick(['x.wav', 'y.wav']));
        const count = Math.floor(random() * 4);
        return setParam(n.id, name, Array.from({ length: count }, () => ({ type: pick(['peaking', 'highshelf', 'lowpass']), frequency: Math.round(20 + random() * 15000), gain: 0, q: 1, enabled: random() < 0.8 })));
      },
      () => {
        const n = pick(rig.history.doc.nodes);
        return getDefinition(n.type)?.bypassable ? setBypass(n.id, !n.bypass) : null;
      },
      () => {
        const nodes = rig.history.doc.nodes;
        const from = pick(nodes);
        const to = pick(nodes);
        const outs = getDefinition(from.type)!.ports.outputs.map((p) => p.id);
        const ins = getDefinition(to.type)!.ports.inputs.map((p) => p.id);
        // Mostly sensible edges; now and then a wrong port or a silent loop (invalid documents).
        if (random() < 0.1 || !outs.length || !ins.length) return connect({ from: from.id, fromPort: 'out', to: to.id, toPort: 'in' });
        const e = { from: from.id, fromPort: pick(outs), to: to.id, toPort: pick(ins) };
        if (random() < 0.8 && wouldCloseSilentLoop(rig.history.doc, e)) return null;
        return connect(e);
      },
      () => (rig.history.doc.edges.length ? disconnect(pick(rig.history.doc.edges)) : null),
      () => {
        const n = pick(rig.history.doc.nodes);
        return n.type === 'master' ? null : removeNodes([n.id]);
      },
      () => {
        const type = pick([...processors, 'track', 'generator']);
        const id = freshId(rig.history.doc, type);
        return batch('Add', [addNode({ id, type }), connect({ from: id, to: 'master' })]);
      },
      () => {
        // Change a node's type, keeping the edges its new ports can take.
        const doc = rig.history.doc;
        const n = pick(doc.nodes);
        if (n.type === 'master') return null;
        const type = pick(processors.filter((t) => t !== n.type));
        const keep = doc.edges.filter((e) => (e.from === n.id && e.fromPort === 'out') || (e.to === n.id && e.toPort === 'in'));
        return batch('Change type', [removeNodes([n.id]), addNode({ id: n.id, type }), ...keep.map((e) => connect(e))]);
      },
      () => moveNodes([{ id: pick(rig.history.doc.nodes).id, position: { x: random() * 100, y: random() * 100 } }]),
      () => rename(pick(rig.history.doc.nodes).id, `n${Math.floor(random() * 10)}`),
      () => {
        const tracks = rig.history.doc.nodes.filter((n) => n.type === 'track');
        return tracks.length ? setParam(pick(tracks).id, 'solo', random() < 0.5) : null;
      },
      () => 'undo',
      () => 'undo',
      () => 'redo',
    ];

    let valid = 0;
    for (let step = 0; step < 400; step++) {
      if (random() < 0.05) {
        // A gesture: several edits of one param, one step.
        const n = pick(rig.history.doc.nodes.filter((x) => x.type === 'bus' || x.type === 'gain'));
        if (!n) continue;
        rig.history.beginGesture('drag');
        for (let i = 0; i < 5; i++) rig.run(setParam(n.id, 'gain', Math.round(random() * 20)));
        rig.history.endGesture();
        continue;
      }
      const e = pick(edits)();
      if (e === null) continue;
      if (e === 'undo') rig.undo();
      else if (e === 'redo') rig.redo();
      else rig.run(e);
      // Like a user, usually take back an edit that broke the session.
      if (!compile(rig.history.doc).ok && random() < 0.7) rig.undo();
      if (compile(rig.history.doc).ok) valid++;
    }
    // The walk must have exercised the engine, not only failed validation.
    if (process.env.DEBUG_WALK) console.log({ valid, compiled: rig.compiled, ops: rig.engine.log.length });
    expect(valid).toBeGreaterThan(150);
    expect(rig.compiled).toBeGreaterThan(150);
    const kinds = new Set(rig.engine.log.map((o) => o.op));
    expect([...kinds].sort()).toEqual(['bypass', 'connect', 'create', 'disconnect', 'remove', 'set']);
  });
});

