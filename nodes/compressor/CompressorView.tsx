import { useEffect, useRef } from 'react';
import { staticCurve } from '../../src/dsp/compressor.ts';
import type { NodeViewProps } from '../view.ts';

const SIZE = 160;
const FLOOR = -60;
const pos = (db: number) => ((db - FLOOR) / -FLOOR) * SIZE;

/** Transfer curve (input level to output level) and the gain reduction applied right now. */
export function CompressorView({ params, live }: NodeViewProps) {
  const s = { threshold: params.threshold as number, ratio: params.ratio as number, knee: params.knee as number };
  const makeup = params.makeup as number;
  const points: string[] = [];
  for (let x = FLOOR; x <= 0; x += 0.5) points.push(`${pos(x)},${SIZE - pos(Math.min(0, staticCurve(x, s) + makeup))}`);
  const bar = useRef<HTMLDivElement>(null);
  const meter = useRef<HTMLDivElement>(null);
  useEffect(
    () =>
      live.onFrame(() => {
        const gr = live.reduction();
        if (bar.current) bar.current.style.transform = `scaleY(${Math.min(1, gr / 24)})`;
        meter.current?.setAttribute('aria-valuenow', gr.toFixed(1));
      }),
    [live],
  );
  return (
    <div className="compressor-view">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} className="transfer-curve" role="img" aria-label="Compressor transfer curve">
        <line x1={0} y1={SIZE} x2={SIZE} y2={0} className="grid" />
        <line x1={pos(s.threshold)} x2={pos(s.threshold)} y1={0} y2={SIZE} className="grid threshold" />
        <polyline points={points.join(' ')} className="curve" />
      </svg>
      <div ref={meter} className="gr-meter" role="meter" aria-label="Gain reduction" aria-valuemin={0} aria-valuemax={24} aria-valuenow={0}>
        <div ref={bar} className="gr-bar" />
        <span>GR</span>
      </div>
    </div>
  );
}
