// Building lessons in the editor without writing JSON: the pure functions the authoring panel
// (src/ui/lessons/authoring) calls, and the tests call the same way. Every function takes a lesson
// and returns a new one (the panel keeps its history as a list of these values). Checks are made
// from what the teacher clicked (`checkFromPicks`), their ranges prefilled from what the session
// has now (a param's value, a measured level) widened by a tolerance, so the solution on the canvas
// passes as soon as the check exists. Whether a lesson can be saved is the loader's verdict
// (`validateLesson` runs loadLessonValue on the file text it would write): one set of rules.
import { definitions, getDefinition } from '../../nodes/registry.ts';
import type { ParamSpec, Unit } from '../../nodes/define.ts';
import { FORMAT, FORMAT_VERSION, nodeAt, type SessionDoc } from '../model/document.ts';
import { canBypass, type Problem } from '../model/validate.ts';
import { loadLessonValue, saveLesson, type LessonDoc } from '../presets/lesson.ts';
import { CHECK_TYPES, LESSON_DEFAULT_SECONDS, type Check, type LessonStep } from '../presets/schema.ts';
import type { Measurements } from './checks.ts';

export type CheckType = (typeof CHECK_TYPES)[number];

/** A node the teacher must click for a check: the field it fills and what the canvas says. */
export interface PickSlot {
  field: 'from' | 'to' | 'node';
  prompt: string;
}

/** One entry of the "Add check" menu. */
export interface CheckKind {
  type: CheckType;
  title: string;
  /** One sentence for the menu: what the check asks of the student. */
  sentence: string;
  picks: readonly PickSlot[];
}

export const CHECK_MENU: readonly CheckKind[] = [
  { type: 'path', title: 'Path from A to B', sentence: 'The signal flows from one node to another, optionally through (or never through) a type of node.', picks: [{ field: 'from', prompt: 'Click the source node' }, { field: 'to', prompt: 'Click the node the signal must reach' }] },
  { type: 'param', title: 'Parameter in a range', sentence: "A node has a parameter within a range, e.g. a compressor's ratio from 3:1 to 6:1.", picks: [{ field: 'node', prompt: 'Click the node whose parameter is checked' }] },
  { type: 'level', title: 'Level at a node', sentence: "The level measured at a node's output (peak or RMS, dBFS) lies in a range.", picks: [{ field: 'node', prompt: 'Click the node whose output is measured' }] },
  { type: 'loudness', title: 'Mix loudness or true peak', sentence: "The mix's integrated loudness (LUFS) or true peak (dBTP) at the speakers lies in a range.", picks: [] },
  { type: 'bypass', title: 'Node bypassed or playing', sentence: 'A node is bypassed, or plays (e.g. "switch the reverb back on").', picks: [{ field: 'node', prompt: 'Click the node to check' }] },
  { type: 'levelled', title: 'Tracks levelled', sentence: 'Every sounding track gives the mix about the same loudness, within a tolerance (as Level tracks measures).', picks: [] },
];

export const checkKind = (type: CheckType): CheckKind => CHECK_MENU.find((k) => k.type === type)!;

// ------------------------------------------------------------------ the lesson and its steps

/** A new lesson whose start is `session` (copied), with one empty step to write. */
export function newLesson(session: SessionDoc, name = session.name ? `${session.name}: lesson` : 'New lesson'): LessonDoc {
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: 'lesson',
    name,
    description: '',
    author: session.meta?.author ?? '',
    tags: [],
    seconds: LESSON_DEFAULT_SECONDS,
    session: structuredClone(session),
    steps: [{ title: 'Step 1', text: '', checks: [] }],
  } as LessonDoc;
}

const withSteps = (lesson: LessonDoc, steps: LessonStep[]): LessonDoc => ({ ...lesson, steps });
const inRange = (lesson: LessonDoc, i: number) => {
  if (!Number.isInteger(i) || i < 0 || i >= lesson.steps.length) throw new RangeError(`no step ${i + 1}: the lesson has ${lesson.steps.length}`);
};

export function setDetails(lesson: LessonDoc, details: Partial<Pick<LessonDoc, 'name' | 'description' | 'author' | 'tags' | 'seconds'>>): LessonDoc {
  return { ...lesson, ...details };
}

/** The start the student gets: the session as it is now (the teacher then builds the solution on the canvas). */
export function setStart(lesson: LessonDoc, session: SessionDoc): LessonDoc {
  return { ...lesson, session: structuredClone(session) };
}

/** A new empty step after `after` (default: at the end); its title numbers it. */
export function addStep(lesson: LessonDoc, after = lesson.steps.length - 1): LessonDoc {
  const steps = [...lesson.steps];
  steps.splice(after + 1, 0, { title: `Step ${lesson.steps.length + 1}`, text: '', checks: [] });
  return withSteps(lesson, steps);
}

/** Remove step `i`; the last step stays (a lesson has at least one), emptied. */
export function removeStep(lesson: LessonDoc, i: number): LessonDoc {
  inRange(lesson, i);
  if (lesson.steps.length === 1) return withSteps(lesson, [{ title: 'Step 1', text: '', checks: [] }]);
  return withSteps(lesson, lesson.steps.filter((_, k) => k !== i));
}

/** Move step `i` to position `to` (clamped to the list). */
export function moveStep(lesson: LessonDoc, i: number, to: number): LessonDoc {
  inRange(lesson, i);
  const target = Math.max(0, Math.min(lesson.steps.length - 1, to));
  if (target === i) return lesson;
  const steps = [...lesson.steps];
  const [step] = steps.splice(i, 1);
  steps.splice(target, 0, step);
  return withSteps(lesson, steps);
}

export function updateStep(lesson: LessonDoc, i: number, change: { title?: string; text?: string }): LessonDoc {
  inRange(lesson, i);
  return withSteps(lesson, lesson.steps.map((s, k) => (k === i ? { ...s, ...change } : s)));
}

export function addCheck(lesson: LessonDoc, i: number, check: Check): LessonDoc {
  inRange(lesson, i);
  return withSteps(lesson, lesson.steps.map((s, k) => (k === i ? { ...s, checks: [...s.checks, check] } : s)));
}

export function updateCheck(lesson: LessonDoc, i: number, k: number, check: Check): LessonDoc {
  inRange(lesson, i);
  return withSteps(lesson, lesson.steps.map((s, j) => (j === i ? { ...s, checks: s.checks.map((c, n) => (n === k ? check : c)) } : s)));
}

export function removeCheck(lesson: LessonDoc, i: number, k: number): LessonDoc {
  inRange(lesson, i);
  return withSteps(lesson, lesson.steps.map((s, j) => (j === i ? { ...s, checks: s.checks.filter((_, n) => n !== k) } : s)));
}

// ------------------------------------------------------------------ checks from picks

/** A number param a `param` check can compare on a type: "ratio", or a list field "bands.gain". */
export interface NumericParam {
  param: string;
  label: string;
  unit: Unit;
  spec: Extract<ParamSpec, { kind: 'number' }>;
}

/** Every number param of `type` (audio params first; metadata such as a track's colour left out). */
export function numericParams(type: string): NumericParam[] {
  const def = getDefinition(type);
  if (!def) return [];
  const out: NumericParam[] = [];
  for (const [name, spec] of Object.entries(def.params)) {
    if (spec.meta) continue;
    if (spec.kind === 'number') out.push({ param: name, label: spec.label ?? name, unit: spec.unit, spec });
    else if (spec.kind === 'list') {
      for (const [field, item] of Object.entries(spec.item)) {
        if (item.kind === 'number') out.push({ param: `${name}.${field}`, label: `${item.label ?? field} (${(spec.label ?? name).toLowerCase()})`, unit: item.unit, spec: item });
      }
    }
  }
  return out;
}

/** Node types a check can name (`through`, `notThrough`, `nodeType`): every type but the group. */
export function checkableTypes(): { type: string; title: string }[] {
  return definitions.filter((d) => !d.container).map((d) => ({ type: d.type, title: d.title }));
}

/** Round for a prefilled bound: a tenth for small numbers, whole numbers above 100. */
const tidy = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 10) / 10);

/**
 * The range a check prefills around `value` of a param: ±1 dB for levels in dB, ±10 % for
 * frequencies and times, otherwise ±5 % of the param's span; kept inside the param's own bounds.
 */
export function rangeAround(value: number, spec: { unit: Unit; min: number; max: number }): { min: number; max: number } {
  const tolerance = spec.unit === 'dB' || spec.unit === 'dBFS' ? 1 : spec.unit === 'Hz' || spec.unit === 'ms' || spec.unit === 's' ? Math.abs(value) * 0.1 : (spec.max - spec.min) * 0.05;
  return { min: Math.max(spec.min, tidy(value - tolerance)), max: Math.min(spec.max, tidy(value + tolerance)) };
}

/** A param's value on a node (a list field: its first enabled item's), or undefined. */
export function paramValue(session: SessionDoc, path: string, param: string): number | undefined {
  const node = nodeAt(session, path);
  const def = node && getDefinition(node.type);
  if (!node || !def) return undefined;
  const [name, field] = param.split('.');
  const spec = def.params[name];
  const raw = node.params?.[name] ?? (spec && 'default' in spec ? spec.default : undefined);
  if (field === undefined) return typeof raw === 'number' ? raw : undefined;
  const items = Array.isArray(raw) ? (raw as Record<string, unknown>[]) : [];
  const item = items.find((it) => it.enabled !== false) ?? items[0];
  const v = item?.[field] ?? (spec?.kind === 'list' ? (spec.item[field] as { default?: unknown } | undefined)?.default : undefined);
  return typeof v === 'number' ? v : undefined;
}

/** What the teacher picked: node paths by field (the canvas fills them), for one check type. */
export type Picks = Partial<Record<PickSlot['field'], string>>;

/** Tolerances the prefilled measured ranges use: level ±3 dB, loudness ±1 LU, true peak ≤ now + 0.5 dB. */
export const LEVEL_TOLERANCE_DB = 3;
export const LOUDNESS_TOLERANCE_LU = 1;

/**
 * A check of `type` from the picked nodes, its range prefilled from `session` now (`measured`, when
 * given, for level and loudness: the live or offline readings). Throws when a pick it needs is missing.
 */
export function checkFromPicks(type: CheckType, picks: Picks, session: SessionDoc, measured?: Measurements): Check {
  const need = (field: PickSlot['field']) => {
    const path = picks[field];
    if (!path) throw new Error(`a ${checkKind(type).title.toLowerCase()} check needs its "${field}" node: ${checkKind(type).picks.find((p) => p.field === field)?.prompt.toLowerCase()}`);
    return path;
  };
  switch (type) {
    case 'path':
      return { type: 'path', from: need('from'), to: need('to') };
    case 'param': {
      const path = need('node');
      const node = nodeAt(session, path);
      if (!node) throw new Error(`the session has no node "${path}"`);
      const params = numericParams(node.type);
      if (!params.length) throw new Error(`a ${getDefinition(node.type)?.title ?? node.type} has no number parameter to check`);
      return paramCheck(session, node.type, path, params[0].param);
    }
    case 'level': {
      const path = need('node');
      const now = measured?.level(path)?.peak;
      if (now !== undefined && Number.isFinite(now)) return { type: 'level', node: path, measure: 'peak', min: tidy(now - LEVEL_TOLERANCE_DB), max: tidy(now + LEVEL_TOLERANCE_DB) };
      // Nothing measured yet: the common teaching target, "not clipping, with headroom".
      return { type: 'level', node: path, measure: 'peak', max: -1 };
    }
    case 'loudness': {
      const now = measured?.mix()?.integrated;
      if (now !== undefined && Number.isFinite(now)) return { type: 'loudness', measure: 'integrated', min: tidy(now - LOUDNESS_TOLERANCE_LU), max: tidy(now + LOUDNESS_TOLERANCE_LU) };
      return { type: 'loudness', measure: 'integrated', min: -15, max: -13 };
    }
    case 'bypass': {
      const path = need('node');
      const node = nodeAt(session, path);
      if (!node) throw new Error(`the session has no node "${path}"`);
      return { type: 'bypass', node: path, bypassed: node.bypass === true };
    }
    case 'levelled':
      return { type: 'levelled', tolerance: 2 };
  }
}

/** A param check on `param` of `nodeType` (of node `path`, or any node of the type), ranged around its value now. */
export function paramCheck(session: SessionDoc, nodeType: string, path: string | undefined, param: string): Check {
  const p = numericParams(nodeType).find((x) => x.param === param);
  if (!p) throw new Error(`a ${nodeType} has no number parameter "${param}"`);
  const value = (path !== undefined ? paramValue(session, path, param) : undefined) ?? p.spec.default;
  const check: Check = { type: 'param', nodeType, param, ...rangeAround(value, p.spec) };
  if (path !== undefined) check.node = path;
  return check;
}

/** Why a picked node cannot go into a check ("not in the starting session"), or null. */
export function pickProblem(lesson: LessonDoc, type: CheckType, field: PickSlot['field'], path: string): string | null {
  const node = nodeAt(lesson.session, path);
  if (!node) return `“${path}” is not in the lesson's starting session (checks name nodes the student starts with). Set the start again from the current session, or pick a node the start has; for nodes the student adds, use a path check's “through”.`;
  if (node.group) return `“${node.label ?? path}” is a group: open it and click a node inside it.`;
  if (type === 'bypass' && !canBypass(node)) return `a ${getDefinition(node.type)?.title ?? node.type} cannot be bypassed: pick an effect.`;
  if (type === 'param' && numericParams(node.type).length === 0) return `a ${getDefinition(node.type)?.title ?? node.type} has no number parameter to check.`;
  void field;
  return null;
}

// ------------------------------------------------------------------ saving

export type Validated = { ok: true; lesson: LessonDoc; text: string } | { ok: false; problems: Problem[] };

/** Whether the lesson can be saved: the file text it would write, read back by the loader. */
export function validateLesson(lesson: LessonDoc): Validated {
  let text: string;
  try {
    text = saveLesson(lesson);
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: (err as Error).message }] };
  }
  const loaded = loadLessonValue(JSON.parse(text));
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  return { ok: true, lesson: loaded.doc, text };
}

/** A problem in a teacher's words: "Step 2, check 1: …" rather than "steps[1].checks[0].node". */
export function problemText(lesson: LessonDoc, p: Problem): string {
  const m = /^steps\[(\d+)\](?:\.checks\[(\d+)\])?(?:\.(.*))?$/.exec(p.path);
  if (m) {
    const step = lesson.steps[Number(m[1])];
    const where = `Step ${Number(m[1]) + 1}${step?.title ? ` (“${step.title}”)` : ''}${m[2] !== undefined ? `, check ${Number(m[2]) + 1}` : ''}`;
    return `${where}${m[3] ? ` (${m[3]})` : ''}: ${p.message}`;
  }
  if (p.path.startsWith('session')) return `The starting session${p.path.length > 'session'.length ? ` (${p.path.slice('session.'.length)})` : ''}: ${p.message}`;
  return p.path ? `${p.path}: ${p.message}` : p.message;
}
