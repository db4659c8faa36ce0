// The Gain staging panel: while the session plays, the highest peak at every output port (from
// LiveAudio.portLevel), and the places where it runs too hot or too cold (staging.ts), each with
// its node (a click selects it) and the fix. Peaks are held from when the panel opened or was reset.
import { useEffect, useMemo, useRef, useState } from 'react';
import { PATH_SEPARATOR, splitPath } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { onFrame } from '../meters/hub.ts';
import { useEditor } from '../store.ts';
import { COLD_DBFS, judge, stagingPoints, type StagingIssue } from './staging.ts';

const key = (id: string, port?: string) => `${id}\n${port ?? ''}`;
const KIND_TITLES: Record<StagingIssue['kind'], string> = { clip: 'Clips', hot: 'Too hot', cold: 'Too cold' };

export function GainStagingPanel({ onClose }: { onClose: () => void }) {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const points = useMemo(() => stagingPoints(doc), [doc]);
  const peaks = useRef(new Map<string, number>());
  const [issues, setIssues] = useState<StagingIssue[]>([]);
  const [listened, setListened] = useState(0);
  useEffect(() => {
    let last = 0;
    let heard = 0;
    return onFrame((now) => {
      if (audio.state !== 'playing') return;
      for (const p of points) {
        const k = key(p.id, p.port);
        const { peakDb } = audio.portLevel(p.id, p.port);
        if (peakDb > (peaks.current.get(k) ?? -Infinity)) peaks.current.set(k, peakDb);
      }
      // The list is rebuilt 4 times a second: readable, and no React work per frame.
      if (now - last < 250) return;
      heard += last ? (now - last) / 1000 : 0;
      last = now;
      setListened(heard);
      setIssues(points.map((p) => judge(p, peaks.current.get(key(p.id, p.port)) ?? -Infinity)).filter((x): x is StagingIssue => x !== null).sort((a, b) => b.peak - a.peak));
    });
  }, [audio, points]);
  const reset = () => {
    peaks.current.clear();
    setIssues([]);
    setListened(0);
  };
  const select = (path: string) => {
    const parts = splitPath(path);
    store.enter(parts.slice(0, -1).join(PATH_SEPARATOR));
    store.select([parts[parts.length - 1]]);
    store.reveal([parts[parts.length - 1]]);
  };
  return (
    <Dialog title="Gain staging" className="mixing-dialog staging-panel" closeLabel="Close gain staging" onClose={onClose}>
      <p className="mixing-help">
        Play the session: every connection's highest peak is held here. Too hot: above -1 dBFS before the limiter, above 0 dBFS at the master (or above a limiter's ceiling after it). Too cold: never above {COLD_DBFS} dBFS.
      </p>
      <div className="mixing-row">
        <span className="mixing-note" aria-live="polite">
          {listened > 0 ? `Listened ${listened.toFixed(0)} s: ${issues.length ? `${issues.length} place${issues.length === 1 ? '' : 's'} to look at` : 'every stage within its range'}` : 'Press Play to measure.'}
        </span>
        <button type="button" onClick={reset}>
          Reset peaks
        </button>
      </div>
      {issues.length > 0 && (
        <table className="mixing-table" aria-label="Gain staging issues">
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Peak (dBFS)</th>
              <th scope="col">Problem</th>
              <th scope="col">Fix</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((i) => (
              <tr key={key(i.point.id, i.point.port)} className={`staging-${i.kind}`}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => select(i.point.id)} title="Select it on the canvas">
                    {i.point.label}
                  </button>
                </th>
                <td>{i.peak.toFixed(1)}</td>
                <td title={i.kind === 'cold' ? `never above ${COLD_DBFS} dBFS` : i.point.rule}>{KIND_TITLES[i.kind]}</td>
                <td className="staging-fix">{i.fix}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
