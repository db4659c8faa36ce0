// The one graph walk (src/graph/walk.ts), on small graphs whose answers can be read off by hand, and on
// graphs deep enough that a recursive walk would overflow the stack.
import { describe, expect, test } from 'vitest';
import { components, depthFirst, indexGraph, isLoop, reachable, reversed, schedule, topologicalOrder } from '../../src/graph/walk.ts';

// a -> b -> c -> d, with c -> b closing a loop (b, c) and e feeding d.
const ids = ['d', 'c', 'b', 'a', 'e'];
const edges = [
  { from: 'a', to: 'b' },
  { from: 'b', to: 'c' },
  { from: 'c', to: 'b' },
  { from: 'c', to: 'd' },
  { from: 'e', to: 'd' },
  { from: 'x', to: 'a' }, // an end that is not a node: left out
];
const g = indexGraph(ids, edges);
const name = (list: number[]) => list.map((i) => ids[i]);

describe('graph walk', () => {
  test('indexGraph keeps edges between known nodes, in their order, both ways', () => {
    expect(g.next.map(name)).toEqual([[], ['b', 'd'], ['c'], ['b'], ['d']]);
    expect(g.edgesIn[g.indexOf.get('b')!].map((e) => ids[e.from])).toEqual(['a', 'c']);
    const heard = indexGraph(ids, edges, (e) => e.from !== 'e');
    expect(heard.edgesIn[0].map((e) => ids[e.from])).toEqual(['c']);
  });

  test('components come upstream first; a loop is one component', () => {
    const comps = components(g.next).map((c) => name(c).sort());
    const at = (id: string) => comps.findIndex((c) => c.includes(id));
    expect(comps).toContainEqual(['b', 'c']);
    expect(at('a')).toBeLessThan(at('b'));
    expect(at('b')).toBeLessThan(at('d'));
    expect(at('e')).toBeLessThan(at('d'));
    expect(components(g.next).filter((c) => isLoop(c, g.next)).map((c) => name(c).sort())).toEqual([['b', 'c']]);
    // A node feeding itself is a loop of one.
    expect(isLoop([0], [[0]])).toBe(true);
    expect(isLoop([0], [[]])).toBe(false);
  });

  test('schedule runs a loop breaker first inside its loop', () => {
    const steps = schedule(g.next, (v) => ids[v] === 'c');
    const loop = steps.find((s) => s.loop)!;
    expect(name(loop.breakers)).toEqual(['c']);
    expect(name(loop.members)).toEqual(['c', 'b']);
    expect(steps.filter((s) => !s.loop).every((s) => s.members.length === 1 && s.breakers.length === 0)).toBe(true);
  });

  test('topologicalOrder does not depend on how nodes and edges are listed; loops come where the signal enters them', () => {
    const order = (list: string[], es: typeof edges) => {
      const x = indexGraph(list, es);
      return topologicalOrder(x.next, (a, b) => list[a] < list[b]).map((i) => list[i]);
    };
    const first = order(ids, edges);
    expect(first).toEqual(['a', 'e', 'b', 'c', 'd']);
    expect(order([...ids].reverse(), [...edges].reverse())).toEqual(first);
  });

  test('depthFirst reports the edge that closes a loop, and skips what it is told to', () => {
    const closing: string[] = [];
    const post = depthFirst(g.next, [3, 4], { onLoopEdge: (from, k) => closing.push(`${ids[from]}->${ids[g.next[from][k]]}`) });
    expect(closing).toEqual(['c->b']);
    expect(name(post)).toEqual(['d', 'c', 'b', 'a', 'e']);
    expect(name(depthFirst(g.next, [3], { skip: (v) => ids[v] === 'c' }))).toEqual(['b', 'a']);
  });

  test('reachable, forwards and backwards', () => {
    const fromA = reachable(g.next, [3]);
    expect(ids.filter((_, i) => fromA[i])).toEqual(['d', 'c', 'b', 'a']);
    const toD = reachable(reversed(g.next), [0]);
    expect(ids.filter((_, i) => toD[i]).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('a chain 200,000 nodes deep and a loop as long are walked without overflowing the stack', () => {
    const n = 200_000;
    const chain = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    expect(components(chain)).toHaveLength(n);
    expect(topologicalOrder(chain, (a, b) => a < b)[n - 1]).toBe(n - 1);
    expect(depthFirst(chain, [0])).toHaveLength(n);
    const ring = chain.map((s, i) => (i + 1 < n ? s : [0]));
    const comps = components(ring);
    expect(comps).toHaveLength(1);
    expect(schedule(ring, (v) => v === 0)[0].members[0]).toBe(0);
    expect(reachable(reversed(ring), [0]).every((x) => x === 1)).toBe(true);
  });
});
