// Latency: how late each node's input arrives behind the sources, and what lines it up again.
// Pure: no audio library. A node's latency comes from its definition (`latency(params, rate)`,
// e.g. a lookahead limiter), zero when bypassed (the bypass path is dry and undelayed).
//
//   arrival(v) = max over v's audio inputs u of arrival(u) + latency(u)
//   output latency = arrival(master): what an offline render drops from its start.
//
// A node fed by paths of different latencies (a limited path beside a dry one) hears them
// misaligned; `compensation` lists the delay each earlier edge needs so they meet, and
// `compensateLatency` inserts plain delay nodes that do it. A sidechain is aligned to its node's
// audio input when it arrives early; it does not delay the node's audio (a late sidechain stays late).
// Feedback loops (only possible through a delay) are entered once: the edge closing a loop counts
// for nothing and is never compensated.
import type { Params } from '../../nodes/define.ts';
import { getDefinition, isProgramOutput, isSidechain } from '../../nodes/registry.ts';
import { depthFirst, indexGraph } from '../graph/walk.ts';
import { edgeKey, type DocEdge } from '../model/document.ts';
import type { Plan, PlanNode } from './plan.ts';

/** A compiled plan or a session document: nodes with params, and edges. */
export interface LatencyGraph {
  nodes: readonly { id: string; type: string; params: Params; bypass?: boolean }[];
  edges: readonly DocEdge[];
}

export interface EdgeCompensation {
  edge: DocEdge;
  /** Delay to insert on this edge, seconds. */
  seconds: number;
}

export interface LatencyReport {
  /** Seconds by which the master's input lags the sources (the longest path): 0 without a master. */
  seconds: number;
  /** Node id -> seconds by which its (aligned) input lags the sources. */
  arrival: Map<string, number>;
  /** Node id -> its own latency, seconds (only nodes with one). */
  own: Map<string, number>;
  /** Edges that arrive early at their node, with the delay that aligns them. */
  compensation: EdgeCompensation[];
}

/** Differences below this (seconds) are float noise, not latency (a sample at 384 kHz is 2.6e-6 s). */
const EPSILON = 1e-9;

/** Seconds by which a node's output lags its input: 0 for nodes without latency and when bypassed. */
export function nodeLatency(node: LatencyGraph['nodes'][number], sampleRate: number): number {
  if (node.bypass) return 0;
  const s = getDefinition(node.type)?.latency?.(node.params, sampleRate) ?? 0;
  return Number.isFinite(s) && s > 0 ? s : 0;
}

export function analyzeLatency(graph: LatencyGraph, sampleRate: number): LatencyReport {
  const { nodes } = graph;
  const own = nodes.map((n) => nodeLatency(n, sampleRate));
  const { edgesIn } = indexGraph(nodes.map((n) => n.id), graph.edges);
  const incoming = edgesIn.map((ins, to) => ins.map(({ edge, from }) => ({ edge, from, sidechain: isSidechain(nodes[to].type, edge.toPort) })));
  // Each node's outgoing edges, by the index of the node they feed (then the edges' order).
  const outgoing: DocEdge[][] = nodes.map(() => []);
  const succ: number[][] = nodes.map(() => []);
  edgesIn.forEach((ins, to) =>
    ins.forEach(({ edge, from }) => {
      outgoing[from].push(edge);
      succ[from].push(to);
    }),
  );

  // Depth-first downstream from the sources: an edge to a node still on the stack closes a loop
  // where the signal entered it; it is left out. The reverse postorder is then upstream-first for
  // every other edge.
  const loopEdges = new Set<DocEdge>();
  const roots = [...nodes.keys()].sort((a, b) => Number(incoming[a].length > 0) - Number(incoming[b].length > 0));
  const post = depthFirst(succ, roots, { onLoopEdge: (from, k) => loopEdges.add(outgoing[from][k]) });
  const arrival = new Float64Array(nodes.length);
  for (let k = post.length - 1; k >= 0; k--) {
    const v = post[k];
    let latest = 0;
    for (const e of incoming[v]) if (!e.sidechain && !loopEdges.has(e.edge)) latest = Math.max(latest, arrival[e.from] + own[e.from]);
    arrival[v] = latest;
  }

  const compensation: EdgeCompensation[] = [];
  nodes.forEach((_, v) => {
    for (const e of incoming[v]) {
      if (loopEdges.has(e.edge)) continue;
      const early = arrival[v] - (arrival[e.from] + own[e.from]);
      if (early > EPSILON) compensation.push({ edge: e.edge, seconds: early });
    }
  });
  const master = nodes.findIndex((n) => isProgramOutput(n.type));
  const ownMap = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (own[i] > 0) ownMap.set(n.id, own[i]);
  });
  return {
    seconds: master >= 0 ? arrival[master] : 0,
    arrival: new Map(nodes.map((n, i) => [n.id, arrival[i]])),
    own: ownMap,
    compensation,
  };
}

/** Seconds by which the master lags the sources: render this much longer and drop it from the start. */
export function outputLatency(graph: LatencyGraph, sampleRate: number): number {
  return analyzeLatency(graph, sampleRate).seconds;
}

/** The output latency in whole frames (node latencies are whole samples, so this is exact). */
export function outputLatencyFrames(graph: LatencyGraph, sampleRate: number): number {
  return Math.round(outputLatency(graph, sampleRate) * sampleRate);
}

/** Id prefix of the delay nodes `compensateLatency` inserts. */
export const COMPENSATION_PREFIX = 'mixgraph-latency:';

/**
 * The plan with a plain delay node (feedback 0, mix 1: the input, later) on every edge that
 * arrives early, so that all paths meet in time. Returns the plan itself when nothing needs it.
 * The delays are DelayNodes: exact to the float32 resolution of their delay time (a leak of
 * ~1e-5 into the neighbouring sample), and a change of latency glides like a delay time does.
 */
export function compensateLatency(plan: Plan, sampleRate: number, report = analyzeLatency(plan, sampleRate)): Plan {
  const { compensation } = report;
  if (compensation.length === 0) return plan;
  const delayDef = getDefinition('delay');
  if (!delayDef) return plan;
  const byEdge = new Map(compensation.map((c) => [c.edge, c.seconds]));
  const inserted = new Map<string, PlanNode[]>(); // target id -> delay nodes to place before it
  const edges: DocEdge[] = [];
  for (const edge of plan.edges) {
    const seconds = byEdge.get(edge);
    if (seconds === undefined) {
      edges.push(edge);
      continue;
    }
    const id = COMPENSATION_PREFIX + edgeKey(edge);
    const params: Params = {};
    for (const [key, spec] of Object.entries(delayDef.params)) if ('default' in spec) params[key] = spec.default as Params[string];
    params.time = seconds * 1000;
    params.feedback = 0;
    params.mix = 1;
    const list = inserted.get(edge.to) ?? [];
    list.push({ id, type: 'delay', params, bypass: false });
    inserted.set(edge.to, list);
    edges.push({ from: edge.from, fromPort: edge.fromPort, to: id, toPort: 'in' }, { from: id, fromPort: 'out', to: edge.to, toPort: edge.toPort });
  }
  // Each delay goes right before the node it feeds, so the plan stays in upstream-first order.
  const nodes = plan.nodes.flatMap((n) => [...(inserted.get(n.id) ?? []), n]);
  return { nodes, edges };
}

/**
 * What an offline render of `plan` needs, from one latency analysis: the plan with parallel paths
 * aligned, and the output latency in frames (render that much longer and drop it from the start,
 * so the file lines up with its sources). Shared by the CLI's bounce and the editor's Export WAV.
 */
export function prepareBounce(plan: Plan, sampleRate: number): { plan: Plan; latencyFrames: number } {
  const report = analyzeLatency(plan, sampleRate);
  return { plan: compensateLatency(plan, sampleRate, report), latencyFrames: Math.round(report.seconds * sampleRate) };
}
