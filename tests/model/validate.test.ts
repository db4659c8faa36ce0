import { describe, expect, it } from 'vitest';
import type { SessionDoc } from '../../src/model/document.ts';
import { checkParams, defaultParams, fillParams } from '../../src/model/params.ts';
import { formatProblem, ID_PATTERN, silentCycles, validate, wouldCloseSilentLoop, type Problem } from '../../src/model/validate.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { demo, edge, session } from './build.ts';

/** The demo session with one change. */
function withChange(change: (doc: SessionDoc) => void): SessionDoc {
  const doc = demo();
  change(doc);
  return doc;
}
const band = (extra: Record<string, unknown> = {}) => ({ type: 'peaking', frequency: 1000, gain: 0, q: 1, enabled: true, ...extra });
const eqWith = (bands: unknown[]) => withChange((d) => (d.nodes[2].params.bands = bands as never));
const only = (problems: Problem[]) => {
  expect(problems).toHaveLength(1);
  return problems[0];
};

describe('a valid session', () => {
  it('has no problems', () => {
    expect(validate(demo())).toEqual([]);
  });

  it('params may be partial: omitted ones take defaults', () => {
    const doc = demo();
    doc.nodes[3].params = { ratio: 2 };
    expect(validate(doc)).toEqual([]);
  });
});

describe('node problems', () => {
  it('unknown node type: nodes[i].type', () => {
    const p = only(validate(withChange((d) => (d.nodes[3].type = 'compresor'))));
    expect(p).toMatchObject({ path: 'nodes[3].type', node: 'comp' });
    expect(p.message).toMatch(/unknown node type "compresor"/);
  });

  it('unknown param, listing the known ones', () => {
    const p = only(validate(withChange((d) => (d.nodes[3].params.treshold = -20))));
    expect(p).toMatchObject({ path: 'nodes[3].params.treshold', node: 'comp' });
    expect(p.message).toMatch(/unknown parameter for compressor/);
    expect(p.message).toMatch(/threshold, ratio, knee, attack, release, makeup/);
  });

  it('out of range: the message names the range and the unit', () => {
    const p = only(validate(withChange((d) => (d.nodes[0].params.gain = 20))));
    expect(p).toMatchObject({ path: 'nodes[0].params.gain', node: 'kick' });
    expect(p.message).toBe('must be a number from -60 to 12 dB, got 20');
    const hz = only(validate(eqWith([band({ frequency: 25000 })])));
    expect(hz.path).toBe('nodes[2].params.bands[0].frequency');
    expect(hz.message).toBe('must be a number from 20 to 20000 Hz, got 25000');
    const ms = only(validate(withChange((d) => (d.nodes[3].params.attack = 0))));
    expect(ms.message).toMatch(/from 0\.1 to 200 ms, got 0$/);
  });

  it('just inside the range is fine, just outside is not', () => {
    expect(validate(withChange((d) => (d.nodes[0].params.gain = 12)))).toEqual([]);
    expect(validate(withChange((d) => (d.nodes[0].params.gain = -60)))).toEqual([]);
    expect(validate(withChange((d) => (d.nodes[0].params.gain = 12.0001)))).toHaveLength(1);
  });

  it('wrong type: a string, NaN or Infinity for a number; a number for a bool or string', () => {
    for (const bad of ['-6', NaN, Infinity, null, true]) {
      const p = only(validate(withChange((d) => (d.nodes[0].params.gain = bad as never))));
      expect(p.path).toBe('nodes[0].params.gain');
      expect(p.message).toMatch(/^must be a number from -60 to 12 dB, got /);
    }
    expect(only(validate(withChange((d) => (d.nodes[0].params.mute = 1)))).message).toMatch(/must be true or false, got 1/);
    expect(only(validate(withChange((d) => (d.nodes[0].params.source = 3)))).message).toMatch(/must be a string, got 3/);
  });

  it('bad enum value lists the options', () => {
    const p = only(validate(withChange((d) => (d.nodes[0].params.category = 'horns'))));
    expect(p).toMatchObject({ path: 'nodes[0].params.category', node: 'kick' });
    expect(p.message).toBe('must be one of drums, bass, guitar, keys, vocals, fx, other, got "horns"');
  });

  it('string rules: length and colour format', () => {
    expect(only(validate(withChange((d) => (d.nodes[0].params.color = 'red')))).message).toMatch(/hex colour/);
    expect(validate(withChange((d) => (d.nodes[0].params.color = '#e05a47')))).toEqual([]);
    expect(only(validate(withChange((d) => (d.nodes[0].params.source = 'x'.repeat(1025))))).message).toMatch(/longer than 1024/);
  });

  it('params that are not an object', () => {
    const p = only(validate(withChange((d) => (d.nodes[3].params = [] as never))));
    expect(p).toMatchObject({ path: 'nodes[3].params', message: 'params must be an object' });
  });

  it('duplicate id and bad ids', () => {
    const dup = only(validate(withChange((d) => d.nodes.push({ id: 'comp', type: 'gain', params: {} }))));
    expect(dup).toMatchObject({ path: 'nodes[6].id', node: 'comp' });
    expect(dup.message).toMatch(/duplicate node id/);
    for (const bad of ['', '../../etc', 'a b', '.hidden', '-x', 'x'.repeat(65), 'a/b', 'é']) {
      const p = only(validate(withChange((d) => d.nodes.push({ id: bad, type: 'gain', params: {} }))));
      expect(p.path).toBe('nodes[6].id');
      expect(p.message).toMatch(/must be 1-64 letters, digits/);
    }
    for (const ok of ['a', 'x'.repeat(64), 'Track_1', 'bus.drums', 'a:b-c', '_x']) expect(ID_PATTERN.test(ok)).toBe(true);
  });

  it('an id that is not a string', () => {
    const p = only(validate(withChange((d) => d.nodes.push({ id: 7 as never, type: 'gain', params: {} }))));
    expect(p.path).toBe('nodes[6].id');
  });

  it('bypass on a node that cannot be bypassed', () => {
    const p = only(validate(withChange((d) => (d.nodes[5].bypass = true))));
    expect(p).toMatchObject({ path: 'nodes[5].bypass', node: 'master', message: 'a master cannot be bypassed' });
    expect(only(validate(withChange((d) => (d.nodes[0].bypass = true)))).message).toBe('a track cannot be bypassed');
    // false is always fine, and a processor may be bypassed.
    const fine = withChange((d) => {
      d.nodes[5].bypass = false;
      d.nodes[3].bypass = true;
    });
    expect(validate(fine)).toEqual([]);
    expect(only(validate(withChange((d) => (d.nodes[3].bypass = 'yes' as never)))).path).toBe('nodes[3].bypass');
  });

  it('no master, two masters', () => {
    const none = only(validate(session([['g', 'generator']])));
    expect(none).toMatchObject({ path: 'nodes' });
    expect(none.message).toMatch(/no master/);
    const two = only(validate(withChange((d) => d.nodes.push({ id: 'm2', type: 'master', params: {} }))));
    expect(two.path).toBe('nodes');
    expect(two.message).toMatch(/2 master nodes \("master", "m2"\)/);
  });

  it('reports every problem, not only the first', () => {
    const doc = withChange((d) => {
      d.nodes[0].params.gain = 99;
      d.nodes[3].params.ratio = 0;
      d.nodes[5].type = 'nope';
    });
    expect(validate(doc).map((p) => p.path)).toEqual(['nodes[0].params.gain', 'nodes[3].params.ratio', 'nodes[5].type', 'nodes']);
  });
});

describe('EQ bands', () => {
  it('a bad field is reported at its band', () => {
    const p = only(validate(eqWith([band(), band(), band({ q: 40 })])));
    expect(p).toMatchObject({ path: 'nodes[2].params.bands[2].q', node: 'eq1' });
    expect(p.message).toBe('must be a number from 0.1 to 18, got 40');
  });

  it('unknown band field', () => {
    const p = only(validate(eqWith([band({ freq: 100 })])));
    expect(p.path).toBe('nodes[2].params.bands[0].freq');
    expect(p.message).toMatch(/unknown field; known: type, frequency, gain, q, enabled/);
  });

  it('required band fields; others take defaults', () => {
    const p = only(validate(eqWith([{ type: 'peaking' }])));
    expect(p).toMatchObject({ path: 'nodes[2].params.bands[0].frequency', message: 'is required' });
    expect(validate(eqWith([{ type: 'lowshelf', frequency: 100 }]))).toEqual([]);
  });

  it('bad band type, band that is not an object, bands that are not a list', () => {
    expect(only(validate(eqWith([band({ type: 'bandpass' })]))).path).toBe('nodes[2].params.bands[0].type');
    expect(only(validate(eqWith([band(), 'x'])))).toMatchObject({ path: 'nodes[2].params.bands[1]', message: 'must be an object' });
    const p = only(validate(withChange((d) => (d.nodes[2].params.bands = 'flat'))));
    expect(p.path).toBe('nodes[2].params.bands');
  });

  it('at most 8 bands', () => {
    expect(validate(eqWith(Array.from({ length: 8 }, () => band())))).toEqual([]);
    const p = only(validate(eqWith(Array.from({ length: 9 }, () => band()))));
    expect(p.path).toBe('nodes[2].params.bands');
    expect(p.message).toMatch(/has 9 items; at most 8/);
  });
});

describe('edge problems', () => {
  it('an edge to or from a missing node', () => {
    const to = only(validate(withChange((d) => d.edges.push(edge('kick->ghost')))));
    expect(to).toMatchObject({ path: 'edges[5].to', message: 'no node with id "ghost"' });
    const from = only(validate(withChange((d) => d.edges.push(edge('ghost->master')))));
    expect(from).toMatchObject({ path: 'edges[5].from', message: 'no node with id "ghost"' });
  });

  it('an edge to a missing port', () => {
    const p = only(validate(withChange((d) => d.edges.push(edge('snare->comp.key')))));
    expect(p).toMatchObject({ path: 'edges[5].toPort', node: 'comp', port: 'key' });
    expect(p.message).toBe('compressor has no input "key" (inputs: in, sidechain)');
    const q = only(validate(withChange((d) => d.edges.push(edge('kick.aux->master')))));
    expect(q).toMatchObject({ path: 'edges[5].fromPort', node: 'kick', port: 'aux' });
    expect(q.message).toBe('track has no output "aux" (outputs: out)');
  });

  it('an output connected to an output', () => {
    const p = only(validate(withChange((d) => d.edges.push(edge('kick->drums.out')))));
    expect(p).toMatchObject({ path: 'edges[5].toPort', node: 'drums', port: 'out' });
    expect(p.message).toMatch(/"out" is an output: an output cannot be connected to an output \(inputs: in\)/);
  });

  it('an edge from an input port', () => {
    const p = only(validate(withChange((d) => d.edges.push(edge('comp.sidechain->master')))));
    expect(p).toMatchObject({ path: 'edges[5].fromPort', node: 'comp', port: 'sidechain' });
    expect(p.message).toMatch(/"sidechain" is an input: an edge must start at an output \(out\)/);
    const m = only(validate(withChange((d) => d.edges.push(edge('master->drums')))));
    expect(m.message).toBe('master has no output "out" (outputs: none)'); // the master has no outputs at all
  });

  it('a duplicate edge', () => {
    const p = only(validate(withChange((d) => d.edges.push(edge('eq1->comp')))));
    expect(p).toMatchObject({ path: 'edges[5]', node: 'comp' });
    expect(p.message).toBe('duplicate edge eq1.out -> comp.in');
  });

  it('the same two nodes on different ports are two edges', () => {
    expect(validate(withChange((d) => d.edges.push(edge('kick->comp.sidechain'))))).toEqual([]);
  });
});

describe('loops', () => {
  it('a loop without a delay names its nodes in order', () => {
    const doc = session([['a', 'gain'], ['b', 'gain'], ['master', 'master']], ['a->b', 'b->a', 'b->master']);
    const p = only(validate(doc));
    expect(p.path).toBe('edges');
    expect(p.node).toBe('a');
    expect(p.message).toMatch(/feedback loop without a delay: a -> b -> a;/);
  });

  it('a longer loop, starting from its first id', () => {
    const doc = session([['x', 'gain'], ['c', 'bus'], ['d', 'eq'], ['master', 'master']], ['x->c', 'c->d', 'd->x', 'd->master']);
    expect(only(validate(doc)).message).toMatch(/c -> d -> x -> c/);
  });

  it('a self-loop', () => {
    const doc = session([['a', 'gain'], ['master', 'master']], ['a->a', 'a->master']);
    expect(only(validate(doc)).message).toMatch(/a -> a;/);
  });

  it('two separate loops are two problems', () => {
    const doc = session([['a', 'gain'], ['b', 'gain'], ['c', 'pan'], ['master', 'master']], ['a->b', 'b->a', 'c->c', 'b->master']);
    expect(validate(doc).map((p) => p.message.match(/: ([^;]*);/)![1]).sort()).toEqual(['a -> b -> a', 'c -> c']);
  });

  it('a loop through a delay is allowed, self-loop on a delay too', () => {
    const doc = session([['a', 'gain'], ['d', 'delay'], ['master', 'master']], ['a->d', 'd->a', 'd->master', 'd->d']);
    expect(validate(doc)).toEqual([]);
  });

  it('a loop beside a delay loop, on the same nodes, is still a loop without a delay', () => {
    // a <-> d (through the delay) and a <-> b (not): one strongly connected component holding a delay
    const doc = session([['a', 'gain'], ['b', 'gain'], ['d', 'delay'], ['master', 'master']], ['a->d', 'd->a', 'a->b', 'b->a', 'a->master']);
    expect(only(validate(doc)).message).toMatch(/feedback loop without a delay: a -> b -> a;/);
  });

  it('a diamond is not a loop', () => {
    const doc = session([['s', 'send'], ['a', 'gain'], ['b', 'reverb'], ['m', 'bus'], ['master', 'master']], ['s->a', 's.send->b', 'a->m', 'b->m', 'm->master']);
    expect(validate(doc)).toEqual([]);
  });

  it('a long chain does not overflow the stack', () => {
    const n = 20_000;
    const nodes: [string, string][] = Array.from({ length: n }, (_, i) => [`g${i}`, 'gain']);
    const edges = nodes.slice(1).map((_, i) => `g${i}->g${i + 1}`);
    const doc = session([...nodes, ['master', 'master']], [...edges, `g${n - 1}->master`, `g${n - 1}->g0`]);
    const p = only(validate(doc));
    expect(p.message).toMatch(/^feedback loop without a delay: g0 -> g1 -> g2 -> /);
  });

  it('wouldCloseSilentLoop: the editor\'s check while dragging an edge', () => {
    const doc = session([['a', 'gain'], ['b', 'gain'], ['c', 'gain'], ['d', 'delay'], ['master', 'master']], ['a->b', 'b->c', 'c->master', 'd->a']);
    expect(wouldCloseSilentLoop(doc, edge('c->a'))).toEqual(['a', 'b', 'c']);
    expect(wouldCloseSilentLoop(doc, edge('b->b'))).toEqual(['b']);
    expect(wouldCloseSilentLoop(doc, edge('c->d'))).toBeNull(); // through the delay
    expect(wouldCloseSilentLoop(doc, edge('a->c'))).toBeNull(); // no loop at all
    // An existing loop elsewhere is not blamed on an unrelated new edge.
    const looped = session([['a', 'gain'], ['b', 'gain'], ['x', 'gain'], ['y', 'gain'], ['master', 'master']], ['a->b', 'b->a', 'x->master']);
    expect(silentCycles(looped.nodes, looped.edges)).toHaveLength(1);
    expect(wouldCloseSilentLoop(looped, edge('x->y'))).toBeNull();
  });
});

describe('formatProblem', () => {
  it('puts the node and port next to the path', () => {
    expect(formatProblem({ path: 'edges[0].toPort', node: 'comp', port: 'key', message: 'm' })).toBe('edges[0].toPort (node "comp", port "key"): m');
    expect(formatProblem({ path: 'nodes[1].params.gain', node: 'g', message: 'm' })).toBe('nodes[1].params.gain (node "g"): m');
    expect(formatProblem({ path: 'nodes', message: 'm' })).toBe('nodes: m');
  });
});

describe('params helpers', () => {
  it('fillParams fills defaults and band fields without touching its input', () => {
    const def = getDefinition('eq')!;
    const input = { bands: [{ type: 'highpass', frequency: 80 }] };
    const filled = fillParams(def, input);
    expect(filled).toEqual({ bands: [{ type: 'highpass', frequency: 80, gain: 0, q: 0.707, enabled: true }] });
    expect(input).toEqual({ bands: [{ type: 'highpass', frequency: 80 }] });
    expect(defaultParams(def)).toEqual({ bands: [] });
    expect(defaultParams(getDefinition('track')!)).toEqual({ source: '', gain: 0, pan: 0, mute: false, solo: false, invert: false, offset: 0, category: 'other', color: '' });
  });

  it('every default of every node type is valid', () => {
    for (const type of ['track', 'generator', 'gain', 'pan', 'eq', 'compressor', 'bus', 'send', 'delay', 'reverb', 'saturator', 'master']) {
      const def = getDefinition(type)!;
      expect(checkParams(def, defaultParams(def)), type).toEqual([]);
    }
  });

  it('__proto__ and constructor are unknown params, not lookups on Object.prototype', () => {
    const def = getDefinition('gain')!;
    const params = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 1, "toString": 2}');
    expect(checkParams(def, params).map((p) => p.path)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
