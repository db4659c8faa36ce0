import { useRef, type PointerEvent } from 'react';
import { cookbook, magnitudeDb } from '../../src/dsp/biquad.ts';
import type { NodeViewProps } from '../view.ts';
import type { Band } from './definition.ts';

const W = 320;
const H = 160;
const F_MIN = 20;
const F_MAX = 20000;
const DB_RANGE = 24;
const SR = 48000;

const xOf = (f: number) => (Math.log(f / F_MIN) / Math.log(F_MAX / F_MIN)) * W;
const fOf = (x: number) => F_MIN * Math.pow(F_MAX / F_MIN, Math.min(1, Math.max(0, x / W)));
const yOf = (db: number) => H / 2 - (db / DB_RANGE) * (H / 2);
const dbOf = (y: number) => Math.max(-DB_RANGE, Math.min(DB_RANGE, ((H / 2 - y) / (H / 2)) * DB_RANGE));
const hasGain = (t: string) => t === 'peaking' || t === 'lowshelf' || t === 'highshelf';

/** The EQ's summed magnitude response (Cookbook), with a draggable handle per band. */
export function EqView({ params, setParam, beginGesture, endGesture }: NodeViewProps) {
  const bands = params.bands as unknown as Band[];
  const svg = useRef<SVGSVGElement>(null);
  const dragging = useRef<number | null>(null);
  const active = bands.map((b) => (b.enabled === false ? null : cookbook(b.type, b.frequency, b.q, b.gain, SR)));
  const points: string[] = [];
  for (let x = 0; x <= W; x += 2) {
    const f = fOf(x);
    let db = 0;
    for (const c of active) if (c) db += magnitudeDb(c, f, SR);
    points.push(`${x},${Math.max(0, Math.min(H, yOf(db))).toFixed(1)}`);
  }
  const move = (e: PointerEvent<SVGSVGElement>) => {
    const i = dragging.current;
    if (i === null || !svg.current) return;
    const box = svg.current.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * W;
    const y = ((e.clientY - box.top) / box.height) * H;
    const next = bands.map((b, k) =>
      k === i ? { ...b, frequency: Math.round(fOf(x)), gain: hasGain(b.type) ? Math.round(dbOf(y) * 10) / 10 : b.gain } : b,
    );
    setParam('bands', next as unknown as Record<string, unknown>[]);
  };
  const end = () => {
    if (dragging.current === null) return;
    dragging.current = null;
    endGesture();
  };
  return (
    <svg
      ref={svg}
      className="eq-curve"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="EQ magnitude response"
      onPointerMove={move}
      onPointerUp={end}
      onPointerLeave={end}
    >
      {[100, 1000, 10000].map((f) => (
        <line key={f} x1={xOf(f)} x2={xOf(f)} y1={0} y2={H} className="grid" />
      ))}
      {[-12, 0, 12].map((db) => (
        <line key={db} x1={0} x2={W} y1={yOf(db)} y2={yOf(db)} className={db === 0 ? 'grid zero' : 'grid'} />
      ))}
      <polyline points={points.join(' ')} className="curve" />
      {bands.map((b, i) =>
        b.enabled === false ? null : (
          <circle
            key={i}
            cx={xOf(b.frequency)}
            cy={yOf(hasGain(b.type) ? b.gain : 0)}
            r={6}
            className="band-handle"
            data-band={i}
            onPointerDown={(e) => {
              (e.target as Element).setPointerCapture?.(e.pointerId);
              dragging.current = i;
              beginGesture();
            }}
          >
            <title>{`Band ${i + 1}: ${b.type} ${b.frequency} Hz`}</title>
          </circle>
        ),
      )}
    </svg>
  );
}
