// The lesson panel: the open lesson's steps beside the graph, the current one open with its text
// and a tick per check, evaluated live against the document (src/lessons/checks.ts) and, for level
// checks, the runtime's level posts while playing (src/lessons/live.ts). The current step is the
// first whose checks do not all pass, so the panel moves on as soon as a step is done.
//
// Step text is Markdown, rendered by the editor's one markdown-it set-up (src/ui/markdown.ts, html off):
// a lesson from a stranger can format its text, never add markup of its own; links open in a new tab.
import { useEffect, useMemo, useRef, useState } from 'react';
import { evaluateSteps, measurementNeeds, type StepResult } from '../../lessons/checks.ts';
import { LiveMeasurements } from '../../lessons/live.ts';
import type { LessonDoc } from '../../presets/lesson.ts';
import { layoutOnly, type SessionDoc } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { renderMarkdown } from '../markdown.ts';

/** How often the panel reads the meters while playing (the worklet posts about 30 a second). */
const POLL_MS = 1000 / 30;

/** The steps' results for `doc`, re-evaluated on every edit and, while playing, as levels arrive. */
export function useLessonResults(lesson: LessonDoc, doc: SessionDoc): StepResult[] {
  const { audio } = useServices();
  const live = useMemo(() => new LiveMeasurements(measurementNeeds(lesson.steps.flatMap((s) => s.checks))), [lesson]);
  const [results, setResults] = useState(() => evaluateSteps(doc, lesson.steps, live));
  const last = useRef('');
  const heard = useRef(doc);
  // An edit: what was heard before it no longer describes the graph (moving a node changes nothing heard).
  useEffect(() => {
    if (!layoutOnly(heard.current, doc)) live.reset();
    heard.current = doc;
    const r = evaluateSteps(doc, lesson.steps, live);
    last.current = JSON.stringify(r.map((s) => s.checks.map((c) => [c.status, c.message])));
    setResults(r);
  }, [doc, lesson, live]);
  useEffect(() => {
    if (!lesson.steps.some((s) => s.checks.some((c) => c.type === 'level'))) return;
    const t = setInterval(() => {
      const levels = audio.levels;
      if (audio.state !== 'playing' || !levels) return;
      live.observe(levels);
      const r = evaluateSteps(doc, lesson.steps, live);
      const key = JSON.stringify(r.map((s) => s.checks.map((c) => [c.status, c.message])));
      if (key !== last.current) {
        last.current = key;
        setResults(r);
      }
    }, POLL_MS);
    return () => clearInterval(t);
  }, [audio, doc, lesson, live]);
  return results;
}

/** A step's Markdown as HTML: markdown-it escapes any HTML in it and refuses javascript: links (validateLink). */
export function StepText({ text }: { text: string }) {
  return <div className="lesson-text" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

export function LessonPanelView({ lesson, results, onClose }: { lesson: LessonDoc; results: readonly StepResult[]; onClose?: () => void }) {
  const current = results.findIndex((r) => !r.done);
  // A step the student opened stays open until the lesson moves on.
  const [shown, setShown] = useState<number | null>(null);
  useEffect(() => setShown(null), [current]);
  const open = shown ?? current;
  return (
    <aside className="lesson-panel" aria-label={`Lesson: ${lesson.name}`}>
      <header className="lesson-head">
        <h2>{lesson.name}</h2>
        {onClose && (
          <button type="button" className="lesson-close" aria-label="Close lesson" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <p className="lesson-progress" role="status">
        {current === -1 ? `All ${results.length} steps done.` : `Step ${current + 1} of ${results.length}`}
      </p>
      <ol className="lesson-steps">
        {results.map((r, i) => {
          const step = lesson.steps[i];
          const title = step.title ?? `Step ${i + 1}`;
          return (
            <li key={i} className={['lesson-step', r.done ? 'done' : '', i === current ? 'current' : ''].join(' ').trim()} aria-current={i === current ? 'step' : undefined}>
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
                        <input type="checkbox" readOnly checked={c.status === 'pass'} aria-label={c.label} />
                        <span className="lesson-check-label">{c.label}</span>
                        {c.status === 'fail' && <span className="lesson-check-message">{c.message}</span>}
                        {c.status === 'unmeasured' && <span className="lesson-check-message">{c.check.type === 'level' ? 'Press play to check: ' : 'Not measured live yet (`mixgraph check` measures it): '}{c.message}</span>}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}

/** The panel on the open session. */
export function LessonPanel({ lesson, onClose }: { lesson: LessonDoc; onClose(): void }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const results = useLessonResults(lesson, doc);
  return <LessonPanelView lesson={lesson} results={results} onClose={onClose} />;
}
