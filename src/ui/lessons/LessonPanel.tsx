// The lesson panel: the open lesson's steps beside the graph, the current one open with its text
// and a tick per check, evaluated live against the document (src/lessons/checks.ts) and, for level
// checks, the runtime's level posts while playing (src/lessons/live.ts). The current step is the
// first whose checks do not all pass, so the panel moves on as soon as a step is done.
//
// Step text is Markdown, rendered by the editor's one markdown-it set-up (src/ui/markdown.ts, html off):
// a lesson from a stranger can format its text, never add markup of its own; links open in a new tab.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { evaluateSteps, measurementNeeds, type CheckResult, type MeasurementNeeds, type Measurements, type MixReading, type PortReading, type StepResult, type TrackReading } from '../../lessons/checks.ts';
import { AnalysisAborted } from '../../mixing/render.ts';
import { runLessonMeasure, type LessonMeasured } from '../mixing/run.ts';
import { LiveMeasurements } from '../../lessons/live.ts';
import type { LessonDoc } from '../../presets/lesson.ts';
import { layoutOnly, type SessionDoc } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { LessonEditor } from './LessonEditor.tsx';
import { lessonStore, useLesson } from './lessonStore.ts';
import { renderMarkdown } from '../markdown.ts';

/** How often the panel reads the meters while playing (the worklet posts about 30 a second). */
const POLL_MS = 1000 / 30;

const levelKey = (node: string, port?: string) => `${node}\u0000${port ?? ''}`;

/**
 * What the panel's checks read: the live level posts (LiveMeasurements) and, after Measure, an
 * offline render's figures (the mix's integrated loudness and true peak, the tracks' loudness, and
 * levels where nothing was heard live). The live meters cannot give integrated loudness or a track's
 * loudness through its own chain (they measure node outputs, mixed with everything downstream), so
 * those come from the render, fed to LiveMeasurements.setMix / setTracks. Any edit forgets both.
 */
export class PanelMeasurements implements Measurements {
  private readonly offline = new Map<string, PortReading>();
  /** When the last Measure finished (ms), null when its figures were forgotten. */
  measuredAt: number | null = null;
  constructor(readonly live: LiveMeasurements) {}
  level(node: string, port?: string): PortReading | null {
    return this.live.level(node, port) ?? this.offline.get(levelKey(node, port)) ?? null;
  }
  mix(): MixReading | null {
    return this.live.mix();
  }
  tracks(): readonly TrackReading[] | null {
    return this.live.tracks();
  }
  reset(): void {
    this.live.reset();
    this.live.setTracks(null);
    this.offline.clear();
    this.measuredAt = null;
  }
  take(measured: LessonMeasured): void {
    for (const { node, port, reading } of measured.levels) if (reading) this.offline.set(levelKey(node, port), reading);
    this.live.setMix(measured.mix);
    this.live.setTracks(measured.tracks);
    this.measuredAt = Date.now();
  }
}

export interface LessonLive {
  results: StepResult[];
  measurements: PanelMeasurements;
  /** Render the session offline and measure what the checks read (the analysis worker). */
  measure(): void;
  measuring: boolean;
  /** Whether any check needs a render to be measured (loudness, levelled) or can use one (level). */
  measurable: boolean;
}

/** The steps' results for `doc`, re-evaluated on every edit and, while playing, as levels arrive. */
export function useLessonLive(lesson: LessonDoc, doc: SessionDoc): LessonLive {
  const { audio, store } = useServices();
  const needsKey = JSON.stringify(measurementNeeds(lesson.steps.flatMap((s) => s.checks)));
  // One set of readings per set of needs: editing a step's text keeps what was heard.
  const m = useMemo(() => new PanelMeasurements(new LiveMeasurements(JSON.parse(needsKey) as MeasurementNeeds)), [needsKey]);
  const [results, setResults] = useState(() => evaluateSteps(doc, lesson.steps, m));
  const [measuring, setMeasuring] = useState(false);
  const last = useRef('');
  const heard = useRef(doc);
  const evaluate = useCallback(
    (force = false) => {
      const r = evaluateSteps(doc, lesson.steps, m);
      const key = JSON.stringify(r.map((s) => s.checks.map((c) => [c.status, c.label, c.message])));
      if (force || key !== last.current) {
        last.current = key;
        setResults(r);
      }
    },
    [doc, lesson, m],
  );
  // An edit: what was heard before it no longer describes the graph (moving a node changes nothing heard).
  useEffect(() => {
    if (!layoutOnly(heard.current, doc)) m.reset();
    heard.current = doc;
    evaluate(true);
  }, [doc, evaluate, m]);
  useEffect(() => {
    if (!lesson.steps.some((s) => s.checks.some((c) => c.type === 'level'))) return;
    const t = setInterval(() => {
      const levels = audio.levels;
      if (audio.state !== 'playing' || !levels) return;
      m.live.observe(levels);
      evaluate();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [audio, evaluate, lesson, m]);
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);
  const needs = JSON.parse(needsKey) as MeasurementNeeds;
  const measure = () => {
    running.current?.abort();
    const ctrl = new AbortController();
    running.current = ctrl;
    const measured = doc;
    setMeasuring(true);
    runLessonMeasure(measured, needs, lesson.seconds, audio.sources, { signal: ctrl.signal, onProgress: () => {}, onProblems: (p) => p.length && store.notify('warning', `Measured without some audio:\n${p.join('\n')}`) })
      .then((r) => {
        // The session changed while it rendered: those figures describe another graph.
        if (ctrl.signal.aborted || !layoutOnly(measured, heard.current)) return;
        m.take(r);
        evaluate(true);
      })
      .catch((err: Error) => {
        if (!(err instanceof AnalysisAborted)) store.notify('error', `The lesson's checks could not be measured: ${err.message}`);
      })
      .finally(() => {
        if (running.current === ctrl) setMeasuring(false);
      });
  };
  return { results, measurements: m, measure, measuring, measurable: needs.mix || needs.tracks || needs.levels.length > 0 };
}

/** How an unmeasured check is measured: a level by playing (or Measure), loudness and levelled by Measure. */
export function unmeasuredHint(result: CheckResult): string {
  return result.check.type === 'level' ? 'Press play to check (or Measure).' : 'Press Measure to check (the live meters cannot tell this: Measure renders the session as `mixgraph check` does).';
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** One check's tick, its label and, unless it passes, what the student reads. */
export function CheckTick({ result }: { result: CheckResult }) {
  return (
    <>
      <input type="checkbox" readOnly checked={result.status === 'pass'} aria-label={result.label} />
      <span className="lesson-check-label">{result.label}</span>
      {result.status === 'fail' && <span className="lesson-check-message">{result.message}</span>}
      {/* A measured check that passes says what was measured ("it is -13.96 LUFS"): the figure is the lesson. */}
      {result.status === 'pass' && (result.check.type === 'level' || result.check.type === 'loudness' || result.check.type === 'levelled') && <span className="lesson-check-message lesson-check-found">{sentence(result.found)}</span>}
      {result.status === 'unmeasured' && (
        <span className="lesson-check-message">
          {unmeasuredHint(result)} Expected {result.expected}.
        </span>
      )}
    </>
  );
}

/** A step's Markdown as HTML: markdown-it escapes any HTML in it and refuses javascript: links (validateLink). */
export function StepText({ text }: { text: string }) {
  return <div className="lesson-text" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

export interface LessonPanelViewProps {
  lesson: LessonDoc;
  results: readonly StepResult[];
  onClose?: () => void;
  onEdit?: () => void;
  onMeasure?: () => void;
  measuring?: boolean;
  /** A room's student: the step the teacher shows, opened when it changes (null: the teacher shows none). */
  follow?: number | null;
  /** The step open in the panel (or the current one when all are closed), as it changes: what a room shows. */
  onShownStep?(step: number | null): void;
}

export function LessonPanelView({ lesson, results, onClose, onEdit, onMeasure, measuring = false, follow, onShownStep }: LessonPanelViewProps) {
  const current = results.findIndex((r) => !r.done);
  const following = follow !== undefined;
  // A step the student opened stays open until the lesson moves on (or, in a room, the teacher does).
  const [shown, setShown] = useState<number | null>(null);
  useEffect(() => setShown(null), [current, follow]);
  const open = shown ?? (following && follow !== null ? follow : current);
  const reported = open >= 0 ? open : current >= 0 ? current : null;
  useEffect(() => onShownStep?.(reported), [onShownStep, reported]);
  return (
    <aside className="lesson-panel" aria-label={`Lesson: ${lesson.name}`}>
      <header className="lesson-head">
        <h2>{lesson.name}</h2>
        {onEdit && (
          <button type="button" className="lesson-edit" onClick={onEdit} title="Change the steps, their text and checks">
            Edit lesson
          </button>
        )}
        {onClose && (
          <button type="button" className="lesson-close" aria-label="Close lesson" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <p className="lesson-progress" role="status">
        {current === -1 ? `All ${results.length} steps done.` : `Step ${current + 1} of ${results.length}`}
      </p>
      {following && (
        <p className="lesson-follow" role="status" aria-label="Teacher’s step">
          {follow === null ? 'The teacher shows no step.' : `The teacher is on step ${follow + 1}: ${lesson.steps[follow]?.title ?? `Step ${follow + 1}`}`}
        </p>
      )}
      <ol className="lesson-steps">
        {results.map((r, i) => {
          const step = lesson.steps[i];
          const title = step.title ?? `Step ${i + 1}`;
          return (
            <li
              key={i}
              className={['lesson-step', r.done ? 'done' : '', i === current ? 'current' : '', following && i === follow ? 'teacher' : ''].join(' ').trim()}
              aria-current={i === current ? 'step' : undefined}
            >
              <button type="button" className="lesson-step-title" aria-expanded={i === open} onClick={() => setShown(i === open ? -2 : i)}>
                <span aria-hidden="true">{r.done ? '✓' : i === current ? '▸' : '○'}</span> {title}
                {r.done && <span className="visually-hidden"> (done)</span>}
              </button>
              {i === open && (
                <div className="lesson-step-body">
                  <StepText text={step.text} />
                  <ul className="lesson-checks" aria-label={`Checks of ${title}`}>
                    {r.checks.map((c, k) => (
                      <li key={k} className={`lesson-check ${c.status}`}>
                        <CheckTick result={c} />
                      </li>
                    ))}
                  </ul>
                  {onMeasure && r.checks.some((c) => c.check.type === 'loudness' || c.check.type === 'levelled' || c.check.type === 'level') && (
                    <button type="button" className="lesson-measure" onClick={onMeasure} disabled={measuring} title="Render the session offline and measure what these checks read: the same figures as mixgraph check">
                      {measuring ? 'Measuring…' : 'Measure'}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}

/**
 * The panel on the open session: the student's view, or the authoring panel while editing. In a
 * room, a student sees the teacher's lesson (`room`) on the step the teacher shows, and can neither
 * close nor edit it; `onShownStep` tells a teacher's room which step the panel shows.
 */
export function LessonPanel({ room, onShownStep }: { room?: { lesson: LessonDoc; step: number | null }; onShownStep?(step: number | null): void }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const own = useLesson((s) => s.lesson);
  const editing = useLesson((s) => s.editing);
  const lesson = room ? room.lesson : own;
  if (!lesson) return null;
  return <OpenLesson lesson={lesson} doc={doc} editing={!room && editing} follow={room ? room.step : undefined} onShownStep={onShownStep} />;
}

/** The readings live here, above both panels: switching to Edit lesson keeps what was measured. */
function OpenLesson({ lesson, doc, editing, follow, onShownStep }: { lesson: LessonDoc; doc: SessionDoc; editing: boolean; follow?: number | null; onShownStep?(step: number | null): void }) {
  const live = useLessonLive(lesson, doc);
  if (editing) return <LessonEditor lesson={lesson} doc={doc} live={live} />;
  const following = follow !== undefined;
  return (
    <LessonPanelView
      lesson={lesson}
      results={live.results}
      onClose={following ? undefined : () => lessonStore.close()}
      onEdit={following ? undefined : () => lessonStore.setEditing(true)}
      onMeasure={live.measurable ? live.measure : undefined}
      measuring={live.measuring}
      follow={follow}
      onShownStep={onShownStep}
    />
  );
}
