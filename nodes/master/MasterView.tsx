import { useEffect, useRef } from 'react';
import type { NodeViewProps } from '../view.ts';

const W = 320;
const H = 120;
const F_MIN = 20;
const F_MAX = 20000;
const DB_MIN = -100;
const DB_MAX = -10;

/** A spectrum analyser of what reaches the master, drawn every frame on a canvas. */
export function MasterView({ live }: NodeViewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(
    () =>
      live.onFrame(() => {
        const c = canvas.current?.getContext('2d');
        const spectrum = live.spectrum();
        if (!c || !spectrum) return;
        const { data, sampleRate } = spectrum;
        c.clearRect(0, 0, W, H);
        c.beginPath();
        for (let x = 0; x < W; x++) {
          const f = F_MIN * Math.pow(F_MAX / F_MIN, x / W);
          const bin = Math.min(data.length - 1, Math.round((f / (sampleRate / 2)) * data.length));
          const db = Math.max(DB_MIN, Math.min(DB_MAX, data[bin]));
          const y = H - ((db - DB_MIN) / (DB_MAX - DB_MIN)) * H;
          if (x === 0) c.moveTo(x, y);
          else c.lineTo(x, y);
        }
        c.strokeStyle = '#e6b422';
        c.lineWidth = 1.5;
        c.stroke();
      }),
    [live],
  );
  return <canvas ref={canvas} width={W} height={H} className="spectrum" role="img" aria-label="Master spectrum analyser" />;
}
