import './mastering.css';
import { useEffect, useMemo, useState } from 'react';
import type { ThirdOctaveBand } from '../../dsp/spectrum.ts';
import { useServices } from '../context.ts';
import { Dialog } from './Dialog.tsx';
import { useEditor } from '../store.ts';
import { analysisFor, formatLufs, matchTrim, mixKey, referenceOf, type Measurement } from './analysis.ts';

const W = 700;
const H = 230;
const PAD = { left: 40, right: 8, top: 10, bottom: 24 };
const RANGE_DB = 60;
const TICKS = new Set([31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000]);
const hz = (f: number) => (f >= 1000 ? `${f / 1000}k` : String(f));
const signed = (v: number, unit: string) => (Number.isFinite(v) ? `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)} ${unit}` : '–');

export interface CompareViewProps {
  mix: Measurement | null;
  reference: Measurement | null;
  /** Shown instead of numbers while they are measured, or why they could not be. */
  status?: string;
  referenceName?: string;
  onClose?(): void;
}

/** Both spectra as grouped bars, the reference shifted by the loudness match so the shapes compare. */
function SpectrumChart({ mix, reference, shift }: { mix: ThirdOctaveBand[]; reference: ThirdOctaveBand[]; shift: number }) {
  const rows = mix.map((b, i) => ({ centre: b.centre, mix: b.level, reference: (reference[i]?.level ?? -Infinity) + shift }));
  const top = Math.ceil(Math.max(-200, ...rows.flatMap((r) => [r.mix, r.reference]).filter(Number.isFinite)) / 10) * 10;
  const floor = top - RANGE_DB;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, rows.length);
  const y = (db: number) => PAD.top + ((top - Math.max(floor, Math.min(top, db))) / RANGE_DB) * plotH;
  const bar = (db: number, x: number, cls: string, key: string) =>
    Number.isFinite(db) && db > floor ? <rect key={key} className={cls} x={x} y={y(db)} width={step * 0.38} height={y(floor) - y(db)} /> : null;
  const gridLines = Array.from({ length: RANGE_DB / 10 + 1 }, (_, k) => top - k * 10);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="compare-chart"
      role="img"
      aria-label={`1/3-octave spectrum of the mix and the reference, ${rows[0]?.centre ?? 25} Hz to ${hz(rows[rows.length - 1]?.centre ?? 20000)}Hz, ${floor} to ${top} dB`}
    >
      {gridLines.map((db) => (
        <g key={db}>
          <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={y(db)} y2={y(db)} />
          <text className="axis" x={PAD.left - 4} y={y(db) + 3} textAnchor="end">
            {db}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const x = PAD.left + i * step + step * 0.1;
        return (
          <g key={r.centre}>
            {bar(r.mix, x, 'series-mix', 'm')}
            {bar(r.reference, x + step * 0.4, 'series-reference', 'r')}
            {TICKS.has(r.centre) && (
              <text className="axis" x={x + step * 0.4} y={H - 8} textAnchor="middle">
                {hz(r.centre)}
              </text>
            )}
          </g>
        );
      })}
      <text className="axis" x={W - PAD.right} y={H - 8} textAnchor="end">
        Hz
      </text>
      <text className="axis" x={4} y={PAD.top + 8}>
        dB
      </text>
    </svg>
  );
}

/** The comparison itself, from two measurements: a table of loudness figures and the spectra. */
export function CompareView({ mix, reference, status, referenceName = 'Reference', onClose }: CompareViewProps) {
  const shift = mix && reference ? matchTrim(mix.loudness, reference.loudness) : 0;
  const rows = mix && reference
    ? [
        { name: 'Integrated loudness', unit: 'LUFS', a: mix.loudness.integrated, b: reference.loudness.integrated },
        { name: 'Loudness range', unit: 'LU', a: mix.loudness.lra, b: reference.loudness.lra },
        { name: 'True peak', unit: 'dBTP', a: mix.loudness.truePeak, b: reference.loudness.truePeak },
        { name: 'Loudest short-term', unit: 'LUFS', a: mix.loudness.shortTermMax, b: reference.loudness.shortTermMax },
      ]
    : [];
  return (
    <Dialog title="Compare with the reference" className="compare-panel" closeLabel="Close comparison" onClose={onClose}>
      {!mix || !reference ? (
        <p className="compare-status" role="status">
          {status ?? 'Measuring…'}
        </p>
      ) : (
        <>
          <h3>Loudness</h3>
          <table className="compare-table">
            <thead>
              <tr>
                <td />
                <th scope="col">Mix</th>
                <th scope="col">{referenceName}</th>
                <th scope="col">Mix − reference</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name}>
                  <th scope="row">{r.name}</th>
                  <td data-column="mix">{formatLufs(r.a, r.unit)}</td>
                  <td data-column="reference">{formatLufs(r.b, r.unit)}</td>
                  <td>{signed(r.a - r.b, r.unit === 'LUFS' ? 'LU' : r.unit === 'dBTP' ? 'dB' : r.unit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Spectrum (1/3 octave)</h3>
          <ul className="compare-legend" aria-label="Legend">
            <li>
              <span className="swatch swatch-mix" aria-hidden="true" />
              Mix
            </li>
            <li>
              <span className="swatch swatch-reference" aria-hidden="true" />
              {referenceName}, loudness-matched ({signed(shift, 'dB')})
            </li>
          </ul>
          <SpectrumChart mix={mix.spectrum} reference={reference.spectrum} shift={shift} />
          <details>
            <summary>Band levels as a table</summary>
            <table className="compare-table">
              <thead>
                <tr>
                  <th scope="col">Band</th>
                  <th scope="col">Mix</th>
                  <th scope="col">{referenceName} (matched)</th>
                </tr>
              </thead>
              <tbody>
                {mix.spectrum.map((b, i) => (
                  <tr key={b.centre}>
                    <th scope="row">{hz(b.centre)}Hz</th>
                    <td>{formatLufs(b.level, 'dB')}</td>
                    <td>{formatLufs((reference.spectrum[i]?.level ?? -Infinity) + shift, 'dB')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </Dialog>
  );
}

/** The comparison panel for the session's reference: measures both (cached) and shows CompareView. */
export function ComparePanel({ onClose }: { onClose(): void }) {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const reference = useMemo(() => referenceOf(doc), [doc]);
  const [result, setResult] = useState<{ mix: Measurement; reference: Measurement } | null>(null);
  const [status, setStatus] = useState('Measuring the mix (offline bounce) and the reference…');
  const source = reference?.source ?? '';
  // Re-measured only when the sound changes, not when a node moves.
  const key = useMemo(() => mixKey(doc), [doc]);
  useEffect(() => {
    let live = true;
    setResult(null);
    if (!source) {
      setStatus('This session has no reference file: add one with "Add reference…".');
      return;
    }
    setStatus('Measuring the mix (offline bounce) and the reference…');
    const analysis = analysisFor(audio);
    Promise.all([analysis.measureMix(store.getState().doc), analysis.measureReference(source)]).then(
      ([mix, ref]) => live && setResult({ mix, reference: ref }),
      (err: Error) => live && setStatus(`Could not measure: ${err.message}`),
    );
    return () => {
      live = false;
    };
  }, [audio, store, key, source]);
  const name = doc.nodes.find((n) => n.id === reference?.id)?.label || 'Reference';
  return <CompareView mix={result?.mix ?? null} reference={result?.reference ?? null} status={status} referenceName={name} onClose={onClose} />;
}
