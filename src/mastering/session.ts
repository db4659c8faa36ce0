// Auto-gain inside a session (the editor's "Match target"): the same method as `mixgraph master`
// (master.ts), applied to the session's own mastering chain. The session is split at its final
// limiter, the part before it rendered once (by whatever engine the caller has: the browser's in
// the editor, node-web-audio-api in tests), and each try runs only the gain and the limiter's DSP
// core. The result is an edit: the gain node in front of the limiter set, or one inserted.
import { getDefinition, isProgramOutput } from '../../nodes/registry.ts';
import { insertChain, setParam, type Command } from '../model/commands.ts';
import { CHAIN_OUTPUT, FORMAT, FORMAT_VERSION, graphAt, type ChainDoc, type DocEdge, type DocNode, type SessionDoc } from '../model/document.ts';
import { fillParams } from '../model/params.ts';
import { plainGraph } from '../model/flatten.ts';
import { analyze, type LoudnessReport } from '../dsp/loudness.ts';
import { limitWithGain, MasteringError, searchGain, SILENT, splitAtLimiter, type Audio } from './autogain.ts';

export interface SessionGainPlan {
  /** The session up to the final limiter, whose input now feeds the master directly (groups dissolved). */
  pre: SessionDoc;
  limiter: DocNode;
  /** The limiter's path in the session (`mastering/limiter` inside a group). */
  limiterPath: string;
  /** The master's fader (dB), after the limiter. */
  masterGain: number;
  /** The one connection into the limiter's input, where the gain goes (in `pre`'s ids). */
  into: DocEdge;
  /** The same connection in the session: the edge in the graph at `scope` (the limiter's group, or the top). */
  edit: { edge: DocEdge; scope?: string; from: string };
}

/**
 * Find the final limiter (the one whose output reaches the master through meters only) and split
 * the session there. Throws a MasteringError saying what to change when the session has none, or
 * when some signal reaches the master without passing through it (a gain before the limiter would
 * not set the loudness of that part).
 */
export function planSessionGain(session: SessionDoc): SessionGainPlan {
  // Groups dissolved: a limiter inside a group (a mastering chain inserted as one) is found like any other.
  const { graph: doc, pathOf } = plainGraph(session);
  const master = doc.nodes.find((n) => isProgramOutput(n.type));
  if (!master) throw new MasteringError('the session has no master node');
  // The session as a chain whose output is the master's input (the master's fader comes after).
  const chain: ChainDoc = {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: 'chain',
    name: doc.name,
    meta: doc.meta,
    nodes: doc.nodes.filter((n) => n.id !== master.id),
    edges: doc.edges.map((e) => (e.to === master.id ? { ...e, to: CHAIN_OUTPUT } : e)),
  } as ChainDoc;
  const limiters = chain.nodes.filter((n) => n.type === 'limiter' && !n.bypass);
  if (limiters.length === 0) throw new MasteringError('the session has no limiter before the master: insert a mastering chain (or a limiter) first');
  const split = splitAtLimiter(chain);
  if (!split || split.added) throw new MasteringError('no single final limiter: the limiter must feed the master directly or through loudness meters only');
  const kept = new Set(split.pre.nodes.map((n) => n.id));
  const limiter = limiters.find((l) => !kept.has(l.id))!; // the others stay in the part before it
  // Everything the master hears must come through the limiter.
  const intoMaster = doc.edges.filter((e) => e.to === master.id);
  const bypassing = intoMaster.find((e) => kept.has(e.from));
  if (bypassing) throw new MasteringError(`"${bypassing.from}" reaches the master without passing through the limiter "${limiter.id}": route it through the limiter`);
  const into = doc.edges.filter((e) => e.to === limiter.id && e.toPort === 'in');
  if (into.length !== 1) throw new MasteringError(`the limiter "${limiter.id}" has ${into.length} inputs; connect one node (a bus) to it`);
  const pre: SessionDoc = {
    ...doc,
    // The master's fader comes after the limiter: left at 0 dB here, applied to each try.
    nodes: [...split.pre.nodes, { ...master, params: { ...master.params, gain: 0 } }],
    edges: split.pre.edges.map((e) => (e.to === CHAIN_OUTPUT ? { ...e, to: master.id } : e)),
  };
  // Snapshots name nodes the part before the limiter no longer has: rendering it needs none.
  delete pre.snapshots;
  // Where the gain goes in the session itself: the edge into the limiter in its own graph.
  const limiterPath = pathOf(limiter.id);
  const cut = limiterPath.lastIndexOf('/');
  const scope = cut < 0 ? undefined : limiterPath.slice(0, cut);
  const inScope = (graphAt(session, scope)?.edges ?? []).filter((e) => e.to === limiterPath.slice(cut + 1) && e.toPort === 'in');
  if (inScope.length !== 1) throw new MasteringError(`the limiter "${limiterPath}" has ${inScope.length} inputs in its group; connect one node (a bus) to it`);
  return { pre, limiter, limiterPath, masterGain: Number(master.params.gain ?? 0), into: into[0], edit: { edge: inScope[0], scope, from: pathOf(into[0].from) } };
}

export interface SessionGainResult {
  /** dB added in front of the limiter. */
  gainDb: number;
  /** The master as it will measure with that gain (the limiter core's output, master fader applied). */
  report: LoudnessReport;
  /** The edit: one undo step. */
  command: Command;
  /** What was done, in words. */
  summary: string;
}

const GAIN_ID = 'match_gain';

/**
 * Find the gain before the final limiter that puts the master on `target` LUFS, and the edit that
 * applies it. `render` renders a session offline to channels at `sampleRate` (the caller's engine).
 */
export async function matchTarget(
  doc: SessionDoc,
  target: number,
  render: (doc: SessionDoc) => Promise<Float32Array[]>,
  sampleRate: number,
  onTry?: (gainDb: number, loudness: number) => void,
): Promise<SessionGainResult> {
  const plan = planSessionGain(doc);
  const pre: Audio = { channels: await render(plan.pre), sampleRate };
  const post = Math.pow(10, plan.masterGain / 20);
  const start = analyze(pre.channels, sampleRate).integrated + plan.masterGain;
  if (!Number.isFinite(start)) throw new MasteringError(SILENT);
  const gainSpec = getDefinition('gain')!.params.gain as { min: number; max: number };
  // The existing gain node in front of the limiter (only feeding it) is reused; else one is inserted.
  const flat = plainGraph(doc).graph;
  const feeder = flat.nodes.find((n) => n.id === plan.into.from && n.type === 'gain' && !n.bypass);
  const reuse = feeder && flat.edges.filter((e) => e.from === feeder.id).length === 1 ? feeder : undefined;
  const current = reuse ? Number(reuse.params.gain) : 0;
  const range: [number, number] = [gainSpec.min - current, gainSpec.max - current];
  const result = await searchGain(
    target,
    target - start,
    (g) => {
      const limited = limitWithGain(pre, g, plan.limiter.params);
      // limitWithGain returns fresh arrays: the master fader is applied in place, not to a copy
      if (post !== 1) for (const c of limited.channels) for (let i = 0; i < c.length; i++) c[i] *= post;
      const audio = limited;
      return { audio, report: analyze(audio.channels, sampleRate) };
    },
    onTry,
    range,
  );
  const gainDb = Math.round(result.gainDb * 100) / 100;
  const sign = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)} dB`;
  if (reuse) {
    const value = Math.round((current + gainDb) * 100) / 100;
    return {
      gainDb,
      report: result.report,
      command: { ...setParam(plan.edit.from, 'gain', value), label: `Match ${target} LUFS`, mergeKey: undefined },
      summary: `${reuse.label || plan.edit.from} set to ${sign(value)} (${sign(gainDb)})`,
    };
  }
  const chain: ChainDoc = {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: 'chain',
    name: `Match ${target} LUFS`,
    meta: { author: '', description: '', tags: [] },
    nodes: [{ id: GAIN_ID, type: 'gain', label: 'Match gain', params: fillParams(getDefinition('gain')!, { gain: gainDb }) }],
    edges: [
      { from: 'input', fromPort: 'out', to: GAIN_ID, toPort: 'in' },
      { from: GAIN_ID, fromPort: 'out', to: CHAIN_OUTPUT, toPort: 'in' },
    ],
  } as ChainDoc;
  return { gainDb, report: result.report, command: insertChain(chain, plan.edit.edge, undefined, { scope: plan.edit.scope }), summary: `a gain of ${sign(gainDb)} inserted before ${plan.limiter.label || plan.limiterPath}` };
}
