import { LiveMeter } from '../loudness/LoudnessView.tsx';
import type { NodeViewProps } from '../view.ts';

const W = 300;
const H = 44;
const F_MIN = 20;
const F_MAX = 20000;
const x = (f: number) => (Math.log(f / F_MIN) / Math.log(F_MAX / F_MIN)) * W;
const hz = (f: number) => (f >= 1000 ? `${+(f / 1000).toFixed(2)} kHz` : `${Math.round(f)} Hz`);

/** The three bands on a frequency axis (split at the two crossovers) and each band's gain reduction. */
export function MultibandView({ params, live }: NodeViewProps) {
  const low = params.low as number;
  const high = Math.max(low, params.high as number);
  const bands = [
    { key: 'low', name: 'Low', range: `below ${hz(low)}`, from: F_MIN, to: low },
    { key: 'mid', name: 'Mid', range: `${hz(low)} to ${hz(high)}`, from: low, to: high },
    { key: 'high', name: 'High', range: `above ${hz(high)}`, from: high, to: F_MAX },
  ] as const;
  return (
    <div className="mastering-view multiband-view" role="group" aria-label="Multiband readings">
      <svg viewBox={`0 0 ${W} ${H}`} className="band-split" role="img" aria-label={`Crossovers at ${hz(low)} and ${hz(high)}`}>
        {bands.map((b) => (
          <g key={b.key} className={`band band-${b.key}`}>
            <rect x={x(b.from)} y={4} width={Math.max(0, x(b.to) - x(b.from))} height={H - 20} />
            <text x={(x(b.from) + x(b.to)) / 2} y={20} textAnchor="middle">
              {b.name}
            </text>
          </g>
        ))}
        {[low, high].map((f, i) => (
          <g key={i} className="crossover">
            <line x1={x(f)} x2={x(f)} y1={0} y2={H - 14} />
            <text x={x(f)} y={H - 2} textAnchor="middle">
              {hz(f)}
            </text>
          </g>
        ))}
      </svg>
      {bands.map((b) => (
        <LiveMeter key={b.key} onFrame={live.onFrame} label={`${b.name} band gain reduction (${b.range})`} short={b.name} unit="dB" min={0} max={12} read={() => live.read(`${b.key}Reduction`)} />
      ))}
    </div>
  );
}
