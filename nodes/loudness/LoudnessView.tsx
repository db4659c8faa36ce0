import { useEffect, useRef } from 'react';
import type { NodeViewProps } from '../view.ts';

export interface LiveMeterProps {
  /** What it measures, as screen readers announce it: "Integrated loudness". */
  label: string;
  /** The short name drawn beside the bar ("I"); the label when omitted. */
  short?: string;
  unit: string;
  min: number;
  max: number;
  /** The current value; undefined or not finite before there is one (silence, gating). */
  read: () => number | undefined;
  onFrame: NodeViewProps['live']['onFrame'];
  /** Where the bar grows from: `min` (levels), `max` (gain reduction hangs from the top) or a value (0 for ±). */
  from?: 'min' | 'max' | number;
  digits?: number;
  /** Fixed lines across the track: a target, a ceiling. */
  marks?: readonly { value: number; label: string }[];
}

/**
 * A horizontal meter for a node's live reading: role="meter" with the value in its unit as
 * aria-valuenow (clamped to the range, the exact figure in aria-valuetext), redrawn on the
 * editor's frame loop and only when the shown figure changes.
 */
export function LiveMeter({ label, short, unit, min, max, read, onFrame, from = 'min', digits = 1, marks = [] }: LiveMeterProps) {
  const root = useRef<HTMLDivElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  const text = useRef<HTMLSpanElement>(null);
  const pct = (v: number) => ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * 100;
  const origin = from === 'min' ? min : from === 'max' ? max : from;
  // Views pass `read` inline: held in a ref so a re-render does not re-subscribe to the frame loop.
  const reader = useRef(read);
  reader.current = read;
  useEffect(() => {
    let shown: string | null = null;
    return onFrame(() => {
      const value = reader.current();
      const finite = value !== undefined && Number.isFinite(value);
      const rounded = finite ? value.toFixed(digits) : '';
      if (rounded === shown || !root.current) return;
      shown = rounded;
      const el = root.current;
      el.setAttribute('aria-valuenow', finite ? String(Math.min(max, Math.max(min, Number(rounded)))) : String(min));
      el.setAttribute('aria-valuetext', finite ? `${rounded}${unit ? ` ${unit}` : ''}` : 'no reading yet');
      el.dataset.value = rounded;
      if (text.current) text.current.textContent = finite ? rounded : '–';
      if (bar.current) {
        const a = pct(finite ? value : origin);
        const b = pct(origin);
        bar.current.style.left = `${Math.min(a, b)}%`;
        bar.current.style.width = `${Math.abs(a - b)}%`;
      }
    });
    // pct depends only on min and max
  }, [onFrame, digits, unit, min, max, origin]);
  return (
    <div
      ref={root}
      className={`live-meter live-meter-from-${typeof from === 'number' ? 'value' : from}`}
      role="meter"
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={min}
      aria-valuetext="no reading yet"
      data-value=""
    >
      <span className="live-meter-name" aria-hidden="true">
        {short ?? label}
      </span>
      <div className="live-meter-track">
        <div ref={bar} className="live-meter-bar" />
        {typeof from === 'number' && <div className="live-meter-origin" style={{ left: `${pct(from)}%` }} />}
        {marks.map((m) => (
          <div key={m.label} className="live-meter-mark" style={{ left: `${pct(m.value)}%` }} title={m.label} />
        ))}
      </div>
      <span className="live-meter-value" aria-hidden="true">
        <span ref={text}>–</span>
        {unit && <small> {unit}</small>}
      </span>
    </div>
  );
}

const LUFS_MIN = -60;
const LUFS_MAX = 0;

/**
 * EBU R 128 meter: momentary, short-term and integrated loudness against the target, loudness
 * range, true peak, and how far the integrated loudness is from the target.
 */
export function LoudnessView({ params, live }: NodeViewProps) {
  const target = params.target as number;
  const marks = [{ value: target, label: `Target ${target} LUFS` }];
  const { onFrame, read } = live;
  const m = { onFrame };
  return (
    <div className="mastering-view loudness-view" role="group" aria-label="Loudness readings">
      <LiveMeter {...m} label="Momentary loudness" short="M" unit="LUFS" min={LUFS_MIN} max={LUFS_MAX} marks={marks} read={() => read('momentary')} />
      <LiveMeter {...m} label="Short-term loudness" short="S" unit="LUFS" min={LUFS_MIN} max={LUFS_MAX} marks={marks} read={() => read('shortTerm')} />
      <LiveMeter {...m} label="Integrated loudness" short="I" unit="LUFS" min={LUFS_MIN} max={LUFS_MAX} marks={marks} read={() => read('integrated')} />
      <LiveMeter {...m} label="Loudness range" short="LRA" unit="LU" min={0} max={30} read={() => read('range')} />
      <LiveMeter {...m} label="True peak" short="TP" unit="dBTP" min={-30} max={3} marks={[{ value: -1, label: 'Streaming ceiling -1 dBTP' }]} read={() => read('truePeak')} />
      <LiveMeter {...m} label={`Difference to target (${target} LUFS)`} short="Δ" unit="LU" min={-12} max={12} from={0} read={() => read('delta')} />
    </div>
  );
}
