import { LiveMeter } from '../loudness/LoudnessView.tsx';
import type { NodeViewProps } from '../view.ts';

/** What the limiter does now: its gain reduction, and its output level against the ceiling. */
export function LimiterView({ params, live }: NodeViewProps) {
  const ceiling = params.ceiling as number;
  return (
    <div className="mastering-view limiter-view" role="group" aria-label="Limiter readings">
      <LiveMeter onFrame={live.onFrame} label="Limiter gain reduction" short="GR" unit="dB" min={0} max={12} from="min" read={() => live.read('reduction') ?? live.reduction()} />
      <LiveMeter
        onFrame={live.onFrame}
        label={`Limiter output peak (ceiling ${ceiling} dBTP)`}
        short="Out"
        unit="dB"
        min={-30}
        max={3}
        marks={[{ value: ceiling, label: `Ceiling ${ceiling} dBTP` }]}
        read={() => {
          const db = live.peakDb();
          return db <= -120 ? undefined : db;
        }}
      />
      <p className="mastering-note">
        Ceiling <strong>{ceiling.toFixed(1)} dBTP</strong>: the line on the output meter.
      </p>
    </div>
  );
}
