// Groups flattened: the graph the audio hears. Every inner node becomes a node of its own under its
// path (`drums/comp`), and each edge through a group's port is joined to the edges on the port's other
// side, so a group renders exactly as the nodes it holds would without it. The compiler, the loop
// check, the duration and the latency all work on this flat graph.
import { isProgramOutput, isSidechain } from '../../nodes/registry.ts';
import { indexGraph, reachable, reversed } from '../graph/walk.ts';
import { edgeKey, GROUP_INPUT, GROUP_OUTPUT, joinPath, type DocEdge, type DocNode, type Graph, type GroupBody } from './document.ts';

export interface FlatNode {
  /** The node's path: its id, inside groups `group/inner`. */
  id: string;
  type: string;
  params: DocNode['params'];
  bypass?: boolean;
  /** The document's node (compile caches plan nodes by it). */
  source: DocNode;
}

export interface FlatGraph {
  nodes: FlatNode[];
  edges: DocEdge[];
}

// A group's ports become stand-in ends while flattening; '#' cannot appear in an id.
const portIn = (group: string, port: string) => `${group}#in:${port}`;
const portOut = (group: string, port: string) => `${group}#out:${port}`;
const isPort = (id: string) => id.includes('#');

/**
 * The flat graph of a session or a group body. A bypassed group passes its audio inputs straight to
 * its outputs (the first to the first, ...), as a bypassed node does; its inner nodes stay in the graph
 * (unfed and unheard), so bypass on and off is a change of edges only.
 */
// A frozen (immer-made) graph does not change: its flat graph is worked out once (validate and
// compile both need it on every edit).
const cache = new WeakMap<object, FlatGraph>();

export function flatten(graph: Graph | GroupBody): FlatGraph {
  const frozen = Object.isFrozen(graph) && Object.isFrozen(graph.nodes) && Object.isFrozen(graph.edges);
  const hit = frozen ? cache.get(graph) : undefined;
  if (hit) return hit;
  const flat = flattenNow(graph);
  if (frozen) cache.set(graph, flat);
  return flat;
}

function flattenNow(graph: Graph | GroupBody): FlatGraph {
  const nodes: FlatNode[] = [];
  const raw: DocEdge[] = [];
  const work: { graph: Graph | GroupBody; scope: string; bypassed: boolean }[] = [{ graph, scope: '', bypassed: false }];
  for (let w = 0; w < work.length; w++) {
    const { graph: g, scope, bypassed } = work[w];
    const byId = new Map<string, DocNode>();
    for (const n of g.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
    const end = (id: string, port: string, side: 'from' | 'to'): string => {
      // Inside a group: its own ports. Elsewhere: a group node's ports, or the node itself.
      if (scope && side === 'from' && id === GROUP_INPUT) return portIn(scope, port);
      if (scope && side === 'to' && id === GROUP_OUTPUT) return portOut(scope, port);
      const path = joinPath(scope, id);
      const node = byId.get(id);
      if (node?.group) return side === 'to' ? portIn(path, port) : portOut(path, port);
      return path;
    };
    for (const n of g.nodes) {
      const path = joinPath(scope, n.id);
      if (n.group) {
        work.push({ graph: n.group, scope: path, bypassed: n.bypass === true });
        if (n.bypass) {
          const ins = n.group.inputs.filter((p) => p.role !== 'sidechain');
          ins.forEach((p, i) => {
            const out = n.group!.outputs[i];
            if (out) raw.push({ from: portIn(path, p.id), fromPort: '', to: portOut(path, out.id), toPort: '' });
          });
        }
        continue;
      }
      const flat: FlatNode = { id: path, type: n.type, params: n.params, source: n };
      if (n.bypass !== undefined) flat.bypass = n.bypass;
      nodes.push(flat);
    }
    for (const e of g.edges) {
      // In a bypassed group nothing enters from the ports or leaves through them.
      if (bypassed && (e.from === GROUP_INPUT || e.to === GROUP_OUTPUT)) continue;
      const from = end(e.from, e.fromPort, 'from');
      const to = end(e.to, e.toPort, 'to');
      const fromPort = isPort(from) ? '' : e.fromPort;
      const toPort = isPort(to) ? '' : e.toPort;
      // Unknown ids stay as they are: validation reports them, flattening does not hide them. An edge
      // that needs no change is the document's own object.
      raw.push(from === e.from && to === e.to ? e : { from, fromPort, to, toPort });
    }
  }

  // Join the edges through each stand-in: every real end feeding it to every real end it feeds.
  const into = new Map<string, DocEdge[]>();
  for (const e of raw) if (isPort(e.to)) into.set(e.to, [...(into.get(e.to) ?? []), e]);
  const memo = new Map<string, { from: string; fromPort: string }[]>();
  let ring = false;
  const sources = (port: string, seen: Set<string>): { from: string; fromPort: string }[] => {
    const known = memo.get(port);
    if (known) return known;
    if (seen.has(port)) {
      ring = true; // ports wired in a ring hold no sound of their own
      return [];
    }
    seen.add(port);
    const out: { from: string; fromPort: string }[] = [];
    for (const e of into.get(port) ?? []) {
      if (isPort(e.from)) out.push(...sources(e.from, seen));
      else out.push({ from: e.from, fromPort: e.fromPort });
    }
    seen.delete(port);
    if (!ring) memo.set(port, out); // a result cut short by a ring is not the whole answer elsewhere
    return out;
  };
  const edges: DocEdge[] = [];
  const seen = new Set<string>();
  const add = (e: DocEdge) => {
    const key = edgeKey(e);
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(e);
  };
  for (const e of raw) {
    if (isPort(e.to)) continue;
    if (!isPort(e.from)) add(e);
    else {
      ring = false;
      for (const s of sources(e.from, new Set())) add({ from: s.from, fromPort: s.fromPort, to: e.to, toPort: e.toPort });
    }
  }
  return { nodes, edges };
}

/**
 * The flat paths of every node whose sound reaches the master (through groups, as the compiler wires
 * them; a sidechain steers but is not heard, so it does not count). The editor marks tracks that are
 * not in it: they would be silent.
 */
export function reachingMaster(graph: Graph | GroupBody, isOutput: (type: string) => boolean = isProgramOutput): Set<string> {
  const flat = flatten(graph);
  const ids = flat.nodes.map((n) => n.id);
  const { next } = indexGraph(ids, flat.edges, (e, to) => !isSidechain(flat.nodes[to].type, e.toPort));
  const outputs = flat.nodes.flatMap((n, i) => (isOutput(n.type) ? [i] : []));
  const seen = reachable(reversed(next), outputs);
  return new Set(ids.filter((_, i) => seen[i]));
}

/**
 * The graph with its groups dissolved, as a document the compiler takes: each node under a valid id
 * (its own at the top, a fresh one from its own id inside groups), edges through group ports joined.
 * For tools that walk a chain's nodes, such as auto-gain looking for the final limiter; `pathOf`
 * gives each id's node path in the original, so an edit can be made there. The graph itself when it
 * has no groups.
 */
export function plainGraph<G extends Graph>(graph: G): { graph: G; pathOf: (id: string) => string } {
  if (!graph.nodes.some((n) => n.group)) return { graph, pathOf: (id) => id };
  const flat = flatten(graph);
  const used = new Set(flat.nodes.filter((n) => !n.id.includes('/')).map((n) => n.id));
  const idOf = new Map<string, string>();
  const paths = new Map<string, string>();
  for (const n of flat.nodes) {
    let id = n.id;
    if (id.includes('/')) {
      const leaf = id.slice(id.lastIndexOf('/') + 1);
      id = leaf;
      for (let i = 2; used.has(id) || id === GROUP_INPUT || id === GROUP_OUTPUT; i++) id = `${leaf.slice(0, 60)}${i}`;
      used.add(id);
    }
    idOf.set(n.id, id);
    paths.set(id, n.id);
  }
  const nodes = flat.nodes.map((n) => {
    const { group: _body, ...node } = n.source;
    return { ...node, id: idOf.get(n.id)! };
  });
  const edges = flat.edges.map((e) => ({ ...e, from: idOf.get(e.from) ?? e.from, to: idOf.get(e.to) ?? e.to }));
  // Knobs and snapshot entries name nodes by their paths in the original: not kept here.
  const { exposed: _knobs, snapshots: _snapshots, ...rest } = graph as G & { exposed?: unknown; snapshots?: unknown };
  return { graph: { ...rest, nodes, edges } as unknown as G, pathOf: (id) => paths.get(id) ?? id };
}
