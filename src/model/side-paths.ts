// Which connections of a graph are side paths (sends and what their aux returns make of them), so the
// canvas can draw them apart from the insert chain. Decided from port roles (nodes/define.ts
// PortRole), never from node types: any type with an `aux` output makes sends.
import { nodePorts, type DocEdge, type Graph, type GroupBody } from './document.ts';

const roleOf = (ports: readonly { id: string; role?: string }[], id: string) => ports.find((p) => p.id === id)?.role ?? 'audio';

/**
 * The edges on a side path: every edge leaving an `aux` output, and every edge leaving an aux return,
 * a node whose every heard input (sidechains aside) is itself on a side path (the reverb bus, the
 * reverb after it). Where the return meets the dry mix (the mix bus) the side path ends.
 * Loops inside a return (a delay's feedback through a bus) stay side paths: the set is the largest
 * one consistent with that rule among the nodes downstream of an aux output.
 */
export function sideEdges(graph: Graph | GroupBody): Set<DocEdge> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const aux = (e: DocEdge) => {
    const from = byId.get(e.from);
    return from !== undefined && roleOf(nodePorts(from).outputs, e.fromPort) === 'aux';
  };
  const heard = (e: DocEdge) => {
    const to = byId.get(e.to);
    return to !== undefined && roleOf(nodePorts(to).inputs, e.toPort) !== 'sidechain';
  };
  // Candidates: everything downstream of an aux output along heard edges.
  const returns = new Set<string>();
  const stack = graph.edges.filter((e) => aux(e) && heard(e)).map((e) => e.to);
  while (stack.length) {
    const id = stack.pop()!;
    if (returns.has(id)) continue;
    returns.add(id);
    for (const e of graph.edges) if (e.from === id && heard(e)) stack.push(e.to);
  }
  // Then drop, until nothing changes, every candidate that hears something dry: a source's chain, a
  // node that is not a candidate, or a group's `input` (not a node of this graph).
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of graph.edges) {
      if (!returns.has(e.to) || !heard(e) || aux(e) || returns.has(e.from)) continue;
      returns.delete(e.to);
      changed = true;
    }
  }
  return new Set(graph.edges.filter((e) => aux(e) || returns.has(e.from)));
}
