// The runtime's order of work: strongly connected components of the node graph (Tarjan,
// iterative), upstream first. A component of one node without a self-edge runs as it is; a
// feedback loop runs as a group: its loop breakers (delay nodes) first (their output comes from
// the past), then the other members in an order where each follows the members feeding it once
// the edges into breakers are set aside.

export interface GraphStep {
  /** Node indices in the order they run. */
  members: number[];
  /** Members that break the loop (empty for a single node outside any loop). */
  breakers: number[];
  /** True for a feedback loop (more than one member, or a node feeding itself). */
  loop: boolean;
}

/**
 * `next[v]`: the nodes v feeds. `isBreaker(v)`: v may close a loop. Returns the steps in an order
 * where every step comes after the steps feeding it.
 */
export function schedule(next: readonly number[][], isBreaker: (v: number) => boolean): GraphStep[] {
  const n = next.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = next[frame.v];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) low[frame.v] = Math.min(low[frame.v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low[parent] = Math.min(low[parent], low[frame.v]);
      }
      if (low[frame.v] !== index[frame.v]) continue;
      const members: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        members.push(w);
      } while (w !== frame.v);
      components.push(members);
    }
  }
  // Tarjan emits a component after every component it feeds: reverse for upstream first.
  components.reverse();
  return components.map((members) => {
    const loop = members.length > 1 || next[members[0]].includes(members[0]);
    if (!loop) return { members, breakers: [], loop };
    const breakers = members.filter(isBreaker);
    return { members: orderInside(members, breakers, next), breakers, loop };
  });
}

/**
 * Members of one loop: breakers first, then the rest so that each runs after the members feeding
 * it, edges into breakers set aside (Kahn). A cycle without a breaker left in it (never in a valid
 * session) keeps its members in index order: a member fed from later in it hears that one's
 * previous block.
 */
function orderInside(members: number[], breakers: number[], next: readonly number[][]): number[] {
  const inside = new Set(members);
  const isBreaker = new Set(breakers);
  const indegree = new Map<number, number>(members.map((m) => [m, 0]));
  for (const v of members) {
    for (const w of next[v]) if (inside.has(w) && !isBreaker.has(w)) indegree.set(w, indegree.get(w)! + 1);
  }
  const order: number[] = [...breakers];
  const placed = new Set<number>(breakers);
  const queue = [...breakers, ...members.filter((m) => !isBreaker.has(m) && indegree.get(m) === 0)];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    if (!placed.has(v)) {
      placed.add(v);
      order.push(v);
    }
    for (const w of next[v]) {
      if (!inside.has(w) || isBreaker.has(w)) continue;
      const d = indegree.get(w)! - 1;
      indegree.set(w, d);
      if (d === 0) queue.push(w);
    }
  }
  for (const m of [...members].sort((a, b) => a - b)) if (!placed.has(m)) order.push(m);
  return order;
}
