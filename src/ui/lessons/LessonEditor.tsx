// The authoring panel: a teacher writes a lesson beside the graph instead of writing JSON. The
// lesson lives in lessonStore (one place: this panel and the student's panel read the same value);
// every change is a builder from src/lessons/authoring.ts run through lessonStore.edit, so it is
// undoable and kept across a reload. A check that names nodes is made by clicking them on the canvas
// (pick mode: the canvas says which node to click, Escape cancels); its range is prefilled from the
// session as it is now, and its tick is live, so the teacher sees it pass on the solution they built.
// The start the student gets is set explicitly ("Set start from current session"): saving writes the
// start, never what is on the canvas.
import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { openingView } from '../canvas/Canvas.tsx';
import { MenuButton } from '../Menu.tsx';
import type { MixFlowNode } from '../canvas/MixNode.tsx';
import { getDefinition } from '../../../nodes/registry.ts';
import { addCheck, addStep, CHECK_MENU, checkableTypes, checkFromPicks, checkKind, moveStep, numericParams, paramCheck, pickProblem, problemText, removeCheck, removeStep, setDetails, setStart, updateCheck, updateStep, validateLesson, type CheckType, type Picks, type PickSlot } from '../../lessons/authoring.ts';
import type { CheckResult } from '../../lessons/checks.ts';
import { joinPath, nodeAt, type SessionDoc } from '../../model/document.ts';
import type { Check, LessonDoc } from '../../presets/lesson.ts';
import { PACKAGE_EXTENSION } from '../../presets/package.ts';
import { useServices } from '../context.ts';
import { download } from '../download.ts';
import { fileStem } from '../session/names.ts';
import { buildPackage } from '../session/package.ts';
import { CheckTick, StepText, type LessonLive } from './LessonPanel.tsx';
import { lessonStore, useLesson } from './lessonStore.ts';
import './authoring.css';

/** A check being made by clicking: which step, which type, the nodes clicked so far. */
interface Picking {
  step: number;
  type: CheckType;
  slots: readonly PickSlot[];
  picks: Picks;
  /** Re-picking one node of an existing check: its index (the other fields stay). */
  check?: number;
}

const edit = (change: (l: LessonDoc) => LessonDoc, mergeKey?: string) => lessonStore.edit(change, mergeKey);

/** A node's name for the teacher: its label, else its path. */
function nodeName(doc: SessionDoc, path: string | undefined): string {
  if (path === undefined) return 'any';
  const n = nodeAt(doc, path);
  return n?.label || path;
}

/** `check` with `field` set, or removed when undefined (an empty bound means "no bound"). */
function withField(check: Check, field: string, value: unknown): Check {
  const next = { ...check } as Record<string, unknown>;
  if (value === undefined || value === '') delete next[field];
  else next[field] = value;
  return next as Check;
}

/**
 * Pick mode: the next click on a canvas node fills the pick (the click goes no further, so it
 * selects or opens nothing); Escape cancels. Listening on the window in the capture phase means
 * the canvas needs no code of its own for it.
 */
function usePickMode(active: boolean, onPick: (path: string) => void, onCancel: () => void) {
  const { store } = useServices();
  const handlers = useRef({ onPick, onCancel });
  handlers.current = { onPick, onCancel };
  useEffect(() => {
    if (!active) return;
    document.body.classList.add('lesson-picking');
    const onClick = (e: MouseEvent) => {
      const el = (e.target as Element | null)?.closest?.('.react-flow__node');
      const id = el?.getAttribute('data-id');
      if (!el || !id) return;
      e.preventDefault();
      e.stopPropagation();
      handlers.current.onPick(joinPath(store.getState().scope || undefined, id));
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      handlers.current.onCancel();
    };
    window.addEventListener('click', onClick, true);
    window.addEventListener('keydown', onKey, true);
    return () => {
      document.body.classList.remove('lesson-picking');
      window.removeEventListener('click', onClick, true);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [active, store]);
}

/** "Add check ▾": every check type with its sentence. */
function AddCheckMenu({ step, onChoose }: { step: number; onChoose: (type: CheckType) => void }) {
  const items = CHECK_MENU.map((k) => ({ label: k.title, description: k.sentence, run: () => onChoose(k.type) }));
  return <MenuButton className="author-add-check" label="Add check" ariaLabel={`Add check to step ${step + 1}`} items={items} />;
}

/** A bound or a tolerance: a number with its unit; empty is "no bound". */
function NumberField({ label, value, unit, onChange }: { label: string; value: number | undefined; unit: string; onChange: (v: number | undefined) => void }) {
  const shown = value === undefined ? '' : String(value);
  const [text, setText] = useState(shown);
  // Follow the lesson (undo, a prefill) unless the field already says the same number.
  useEffect(() => {
    setText((t) => (t.trim() !== '' && Number(t) === value ? t : shown));
  }, [value, shown]);
  return (
    <label className="author-num">
      <span>{label}</span>
      <input
        type="text"
        inputMode="decimal"
        value={text}
        aria-label={label}
        aria-invalid={text.trim() !== '' && !Number.isFinite(Number(text))}
        onChange={(e) => {
          setText(e.target.value);
          const t = e.target.value.trim();
          if (t === '') onChange(undefined);
          else if (Number.isFinite(Number(t))) onChange(Number(t));
        }}
      />
      <span className="author-unit">{unit}</span>
    </label>
  );
}

const TYPES = checkableTypes();

function TypeSelect({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  return (
    <label className="author-field">
      <span>{label}</span>
      <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">— any —</option>
        {TYPES.map((t) => (
          <option key={t.type} value={t.type}>
            {t.title}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The fields of one check: the picked nodes (click to pick again), the ranges with units, the options. */
function CheckFields({ check, at, doc, start, onChange, onRepick }: { check: Check; at: string; doc: SessionDoc; start: SessionDoc; onChange: (c: Check, mergeKey?: string) => void; onRepick: (field: PickSlot['field']) => void }) {
  const set = (field: string, value: unknown) => onChange(withField(check, field, value), `${at}.${field}`);
  const nodeButton = (field: PickSlot['field'], label: string, path: string | undefined) => (
    <span className="author-field">
      <span>{label}</span>
      <button type="button" className="author-node" onClick={() => onRepick(field)} title="Pick another node on the canvas" aria-label={`${label}: ${nodeName(doc, path)} (pick again)`}>
        {nodeName(doc, path)}
      </button>
      {path !== undefined && !nodeAt(start, path) && <span className="author-warn">not in the start</span>}
    </span>
  );
  const bounds = (unit: string) => (
    <>
      <NumberField label="min" unit={unit} value={(check as { min?: number }).min} onChange={(v) => set('min', v)} />
      <NumberField label="max" unit={unit} value={(check as { max?: number }).max} onChange={(v) => set('max', v)} />
    </>
  );
  switch (check.type) {
    case 'path':
      return (
        <div className="author-fields">
          {nodeButton('from', 'from', check.from)}
          {nodeButton('to', 'to', check.to)}
          <TypeSelect label="through" value={check.through} onChange={(v) => set('through', v)} />
          <TypeSelect label="never through" value={check.notThrough} onChange={(v) => set('notThrough', v)} />
        </div>
      );
    case 'param': {
      const params = numericParams(check.nodeType);
      const spec = params.find((p) => p.param === check.param);
      return (
        <div className="author-fields">
          {nodeButton('node', 'node', check.node)}
          <label className="author-field">
            <span>parameter</span>
            <select aria-label="parameter" value={check.param} onChange={(e) => onChange({ ...paramCheck(doc, check.nodeType, check.node, e.target.value), ...(check.label ? { label: check.label } : {}) })}>
              {params.map((p) => (
                <option key={p.param} value={p.param}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          {bounds(spec?.unit ?? '')}
          {check.node !== undefined && (
            <button type="button" className="author-node" onClick={() => set('node', undefined)} title="Check any node of this type (one the student adds counts too)">
              any {getDefinition(check.nodeType)?.title ?? check.nodeType}
            </button>
          )}
          <label className="author-field">
            <input type="checkbox" checked={check.all === true} onChange={(e) => set('all', e.target.checked || undefined)} /> every {getDefinition(check.nodeType)?.title ?? check.nodeType}
          </label>
        </div>
      );
    }
    case 'level':
      return (
        <div className="author-fields">
          {nodeButton('node', 'node', check.node)}
          <label className="author-field">
            <span>measure</span>
            <select aria-label="measure" value={check.measure} onChange={(e) => set('measure', e.target.value)}>
              <option value="peak">peak</option>
              <option value="rms">RMS</option>
            </select>
          </label>
          {bounds('dBFS')}
        </div>
      );
    case 'loudness':
      return (
        <div className="author-fields">
          <label className="author-field">
            <span>measure</span>
            <select aria-label="measure" value={check.measure} onChange={(e) => set('measure', e.target.value)}>
              <option value="integrated">integrated loudness</option>
              <option value="truePeak">true peak</option>
            </select>
          </label>
          {bounds(check.measure === 'truePeak' ? 'dBTP' : 'LUFS')}
        </div>
      );
    case 'bypass':
      return (
        <div className="author-fields">
          {nodeButton('node', 'node', check.node)}
          <label className="author-field">
            <span>must be</span>
            <select aria-label="must be" value={check.bypassed ? 'bypassed' : 'playing'} onChange={(e) => set('bypassed', e.target.value === 'bypassed')}>
              <option value="bypassed">bypassed</option>
              <option value="playing">playing</option>
            </select>
          </label>
        </div>
      );
    case 'levelled':
      return (
        <div className="author-fields">
          <NumberField label="tolerance" unit="LU" value={check.tolerance} onChange={(v) => set('tolerance', v ?? 2)} />
          <NumberField label="target" unit="LUFS" value={check.target} onChange={(v) => set('target', v)} />
        </div>
      );
  }
}

function CheckCard({ result, check, step, index, doc, start, onRepick }: { result: CheckResult | undefined; check: Check; step: number; index: number; doc: SessionDoc; start: SessionDoc; onRepick: (field: PickSlot['field']) => void }) {
  const at = `steps[${step}].checks[${index}]`;
  return (
    <li className={`lesson-check author-check ${result?.status ?? ''}`} aria-label={`Check ${index + 1} of step ${step + 1}`}>
      <div className="author-check-head">
        <span className="author-check-kind">{checkKind(check.type).title}</span>
        <button type="button" className="author-remove" aria-label={`Remove check ${index + 1} of step ${step + 1}`} onClick={() => edit((l) => removeCheck(l, step, index))}>
          ✕
        </button>
      </div>
      {result && (
        <div className="author-check-result">
          <CheckTick result={result} />
        </div>
      )}
      <CheckFields check={check} at={at} doc={doc} start={start} onChange={(c, key) => edit((l) => updateCheck(l, step, index, c), key)} onRepick={onRepick} />
      <label className="author-field author-label">
        <span>label</span>
        <input type="text" placeholder={result?.label ?? 'made from the check'} value={check.label ?? ''} aria-label={`Label of check ${index + 1} of step ${step + 1}`} onChange={(e) => edit((l) => updateCheck(l, step, index, withField(check, 'label', e.target.value)), `${at}.label`)} />
      </label>
    </li>
  );
}

/**
 * What pick mode asks, on the canvas itself: at its foot, right of the zoom controls, where the
 * framing keeps nodes away (FIT_VIEW's bottom padding), so it hides no node one has to click.
 */
function PickBanner({ prompt, picked, step, onCancel }: { prompt: string; picked: string[]; step: number; onCancel: () => void }) {
  const banner = (
    <div className="author-pick-banner" role="status">
      <strong>{prompt}</strong>
      {picked.map((p) => ` · ${p}`)} <span className="author-pick-hint">(for step {step + 1}; Esc cancels)</span>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
  const canvas = document.querySelector('.app-main .canvas');
  return canvas ? createPortal(banner, canvas) : banner;
}

export function LessonEditor({ lesson, doc, live }: { lesson: LessonDoc; doc: SessionDoc; live: LessonLive }) {
  const { store, audio } = useServices();
  const canUndo = useLesson((s) => s.canUndo);
  const canRedo = useLesson((s) => s.canRedo);
  const startSetAt = useLesson((s) => s.startSetAt);
  const [picking, setPicking] = useState<Picking | null>(null);
  // The panel is wider than the student's: frame the graph in the canvas that is left (readably, as a
  // session opens), and again when it closes.
  const flow = useReactFlow<MixFlowNode>();
  useEffect(() => {
    const fit = () => void requestAnimationFrame(() => void openingView(flow));
    fit();
    return fit;
  }, [flow]);

  const finish = (p: Picking) => {
    try {
      if (p.check !== undefined) {
        const old = lesson.steps[p.step].checks[p.check];
        edit((l) => updateCheck(l, p.step, p.check!, { ...old, ...p.picks } as Check));
      } else {
        const check = checkFromPicks(p.type, p.picks, doc, live.measurements);
        edit((l) => addCheck(l, p.step, check));
      }
    } catch (err) {
      store.notify('error', (err as Error).message);
    }
    setPicking(null);
  };
  const choose = (step: number, type: CheckType) => {
    const kind = checkKind(type);
    const p: Picking = { step, type, slots: kind.picks, picks: {} };
    if (kind.picks.length === 0) finish(p);
    else setPicking(p);
  };
  usePickMode(
    picking !== null,
    (path) => {
      if (!picking) return;
      const slot = picking.slots.find((s) => picking.picks[s.field] === undefined)!;
      const problem = pickProblem(lesson, picking.type, slot.field, path);
      if (problem) return store.notify('warning', problem);
      const next = { ...picking, picks: { ...picking.picks, [slot.field]: path } };
      if (next.slots.every((s) => next.picks[s.field] !== undefined)) finish(next);
      else setPicking(next);
    },
    () => setPicking(null),
  );

  const saveFile = () => {
    const v = validateLesson(lesson);
    if (!v.ok) return store.notify('error', `The lesson cannot be saved yet:\n${v.problems.map((p) => `• ${problemText(lesson, p)}`).join('\n')}`);
    const name = `${fileStem(lesson.name)}.lesson.json`;
    download(new Blob([v.text], { type: 'application/json' }), name);
    store.notify('info', `Saved ${name}: the lesson with its starting session (no audio). Open it with Session → Open file…; grade with mixgraph check ${name} SESSIONS…`);
  };
  const savePackage = async () => {
    const v = validateLesson(lesson);
    if (!v.ok) return store.notify('error', `The lesson cannot be saved yet:\n${v.problems.map((p) => `• ${problemText(lesson, p)}`).join('\n')}`);
    const built = await buildPackage(v.lesson.session, audio, v.lesson);
    if ('missing' in built) return store.notify('error', `The lesson package cannot be made: the start's ${built.missing.length === 1 ? 'file is' : 'files are'} not loaded: ${built.missing.join(', ')}. Relink ${built.missing.length === 1 ? 'it' : 'them'}, or use Save lesson file (without audio).`);
    if ('problem' in built) return store.notify('error', `The lesson package cannot be made: ${built.problem}`);
    const name = `${fileStem(lesson.name)}${PACKAGE_EXTENSION}`;
    download(new Blob([built.bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), name);
    store.notify('info', `Saved ${name} (${(built.bytes.length / 1024 / 1024).toFixed(1)} MB: the lesson, its starting session and its audio).`);
  };

  // Every step's results in one notice, as they stand (Measure renders the measured checks; their ticks follow).
  const checkAll = () => {
    const lines = live.results.map((r, i) => {
      const n = r.checks.filter((c) => c.status === 'pass').length;
      const title = lesson.steps[i].title || `Step ${i + 1}`;
      if (r.checks.length === 0) return `• ${title}: no checks`;
      return `• ${title}: ${n} of ${r.checks.length} pass${r.checks.filter((c) => c.status !== 'pass').map((c) => `\n   ✗ ${c.label}${c.status === 'unmeasured' ? ' (not measured yet: press Measure)' : ''}`).join('')}`;
    });
    store.notify('info', `Against the current session:\n${lines.join('\n')}`);
  };
  const all = live.results.flatMap((r) => r.checks);
  const passing = all.filter((c) => c.status === 'pass').length;
  const unmeasured = all.filter((c) => c.status === 'unmeasured').length;
  const slot = picking?.slots.find((s) => picking.picks[s.field] === undefined);
  const startNodes = lesson.session.nodes.length;
  return (
    <aside className="lesson-panel lesson-editor" aria-label={`Editing lesson: ${lesson.name}`}>
      <header className="lesson-head">
        <h2>Edit lesson</h2>
        <span className="author-history">
          <button type="button" onClick={() => lessonStore.undo()} disabled={!canUndo} aria-label="Undo lesson edit" title="Undo the last change to the lesson (the session has its own Undo)">
            ↶
          </button>
          <button type="button" onClick={() => lessonStore.redo()} disabled={!canRedo} aria-label="Redo lesson edit">
            ↷
          </button>
        </span>
        <button type="button" onClick={() => lessonStore.setEditing(false)} title="See the lesson as a student does">
          Done
        </button>
        <button type="button" className="lesson-close" aria-label="Close lesson" onClick={() => lessonStore.close()}>
          ×
        </button>
      </header>
      <label className="author-field author-wide">
        <span>Name</span>
        <input type="text" aria-label="Lesson name" value={lesson.name} onChange={(e) => edit((l) => setDetails(l, { name: e.target.value }), 'name')} />
      </label>
      <label className="author-field author-wide">
        <span>Description</span>
        <textarea aria-label="Lesson description" rows={2} value={lesson.description} onChange={(e) => edit((l) => setDetails(l, { description: e.target.value }), 'description')} />
      </label>

      <section className="author-start" aria-label="Starting session">
        <p>
          <strong>Start:</strong> {startNodes} node{startNodes === 1 ? '' : 's'}, {lesson.session.edges.length} cable{lesson.session.edges.length === 1 ? '' : 's'}
          {startSetAt ? `, set ${new Date(startSetAt).toLocaleTimeString()}` : ''}. Saving stores this start, not the canvas: build the start, set it, then build the solution on the canvas and watch the checks tick.
        </p>
        <button type="button" onClick={() => lessonStore.setStart((l) => setStart(l, doc))}>
          Set start from current session
        </button>
      </section>

      <p className="author-summary" aria-live="polite">
        Against the current session: {passing} of {all.length} check{all.length === 1 ? '' : 's'} pass{unmeasured ? `, ${unmeasured} not measured yet` : ''}.
      </p>
      <div className="author-row">
        <button type="button" onClick={checkAll} disabled={live.measuring} title="Every step's checks against the session on the canvas; level, loudness and levelled checks measured by an offline render (the same figures as mixgraph check)">
          {live.measuring ? 'Measuring…' : 'Check against current session'}
        </button>
      </div>

      <ol className="author-steps">
        {lesson.steps.map((step, i) => {
          const result = live.results[i];
          return (
            <li key={i} className={`author-step${result?.done && step.checks.length > 0 ? ' done' : ''}`} aria-label={`Step ${i + 1}`}>
              <div className="author-step-head">
                <span className="author-step-no" aria-hidden="true">
                  {result?.done && step.checks.length > 0 ? '✓' : `${i + 1}.`}
                </span>
                <input type="text" aria-label={`Title of step ${i + 1}`} value={step.title ?? ''} placeholder={`Step ${i + 1}`} onChange={(e) => edit((l) => updateStep(l, i, { title: e.target.value || undefined }), `steps[${i}].title`)} />
                <button type="button" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => edit((l) => moveStep(l, i, i - 1))}>
                  ↑
                </button>
                <button type="button" aria-label={`Move step ${i + 1} down`} disabled={i === lesson.steps.length - 1} onClick={() => edit((l) => moveStep(l, i, i + 1))}>
                  ↓
                </button>
                <button type="button" aria-label={`Remove step ${i + 1}`} onClick={() => edit((l) => removeStep(l, i))}>
                  ✕
                </button>
              </div>
              <textarea className="author-text" aria-label={`Text of step ${i + 1}`} rows={4} value={step.text} placeholder="What the student does, in Markdown: **bold**, *italic*, - lists, [links](https://…)" onChange={(e) => edit((l) => updateStep(l, i, { text: e.target.value }), `steps[${i}].text`)} />
              {step.text.trim() !== '' && (
                <div className="author-preview" aria-label={`Preview of step ${i + 1}`}>
                  <StepText text={step.text} />
                </div>
              )}
              <ul className="lesson-checks" aria-label={`Checks of step ${i + 1}`}>
                {step.checks.map((c, k) => (
                  <CheckCard key={k} result={result?.checks[k]} check={c} step={i} index={k} doc={doc} start={lesson.session} onRepick={(field) => setPicking({ step: i, type: c.type, slots: checkKind(c.type).picks.filter((s) => s.field === field), picks: {}, check: k })} />
                ))}
              </ul>
              <AddCheckMenu step={i} onChoose={(t) => choose(i, t)} />
            </li>
          );
        })}
      </ol>
      <button type="button" className="author-add-step" onClick={() => edit((l) => addStep(l))}>
        Add step
      </button>
      <div className="author-row author-save">
        <button type="button" onClick={saveFile} title="The lesson and its starting session as JSON (no audio)">
          Save lesson file
        </button>
        <button type="button" onClick={() => void savePackage()} title="The lesson, its starting session and the start's audio in one .mixgraph file">
          Save lesson package
        </button>
      </div>
      {picking && slot && <PickBanner prompt={slot.prompt} picked={Object.entries(picking.picks).map(([f, p]) => `${f}: ${nodeName(doc, p)}`)} step={picking.step} onCancel={() => setPicking(null)} />}
    </aside>
  );
}
