// "Align to…": pick a reference track; each other track's time offset and polarity against it
// (src/mixing/align.ts, GCC-PHAT, the same code as `mixgraph align`), shown as a proposal with its
// confidence. The ticked proposals are applied as one undo step; proposals under the analysis'
// confidence threshold start unticked (tracks that share no material with the reference).
import { useEffect, useMemo, useRef, useState } from 'react';
import { getDefinition } from '../../../nodes/registry.ts';
import { MIN_CONFIDENCE, referenceCandidates, type AlignResult, type AlignTrack } from '../../mixing/align.ts';
import type { Command } from '../../model/commands.ts';
import { nodeAt, type Graph, type SessionDoc } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { useEditor } from '../store.ts';
import { runAlign } from './run.ts';

const OFFSET = getDefinition('track')!.params.offset as { min: number; max: number };

/** What applying a track's proposal sets: the analysis' own for confident ones, else computed the same way. */
export function proposal(t: AlignTrack, sampleRate: number): { offset: number; invert: boolean } | null {
  if (t.delaySamples === null) return null;
  if (t.status !== 'low-confidence') return { offset: t.offsetAfter, invert: t.invertAfter };
  // Offsets play to the whole sample (as align.ts rounds them).
  const whole = Math.round(t.delaySamples);
  const before = Math.round((t.offsetBefore / 1000) * sampleRate);
  const offset = Math.min(OFFSET.max, Math.max(OFFSET.min, Number((((before - whole) / sampleRate) * 1000).toFixed(6))));
  return { offset: whole === 0 ? t.offsetBefore : offset, invert: t.inverted ? !t.invertBefore : t.invertBefore };
}

/** "late 30.00", "early 5.00", "0.00" (ms, to the hundredth). */
export function formatDelay(ms: number | null): string {
  if (ms === null) return '—';
  const shown = Math.abs(ms).toFixed(2);
  if (shown === '0.00') return shown;
  return `${ms > 0 ? 'late' : 'early'} ${shown}`;
}

function moves(t: AlignTrack, sampleRate: number): boolean {
  const p = proposal(t, sampleRate);
  return p !== null && (p.offset !== t.offsetBefore || p.invert !== t.invertBefore);
}

export function alignCommand(result: AlignResult, accepted: ReadonlySet<string>, referenceLabel: string): Command | null {
  const chosen = result.tracks.filter((t) => accepted.has(t.path) && moves(t, result.sampleRate));
  if (!chosen.length) return null;
  return {
    label: `Align to ${referenceLabel}`,
    run(d) {
      for (const t of chosen) {
        const node = nodeAt(d as Graph, t.path);
        if (!node || node.type !== 'track') throw new Error(`no track "${t.path}"`);
        const p = proposal(t, result.sampleRate)!;
        node.params.offset = p.offset;
        node.params.invert = p.invert;
      }
    },
  };
}

export function AlignDialog({ onClose }: { onClose: () => void }) {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const candidates = useMemo(() => {
    try {
      return referenceCandidates(doc);
    } catch {
      return [];
    }
  }, [doc]);
  const labelOf = (path: string) => nodeAt(doc, path)?.label || path;
  const [reference, setReference] = useState(candidates[0] ?? '');
  const [result, setResult] = useState<{ doc: SessionDoc; align: AlignResult } | null>(null);
  const [accepted, setAccepted] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<number | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const measure = async () => {
    const at = store.getState().doc;
    abort.current?.abort();
    const controller = (abort.current = new AbortController());
    setProgress(0);
    setResult(null);
    try {
      const align = await runAlign(at, reference, audio.sources, { signal: controller.signal, onProblems: setProblems, onProgress: (fraction) => setProgress(fraction) });
      if (controller.signal.aborted) return;
      setResult({ doc: at, align });
      setAccepted(new Set(align.tracks.filter((t) => t.confidence >= MIN_CONFIDENCE && moves(t, align.sampleRate)).map((t) => t.path)));
    } catch (err) {
      if (!controller.signal.aborted) setProblems([(err as Error).message]);
    } finally {
      if (abort.current === controller) setProgress(null);
    }
  };

  const stale = result !== null && result.doc !== doc;
  const command = result ? alignCommand(result.align, accepted, labelOf(result.align.reference)) : null;
  const apply = () => {
    if (!command || stale) return;
    if (store.run(command)) {
      store.notify('info', `${command.label}: ${accepted.size} track${accepted.size === 1 ? '' : 's'} moved (one undo step).`);
      onClose();
    }
  };
  const toggle = (path: string) => {
    const next = new Set(accepted);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setAccepted(next);
  };

  return (
    <Dialog title="Align to a reference" className="mixing-dialog align-dialog" closeLabel="Close align" onClose={onClose}>
      <p className="mixing-help">
        Finds each track's time offset (within ±200 ms) and polarity against the reference by cross-correlation. Tracks that share no material with it (a vocal against the kick) get a low confidence and
        start unticked.
      </p>
      <div className="mixing-row">
        <label>
          Reference{' '}
          <select aria-label="Reference track" value={reference} onChange={(e) => setReference(e.target.value)}>
            {candidates.map((c) => (
              <option key={c} value={c}>
                {labelOf(c)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void measure()} disabled={progress !== null || !reference}>
          {result ? 'Measure again' : 'Measure'}
        </button>
        {progress !== null && <progress aria-label="Measuring" max={1} value={progress} />}
      </div>
      {problems.map((p) => (
        <p key={p} className="mixing-problem" role="alert">
          {p}
        </p>
      ))}
      {result && (
        <>
          <table className="mixing-table" aria-label="Alignment proposals">
            <thead>
              <tr>
                <th scope="col">Apply</th>
                <th scope="col">Track</th>
                <th scope="col">Offset (ms)</th>
                <th scope="col">Polarity</th>
                <th scope="col">Confidence</th>
                <th scope="col">New offset (ms)</th>
              </tr>
            </thead>
            <tbody>
              {result.align.tracks
                .filter((t) => t.status !== 'reference')
                .map((t) => {
                  const p = proposal(t, result.align.sampleRate);
                  const canMove = moves(t, result.align.sampleRate);
                  return (
                    <tr key={t.path} className={t.confidence < MIN_CONFIDENCE ? 'align-low' : undefined}>
                      <td>
                        <input type="checkbox" aria-label={`Apply to ${t.label}`} checked={accepted.has(t.path)} disabled={!canMove} onChange={() => toggle(t.path)} />
                      </td>
                      <th scope="row">{t.label}</th>
                      <td>{formatDelay(t.delayMs)}</td>
                      <td>{t.delayMs === null ? '—' : t.inverted ? 'inverted' : 'same'}</td>
                      <td>{t.delayMs === null ? t.status : `${Math.round(t.confidence * 100)} %`}</td>
                      <td>{p && canMove ? `${p.offset.toFixed(2)}${p.invert !== t.invertBefore ? ', flip' : ''}` : 'unchanged'}</td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
          {stale && <p className="mixing-problem">The session changed since it was measured: measure again.</p>}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" onClick={apply} disabled={!command || stale}>
              {command ? `Apply ${accepted.size}` : 'Nothing to apply'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
