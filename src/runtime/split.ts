// Splitting a plan for a parallel offline render: subgraphs that meet the rest only where their
// sound leaves them (each track's chain up to its first shared node) can run on other threads, and
// the rest of the graph, on the main thread, hears their outputs through stand-ins.
//
// A node belongs to a track's chain when every connection into it, sidechains included, comes from
// that chain; a feedback loop belongs to it when every connection into the loop does. Everything
// else runs on the main thread: the buses and the master, a compressor keyed from another track's
// chain, a loop that passes through a bus. A stand-in keeps its node's id and ports, and the
// runtime sums every input in a fixed order of ids (src/runtime/runtime.ts), so the main thread sums
// exactly what one runtime holding the whole plan would: the file is the same to the bit, whatever
// the number of threads.
import type { AudioBus, NodeProcessor } from '../../nodes/define.ts';
import { getDefinition, LOOP_SAFE_TYPES } from '../../nodes/registry.ts';
import type { Plan, PlanNode } from '../compiler/plan.ts';
import type { DocEdge } from '../model/document.ts';
import { schedule } from '../graph/walk.ts';

/** An output port of a chain node that something outside the chain listens to. */
export interface ChainExit {
  id: string;
  port: string;
}

export interface Chain {
  /** The node the chain starts from (a track or a generator). */
  root: string;
  /** The chain's nodes and the connections among them. */
  plan: Plan;
  exits: ChainExit[];
  /** Estimated cost, for spreading chains over threads. */
  weight: number;
}

export interface SplitPlan {
  chains: Chain[];
  /** The rest of the graph, with each chain node that feeds it present as a stand-in (no inputs). */
  main: Plan;
  /** Ids in `main` that stand in for a chain node. */
  standIns: Set<string>;
}

/** Rough cost of a node type per frame (the 16-track bench: a compressor ≈ 1.3 EQs ≈ 5 tracks). */
const WEIGHTS: Record<string, number> = { compressor: 5, eq: 4, multiband: 12, reverb: 15, limiter: 6, stereo: 3, delay: 2, saturator: 2, track: 1 };

export function splitPlan(plan: Plan): SplitPlan {
  const nodes = plan.nodes;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const incoming: DocEdge[][] = nodes.map(() => []);
  const next: number[][] = nodes.map(() => []);
  for (const e of plan.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined) continue;
    incoming[to].push(e);
    next[from].push(to);
  }
  const defs = nodes.map((n) => getDefinition(n.type));
  const isRoot = (i: number) => {
    const def = defs[i];
    return !!def && def.ports.inputs.length === 0 && def.ports.outputs.length > 0 && !def.speakers;
  };
  // Owner of each node: the root whose chain it is in, or -1 (the main thread). Components of the
  // graph are visited upstream first, so every connection from outside a component is decided.
  const owner = new Int32Array(nodes.length).fill(-1);
  for (const step of schedule(next, (v) => LOOP_SAFE_TYPES.has(nodes[v].type))) {
    const members = new Set(step.members);
    if (!step.loop && isRoot(step.members[0])) {
      owner[step.members[0]] = step.members[0];
      continue;
    }
    let common = -2; // -2: no connection from outside yet
    for (const m of step.members) {
      if (defs[m]?.speakers) common = -1;
      for (const e of incoming[m]) {
        const from = index.get(e.from)!;
        if (members.has(from)) continue;
        const o = owner[from];
        common = common === -2 ? o : common === o ? o : -1;
      }
    }
    const o = common >= 0 ? common : -1;
    for (const m of step.members) owner[m] = o;
  }

  // Chains with somewhere to go: an edge from one of their nodes to the main thread's part.
  const chains = new Map<number, { members: number[]; exits: Map<string, ChainExit> }>();
  for (let i = 0; i < nodes.length; i++) if (owner[i] >= 0) (chains.get(owner[i]) ?? chains.set(owner[i], { members: [], exits: new Map() }).get(owner[i])!).members.push(i);
  for (const e of plan.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined) continue;
    if (owner[from] >= 0 && owner[to] !== owner[from]) chains.get(owner[from])!.exits.set(`${e.from}\u0000${e.fromPort}`, { id: e.from, port: e.fromPort });
  }
  const kept: Chain[] = [];
  const inChain = new Set<number>();
  for (const [root, c] of chains) {
    if (c.exits.size === 0) continue; // heard by nothing: left where it is
    for (const m of c.members) inChain.add(m);
    const ids = new Set(c.members.map((m) => nodes[m].id));
    kept.push({
      root: nodes[root].id,
      plan: { nodes: c.members.map((m) => nodes[m]), edges: plan.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) },
      exits: [...c.exits.values()],
      weight: c.members.reduce((w, m) => w + (WEIGHTS[nodes[m].type] ?? 1), 0),
    });
  }

  const exitNodes = new Set(kept.flatMap((c) => c.exits.map((x) => x.id)));
  const mainNodes: PlanNode[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (!inChain.has(i)) mainNodes.push(n);
    else if (exitNodes.has(n.id)) mainNodes.push({ ...n, bypass: false }); // its bypass happened on the chain's thread
  }
  const onMain = new Set(mainNodes.map((n) => n.id));
  const mainEdges = plan.edges.filter((e) => onMain.has(e.to) && !exitNodes.has(e.to) && onMain.has(e.from));
  return { chains: kept, main: { nodes: mainNodes, edges: mainEdges }, standIns: exitNodes };
}

/** Chains spread over `threads` groups, heaviest first onto the lightest group (the same for the same plan). */
export function spreadChains(chains: readonly Chain[], threads: number): Chain[][] {
  const groups: { chains: Chain[]; weight: number }[] = Array.from({ length: Math.max(1, Math.min(threads, chains.length)) }, () => ({ chains: [], weight: 0 }));
  const order = [...chains].sort((a, b) => b.weight - a.weight || (a.root < b.root ? -1 : 1));
  for (const c of order) {
    let best = groups[0];
    for (const g of groups) if (g.weight < best.weight) best = g;
    best.chains.push(c);
    best.weight += c.weight;
  }
  return groups.map((g) => g.chains).filter((g) => g.length > 0);
}

/**
 * The blocks of a chain's exits as another thread made them: per exit port, left and right for
 * `frames` frames and the channel count of each block (a mono port stays mono, exactly as it was).
 */
export interface ExitChunk {
  frames: number;
  /** exits × 2 arrays (left, right) of at least `frames`. */
  data: Float32Array[];
  /** exits × blocks channel counts. */
  channels: Uint8Array;
}

/**
 * Stand-ins for a chain's exit nodes in the main thread's runtime: each plays back its node's output
 * ports from chunks received in order, block by block (the runtime's block grid is the same on both
 * threads, so block b of a chunk is block b of the main thread's render).
 */
export class ExitFeed {
  private readonly queue: ExitChunk[] = [];
  private frame = 0;
  private block = 0;
  /** Exit index per node id and port. */
  private readonly slots = new Map<string, Map<string, number>>();

  private readonly count: number;

  constructor(exits: readonly ChainExit[]) {
    exits.forEach((x, k) => (this.slots.get(x.id) ?? this.slots.set(x.id, new Map()).get(x.id)!).set(x.port, k));
    this.count = exits.length;
  }

  push(chunk: ExitChunk): void {
    this.queue.push(chunk);
  }

  /** Frames received and not yet played. */
  get buffered(): number {
    let n = -this.frame;
    for (const c of this.queue) n += c.frames;
    return n;
  }

  /** The stand-in processor for node `node` (its output ports in its definition's order). */
  processor(node: PlanNode): NodeProcessor {
    const def = getDefinition(node.type)!;
    const ports = def.ports.outputs.map((p) => this.slots.get(node.id)?.get(p.id) ?? -1);
    return {
      process: (_inputs: readonly AudioBus[], outputs: readonly AudioBus[], n: number) => this.play(ports, outputs, n),
      set() {},
    };
  }

  /**
   * Called once per block by every stand-in of this feed. No copy: the stand-in's output ports
   * point into the chunk itself for the block (views made once per chunk buffer), which nothing
   * writes to until the chunk has been played out.
   */
  private play(ports: number[], outputs: readonly AudioBus[], n: number): void {
    const chunk = this.queue[0];
    if (!chunk || this.frame + n > chunk.frames) throw new Error('a chain thread fell behind: no audio for this block');
    const blocks = chunk.channels.length / this.count;
    const views = this.viewsOf(chunk, blocks);
    for (let o = 0; o < outputs.length; o++) {
      const out = outputs[o];
      const k = ports[o];
      const data = out.data as [Float32Array, Float32Array];
      if (k < 0) {
        // A port nothing outside the chain listens to: silence in its own buffer
        out.channels = 1;
        data[0].fill(0, 0, n);
        continue;
      }
      out.channels = chunk.channels[k * blocks + this.block];
      data[0] = views[2 * k][this.block];
      data[1] = views[2 * k + 1][this.block];
    }
  }

  private readonly views = new WeakMap<ExitChunk, Float32Array[][]>();

  /** Per exit channel, a view of each block of `chunk` (its buffers are reused chunk after chunk). */
  private viewsOf(chunk: ExitChunk, blocks: number): Float32Array[][] {
    let v = this.views.get(chunk);
    if (!v) {
      const size = chunk.data[0].length / blocks;
      v = chunk.data.map((d) => Array.from({ length: blocks }, (_, b) => d.subarray(b * size, (b + 1) * size)));
      this.views.set(chunk, v);
    }
    return v;
  }

  /** After each block of the main runtime: move on by `n` frames (one block). */
  advance(n: number): ExitChunk | null {
    this.frame += n;
    this.block++;
    const chunk = this.queue[0];
    if (chunk && this.frame >= chunk.frames) {
      this.queue.shift();
      this.frame = 0;
      this.block = 0;
      return chunk; // played out: the sender may reuse its buffers
    }
    return null;
  }
}
