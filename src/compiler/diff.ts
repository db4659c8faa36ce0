// diff(previous, next): the smallest list of engine operations that turns the running
// graph into the new plan. A parameter edit is one `set`, an edge edit one `connect` or
// `disconnect`; a node is recreated only when its type changes.
import type { ParamValue } from '../../nodes/define.ts';
import type { DocEdge } from '../model/document.ts';
import { edgeKey } from '../model/edge-key.ts';
import type { Operation, Plan, PlanNode } from './plan.ts';

function sameValue(a: ParamValue, b: ParamValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b); // lists of plain band objects
}

export function diff(previous: Plan | null, next: Plan): Operation[] {
  const before = new Map<string, PlanNode>((previous?.nodes ?? []).map((n) => [n.id, n]));
  const after = new Map<string, PlanNode>(next.nodes.map((n) => [n.id, n]));
  const recreated = new Set<string>();
  const disconnects: Operation[] = [];
  const removes: Operation[] = [];
  const creates: Operation[] = [];
  const connects: Operation[] = [];
  const changes: Operation[] = [];

  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now || now.type !== old.type) {
      removes.push({ op: 'remove', id });
      if (now) recreated.add(id);
    }
  }
  for (const node of next.nodes) {
    const old = before.get(node.id);
    if (!old || recreated.has(node.id)) {
      creates.push({ op: 'create', node });
      continue;
    }
    if (old === node) continue;
    if (old.params !== node.params) {
      for (const key of Object.keys(node.params)) {
        if (!sameValue(old.params[key], node.params[key])) changes.push({ op: 'set', id: node.id, param: key, value: node.params[key], params: node.params });
      }
    }
    if (old.bypass !== node.bypass) changes.push({ op: 'bypass', id: node.id, bypass: node.bypass });
  }

  const gone = (id: string) => !after.has(id) || recreated.has(id);
  const oldEdges = new Map<string, DocEdge>((previous?.edges ?? []).map((e) => [edgeKey(e), e]));
  const newKeys = new Set<string>();
  for (const e of next.edges) {
    const key = edgeKey(e);
    newKeys.add(key);
    if (!oldEdges.has(key) || recreated.has(e.from) || recreated.has(e.to)) connects.push({ op: 'connect', edge: e });
  }
  for (const [key, e] of oldEdges) {
    if (!newKeys.has(key) || gone(e.from) || gone(e.to)) disconnects.push({ op: 'disconnect', edge: e });
  }
  return [...disconnects, ...removes, ...creates, ...connects, ...changes];
}
