// How long a session sounds: when the last sound reaches the master. Pure: no audio library.
//
// end(node) = max(own length, end of each audio input) + tail(node), computed upstream first.
// A feedback loop (only possible through a delay) is taken as one unit that adds the tails of
// all its nodes once, so a loop cannot make the length grow without bound.
import type { NodeEnv } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import type { Plan, PlanNode } from './plan.ts';

export interface SessionLength {
  /** Seconds from the start until the master falls silent; 0 if no timed source reaches it. */
  seconds: number;
  /** Sources with a length (tracks), anywhere in the graph. */
  timedSources: number;
  /** Timed sources with more than zero seconds of material. */
  soundingSources: number;
  /** Sources that play until stopped (generators). */
  endlessSources: number;
}

/**
 * Frames a render of `seconds` gets at `sampleRate`: whole samples, a sliver of a sample past the
 * end still gets its sample (the CLI and the editor's export count the same way).
 */
export function renderFrameCount(seconds: number, sampleRate: number): number {
  return Math.max(1, Math.ceil(seconds * sampleRate - 1e-6));
}

export function sessionLength(plan: Plan, getBuffer: NodeEnv['getBuffer']): SessionLength {
  const env: NodeEnv = { getBuffer };
  const nodes = plan.nodes;
  const indexOf = new Map(nodes.map((n, i) => [n.id, i]));
  const defs = nodes.map((n) => getDefinition(n.type));

  // Audio inputs only: a sidechain steers a compressor but is not heard through it.
  const inputs: number[][] = nodes.map(() => []);
  for (const e of plan.edges) {
    const from = indexOf.get(e.from);
    const to = indexOf.get(e.to);
    if (from === undefined || to === undefined) continue;
    const port = defs[to]?.ports.inputs.find((p) => p.id === e.toPort);
    if (port?.role === 'sidechain') continue;
    inputs[to].push(from);
  }

  let timedSources = 0;
  let soundingSources = 0;
  let endlessSources = 0;
  const own = nodes.map((n, i) => {
    const def = defs[i];
    if (!def) return 0;
    if (def.length) {
      const seconds = def.length(n.params, env);
      const ok = Number.isFinite(seconds) && seconds > 0;
      timedSources++;
      if (ok) soundingSources++;
      return ok ? seconds : 0;
    }
    if (def.category === 'source') endlessSources++;
    return 0;
  });
  const tail = (n: PlanNode, i: number) => {
    if (n.bypass) return 0;
    const t = defs[i]?.tail?.(n.params) ?? 0;
    return Number.isFinite(t) && t > 0 ? t : 0;
  };

  const end = new Array<number>(nodes.length).fill(0);
  const component = new Array<number>(nodes.length).fill(-1);
  let components = 0;
  for (const members of upstreamFirst(inputs)) {
    const id = components++;
    for (const m of members) component[m] = id;
    let start = 0;
    let tails = 0; // a single node adds its own tail; a loop adds each of its nodes' tails once
    for (const m of members) {
      start = Math.max(start, own[m]);
      tails += tail(nodes[m], m);
      for (const from of inputs[m]) if (component[from] !== id) start = Math.max(start, end[from]);
    }
    for (const m of members) end[m] = start + tails;
  }

  const master = nodes.findIndex((n) => n.type === 'master');
  return { seconds: master >= 0 ? end[master] : 0, timedSources, soundingSources, endlessSources };
}

/**
 * Strongly connected components of the graph given by `inputs` (node -> the nodes feeding it),
 * each component after every component upstream of it (Tarjan on the reversed edges, iterative).
 */
function upstreamFirst(inputs: number[][]): number[][] {
  const n = inputs.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length) {
      const frame = work[work.length - 1];
      const next = inputs[frame.v];
      if (frame.i < next.length) {
        const w = next[frame.i++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
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
        onStack[w] = false;
        members.push(w);
      } while (w !== frame.v);
      out.push(members);
    }
  }
  return out;
}
