// compile(document) -> plan, or every validation problem. Groups are flattened here (plan ids
// `group/inner`): a group costs nothing in the audio graph and sounds like the nodes it holds.
import { getDefinition } from '../../nodes/registry.ts';
import type { Params } from '../../nodes/define.ts';
import type { DocEdge, DocNode, SessionDoc } from '../model/document.ts';
import { flatten, type FlatNode } from '../model/flatten.ts';
import { validate, type Problem } from '../model/validate.ts';
import type { Plan, PlanNode } from './plan.ts';

export type CompileResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[] };

// immer keeps an unchanged node the same object from edit to edit, so its plan node can be
// reused too, and diff() sees an unchanged node by identity without comparing its params.
const cache = new WeakMap<DocNode, { solo: boolean; id: string; node: PlanNode }>();

function audioParams(node: DocNode, anySolo: boolean): Params {
  const def = getDefinition(node.type)!;
  const out: Params = {};
  for (const [key, spec] of Object.entries(def.params)) {
    if (!spec.meta && key !== 'solo') out[key] = node.params[key];
  }
  if (node.type === 'track' && anySolo && !node.params.solo) out.mute = true;
  return out;
}

function planNode(flat: FlatNode, anySolo: boolean): PlanNode {
  const node = flat.source;
  const solo = node.type === 'track' && anySolo;
  // Fix: trust identity only for frozen (immer-made) nodes. A plain document (loadSession's
  // result, one built by hand) can be changed in place between compiles, and then a cached
  // plan node would be stale: the change would never reach the engine.
  const frozen = Object.isFrozen(node) && Object.isFrozen(node.params);
  const hit = frozen ? cache.get(node) : undefined;
  if (hit && hit.solo === solo && hit.id === flat.id) return hit.node;
  const planned: PlanNode = { id: flat.id, type: node.type, params: audioParams(node, anySolo), bypass: node.bypass === true };
  if (frozen) cache.set(node, { solo, id: flat.id, node: planned });
  return planned;
}

/**
 * Ready nodes are taken in order of their own id (the last part of their path), then their path: the
 * engine sums a node's inputs in the order their sources were made, so the order must not depend on
 * where the nodes sit in the document or in groups. A group and its nodes ungrouped then give the
 * same order, and the same samples to the bit.
 */
const leaf = (id: string) => id.slice(id.lastIndexOf('/') + 1);
const before = (a: string, b: string) => {
  const x = leaf(a);
  const y = leaf(b);
  return x !== y ? x < y : a < b;
};

/** A binary heap of ids, smallest first by `before`. */
class ReadyQueue {
  private items: string[] = [];
  get size() {
    return this.items.length;
  }
  push(id: string): void {
    const a = this.items;
    a.push(id);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): string {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Kahn's algorithm (ready nodes by id, see above); nodes left over (in loops through a delay) after. */
function topologicalOrder<N extends { id: string }>(nodes: readonly N[], edges: readonly DocEdge[]): N[] {
  const indegree = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    const list = next.get(e.from);
    if (list) list.push(e.to);
    else next.set(e.from, [e.to]);
  }
  // Successors by id too, so the loops' order below does not depend on the edges' order either.
  const byOrder = (a: string, b: string) => (a === b ? 0 : before(a, b) ? -1 : 1);
  for (const list of next.values()) list.sort(byOrder);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ready = new ReadyQueue();
  for (const n of nodes) if (indegree.get(n.id) === 0) ready.push(n.id);
  const order: N[] = [];
  while (ready.size) {
    const id = ready.pop();
    order.push(byId.get(id)!);
    for (const w of next.get(id) ?? []) {
      const d = indegree.get(w)! - 1;
      indegree.set(w, d);
      if (d === 0) ready.push(w);
    }
  }
  if (order.length < nodes.length) {
    // Fix: the nodes left over used to be appended in document order, which could put a node
    // *fed by* a delay loop (the master, say) before the loop. Order them by reverse DFS
    // postorder instead (iterative: graphs can be deep): then only edges that close a loop
    // point backwards, as the Plan type promises. Loops are entered where the signal enters
    // them (successors of placed nodes first), so the edge closing a loop is the one pointing back.
    const placed = new Set(order.map((n) => n.id));
    const visited = new Set<string>();
    const post: string[] = [];
    const roots = [...order.flatMap((n) => next.get(n.id) ?? []), ...nodes.map((n) => n.id).sort(byOrder)];
    for (const root of roots) {
      if (placed.has(root) || visited.has(root)) continue;
      visited.add(root);
      const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
      while (work.length) {
        const frame = work[work.length - 1];
        const succ = next.get(frame.id) ?? [];
        if (frame.i < succ.length) {
          const w = succ[frame.i++];
          if (!placed.has(w) && !visited.has(w)) {
            visited.add(w);
            work.push({ id: w, i: 0 });
          }
          continue;
        }
        work.pop();
        post.push(frame.id);
      }
    }
    for (let i = post.length - 1; i >= 0; i--) order.push(byId.get(post[i])!);
  }
  return order;
}

export function compile(doc: SessionDoc): CompileResult {
  const problems = validate(doc);
  if (problems.length) return { ok: false, problems };
  const flat = flatten(doc);
  const anySolo = flat.nodes.some((n) => n.type === 'track' && n.params.solo === true);
  const nodes = topologicalOrder(flat.nodes, flat.edges).map((n) => planNode(n, anySolo));
  // Without groups the flat edges are the document's, in its order: keep the array itself.
  const edges = flat.edges.length === doc.edges.length && flat.edges.every((e, i) => e === doc.edges[i]) ? doc.edges : flat.edges;
  return { ok: true, plan: { nodes, edges } };
}
