// Lesson documents ("kind": "lesson"): a starting session and ordered steps, each with its text and
// the checks that tell the student whether the step is done (src/lessons/checks.ts evaluates them).
// The loader checks the shape (src/presets/schema.ts), the starting session as a session file is
// checked (its problems under `session.`), and every check against it: the nodes a check names must
// be in the starting session, the types and params must exist, a range must have a bound.
import type { z } from 'zod';
import { getDefinition } from '../../nodes/registry.ts';
import type { ParamSpec } from '../../nodes/define.ts';
import { FORMAT, FORMAT_VERSION, nodeAt, nodePorts, type SessionDoc } from '../model/document.ts';
import { canBypass, type Problem } from '../model/validate.ts';
import { parseJson } from './json.ts';
import { kindProblem, loadSessionValue, migrateValue, orThrow, saveSession, shapeCheck } from './load.ts';
import { LESSON_DEFAULT_SECONDS, lessonFileSchema, type Check, type LessonStep } from './schema.ts';

export type { Check, LessonStep };

type LessonFile = z.output<typeof lessonFileSchema>;

export interface LessonDoc extends Omit<LessonFile, 'session' | 'types' | '$schema' | 'seconds'> {
  /** The session the student starts from (loaded, validated, defaults filled). */
  session: SessionDoc;
  /** Seconds a render for the checks lasts when no audio file sets the length. */
  seconds: number;
}

export type LessonResult = { ok: true; doc: LessonDoc } | { ok: false; problems: Problem[] };

/** The spec of `param` on `type` ("bands.gain": the field of a list's items), or why there is none. */
export function paramSpecOf(type: string, param: string): { ok: true; spec: ParamSpec } | { ok: false; message: string } {
  const def = getDefinition(type);
  if (!def || def.container) return { ok: false, message: `unknown node type ${JSON.stringify(type)}` };
  const [name, field, ...rest] = param.split('.');
  const spec = def.params[name];
  const known = Object.keys(def.params).join(', ') || 'none';
  if (!spec) return { ok: false, message: `a ${type} has no parameter ${JSON.stringify(name)}; known: ${known}` };
  if (spec.kind === 'list') {
    const item = field !== undefined && rest.length === 0 ? spec.item[field] : undefined;
    if (!item) return { ok: false, message: `"${name}" is a list: name one field of its items, e.g. "${name}.${Object.keys(spec.item).find((k) => spec.item[k].kind === 'number') ?? Object.keys(spec.item)[0]}"` };
    return { ok: true, spec: item };
  }
  if (field !== undefined) return { ok: false, message: `"${name}" of a ${type} is not a list; give the parameter's name alone` };
  return { ok: true, spec };
}

/** Problems of one check against the starting session, with paths under `at`. */
function checkProblems(check: Check, session: SessionDoc, at: string): Problem[] {
  const problems: Problem[] = [];
  const node = (field: string, path: string | undefined) => {
    if (path === undefined) return undefined;
    const found = nodeAt(session, path);
    if (!found) problems.push({ path: `${at}.${field}`, message: `the starting session has no node "${path}" (checks name nodes the student starts with)` });
    return found;
  };
  const type = (field: string, t: string | undefined) => {
    if (t === undefined) return;
    const def = getDefinition(t);
    if (!def || def.container) problems.push({ path: `${at}.${field}`, message: `unknown node type ${JSON.stringify(t)}` });
  };
  const range = () => {
    const c = check as { min?: number; max?: number };
    if (c.min === undefined && c.max === undefined) problems.push({ path: at, message: 'give "min", "max" or both: the range that passes' });
    else if (c.min !== undefined && c.max !== undefined && c.min > c.max) problems.push({ path: `${at}.min`, message: `min ${c.min} is above max ${c.max}` });
  };
  switch (check.type) {
    case 'path':
      for (const [field, path] of [['from', check.from], ['to', check.to]] as const) {
        if (node(field, path)?.group) problems.push({ path: `${at}.${field}`, message: `"${path}" is a group: name a node inside it, e.g. "${path}/${node(field, path)!.group!.nodes[0]?.id ?? 'id'}"` });
      }
      type('through', check.through);
      type('notThrough', check.notThrough);
      if (check.through !== undefined && check.through === check.notThrough) problems.push({ path: `${at}.notThrough`, message: 'the same type as "through": no path could pass' });
      break;
    case 'param': {
      type('nodeType', check.nodeType);
      const n = node('node', check.node);
      if (n && n.type !== check.nodeType) problems.push({ path: `${at}.node`, message: `"${check.node}" is a ${n.type}, not a ${check.nodeType}` });
      if (getDefinition(check.nodeType)) {
        const spec = paramSpecOf(check.nodeType, check.param);
        if (!spec.ok) problems.push({ path: `${at}.param`, message: spec.message });
        else if (spec.spec.kind !== 'number') problems.push({ path: `${at}.param`, message: `"${check.param}" is not a number; a param check compares numbers` });
      }
      range();
      break;
    }
    case 'level': {
      const n = node('node', check.node);
      if (n?.group) problems.push({ path: `${at}.node`, message: `"${check.node}" is a group: name a node inside it (its levels are its inner nodes')` });
      else if (n && check.port !== undefined && !nodePorts(n).outputs.some((p) => p.id === check.port)) {
        problems.push({ path: `${at}.port`, message: `"${check.node}" has no output port "${check.port}"; it has ${nodePorts(n).outputs.map((p) => `"${p.id}"`).join(', ') || 'none'}` });
      }
      range();
      break;
    }
    case 'loudness':
      range();
      break;
    case 'bypass': {
      const n = node('node', check.node);
      if (n && !canBypass(n)) problems.push({ path: `${at}.node`, message: `"${check.node}" is a ${n.type}, which cannot be bypassed` });
      break;
    }
    case 'levelled':
      break;
  }
  return problems;
}

/** Check and complete an already-parsed lesson. */
export function loadLessonValue(value: unknown): LessonResult {
  const migrated = migrateValue(value);
  if (!migrated.ok) return migrated;
  const raw = migrated.value;
  const wrong = kindProblem(raw, 'lesson');
  if (wrong) return { ok: false, problems: [wrong] };
  const shaped = shapeCheck(lessonFileSchema, raw);
  const problems: Problem[] = shaped.ok ? [] : [...shaped.problems];
  let session: SessionDoc | undefined;
  const inline = raw.session;
  if (typeof inline === 'object' && inline !== null && !Array.isArray(inline)) {
    // The starting session is checked as a session file is: every graph rule, its problems under `session.`.
    const result = loadSessionValue({ format: FORMAT, version: FORMAT_VERSION, kind: 'session', ...(inline as Record<string, unknown>) });
    if (result.ok) session = result.doc;
    else problems.push(...result.problems.map((p) => ({ ...p, path: `session.${p.path}` })));
  }
  if (!shaped.ok || !session) return { ok: false, problems };
  const data = shaped.data;
  data.steps.forEach((step, i) => step.checks.forEach((c, k) => problems.push(...checkProblems(c, session!, `steps[${i}].checks[${k}]`))));
  if (problems.length) return { ok: false, problems };
  const steps: LessonStep[] = data.steps.map((s) => {
    const step: LessonStep = { text: s.text, checks: s.checks };
    if (s.title !== undefined) step.title = s.title;
    return step;
  });
  return {
    ok: true,
    doc: { format: FORMAT, version: FORMAT_VERSION, kind: 'lesson', name: data.name, description: data.description, author: data.author, tags: data.tags, seconds: data.seconds ?? LESSON_DEFAULT_SECONDS, session, steps },
  };
}

/** Parse and check a lesson; throws PresetError with one line per problem. */
export function loadLesson(text: string, name = 'lesson'): LessonDoc {
  return orThrow(loadLessonValue(parseJson(text, name)), name);
}

/** The file form of a lesson: the newest version, the starting session as a session file writes it. */
export function saveLesson(doc: LessonDoc): string {
  const { format: _f, version: _v, ...session } = JSON.parse(saveSession(doc.session)) as Record<string, unknown>;
  const out: Record<string, unknown> = { format: FORMAT, version: FORMAT_VERSION, kind: 'lesson', name: doc.name, description: doc.description, author: doc.author, tags: doc.tags };
  if (doc.seconds !== LESSON_DEFAULT_SECONDS) out.seconds = doc.seconds;
  out.session = session;
  out.steps = doc.steps;
  return JSON.stringify(out, null, 2) + '\n';
}
