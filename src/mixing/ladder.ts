// The gain ladder: "follow the signal" from one source to the master. For a source (a track or a
// test signal) it lists each route its sound takes to the master (the main path first, then each
// send) and, on each route, the rungs: the source's own level (its file's peak), then every node it
// passes with the change it makes in dB and the level after it. Stopped, the changes come from the
// params (each definition's `levelChange`: exact for faders and pan laws, a static figure or
// "depends on the signal" for EQs, compressors and saturators); playing, LadderMeter measures them
// from the runtime's per-port levels (the change of a step = its output's level over its input's).
// Groups are seen through: the walk runs on the flat graph (src/model/flatten.ts), paths like
// `drums/comp`. No React here: the canvas's panel (src/ui/canvas/LadderPanel.tsx) draws it.
import { getDefinition, isAuxOutput, isProgramOutput, isSidechain } from '../../nodes/registry.ts';
import type { LevelChange, SourceLevelEnv } from '../../nodes/define.ts';
import { GROUP_INPUT, GROUP_OUTPUT, edgeKey, graphAt, joinPath, nodeAt, splitPath, type DocEdge, type Graph, type SessionDoc } from '../model/document.ts';
import { flatten, reachingMaster, type FlatNode } from '../model/flatten.ts';

/** More routes than this from one source (sends into sends) are left out: the panel says so. */
export const MAX_ROUTES = 8;

export interface Rung {
  /** The node's path (`drums/comp` inside a group). */
  path: string;
  /** What a student reads: its label, inside a group "Drums › Comp". */
  label: string;
  type: string;
  /** The output port the route leaves it by (undefined for the master: its speakers). */
  port: string | undefined;
  /** The change it makes from its input to that output, from its params. */
  change: LevelChange;
  /** The level after it from the params (peak dBFS of the louder channel); null when not known. */
  levelDb: number | null;
  /**
   * The level after it relative to the source's own level (the sum of the changes so far): what the
   * ladder shows while the file's peak is not known yet ("file −4.7 dB"); null after a step only the
   * signal can say.
   */
  relativeDb: number | null;
  /** The level is an estimate: some step before it (or this one) is not exact for every signal. */
  approximate: boolean;
  /** How many connections it hears (a bus summing several tracks: its level then holds the others too). */
  inputs: number;
  bypassed: boolean;
}

export interface Route {
  rungs: Rung[];
  /** It leaves a node by an aux output (a send's copy): a side route, listed after the main one. */
  send: boolean;
  /** The flat edges it follows, in order. */
  edges: DocEdge[];
}

export interface Ladder {
  /** The source's path. */
  source: string;
  label: string;
  /** Its own level before its fader: the file's peak or the test signal's level (null: not known yet). */
  sourceLevel: { peakDb: number | null; note: string };
  /** The routes to the master, the main path first; empty when its sound reaches no master. */
  routes: Route[];
  /** Routes left out past MAX_ROUTES. */
  more: number;
}

/** A node that makes sound of its own and says what its level is (a track, a test signal). */
export function hasLadder(type: string): boolean {
  return getDefinition(type)?.sourceLevel !== undefined;
}


/** A node's name as the canvas shows it, through its groups: "Drums › Comp". */
export function pathLabel(doc: SessionDoc, path: string): string {
  const parts = splitPath(path);
  return parts.map((_, i) => {
    const at = parts.slice(0, i + 1).join('/');
    const node = nodeAt(doc, at);
    return node?.label || parts[i];
  }).join(' › ');
}

/**
 * Every route from `source` to a master along heard connections (sidechains steer, they are not
 * heard), as the flat graph wires them. The main path (no aux output on it) first, then the sends;
 * within each, in the order of the document's connections. A route visits a node once (a feedback
 * loop through a delay is not walked around).
 */
export function routesOf(doc: SessionDoc, source: string): { routes: { nodes: string[]; edges: DocEdge[] }[]; more: number } {
  const flat = flatten(doc);
  const reached = reachingMaster(doc);
  if (!reached.has(source)) return { routes: [], more: 0 };
  const types = new Map(flat.nodes.map((n) => [n.id, n.type]));
  const out = new Map<string, DocEdge[]>();
  for (const e of flat.edges) {
    const to = types.get(e.to);
    if (!to || !types.has(e.from) || !reached.has(e.to) || isSidechain(to, e.toPort)) continue;
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
  }
  const found: { nodes: string[]; edges: DocEdge[] }[] = [];
  let more = 0;
  // Depth first, by an explicit stack (a long chain is no recursion depth).
  const stack: { node: string; next: number; edge?: DocEdge }[] = [{ node: source, next: 0 }];
  const on = new Set([source]);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (isProgramOutput(types.get(top.node)!)) {
      if (found.length < MAX_ROUTES * 4) found.push({ nodes: stack.map((s) => s.node), edges: stack.slice(1).map((s) => s.edge!) });
      else more++;
      on.delete(top.node);
      stack.pop();
      continue;
    }
    const edges = out.get(top.node) ?? [];
    if (top.next >= edges.length) {
      on.delete(top.node);
      stack.pop();
      continue;
    }
    const e = edges[top.next++];
    if (on.has(e.to)) continue;
    on.add(e.to);
    stack.push({ node: e.to, next: 0, edge: e });
  }
  const sends = (r: { edges: DocEdge[] }) => r.edges.filter((e) => isAuxOutput(types.get(e.from)!, e.fromPort)).length;
  const sorted = found.map((r, i) => ({ r, i, s: sends(r) })).sort((a, b) => a.s - b.s || a.i - b.i).map((x) => x.r);
  return { routes: sorted.slice(0, MAX_ROUTES), more: more + Math.max(0, sorted.length - MAX_ROUTES) };
}

/**
 * The gain ladder of `source` (a node path) from the params: each route's rungs with the change and
 * the level after each. `env.file` gives a decoded file's peak (the editor knows it once it played).
 */
export function ladderOf(doc: SessionDoc, source: string, env: SourceLevelEnv = { file: () => undefined }): Ladder | null {
  const flat = flatten(doc);
  const byPath = new Map<string, FlatNode>(flat.nodes.map((n) => [n.id, n]));
  const node = byPath.get(source);
  const def = node && getDefinition(node.type);
  if (!node || !def?.sourceLevel) return null;
  const own = def.sourceLevel(node.params, env);
  const heard = new Map<string, number>();
  for (const e of flat.edges) {
    const to = byPath.get(e.to);
    if (to && byPath.has(e.from) && !isSidechain(to.type, e.toPort)) heard.set(e.to, (heard.get(e.to) ?? 0) + 1);
  }
  const { routes, more } = routesOf(doc, source);
  const ladder: Ladder = { source, label: pathLabel(doc, source), sourceLevel: { peakDb: own.peakDb, note: own.note }, routes: [], more };
  for (const r of routes) {
    let level = own.peakDb;
    let relative: number | null = 0;
    let channels: 1 | 2 = own.channels;
    let approximate = false;
    const rungs: Rung[] = r.nodes.map((path, i) => {
      const n = byPath.get(path)!;
      const d = getDefinition(n.type);
      const port = r.edges[i]?.fromPort;
      const bypassed = n.bypass === true && d?.bypassable === true;
      const change: LevelChange = bypassed
        ? { db: 0, kind: 'exact', note: 'bypassed: the sound passes untouched' }
        : (d?.levelChange?.(n.params, { port: port ?? '', channels }) ?? { db: null, kind: 'signal', note: 'depends on the signal' });
      if (change.kind !== 'exact') approximate = true;
      level = level === null || change.db === null ? null : level + change.db;
      relative = relative === null || change.db === null ? null : relative + change.db;
      if (change.channels) channels = change.channels;
      return { path, label: pathLabel(doc, path), type: n.type, port, change, levelDb: level, relativeDb: relative, approximate, inputs: heard.get(path) ?? 0, bypassed };
    });
    ladder.routes.push({ rungs, send: r.edges.some((e) => isAuxOutput(byPath.get(e.from)!.type, e.fromPort)), edges: r.edges });
  }
  return ladder;
}

/**
 * What the canvas marks for a ladder, in the graph it shows (`scope`: '' for the top, a group's
 * path inside it): the nodes on any route (a group holding some of them counts as one) and the
 * connections between them, by edgeKey. A route coming in from outside an open group enters by its
 * `input` ports box and leaves by `output`.
 */
export function routeMarks(doc: SessionDoc, ladder: Ladder, scope = ''): { nodes: Set<string>; edges: Set<string> } {
  const graph: Graph | undefined = graphAt(doc, scope || undefined) as Graph | undefined;
  const nodes = new Set<string>();
  const edges = new Set<string>();
  if (!graph) return { nodes, edges };
  const prefix = scope ? `${scope}/` : '';
  // The id a flat path has in the shown graph (its own, or the group holding it); outside: a port box.
  const shownAs = (path: string, before: boolean): string => {
    if (!path.startsWith(prefix)) return before ? GROUP_INPUT : GROUP_OUTPUT;
    return splitPath(path.slice(prefix.length))[0];
  };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const route of ladder.routes) {
    const seen: string[] = [];
    route.rungs.forEach((rung, i) => {
      // Outside an open group, before the route has entered it, stands for its input; after, its output.
      const entered = route.rungs.slice(0, i).some((r) => r.path.startsWith(prefix));
      const id = shownAs(rung.path, !entered);
      if (seen[seen.length - 1] !== id) seen.push(id);
      if (byId.has(id)) nodes.add(id);
    });
    for (let i = 1; i < seen.length; i++) {
      const from = seen[i - 1];
      const to = seen[i];
      // A plain node's connection is the one leaving by the route's port (a send's out or its send).
      const port = route.rungs.find((r) => r.path === joinPath(scope || undefined, from))?.port;
      for (const e of graph.edges) {
        if (e.from !== from || e.to !== to) continue;
        if (port !== undefined && !byId.get(from)?.group && e.fromPort !== port) continue;
        if (isSidechain(byId.get(to)?.type ?? '', e.toPort)) continue;
        edges.add(edgeKey(e));
      }
    }
  }
  return { nodes, edges };
}

// ---------------------------------------------------------------- measured while playing

/** What the runtime measured at a port in its last post, linear (src/engine/levels.ts PortLevel). */
export interface PortReading {
  peak: readonly [number, number];
  rms: readonly [number, number];
}

/** One rung as measured: the louder channel's peak (dBFS) and the change over its input (dB). */
export interface MeasuredRung {
  /** Highest peak over the window, dBFS; -Infinity when silent or not metered. */
  levelDb: number;
  /** Energy after over energy before over the window, dB; null for the source (no input) or silence before. */
  changeDb: number | null;
}

/** Measured over this long: long enough to steady a music signal, short enough to follow a knob. */
export const MEASURE_WINDOW_MS = 1000;

interface Sample {
  t: number;
  peak: number;
  energy: number;
}

/**
 * The ladder measured while playing. Each sample() reads every rung's output port as the runtime
 * last posted it (all ports from the same post, so a step's before and after cover the same
 * frames); a rung's change is the energy (mean square, both channels summed, a mono port counted on
 * both as the master plays it) after it over the energy before it over the last second: exact for
 * a gain on any signal, the average effect for an EQ or a compressor.
 */
export class LadderMeter {
  private samples = new Map<string, Sample[]>();
  private readonly ports: { id: string; port: string | undefined }[];

  constructor(
    private readonly route: Route,
    private readonly windowMs = MEASURE_WINDOW_MS,
  ) {
    this.ports = route.rungs.map((r) => ({ id: r.path, port: r.port }));
  }

  private static key(id: string, port: string | undefined): string {
    return `${id}\u0000${port ?? ''}`;
  }

  /** Read every rung's port now (time in ms); `read` returns null for a port not metered. */
  sample(now: number, read: (id: string, port: string | undefined) => PortReading | null): void {
    for (const { id, port } of this.ports) {
      const key = LadderMeter.key(id, port);
      const r = read(id, port);
      const list = this.samples.get(key) ?? [];
      list.push(r ? { t: now, peak: Math.max(r.peak[0], r.peak[1]), energy: r.rms[0] * r.rms[0] + r.rms[1] * r.rms[1] } : { t: now, peak: 0, energy: 0 });
      while (list.length && list[0].t <= now - this.windowMs) list.shift();
      this.samples.set(key, list);
    }
  }

  /** Forget what was measured (the transport stopped, the document changed). */
  reset(): void {
    this.samples.clear();
  }

  private window(i: number): { peak: number; energy: number; count: number } {
    const { id, port } = this.ports[i];
    const list = this.samples.get(LadderMeter.key(id, port)) ?? [];
    let peak = 0;
    let energy = 0;
    for (const s of list) {
      peak = Math.max(peak, s.peak);
      energy += s.energy;
    }
    return { peak, energy, count: list.length };
  }

  /** Each rung as measured over the last window, in the route's order. */
  readings(): MeasuredRung[] {
    return this.route.rungs.map((_, i) => {
      const after = this.window(i);
      const levelDb = after.peak > 0 ? 20 * Math.log10(after.peak) : -Infinity;
      if (i === 0) return { levelDb, changeDb: null };
      const before = this.window(i - 1);
      const changeDb = before.energy > 1e-20 && before.count > 0 ? (after.energy > 1e-20 ? 10 * Math.log10(after.energy / before.energy) : -Infinity) : null;
      return { levelDb, changeDb };
    });
  }
}
