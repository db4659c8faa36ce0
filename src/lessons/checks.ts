// The checks of a lesson, evaluated against a session and what was measured of it: one
// implementation for the editor (live, from the runtime's meters) and the CLI (`mixgraph check`,
// from an offline render). Plain TypeScript: the document and a Measurements; no audio here.
//
// Every result says, in words a student understands, what was expected and what was found
// ("Expected a path from Kick to Drum bus; Kick goes straight to the Master.").
import { getDefinition, isProgramOutput } from '../../nodes/registry.ts';
import type { ParamSpec } from '../../nodes/define.ts';
import { nodeAt, type DocEdge, type SessionDoc } from '../model/document.ts';
import { flatten, type FlatGraph } from '../model/flatten.ts';
import { reachable } from '../presets/chain.ts';
import { paramSpecOf } from '../presets/lesson.ts';
import type { BypassCheck, Check, LevelCheck, LevelledCheck, LoudnessCheck, ParamCheck, PathCheck } from '../presets/schema.ts';

export type { Check };

/** Levels in dBFS (-Infinity for silence). */
export interface PortReading {
  peak: number;
  rms: number;
}

export interface MixReading {
  /** LUFS, -Infinity when nothing was loud enough to count. */
  integrated: number;
  /** dBTP */
  truePeak: number;
}

export interface TrackReading {
  path: string;
  label: string;
  /** Integrated loudness the track gives the mix through its own chain (LUFS); null when silent or not reached. */
  loudness: number | null;
}

/**
 * What the checks read of the sound. Two implementations: src/lessons/offline.ts renders the session
 * with the runtime in Node (the CLI, tests); src/lessons/live.ts is filled by the editor from the
 * worklet's level posts. null: not measured (yet); a check reading it is "unmeasured", not failed.
 */
export interface Measurements {
  /** The level at a node's output port (default: its first; for the master, the speakers) since measuring began. */
  level(node: string, port?: string): PortReading | null;
  /** The mix at the speakers. */
  mix(): MixReading | null;
  /** Every track's loudness through its own chain. */
  tracks(): readonly TrackReading[] | null;
}

/** Nothing measured: the checks that only read the document still answer. */
export const NO_MEASUREMENTS: Measurements = { level: () => null, mix: () => null, tracks: () => null };

export type CheckStatus = 'pass' | 'fail' | 'unmeasured';

export interface CheckResult {
  check: Check;
  status: CheckStatus;
  /** The check's label, or one made from it ("Kick reaches Drum bus"). */
  label: string;
  /** What passes, in words. */
  expected: string;
  /** What is there, in words. */
  found: string;
  /** The measured or read value the check compared, when it is one number. */
  value?: number | null;
  /** For a student: "Expected ...; found ..." (on a pass, the label and what was found). */
  message: string;
}

export interface StepResult {
  index: number;
  title?: string;
  /** Every check passes (a step without checks is done when read). */
  done: boolean;
  checks: CheckResult[];
}

/** What the measurements must hold for `checks`: the taps to render, and whether the mix and the tracks are read. */
export interface MeasurementNeeds {
  levels: { node: string; port?: string }[];
  mix: boolean;
  tracks: boolean;
}

export function measurementNeeds(checks: Iterable<Check>): MeasurementNeeds {
  const needs: MeasurementNeeds = { levels: [], mix: false, tracks: false };
  const seen = new Set<string>();
  for (const c of checks) {
    if (c.type === 'level') {
      const key = `${c.node}\u0000${c.port ?? ''}`;
      if (!seen.has(key)) seen.add(key), needs.levels.push(c.port === undefined ? { node: c.node } : { node: c.node, port: c.port });
    } else if (c.type === 'loudness') needs.mix = true;
    else if (c.type === 'levelled') needs.tracks = true;
  }
  return needs;
}

// ------------------------------------------------------------------ words

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : (Math.round(x * 100) / 100).toString());
const signed = (x: number, unit: string) => (unit === 'dB' && x > 0 ? `+${fmt(x)}` : fmt(x));
const withUnit = (x: number, unit: string) => (!Number.isFinite(x) ? (x < 0 ? 'silence' : 'infinite') : `${signed(x, unit)}${unit && !['ratio', 'mix', 'pan', 'Q'].includes(unit) ? ` ${unit}` : unit === 'ratio' ? ':1' : ''}`);

/** "from -12 to -6 dBFS", "at least 3:1", "at most -1 dBTP". */
export function rangeText(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${withUnit(min, unit)}` : `from ${unit === 'ratio' ? withUnit(min, unit) : signed(min, unit)} to ${withUnit(max, unit)}`;
  if (min !== undefined) return `at least ${withUnit(min, unit)}`;
  if (max !== undefined) return `at most ${withUnit(max, unit)}`;
  return 'any value';
}

const inRange = (x: number, min?: number, max?: number) => Number.isFinite(x) && (min === undefined || x >= min - 1e-9) && (max === undefined || x <= max + 1e-9);

const an = (w: string) => (/^[aeiou]/i.test(w) ? `an ${w}` : `a ${w}`);
/** "compressor", "EQ": a type's title as it reads inside a sentence. */
const typeTitle = (type: string) => {
  const title = getDefinition(type)?.title ?? type;
  return /^[A-Z][a-z]/.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : title;
};
const unitOf = (spec: ParamSpec) => (spec.kind === 'number' ? spec.unit : '');

/** The student's name for a node: its label, else its path; "the Master" for the master. */
function nameOf(doc: SessionDoc, path: string): string {
  const node = nodeAt(doc, path);
  if (!node) return `"${path}"`;
  if (isProgramOutput(node.type) && (!node.label || node.label === 'Master')) return 'the Master';
  if (node.label) return node.label;
  return path;
}

const listText = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

// ------------------------------------------------------------------ graph

interface Walk {
  flat: FlatGraph;
  /** Audio edges only: a sidechain steers a compressor, the signal does not flow through it. */
  edges: DocEdge[];
  types: Map<string, string>;
}

function walkOf(doc: SessionDoc): Walk {
  const flat = flatten(doc);
  const types = new Map(flat.nodes.map((n) => [n.id, n.type]));
  const edges = flat.edges.filter((e) => {
    if (!types.has(e.from) || !types.has(e.to)) return false;
    const port = getDefinition(types.get(e.to)!)?.ports.inputs.find((p) => p.id === e.toPort);
    return port?.role !== 'sidechain';
  });
  return { flat, edges, types };
}

/** Where a node's signal goes, in words: "goes straight to the Master", "goes through Kick EQ to Drum bus and Reverb". */
function routeText(doc: SessionDoc, walk: Walk, from: string): string {
  const next = (id: string) => [...new Set(walk.edges.filter((e) => e.from === id).map((e) => e.to))];
  const seen = new Set([from]);
  const chain: string[] = [];
  let at = from;
  for (let i = 0; i < 12; i++) {
    const outs = next(at);
    if (outs.length === 0) break;
    if (outs.length > 1) {
      chain.push(listText(outs.map((o) => nameOf(doc, o))));
      break;
    }
    if (seen.has(outs[0])) break;
    seen.add(outs[0]);
    chain.push(nameOf(doc, outs[0]));
    at = outs[0];
  }
  const who = nameOf(doc, from);
  if (chain.length === 0) return `${who} is not connected to anything`;
  if (chain.length === 1) return `${who} goes straight to ${chain[0]}`;
  return `${who} goes through ${chain.slice(0, -1).join(', ')} to ${chain[chain.length - 1]}`;
}

function checkPath(doc: SessionDoc, c: PathCheck): Omit<CheckResult, 'check' | 'message'> {
  const [a, b] = [nameOf(doc, c.from), nameOf(doc, c.to)];
  const via = c.through ? ` through ${an(typeTitle(c.through))}` : '';
  const avoid = c.notThrough ? ` without passing ${an(typeTitle(c.notThrough))}` : '';
  const label = c.label ?? `${a} reaches ${b}${via}${avoid}`;
  const expected = `a path from ${a} to ${b}${via}${avoid}`;
  const fail = (found: string) => ({ status: 'fail' as const, label, expected, found });
  for (const [id, name] of [
    [c.from, a],
    [c.to, b],
  ]) {
    if (!nodeAt(doc, id)) return fail(`the session has no node ${name} (was it deleted or renamed?)`);
  }
  const walk = walkOf(doc);
  const allowed = (id: string) => id === c.from || id === c.to || c.notThrough === undefined || walk.types.get(id) !== c.notThrough;
  const edges = walk.edges.filter((e) => allowed(e.from) && allowed(e.to));
  const from = reachable(edges, c.from);
  const reaches = (start: string, set = reachable(edges, start)) => set.has(c.to);
  if (!reaches(c.from, from)) {
    if (c.notThrough && reachable(walk.edges, c.from).has(c.to)) {
      const culprits = [...reachable(walk.edges, c.from)].filter((id) => walk.types.get(id) === c.notThrough && reachable(walk.edges, id).has(c.to));
      return fail(`every path from ${a} to ${b} passes ${listText(culprits.map((id) => nameOf(doc, id)))} (${an(typeTitle(c.notThrough))})`);
    }
    return fail(`${routeText(doc, walk, c.from)}`);
  }
  if (c.through) {
    const via = [...from].filter((id) => walk.types.get(id) === c.through && id !== c.to && reachable(edges, id).has(c.to));
    if (via.length === 0) {
      const on = [...from].filter((id) => id !== c.to && reachable(edges, id).has(c.to)).map((id) => nameOf(doc, id));
      return fail(`${a} reaches ${b}${on.length ? ` through ${listText(on)}` : ' directly'}, but through no ${typeTitle(c.through)}`);
    }
    return { status: 'pass', label, expected, found: `${a} reaches ${b} through ${listText(via.map((id) => nameOf(doc, id)))}` };
  }
  return { status: 'pass', label, expected, found: `${a} reaches ${b}` };
}

// ------------------------------------------------------------------ params

function checkParam(doc: SessionDoc, c: ParamCheck): Omit<CheckResult, 'check' | 'message'> {
  const resolved = paramSpecOf(c.nodeType, c.param);
  const spec = resolved.ok ? resolved.spec : undefined;
  const unit = spec ? unitOf(spec) : '';
  const [name, field] = c.param.split('.');
  const def = getDefinition(c.nodeType);
  const listSpec = def?.params[name];
  const paramLabel = field !== undefined && listSpec?.kind === 'list' ? `${spec?.label ?? field} of ${an((listSpec.label ?? name).toLowerCase().replace(/s$/, ''))}` : (spec?.label ?? c.param);
  const thing = c.node ? nameOf(doc, c.node) : an(typeTitle(c.nodeType));
  const range = rangeText(c.min, c.max, unit);
  const expected = c.all ? `every ${typeTitle(c.nodeType)}${field !== undefined ? ` ${(listSpec?.label ?? name).toLowerCase().replace(/s$/, '')}` : ''} with ${spec?.label ?? c.param} ${range}` : `${thing} with ${paramLabel} ${range}`;
  const label = c.label ?? expected.charAt(0).toUpperCase() + expected.slice(1);
  const candidates = [...walkNodesOfType(doc, c.nodeType)].filter((n) => c.node === undefined || n.path === c.node);
  if (candidates.length === 0) return { status: 'fail', label, expected, found: c.node ? `the session has no node ${thing}` : `there is no ${typeTitle(c.nodeType)} in the session` };
  // Every value with where it came from: a plain param once per node, a list's field once per (enabled) item.
  const values: { node: string; value: number; where: string }[] = [];
  for (const n of candidates) {
    const v = n.node.params[name];
    const who = nameOf(doc, n.path);
    if (field === undefined) {
      if (typeof v === 'number') values.push({ node: who, value: v, where: who });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const x = (item as Record<string, unknown>)[field];
        if ((item as { enabled?: unknown }).enabled === false) return; // a switched-off band does nothing to the sound
        if (typeof x === 'number') values.push({ node: who, value: x, where: `${who} ${(listSpec?.label ?? name).toLowerCase().replace(/s$/, '')} ${i + 1}` });
      });
    }
  }
  const say = (v: { value: number; where: string }) => `${v.where} has ${withUnit(v.value, unit)}`;
  if (c.all) {
    const bad = values.filter((v) => !inRange(v.value, c.min, c.max));
    if (bad.length) return { status: 'fail', label, expected, found: listText(bad.slice(0, 4).map(say)) + (bad.length > 4 ? ` (and ${bad.length - 4} more)` : ''), value: bad[0].value };
    return { status: 'pass', label, expected, found: values.length ? listText(values.slice(0, 4).map(say)) : `no ${field ? (listSpec?.label ?? name).toLowerCase() : 'value'} to check`, value: values[0]?.value ?? null };
  }
  const good = values.find((v) => inRange(v.value, c.min, c.max));
  if (good) return { status: 'pass', label, expected, found: say(good), value: good.value };
  if (values.length === 0) return { status: 'fail', label, expected, found: `${listText([...new Set(candidates.map((n) => nameOf(doc, n.path)))])} has no ${field !== undefined ? (listSpec?.label ?? name).toLowerCase() : (spec?.label ?? c.param)}`, value: null };
  return { status: 'fail', label, expected, found: listText(values.slice(0, 4).map(say)) + (values.length > 4 ? ` (and ${values.length - 4} more)` : ''), value: values[0].value };
}

function* walkNodesOfType(doc: SessionDoc, type: string) {
  const flat = flatten(doc);
  for (const n of flat.nodes) if (n.type === type) yield { path: n.id, node: n.source };
}

// ------------------------------------------------------------------ measured

function checkLevel(doc: SessionDoc, c: LevelCheck, m: Measurements): Omit<CheckResult, 'check' | 'message'> {
  const who = nameOf(doc, c.node);
  const what = c.measure === 'rms' ? 'RMS level' : 'peak level';
  const at = c.port && c.port !== 'out' ? `${who}'s "${c.port}" output` : isProgramOutput(nodeAt(doc, c.node)?.type ?? '') ? `the Master` : `${who}'s output`;
  const expected = `the ${what} at ${at} ${rangeText(c.min, c.max, 'dBFS')}`;
  const label = c.label ?? expected.charAt(0).toUpperCase() + expected.slice(1);
  if (!nodeAt(doc, c.node)) return { status: 'fail', label, expected, found: `the session has no node ${who} (was it deleted or renamed?)`, value: null };
  const r = m.level(c.node, c.port);
  if (!r) return { status: 'unmeasured', label, expected, found: 'not measured yet: play the session', value: null };
  const v = c.measure === 'rms' ? r.rms : r.peak;
  const found = Number.isFinite(v) ? `it is ${withUnit(v, 'dBFS')}` : `it is silent (no signal reaches it)`;
  return { status: inRange(v, c.min, c.max) ? 'pass' : 'fail', label, expected, found, value: Number.isFinite(v) ? v : null };
}

function checkLoudness(c: LoudnessCheck, m: Measurements): Omit<CheckResult, 'check' | 'message'> {
  const unit = c.measure === 'truePeak' ? 'dBTP' : 'LUFS';
  const expected = `the mix's ${c.measure === 'truePeak' ? 'true peak' : 'integrated loudness'} ${rangeText(c.min, c.max, unit)}`;
  const label = c.label ?? expected.charAt(0).toUpperCase() + expected.slice(1);
  const r = m.mix();
  if (!r) return { status: 'unmeasured', label, expected, found: 'not measured yet: play the session to the end', value: null };
  const v = c.measure === 'truePeak' ? r.truePeak : r.integrated;
  const found = Number.isFinite(v) ? `it is ${withUnit(v, unit)}` : 'the mix is silent';
  return { status: inRange(v, c.min, c.max) ? 'pass' : 'fail', label, expected, found, value: Number.isFinite(v) ? v : null };
}

function checkBypass(doc: SessionDoc, c: BypassCheck): Omit<CheckResult, 'check' | 'message'> {
  const who = nameOf(doc, c.node);
  const expected = c.bypassed ? `${who} bypassed` : `${who} playing (not bypassed)`;
  const label = c.label ?? expected.charAt(0).toUpperCase() + expected.slice(1);
  const node = nodeAt(doc, c.node);
  if (!node) return { status: 'fail', label, expected, found: `the session has no node ${who} (was it deleted or renamed?)` };
  const bypassed = node.bypass === true;
  return { status: bypassed === c.bypassed ? 'pass' : 'fail', label, expected, found: bypassed ? `${who} is bypassed` : `${who} plays` };
}

function checkLevelled(c: LevelledCheck, m: Measurements): Omit<CheckResult, 'check' | 'message'> {
  const expected = `every track within ${fmt(c.tolerance)} LU of the others${c.target !== undefined ? ` and of ${fmt(c.target)} LUFS` : ''}`;
  const label = c.label ?? `The tracks levelled (${expected})`;
  const tracks = m.tracks();
  if (!tracks) return { status: 'unmeasured', label, expected, found: 'not measured yet: measure the tracks (Level tracks) or play the session', value: null };
  const sounding = tracks.filter((t): t is TrackReading & { loudness: number } => t.loudness !== null && Number.isFinite(t.loudness));
  if (sounding.length === 0) return { status: 'fail', label, expected, found: 'no track sounds', value: null };
  const loudest = sounding.reduce((x, y) => (y.loudness > x.loudness ? y : x));
  const quietest = sounding.reduce((x, y) => (y.loudness < x.loudness ? y : x));
  const spread = loudest.loudness - quietest.loudness;
  const show = (t: TrackReading & { loudness: number }) => `${t.label} (${withUnit(t.loudness, 'LUFS')})`;
  if (spread > c.tolerance + 1e-9) return { status: 'fail', label, expected, found: `${show(loudest)} and ${show(quietest)} are ${fmt(spread)} LU apart`, value: spread };
  if (c.target !== undefined) {
    const off = sounding.filter((t) => Math.abs(t.loudness - c.target!) > c.tolerance + 1e-9);
    if (off.length) return { status: 'fail', label, expected, found: `${listText(off.slice(0, 4).map(show))} ${off.length === 1 ? 'is' : 'are'} more than ${fmt(c.tolerance)} LU from ${fmt(c.target)} LUFS`, value: spread };
  }
  return { status: 'pass', label, expected, found: sounding.length === 1 ? `one track sounds: ${show(sounding[0])}` : `the tracks are ${fmt(spread)} LU apart, from ${show(quietest)} to ${show(loudest)}`, value: spread };
}

// ------------------------------------------------------------------ entry points

/** One check against the session and the measurements. */
export function evaluateCheck(doc: SessionDoc, check: Check, m: Measurements = NO_MEASUREMENTS): CheckResult {
  const r = (() => {
    switch (check.type) {
      case 'path':
        return checkPath(doc, check);
      case 'param':
        return checkParam(doc, check);
      case 'level':
        return checkLevel(doc, check, m);
      case 'loudness':
        return checkLoudness(check, m);
      case 'bypass':
        return checkBypass(doc, check);
      case 'levelled':
        return checkLevelled(check, m);
    }
  })();
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const message = r.status === 'pass' ? `${cap(r.found)}.` : r.status === 'unmeasured' ? `Expected ${r.expected}; ${r.found}.` : `Expected ${r.expected}; ${r.found}.`;
  return { check, ...r, message };
}

/** Every step's checks: a step is done when all its checks pass. */
export function evaluateSteps(doc: SessionDoc, steps: readonly { title?: string; checks: readonly Check[] }[], m: Measurements = NO_MEASUREMENTS): StepResult[] {
  return steps.map((step, index) => {
    const checks = step.checks.map((c) => evaluateCheck(doc, c, m));
    const result: StepResult = { index, done: checks.every((c) => c.status === 'pass'), checks };
    if (step.title !== undefined) result.title = step.title;
    return result;
  });
}
