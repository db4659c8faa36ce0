// Where each track's sound goes, for the analyses and their commands: a track's own chain (the
// nodes up to its first shared node, as the parallel render cuts them: src/runtime/split.ts), the
// EQ or compressor on it, and the edits that add one. Paths are the plan's ids (`vocals/lead`),
// which are the document's node paths.
import { current, type Draft } from 'immer';
import { getDefinition, isAuxOutput } from '../../nodes/registry.ts';
import { compile } from '../compiler/compile.ts';
import type { Plan } from '../compiler/plan.ts';
import type { Command } from '../model/commands.ts';
import { joinPath, nodeAt, splitPath, walkNodes, type DocEdge, type DocNode, type Graph, type SessionDoc } from '../model/document.ts';
import { freshIdIn, graphOf } from '../model/draft.ts';
import { fillParams } from '../model/params.ts';
import { formatProblem, validate } from '../model/validate.ts';
import { splitPlan, type ChainExit } from '../runtime/split.ts';
import { effectiveCategory, type TrackCategory } from './categories.ts';

export interface TrackChain {
  /** The track's path. */
  path: string;
  node: DocNode;
  label: string;
  category: TrackCategory;
  /** Its chain's nodes (the track first, then downstream), or empty when its sound reaches nothing. */
  members: string[];
  /** The chain alone, for rendering it. */
  plan: Plan | null;
  /** Ports of chain nodes that feed the rest of the graph: the main ones (not a send's aux copy) first. */
  exits: ChainExit[];
  /** How many exits are main (audio) outputs; the rest are aux (sends). */
  mainExits: number;
}

/** A copy of the session with every track unmuted and unsoloed: what the tracks give when heard. */
export function unmuted(doc: SessionDoc): SessionDoc {
  const copy = structuredClone(doc) as SessionDoc;
  for (const { node } of walkNodes(copy)) {
    if (node.type !== 'track') continue;
    node.params.mute = false;
    node.params.solo = false;
  }
  return copy;
}

/** Compile or throw with every problem, one per line. */
export function planOrThrow(doc: SessionDoc): Plan {
  const r = compile(doc);
  if (!r.ok) throw new Error(`the session has problems:\n${r.problems.map(formatProblem).join('\n')}`);
  return r.plan;
}


/** Every track (groups' inner ones included) with its own chain, measured on the unmuted session. */
export function trackChains(doc: SessionDoc): TrackChain[] {
  const plan = planOrThrow(unmuted(doc));
  const split = splitPlan(plan);
  const types = new Map(plan.nodes.map((n) => [n.id, n.type]));
  const out: TrackChain[] = [];
  for (const { node, path } of walkNodes(doc)) {
    if (node.type !== 'track') continue;
    const chain = split.chains.find((c) => c.root === path);
    const exits = chain ? [...chain.exits].sort((a, b) => Number(isAuxOutput(types.get(a.id)!, a.port)) - Number(isAuxOutput(types.get(b.id)!, b.port))) : [];
    const mainExits = exits.filter((x) => !isAuxOutput(types.get(x.id)!, x.port)).length;
    out.push({
      path,
      node,
      label: node.label || path,
      category: effectiveCategory(node),
      members: chain ? chain.plan.nodes.map((n) => n.id) : [],
      plan: chain ? chain.plan : null,
      exits,
      mainExits,
    });
  }
  return out;
}

/** The nodes a track's chain holds, of `type`, in signal order. */
export function chainNodes(doc: SessionDoc, chain: TrackChain, type: string): string[] {
  return chain.members.filter((id) => nodeAt(doc, id)?.type === type);
}

const scopeOf = (path: string) => splitPath(path).slice(0, -1).join('/');
const idOf = (path: string) => splitPath(path).pop()!;

/**
 * Insert a new node after the node at `path` in its graph: every edge leaving its `out` port now
 * leaves the new node, and `path` feeds the new node. Returns the new node's path.
 */
export function insertAfter(d: Draft<SessionDoc>, path: string, type: string, base: string, params: Record<string, unknown>, label?: string): string {
  const def = getDefinition(type);
  if (!def) throw new Error(`unknown node type "${type}"`);
  const scope = scopeOf(path);
  const id = idOf(path);
  const graph = graphOf(d, scope);
  const at = graph.nodes.find((n) => n.id === id);
  if (!at) throw new Error(`no node "${path}"`);
  const fresh = freshIdIn(graph, base);
  const position = at.position ? { x: at.position.x + 220, y: at.position.y + 110 } : undefined;
  const node: DocNode = { id: fresh, type, params: fillParams(def, params as DocNode['params']) };
  if (label) node.label = label;
  if (position) node.position = position;
  graph.nodes.push(node as Draft<DocNode>);
  for (const e of graph.edges) if (e.from === id && e.fromPort === 'out') e.from = fresh;
  graph.edges.push({ from: id, fromPort: 'out', to: fresh, toPort: 'in' } as Draft<DocEdge>);
  return joinPath(scope || undefined, fresh);
}

/** Run `edit`; throw (so the history changes nothing) if it gave the session a problem it did not have. */
export function checked(d: Draft<SessionDoc>, what: string, edit: () => void): void {
  const before = new Set(validate(current(d) as SessionDoc).map((p) => p.message));
  edit();
  const added = validate(current(d) as SessionDoc).filter((p) => !before.has(p.message));
  if (added.length) throw new Error(`${what}: the session would become invalid: ${added.map((p) => p.message).join('; ')}`);
}

// ---------------------------------------------------------------- edits the analyses propose

/** Track gains set as one undo step (clamped to the fader's range). */
export function setTrackGains(changes: readonly { path: string; gain: number }[], label: string): Command {
  const spec = getDefinition('track')!.params.gain as { min: number; max: number };
  return {
    label,
    run(d) {
      for (const { path, gain } of changes) {
        const node = nodeAt(d as Graph, path);
        if (!node || node.type !== 'track') throw new Error(`no track "${path}"`);
        node.params.gain = Math.min(spec.max, Math.max(spec.min, round2(gain)));
      }
    },
  };
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

export interface PeakingCut {
  /** The track whose chain gets the cut. */
  track: string;
  frequency: number;
  /** dB, negative. */
  gain: number;
  q: number;
}

interface EqBand {
  type: string;
  frequency: number;
  gain: number;
  q: number;
  enabled: boolean;
}

/**
 * A peaking cut on a track: added as a band to the first EQ in its chain (or deepened, when a
 * peaking band lies within a sixth of an octave of it), or in a new EQ right after the track when
 * the chain has none (or after a full one). One undo step.
 */
export function addPeakingCut(doc: SessionDoc, cut: PeakingCut): Command {
  const chain = trackChains(doc).find((c) => c.path === cut.track);
  if (!chain) throw new Error(`no track "${cut.track}"`);
  const eqs = chainNodes(doc, chain, 'eq');
  const frequency = Math.round(cut.frequency);
  const band: EqBand = { type: 'peaking', frequency, gain: round2(Math.max(-24, cut.gain)), q: round2(cut.q), enabled: true };
  return {
    label: `Cut ${chain.label} by ${-band.gain} dB at ${formatHz(frequency)}`,
    run(d) {
      checked(d, `Cannot cut ${cut.track}`, () => {
        for (const path of eqs) {
          const eq = nodeAt(d as Graph, path)!;
          const bands = eq.params.bands as unknown as EqBand[];
          const near = bands.find((b) => b.type === 'peaking' && b.enabled !== false && Math.abs(Math.log2(b.frequency / frequency)) <= 1 / 6);
          if (near) {
            near.gain = round2(Math.max(-24, near.gain + band.gain));
            return;
          }
          if (bands.length < 8) {
            bands.push({ ...band });
            return;
          }
        }
        const after = eqs.length ? eqs[eqs.length - 1] : cut.track;
        insertAfter(d, after, 'eq', 'eq', { bands: [band] }, `${chain.label} EQ`);
      });
    },
  };
}

export interface DuckOptions {
  /** The track (or node) whose sound pushes the target down. */
  key: string;
  /** The track (or bus) to push down. */
  target: string;
  threshold?: number;
  ratio?: number;
  attack?: number;
  release?: number;
}

export const DUCK_DEFAULTS = { threshold: -30, ratio: 4, attack: 5, release: 120, knee: 6, makeup: 0 };

/**
 * "Duck under…": `key` feeds the sidechain of a compressor on `target`'s path, so the target dips
 * while the key plays (the bass under the kick, the music under the voice). The compressor is the
 * first one on the target's own chain with a free sidechain (its settings kept), or a new one at the
 * end of that chain (after the target itself when it is not a track). One undo step; refused, changing
 * nothing, when the key and the compressor are in different groups or the edge would close a loop.
 */
export function duckUnder(doc: SessionDoc, options: DuckOptions): Command {
  const key = nodeAt(doc, options.key);
  const target = nodeAt(doc, options.target);
  if (!key) throw new Error(`no node "${options.key}" to duck under`);
  if (!target) throw new Error(`no node "${options.target}" to duck`);
  if (options.key === options.target) throw new Error('a node cannot duck under itself');
  const chain = target.type === 'track' ? trackChains(doc).find((c) => c.path === options.target) : undefined;
  const keyed = new Set<string>();
  const visit = (edges: readonly DocEdge[], scope: string) => {
    for (const e of edges) if (e.toPort === 'sidechain') keyed.add(joinPath(scope || undefined, e.to));
  };
  visit(doc.edges, '');
  for (const { node, path } of walkNodes(doc)) if (node.group) visit(node.group.edges, path);
  const candidates = chain ? chainNodes(doc, chain, 'compressor') : target.type === 'compressor' ? [options.target] : [];
  const existing = candidates.find((c) => !keyed.has(c));
  // The end of the chain: the last member that feeds the rest of the mix through its main output.
  const end = chain && chain.mainExits > 0 ? chain.exits[0].id : options.target;
  const settings = { ...DUCK_DEFAULTS, ...pick(options) };
  const targetLabel = target.label || options.target;
  return {
    label: `Duck ${targetLabel} under ${key.label || options.key}`,
    run(d) {
      checked(d, `Cannot duck ${options.target} under ${options.key}`, () => {
        const comp = existing ?? insertAfter(d, end, 'compressor', 'duck', settings, `Duck ${targetLabel}`);
        if (scopeOf(comp) !== scopeOf(options.key)) {
          throw new Error(`Cannot duck ${options.target} under ${options.key}: the compressor (${comp}) and the key are in different groups; connect them through the group's ports`);
        }
        graphOf(d, scopeOf(comp)).edges.push({ from: idOf(options.key), fromPort: 'out', to: idOf(comp), toPort: 'sidechain' } as Draft<DocEdge>);
      });
    },
  };
}

function pick(o: DuckOptions): Partial<typeof DUCK_DEFAULTS> {
  const out: Partial<typeof DUCK_DEFAULTS> = {};
  if (o.threshold !== undefined) out.threshold = round2(Math.min(0, Math.max(-60, o.threshold)));
  if (o.ratio !== undefined) out.ratio = o.ratio;
  if (o.attack !== undefined) out.attack = o.attack;
  if (o.release !== undefined) out.release = o.release;
  return out;
}

export const formatHz = (f: number): string => (f >= 1000 ? `${(f / 1000).toFixed(f >= 10000 ? 1 : 2).replace(/\.?0+$/, '')} kHz` : `${Math.round(f)} Hz`);
