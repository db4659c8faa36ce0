// compile(document) -> plan, or every validation problem.
import { getDefinition } from '../../nodes/registry.ts';
import type { Params } from '../../nodes/define.ts';
import type { DocEdge, DocNode, SessionDoc } from '../model/document.ts';
import { validate, type Problem } from '../model/validate.ts';
import type { Plan, PlanNode } from './plan.ts';

export type CompileResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[] };

// immer keeps an unchanged node the same object from edit to edit, so its plan node can be
// reused too, and diff() sees an unchanged node by identity without comparing its params.
const cache = new WeakMap<DocNode, { solo: boolean; node: PlanNode }>();

function audioParams(node: DocNode, anySolo: boolean): Params {
  const def = getDefinition(node.type)!;
  const out: Params = {};
  for (const [key, spec] of Object.entries(def.params)) {
    if (!spec.meta && key !== 'solo') out[key] = node.params[key];
  }
  if (node.type === 'track' && anySolo && !node.params.solo) out.mute = true;
  return out;
}

function planNode(node: DocNode, anySolo: boolean): PlanNode {
  const solo = node.type === 'track' && anySolo;
  const hit = cache.get(node);
  if (hit && hit.solo === solo) return hit.node;
  const planned: PlanNode = { id: node.id, type: node.type, params: audioParams(node, anySolo), bypass: node.bypass === true };
  cache.set(node, { solo, node: planned });
  return planned;
}

/** Kahn's algorithm; nodes left over (in loops through a delay) keep document order. */
function topologicalOrder(nodes: readonly DocNode[], edges: readonly DocEdge[]): DocNode[] {
  const indegree = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    const list = next.get(e.from);
    if (list) list.push(e.to);
    else next.set(e.from, [e.to]);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: DocNode[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    order.push(byId.get(id)!);
    for (const w of next.get(id) ?? []) {
      const d = indegree.get(w)! - 1;
      indegree.set(w, d);
      if (d === 0) queue.push(w);
    }
  }
  if (order.length < nodes.length) {
    const placed = new Set(order);
    for (const n of nodes) if (!placed.has(n)) order.push(n);
  }
  return order;
}

export function compile(doc: SessionDoc): CompileResult {
  const problems = validate(doc);
  if (problems.length) return { ok: false, problems };
  const anySolo = doc.nodes.some((n) => n.type === 'track' && n.params.solo === true);
  const nodes = topologicalOrder(doc.nodes, doc.edges).map((n) => planNode(n, anySolo));
  return { ok: true, plan: { nodes, edges: doc.edges } };
}
