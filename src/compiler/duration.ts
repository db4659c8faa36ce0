// How long a session sounds: when the last sound reaches the master. Pure: no audio library.
//
// end(node) = max(own length, end of each audio input) + tail(node), computed upstream first.
// A feedback loop (only possible through a delay) is taken as one unit that adds the tails of
// all its nodes once, so a loop cannot make the length grow without bound.
import type { NodeEnv } from '../../nodes/define.ts';
import { getDefinition, isProgramOutput, isSidechain } from '../../nodes/registry.ts';
import { components, indexGraph } from '../graph/walk.ts';
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
  const defs = nodes.map((n) => getDefinition(n.type));
  // Audio inputs only: a sidechain steers a compressor but is not heard through it.
  const { next, edgesIn } = indexGraph(nodes.map((n) => n.id), plan.edges, (e, to) => !isSidechain(nodes[to].type, e.toPort));

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
  let count = 0;
  for (const members of components(next)) {
    const id = count++;
    for (const m of members) component[m] = id;
    let start = 0;
    let tails = 0; // a single node adds its own tail; a loop adds each of its nodes' tails once
    for (const m of members) {
      start = Math.max(start, own[m]);
      tails += tail(nodes[m], m);
      for (const { from } of edgesIn[m]) if (component[from] !== id) start = Math.max(start, end[from]);
    }
    for (const m of members) end[m] = start + tails;
  }

  const master = nodes.findIndex((n) => isProgramOutput(n.type));
  return { seconds: master >= 0 ? end[master] : 0, timedSources, soundingSources, endlessSources };
}
