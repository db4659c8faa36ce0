import { LiveMeter } from '../loudness/LoudnessView.tsx';
import type { NodeViewProps } from '../view.ts';

/**
 * Phase correlation (+1 mono, 0 unrelated, -1 cancelling in mono) and the width setting, drawn
 * as the stereo image it gives: a centre (mid) and sides scaled by the width.
 */
export function StereoView({ params, live }: NodeViewProps) {
  const width = params.width as number;
  const monoBelow = params.monoBelow as number;
  const side = Math.min(1, width / 2) * 100;
  return (
    <div className="mastering-view stereo-view" role="group" aria-label="Stereo readings">
      <LiveMeter onFrame={live.onFrame} label="Correlation" short="Corr" unit="" digits={2} min={-1} max={1} from={0} read={() => live.read('correlation')} />
      <div className="stereo-image" role="img" aria-label={`Width ${width.toFixed(2)}: ${width === 0 ? 'mono' : width < 1 ? 'narrower' : width > 1 ? 'wider' : 'unchanged'}`}>
        <div className="stereo-image-spread" style={{ left: `${50 - side / 2}%`, width: `${side}%` }} />
        <div className="stereo-image-centre" />
        <span className="stereo-image-edge">L</span>
        <span className="stereo-image-edge right">R</span>
      </div>
      <p className="mastering-note">
        Width <strong>{width.toFixed(2)}</strong>
        {monoBelow > 0 ? (
          <>
            , mono below <strong>{Math.round(monoBelow)} Hz</strong>
          </>
        ) : null}
      </p>
    </div>
  );
}
