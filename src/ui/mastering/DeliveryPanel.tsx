import './mastering.css';
import { useEffect, useMemo, useState } from 'react';
import type { LoudnessReport } from '../../dsp/loudness.ts';
import { DELIVERY_TARGETS, verdicts } from '../../mastering/compliance.ts';
import { matchTarget } from '../../mastering/session.ts';
import type { SessionDoc } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { Dialog } from './Dialog.tsx';
import { useEditor } from '../store.ts';
import { ANALYSIS_RATE, analysisFor, formatLufs, mixKey } from './analysis.ts';

/** The target the session carries: its loudness meter's (the one nearest the master), else -14 LUFS. */
export function sessionTarget(doc: SessionDoc): number {
  const meters = doc.nodes.filter((n) => n.type === 'loudness' && !n.bypass);
  const intoMaster = meters.find((m) => doc.edges.some((e) => e.from === m.id && doc.nodes.find((n) => n.id === e.to)?.type === 'master'));
  return Number((intoMaster ?? meters[0])?.params.target ?? -14);
}

export interface DeliveryViewProps {
  report: LoudnessReport | null;
  status?: string;
}

/** The mix's loudness figures and its pass/fail against each delivery target (as `mixgraph analyze`). */
export function DeliveryView({ report, status }: DeliveryViewProps) {
  if (!report) {
    return (
      <p className="compare-status" role="status">
        {status ?? 'Measuring…'}
      </p>
    );
  }
  const figures: [string, number, string][] = [
    ['Integrated loudness', report.integrated, 'LUFS'],
    ['Loudness range', report.lra, 'LU'],
    ['True peak', report.truePeak, 'dBTP'],
    ['Sample peak', report.samplePeak, 'dBFS'],
    ['Loudest momentary', report.momentaryMax, 'LUFS'],
    ['Loudest short-term', report.shortTermMax, 'LUFS'],
  ];
  const list = verdicts(report);
  return (
    <>
      <table className="compare-table" aria-label="Loudness of the mix">
        <tbody>
          {figures.map(([name, value, unit]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td data-figure={name}>{formatLufs(value, unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Delivery targets</h3>
      <table className="compare-table delivery-table" aria-label="Delivery targets">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Loudness</th>
            <th scope="col">True peak</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {list.map((v, i) => {
            const t = DELIVERY_TARGETS[i];
            return (
              <tr key={v.target} data-target={v.target}>
                <th scope="row" title={t.note}>
                  {v.name}
                </th>
                <td>
                  {t.integrated} ±{t.tolerance} LUFS
                </td>
                <td>≤ {t.truePeak} dBTP</td>
                <td className={v.pass ? 'verdict-pass' : 'verdict-fail'}>{v.pass ? 'Pass' : `Fail: ${v.reasons.join('; ')}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/**
 * Loudness report: the mix measured from an offline bounce (what Export WAV writes), its verdicts,
 * and Match target: the gain before the final limiter that lands the master on a loudness target,
 * found as `mixgraph master` finds it and applied as one undo step; the report then re-measures.
 */
export function DeliveryPanel({ onClose }: { onClose(): void }) {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const key = useMemo(() => mixKey(doc), [doc]);
  const [report, setReport] = useState<LoudnessReport | null>(null);
  const [status, setStatus] = useState<string>();
  const [targetText, setTargetText] = useState(() => String(sessionTarget(store.getState().doc)));
  const [matching, setMatching] = useState(false);

  useEffect(() => {
    let live = true;
    setReport(null);
    setStatus('Measuring the mix (offline bounce)…');
    analysisFor(audio)
      .measureMix(store.getState().doc)
      .then(
        (m) => live && setReport(m.loudness),
        (err: Error) => live && setStatus(`Could not measure: ${err.message}`),
      );
    return () => {
      live = false;
    };
  }, [audio, store, key]);

  const match = async () => {
    const target = Number(targetText);
    if (targetText.trim() === '' || !Number.isFinite(target) || target < -36 || target > -5) {
      store.notify('error', `Target "${targetText}": give a loudness between -36 and -5 LUFS`);
      return;
    }
    setMatching(true);
    try {
      const result = await matchTarget(store.getState().doc, target, (d) => audio.render(d, () => {}, ANALYSIS_RATE), ANALYSIS_RATE);
      if (store.run(result.command)) {
        store.notify('info', `Matched ${target} LUFS: ${result.summary}; the master will measure ${formatLufs(result.report.integrated)}, true peak ${formatLufs(result.report.truePeak, 'dBTP')}.`);
      }
    } catch (err) {
      store.notify('error', `Cannot match ${target} LUFS: ${(err as Error).message}`);
    } finally {
      setMatching(false);
    }
  };

  return (
    <Dialog title="Loudness report" className="compare-panel delivery-panel" closeLabel="Close loudness report" onClose={onClose} busy={matching}>
      <DeliveryView report={report} status={status} />
      <h3>Match target</h3>
      <div className="chain-field">
        <label>
          <span>For </span>
          <select
            value={DELIVERY_TARGETS.find((t) => String(t.integrated) === targetText.trim())?.id ?? ''}
            onChange={(e) => {
              const t = DELIVERY_TARGETS.find((d) => d.id === e.target.value);
              if (t) setTargetText(String(t.integrated));
            }}
          >
            <option value="">Custom</option>
            {DELIVERY_TARGETS.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.integrated} LUFS)
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Target </span>
          <input type="number" min={-36} max={-5} step={0.5} value={targetText} onChange={(e) => setTargetText(e.target.value)} /> LUFS
        </label>
        <button type="button" onClick={() => void match()} disabled={matching}>
          {matching ? 'Matching…' : 'Set gain before the limiter'}
        </button>
      </div>
      <p className="mastering-note">Sets the gain in front of the final limiter (or inserts one) so the rendered master lands on the target; one undo step.</p>
    </Dialog>
  );
}
