import { memo, useEffect, useRef } from 'react';
import { SILENCE_DB } from '../audio.ts';
import { onFrame } from './hub.ts';

export const METER_FLOOR = -60;
const SILENT = String(SILENCE_DB);

export interface MeterProps {
  /** What it measures, read out by screen readers: "Master level", "Kick level". */
  label: string;
  /** Returns the current level in dBFS (or dB of gain reduction). */
  read: () => number;
  orientation?: 'horizontal' | 'vertical';
  /** 'level' fills from the floor up; 'reduction' fills from 0 down (a compressor's gain reduction). */
  kind?: 'level' | 'reduction';
  min?: number;
  max?: number;
}

/**
 * A level meter: role="meter" with aria-valuenow in dBFS, updated every frame while
 * audio plays. Peak hold falls back at 20 dB per second so short peaks stay visible.
 */
export const Meter = memo(function Meter({ label, read, orientation = 'horizontal', kind = 'level', min = METER_FLOOR, max = 0 }: MeterProps) {
  const bar = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const text = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let held = SILENCE_DB;
    let last = performance.now();
    let shown = '';
    let drawn = -1;
    return onFrame((now) => {
      const db = read();
      // Silent and already drawn silent (most meters, and all of them before Play): nothing to do.
      if (db <= SILENCE_DB && held <= SILENCE_DB && drawn === 0 && shown === SILENT) {
        last = now;
        return;
      }
      held = Math.max(db, held - ((now - last) / 1000) * 20);
      last = now;
      const value = kind === 'reduction' ? db : held;
      const clamped = Math.min(max, Math.max(min, value));
      const fraction = (clamped - min) / (max - min);
      // Write the style only when the bar moves: a silent meter (most of them) costs no style work.
      if (bar.current && fraction !== drawn) {
        drawn = fraction;
        bar.current.style.transform = orientation === 'horizontal' ? `scaleX(${fraction})` : `scaleY(${fraction})`;
      }
      const rounded = value <= SILENCE_DB ? SILENT : value.toFixed(1);
      if (rounded !== shown && root.current) {
        shown = rounded;
        root.current.setAttribute('aria-valuenow', rounded);
        root.current.setAttribute('aria-valuetext', value <= min ? `below ${min} dB` : `${rounded} dB`);
        if (text.current) text.current.textContent = value <= min ? '-∞' : rounded;
        root.current.dataset.clip = value > -0.1 && kind === 'level' ? 'true' : 'false';
      }
    });
  }, [read, kind, min, max, orientation]);
  return (
    <div
      ref={root}
      className={`meter meter-${orientation} meter-${kind}`}
      role="meter"
      aria-label={label}
      // The spoken range covers silence and overs, beyond what the bar draws.
      aria-valuemin={kind === 'level' ? SILENCE_DB : min}
      aria-valuemax={kind === 'level' ? 24 : max}
      aria-valuenow={kind === 'level' ? SILENCE_DB : min}
    >
      <div className="meter-track">
        <div ref={bar} className="meter-bar" />
      </div>
      <span ref={text} className="meter-value" aria-hidden="true">
        -∞
      </span>
    </div>
  );
});
