// mixgraph check LESSON SESSION... [--json]: grade students' saved sessions against a lesson's checks.
// The lesson is a lesson file or a package holding lesson.json; each SESSION is a session file, a
// package, or a folder (every .json and .mixgraph file in it, not its sub-folders: a class's hand-ins).
// Each session is rendered once through the runtime (src/lessons/offline.ts) and every step's checks
// evaluated by src/lessons/checks.ts, the editor's own implementation. Its exit status, like diff's:
// 0 every check of every student passes, 1 some fail, 2 bad input (the lesson, an option, or a
// session that cannot be graded: the others are still graded and reported).
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { openSources, specFrames } from '../engine/node.ts';
import { evaluateSteps, measurementNeeds, type StepResult } from '../lessons/checks.ts';
import { measureOffline } from '../lessons/offline.ts';
import { AnalysisAborted, type AnalysisAudio } from '../mixing/render.ts';
import { formatProblem } from '../model/validate.ts';
import { parseJson } from '../presets/json.ts';
import { loadLessonValue, type LessonDoc } from '../presets/lesson.ts';
import { PACKAGE_EXTENSION } from '../presets/package.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import { catchInterrupts } from './interrupt.ts';
import type { Io } from './io.ts';
import { DEFAULT_SAMPLE_RATE } from './limits.ts';
import { isPackagePath, openPackageFile } from './package.ts';
import { prepareSessionSource } from './render.ts';
import { loadOrFail, openSessionAudio, readDocumentText } from './session.ts';

export const CHECK_OPTIONS: readonly OptionSpec[] = [{ name: 'json' }, { name: 'allow-any-path' }, { name: 'help', short: 'h' }];

/** At most this many sessions from one folder (a class, not a disk). */
export const MAX_CLASS = 1000;

export interface StudentResult {
  file: string;
  status: 'pass' | 'fail' | 'error';
  passed: number;
  total: number;
  steps: StepResult[];
  /** Why the session could not be graded (status "error"). */
  problems?: string[];
}

async function readLesson(path: string): Promise<LessonDoc> {
  if (isPackagePath(path)) {
    const pkg = await openPackageFile(path);
    if (!pkg.lesson) throw new CliError(`${path}: holds ${pkg.document}${pkg.document === 'lesson.json' ? ' with a session in it' : ''}, not a lesson; give a lesson file or a package holding a lesson`);
    return pkg.lesson;
  }
  const text = await readDocumentText(path);
  const value = loadOrFail(() => parseJson(text, path));
  const result = loadLessonValue(value);
  if (!result.ok) throw new CliError(result.problems.map((p) => `${path}: ${formatProblem(p)}`));
  return result.doc;
}

const isSessionFile = (name: string) => !name.startsWith('.') && (name.toLowerCase().endsWith('.json') || name.toLowerCase().endsWith(PACKAGE_EXTENSION));

/** The sessions to grade: files as given, folders as their .json and .mixgraph files in name order. */
async function studentFiles(args: readonly string[], lessonPath: string): Promise<string[]> {
  const out: string[] = [];
  const lessonFile = resolve(lessonPath);
  for (const arg of args) {
    let isDir = false;
    try {
      isDir = (await stat(arg)).isDirectory();
    } catch {
      // not there: reading it reports that, as for any file
    }
    if (!isDir) {
      out.push(arg);
      continue;
    }
    const names = (await readdir(arg, { withFileTypes: true })).filter((e) => (e.isFile() || e.isSymbolicLink()) && isSessionFile(e.name)).map((e) => e.name);
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const files = names.map((n) => join(arg, n)).filter((f) => resolve(f) !== lessonFile);
    if (files.length === 0) throw new CliError(`mixgraph: ${JSON.stringify(arg)} holds no session files (.json or ${PACKAGE_EXTENSION})`);
    if (files.length > MAX_CLASS) throw new CliError(`mixgraph: ${JSON.stringify(arg)} holds ${files.length} session files; check grades at most ${MAX_CLASS} at a time`);
    out.push(...files);
  }
  return out;
}

/** Render one student's session and evaluate every step. */
async function grade(lesson: LessonDoc, path: string, allowAnyPath: boolean, io: Io, signal: AbortSignal): Promise<StudentResult> {
  const checks = lesson.steps.flatMap((s) => s.checks);
  const total = checks.length;
  let source;
  try {
    source = await prepareSessionSource(path, allowAnyPath);
  } catch (err) {
    if (err instanceof CliError) return { file: path, status: 'error', passed: 0, total, steps: [], problems: err.lines };
    throw err;
  }
  try {
    const opened = await openSessionAudio(source.session, source.files, DEFAULT_SAMPLE_RATE, io.err);
    try {
      const specs = opened.specs;
      const audio: AnalysisAudio = {
        sampleRate: DEFAULT_SAMPLE_RATE,
        frames: (name) => (specs.has(name) ? specFrames(specs.get(name)!) : undefined),
        open: (plan) => openSources(specs, plan),
      };
      const measured = await measureOffline(source.session.doc, measurementNeeds(checks), { audio, fallbackSeconds: lesson.seconds, signal });
      const steps = evaluateSteps(source.session.doc, lesson.steps, measured);
      const passed = steps.reduce((n, s) => n + s.checks.filter((c) => c.status === 'pass').length, 0);
      return { file: path, status: passed === total ? 'pass' : 'fail', passed, total, steps };
    } finally {
      await opened.close();
    }
  } catch (err) {
    if (err instanceof CliError) return { file: path, status: 'error', passed: 0, total, steps: [], problems: err.lines };
    throw err;
  } finally {
    await source.session.cleanup();
  }
}

function formatStudent(s: StudentResult): string[] {
  if (s.status === 'error') return [`${s.file}: cannot be graded`, ...(s.problems ?? []).map((l) => `  ${l}`)];
  const lines = [`${s.file}: ${s.status === 'pass' ? 'pass' : 'FAIL'}, ${s.passed} of ${s.total} checks pass`];
  for (const step of s.steps) {
    lines.push(`  step ${step.index + 1}${step.title ? ` "${step.title}"` : ''}: ${step.done ? 'done' : 'not done'}`);
    for (const c of step.checks) lines.push(`    ${c.status === 'pass' ? 'pass' : 'FAIL'}  ${c.label}: ${c.message}`);
  }
  return lines;
}

/** JSON with -Infinity (silence) as null. */
const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);

export async function checkCommand(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { positionals, options } = parseArgs(argv, CHECK_OPTIONS, 'check');
    if (options.has('help')) {
      io.out(io.usage);
      return 0;
    }
    if (positionals.length < 2) throw new CliError('mixgraph: check needs a lesson and at least one session or folder: mixgraph check LESSON.json SESSION... [--json]');
    const [lessonPath, ...rest] = positionals;
    const lesson = await readLesson(lessonPath);
    const files = await studentFiles(rest, lessonPath);
    const allowAnyPath = options.get('allow-any-path') === true;
    const interrupt = catchInterrupts();
    const students: StudentResult[] = [];
    try {
      for (const file of files) students.push(await grade(lesson, file, allowAnyPath, io, interrupt.signal));
    } catch (err) {
      if (interrupt.received) throw interrupt.error('nothing was graded');
      if (err instanceof AnalysisAborted) throw new CliError('mixgraph: the check was stopped');
      throw err;
    } finally {
      interrupt.release();
    }
    const errors = students.filter((s) => s.status === 'error').length;
    const passing = students.filter((s) => s.status === 'pass').length;
    if (options.has('json')) {
      const out = {
        lesson: { file: lessonPath, name: lesson.name, steps: lesson.steps.length, checks: lesson.steps.reduce((n, s) => n + s.checks.length, 0) },
        students: students.map((s) => ({ ...s, steps: s.steps.map((step) => ({ ...step, checks: step.checks.map(({ check, ...c }) => ({ type: check.type, ...c })) })) })),
        pass: passing === students.length,
      };
      io.out(json(out));
    } else {
      const lines = students.flatMap(formatStudent);
      lines.push(`${passing} of ${students.length} ${students.length === 1 ? 'session passes' : 'sessions pass'} every check of "${lesson.name}"${errors ? `; ${errors} could not be graded` : ''}`);
      io.out(lines.join('\n'));
    }
    return errors ? 2 : passing === students.length ? 0 : 1;
  } catch (err) {
    // Bad input is 2 here (1 means "some checks fail"); the lines are the same as every command's.
    if (err instanceof CliError) {
      for (const line of err.lines) io.err(line);
      return err.status === 1 ? 2 : err.status;
    }
    throw err;
  }
}
