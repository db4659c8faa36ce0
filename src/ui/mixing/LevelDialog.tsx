// "Level tracks…": every track's fader set so that each sits at one loudness (src/mixing/level.ts,
// the same code as `mixgraph level`), measured on the session's own audio through each track's
// chain. The dialog shows what it measured and what it would change, then applies it as one undo
// step. Silent and near-silent tracks are named and left alone.
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_LEVEL_TARGET, type LevelResult, type LevelTrack } from '../../mixing/level.ts';
import type { SessionDoc } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { useEditor } from '../store.ts';
import { runLevel } from './run.ts';

const fmt = (x: number | null, digits = 1) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits));

const STATUS: Record<LevelTrack['status'], string> = {
  levelled: 'levelled',
  unchanged: 'already there',
  clamped: 'fader at its limit',
  silent: 'silent: left alone',
  'no-audio': 'no audio: left alone',
  unreached: 'reaches nothing',
};

export function LevelDialog({ onClose }: { onClose: () => void }) {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const [target, setTarget] = useState(String(DEFAULT_LEVEL_TARGET));
  const [result, setResult] = useState<{ doc: SessionDoc; level: LevelResult } | null>(null);
  const [progress, setProgress] = useState<{ fraction: number; what: string } | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const measure = async () => {
    const value = Number(target);
    if (!(value >= -60 && value <= 0)) {
      setProblems(['The target must be a loudness from -60 to 0 LUFS.']);
      return;
    }
    const at = store.getState().doc;
    abort.current?.abort();
    const controller = (abort.current = new AbortController());
    setProgress({ fraction: 0, what: 'decoding' });
    setResult(null);
    try {
      const level = await runLevel(at, value, audio.sources, { signal: controller.signal, onProblems: setProblems, onProgress: (fraction, what) => setProgress({ fraction, what }) });
      if (!controller.signal.aborted) setResult({ doc: at, level });
    } catch (err) {
      if (!controller.signal.aborted) setProblems([(err as Error).message]);
    } finally {
      if (abort.current === controller) setProgress(null);
    }
  };

  const stale = result !== null && result.doc !== doc;
  const apply = () => {
    if (!result?.level.command || stale) return;
    if (store.run(result.level.command)) {
      const moved = result.level.tracks.filter((t) => t.gainAfter !== t.gainBefore).length;
      store.notify('info', `Levelled ${moved} track${moved === 1 ? '' : 's'} to ${result.level.target} LUFS (one undo step).`);
      onClose();
    }
  };
  const silent = result?.level.tracks.filter((t) => t.status === 'silent') ?? [];

  return (
    <Dialog title="Level tracks" className="mixing-dialog level-dialog" closeLabel="Close level tracks" onClose={onClose}>
      <p className="mixing-help">
        Sets every track's fader so that what it gives the mix sits at one loudness: BS.1770 integrated loudness over the track's sounding part, measured through its own chain up to the first
        shared bus. A starting point for the balance, not the balance.
      </p>
      <div className="mixing-row">
        <label>
          Target{' '}
          <input type="number" aria-label="Target loudness (LUFS)" min={-60} max={0} step={0.5} value={target} onChange={(e) => setTarget(e.target.value)} /> LUFS
        </label>
        <button type="button" onClick={() => void measure()} disabled={progress !== null}>
          {result ? 'Measure again' : 'Measure'}
        </button>
        {progress && <progress aria-label="Measuring" max={1} value={progress.fraction} title={progress.what} />}
      </div>
      {problems.map((p) => (
        <p key={p} className="mixing-problem" role="alert">
          {p}
        </p>
      ))}
      {result && (
        <>
          <table className="mixing-table" aria-label="Level report">
            <thead>
              <tr>
                <th scope="col">Track</th>
                <th scope="col">Measured (LUFS)</th>
                <th scope="col">Gain before (dB)</th>
                <th scope="col">Gain after (dB)</th>
                <th scope="col">Then (LUFS)</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {result.level.tracks.map((t) => (
                <tr key={t.path} className={`level-${t.status}`}>
                  <th scope="row">{t.label}</th>
                  <td>{fmt(t.loudness)}</td>
                  <td>{fmt(t.gainBefore, 2)}</td>
                  <td>{fmt(t.gainAfter, 2)}</td>
                  <td>{fmt(t.loudnessAfter)}</td>
                  <td title={t.note}>{STATUS[t.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {silent.length > 0 && <p className="mixing-note">Left alone as silent or near-silent (under -70 LUFS): {silent.map((t) => t.label).join(', ')}.</p>}
          {stale && <p className="mixing-problem">The session changed since it was measured: measure again.</p>}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" onClick={apply} disabled={!result.level.command || stale}>
              {result.level.command ? 'Apply' : 'Nothing to change'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
