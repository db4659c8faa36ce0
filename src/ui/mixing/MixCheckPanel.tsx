// Mix check: what each track gives the master, measured (src/mixing/mixcheck.ts, the same code as
// `mixgraph mixcheck`): a track that dominates, pairs that mask each other in a band, a vocal
// buried or on top. Each finding names its tracks (a click selects one on the canvas, where the
// nodes concerned carry a hint) and offers its fix as one undo step; then check again.
import { useEffect, useRef, useState } from 'react';
import type { Finding } from '../../mixing/mixcheck.ts';
import { nodeAt, PATH_SEPARATOR, splitPath } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { useEditor } from '../store.ts';
import { FINDING_TITLES, setCheckedMix, useCheckedMix } from './findings.ts';
import { runMixCheck } from './run.ts';

export function MixCheckPanel({ onClose }: { onClose: () => void }) {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const checked = useCheckedMix();
  const [progress, setProgress] = useState<{ fraction: number; what: string } | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const check = async () => {
    const at = store.getState().doc;
    abort.current?.abort();
    const controller = (abort.current = new AbortController());
    setProgress({ fraction: 0, what: 'decoding' });
    try {
      const result = await runMixCheck(at, audio.sources, { signal: controller.signal, onProblems: setProblems, onProgress: (fraction, what) => setProgress({ fraction, what }) });
      if (!controller.signal.aborted) setCheckedMix({ doc: at, result });
    } catch (err) {
      if (!controller.signal.aborted) setProblems([(err as Error).message]);
    } finally {
      if (abort.current === controller) setProgress(null);
    }
  };

  const select = (path: string) => {
    const parts = splitPath(path);
    store.enter(parts.slice(0, -1).join(PATH_SEPARATOR));
    store.select([parts[parts.length - 1]]);
    store.reveal([parts[parts.length - 1]]);
  };
  const fix = (f: Finding) => {
    if (!f.suggestion || !checked || checked.doc !== doc) return;
    store.run(f.suggestion.command);
  };
  const stale = checked !== null && checked.doc !== doc;
  const labelOf = (path: string) => nodeAt(doc, path)?.label || path;

  return (
    <Dialog title="Mix check" className="mixing-dialog mixcheck-panel" closeLabel="Close mix check" onClose={onClose}>
      <div className="mixing-row">
        <button type="button" onClick={() => void check()} disabled={progress !== null}>
          {checked ? 'Check again' : 'Check the mix'}
        </button>
        {progress && <progress aria-label="Checking" max={1} value={progress.fraction} title={progress.what} />}
        {checked && !stale && <span className="mixing-note">Mix at {checked.result.mixLoudness.toFixed(1)} LUFS</span>}
      </div>
      {problems.map((p) => (
        <p key={p} className="mixing-problem" role="alert">
          {p}
        </p>
      ))}
      {stale && <p className="mixing-note">The session changed since this check: check again to see what still holds.</p>}
      {checked && !stale && checked.result.findings.length === 0 && <p className="mixing-note">No findings: nothing dominates, nothing masks, the vocal sits in the mix.</p>}
      {checked && !stale && checked.result.findings.length > 0 && (
        <ul className="mixcheck-findings" aria-label="Findings">
          {checked.result.findings.map((f, i) => (
            <li key={i} className={`finding finding-${f.kind}`}>
              <strong>{FINDING_TITLES[f.kind]}</strong>
              <span className="finding-tracks">
                {f.tracks.map((t) => (
                  <button key={t} type="button" className="link" onClick={() => select(t)} title="Select it on the canvas">
                    {labelOf(t)}
                  </button>
                ))}
              </span>
              <p>{f.message}</p>
              {f.suggestion && (
                <div className="finding-fix">
                  <span>{f.suggestion.text}</span>
                  <button type="button" onClick={() => fix(f)} aria-label={`Fix: ${f.suggestion.text}`}>
                    Fix
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
