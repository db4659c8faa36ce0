// The one graph walk. Every question the project asks of a node graph is answered here, over index
// adjacency lists (`next[v]`: the nodes v feeds): in what order to run it (the compiler's plan
// order, the runtime's schedule, the render split), where its feedback loops are (validation's
// loops without a delay), what reaches what (the sources heard at the master), and the orders
// latency and the session's length are worked out in. Pure (no audio, no DOM), and iterative
// throughout: a hostile file can hold a graph thousands of nodes deep.

export type Adjacency = readonly (readonly number[])[];

/** Index adjacency of `ids` and the edges between them (edges with an end not in `ids` are left out). */
export interface IndexedGraph<E> {
  indexOf: ReadonlyMap<string, number>;
  /** next[v]: the nodes v feeds, once per edge, in the edges' order. */
  next: number[][];
  /** edgesIn[v]: the edges into v with the index of their source, in the edges' order. */
  edgesIn: { edge: E; from: number }[][];
}

/** The adjacency of a graph; `keep(edge, to)` leaves out edges it refuses (a sidechain that is not heard). */
export function indexGraph<E extends { from: string; to: string }>(ids: readonly string[], edges: readonly E[], keep?: (edge: E, to: number) => boolean): IndexedGraph<E> {
  const indexOf = new Map<string, number>();
  ids.forEach((id, i) => indexOf.has(id) || indexOf.set(id, i));
  const next: number[][] = ids.map(() => []);
  const edgesIn: { edge: E; from: number }[][] = ids.map(() => []);
  for (const edge of edges) {
    const from = indexOf.get(edge.from);
    const to = indexOf.get(edge.to);
    if (from === undefined || to === undefined || (keep && !keep(edge, to))) continue;
    next[from].push(to);
    edgesIn[to].push({ edge, from });
  }
  return { indexOf, next, edgesIn };
}

/**
 * Strongly connected components (Tarjan), each after every component feeding it: upstream first.
 * A component of one node is a loop only if the node feeds itself (`feedsItself`).
 */
export function components(next: Adjacency): number[][] {
  const n = next.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
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
      out.push(members);
    }
  }
  // Tarjan emits a component after every component it feeds: reversed, upstream first.
  return out.reverse();
}

/** A component is a feedback loop: more than one member, or a node feeding itself. */
export function isLoop(members: readonly number[], next: Adjacency): boolean {
  return members.length > 1 || next[members[0]].includes(members[0]);
}

export interface GraphStep {
  /** Node indices in the order they run. */
  members: number[];
  /** Members that break the loop (empty for a single node outside any loop). */
  breakers: number[];
  /** True for a feedback loop (more than one member, or a node feeding itself). */
  loop: boolean;
}

/**
 * The runtime's order of work: the components upstream first. A component of one node without a
 * self-edge runs as it is; a feedback loop runs as a group: its loop breakers (`isBreaker`: delay
 * nodes, whose output comes from the past) first, then the other members in an order where each
 * follows the members feeding it once the edges into breakers are set aside.
 */
export function schedule(next: Adjacency, isBreaker: (v: number) => boolean): GraphStep[] {
  return components(next).map((members) => {
    const loop = isLoop(members, next);
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
function orderInside(members: number[], breakers: number[], next: Adjacency): number[] {
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

/**
 * Depth-first from `roots` in turn (nodes already visited are not roots again), successors in
 * their order. Returns the postorder; `onLoopEdge(from, k)` is told of every edge `next[from][k]`
 * that reaches a node still on the stack: the edge that closes a loop where the walk entered it.
 * `skip(v)`: nodes the walk never enters.
 */
export function depthFirst(next: Adjacency, roots: Iterable<number>, options: { skip?: (v: number) => boolean; onLoopEdge?: (from: number, k: number) => void } = {}): number[] {
  const state = new Uint8Array(next.length); // 0 new, 1 on the stack, 2 done
  const post: number[] = [];
  const { skip, onLoopEdge } = options;
  for (const root of roots) {
    if (state[root] || skip?.(root)) continue;
    const work: { v: number; i: number }[] = [{ v: root, i: 0 }];
    state[root] = 1;
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = next[frame.v];
      if (frame.i < succ.length) {
        const k = frame.i++;
        const w = succ[k];
        if (state[w] === 1) onLoopEdge?.(frame.v, k);
        else if (state[w] === 0 && !skip?.(w)) {
          state[w] = 1;
          work.push({ v: w, i: 0 });
        }
        continue;
      }
      state[frame.v] = 2;
      post.push(frame.v);
      work.pop();
    }
  }
  return post;
}

/**
 * A topological order (Kahn) that does not depend on the order nodes and edges are listed in: of
 * the nodes ready, the first by `before`; successors by `before` too. Nodes in loops (through a
 * delay) are left over by Kahn and come after, in reverse depth-first postorder entered where the
 * signal enters them (successors of placed nodes first): then only the edges that close a loop
 * point backwards.
 */
export function topologicalOrder(next: Adjacency, before: (a: number, b: number) => boolean): number[] {
  const n = next.length;
  const indegree = new Int32Array(n);
  for (const succ of next) for (const w of succ) indegree[w]++;
  const byOrder = (a: number, b: number) => (a === b ? 0 : before(a, b) ? -1 : 1);
  const sorted = next.map((succ) => [...succ].sort(byOrder));
  const ready = new Heap(before);
  for (let v = 0; v < n; v++) if (indegree[v] === 0) ready.push(v);
  const order: number[] = [];
  while (ready.size) {
    const v = ready.pop();
    order.push(v);
    for (const w of sorted[v]) if (--indegree[w] === 0) ready.push(w);
  }
  if (order.length < n) {
    const placed = new Uint8Array(n);
    for (const v of order) placed[v] = 1;
    const everyNode = [...Array(n).keys()].sort(byOrder);
    const post = depthFirst(sorted, [...order.flatMap((v) => sorted[v]), ...everyNode], { skip: (v) => placed[v] === 1 });
    for (let i = post.length - 1; i >= 0; i--) order.push(post[i]);
  }
  return order;
}

/**
 * Every node `adjacency` leads to from `starts` (the starts too). With the reversed edges: every
 * node reaching them. `skip(v)`: nodes never entered (not counted, not walked on from).
 */
export function reachable(adjacency: Adjacency, starts: Iterable<number>, skip?: (v: number) => boolean): Uint8Array {
  const seen = new Uint8Array(adjacency.length);
  const stack: number[] = [];
  for (const s of starts) {
    if (seen[s] || skip?.(s)) continue;
    seen[s] = 1;
    stack.push(s);
  }
  while (stack.length) {
    for (const w of adjacency[stack.pop()!]) {
      if (seen[w] || skip?.(w)) continue;
      seen[w] = 1;
      stack.push(w);
    }
  }
  return seen;
}

/** Each node's distance in edges from `start` (breadth first), -1 where it cannot be reached. */
export function distances(next: Adjacency, start: number): Int32Array {
  const depth = new Int32Array(next.length).fill(-1);
  depth[start] = 0;
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const w of next[queue[i]]) {
      if (depth[w] !== -1) continue;
      depth[w] = depth[queue[i]] + 1;
      queue.push(w);
    }
  }
  return depth;
}

/** Every id an edge names, first seen first: the nodes of a graph known only by its edges. */
export function endpoints(edges: readonly { from: string; to: string }[], also: readonly string[] = []): string[] {
  return [...new Set([...also, ...edges.flatMap((e) => [e.from, e.to])])];
}

/** The edges reversed: prev[v] holds the nodes feeding v. */
export function reversed(next: Adjacency): number[][] {
  const prev: number[][] = next.map(() => []);
  next.forEach((succ, v) => succ.forEach((w) => prev[w].push(v)));
  return prev;
}

/** A binary heap, smallest first by `before`. */
class Heap {
  private items: number[] = [];
  constructor(private before: (a: number, b: number) => boolean) {}
  get size() {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l], a[m])) m = l;
        if (r < a.length && this.before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
