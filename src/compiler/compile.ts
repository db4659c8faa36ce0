// compile(document) -> plan, or every validation problem. Groups are flattened here (plan ids
// `group/inner`): a group costs nothing in the audio graph and sounds like the nodes it holds.
import { getDefinition } from '../../nodes/registry.ts';
import type { Params } from '../../nodes/define.ts';
import type { DocNode, SessionDoc } from '../model/document.ts';
import { flatten, type FlatNode } from '../model/flatten.ts';
import { validate, type Problem } from '../model/validate.ts';
import type { Plan, PlanNode } from './plan.ts';
import { indexGraph, topologicalOrder } from '../graph/walk.ts';

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

export function compile(doc: SessionDoc): CompileResult {
  const problems = validate(doc);
  if (problems.length) return { ok: false, problems };
  const flat = flatten(doc);
  const anySolo = flat.nodes.some((n) => n.type === 'track' && n.params.solo === true);
  const { next } = indexGraph(flat.nodes.map((n) => n.id), flat.edges);
  const nodes = topologicalOrder(next, (a, b) => before(flat.nodes[a].id, flat.nodes[b].id)).map((i) => planNode(flat.nodes[i], anySolo));
  // Without groups the flat edges are the document's, in its order: keep the array itself.
  const edges = flat.edges.length === doc.edges.length && flat.edges.every((e, i) => e === doc.edges[i]) ? doc.edges : flat.edges;
  return { ok: true, plan: { nodes, edges } };
}
