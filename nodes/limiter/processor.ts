import { LimiterCore } from '../../src/dsp/limiter.ts';
import { Ramp } from '../../src/dsp/ramp.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

/** Ceiling and release move at most every GRID frames while they glide (on a grid from creation). */
const GRID = 32;

/**
 * The true-peak lookahead limiter (src/dsp/limiter.ts), stereo-linked, stereo out. Ceiling and
 * release glide at control rate; a new lookahead takes effect at once (it moves the delay line's
 * read point: a glide would re-seat it on every step).
 */
export function limiterProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const core = new LimiterCore(ctx.sampleRate, 2);
  const ceiling = new Ramp(num(params, 'ceiling'), ctx.glide);
  const release = new Ramp(num(params, 'release'), ctx.glide);
  core.configure({ ceiling: ceiling.value, release: release.value, lookahead: num(params, 'lookahead') });
  let t = 0;
  const ins: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  const outs: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  const sub: Float32Array[][] = [];
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = 2;
      ins[0] = input.data[0];
      ins[1] = input.channels > 1 ? input.data[1] : input.data[0];
      outs[0] = out.data[0];
      outs[1] = out.data[1];
      if (!ceiling.moving && !release.moving) {
        core.process(ins, outs, n);
        t += n;
        return;
      }
      // Gliding: configure at each grid point, process the stretches between them
      let reduction = 0;
      for (let i = 0; i < n; ) {
        if (t % GRID === 0) core.configure({ ceiling: ceiling.advance(GRID), release: release.advance(GRID) });
        const end = Math.min(n, i + GRID - (t % GRID));
        core.process(views(sub, 0, ins, i, end), views(sub, 1, outs, i, end), end - i);
        reduction = Math.max(reduction, core.reduction);
        t += end - i;
        i = end;
      }
      core.reduction = reduction;
    },
    set(name, _value, p) {
      if (name === 'ceiling') ceiling.set(num(p, 'ceiling'));
      else if (name === 'release') release.set(num(p, 'release'));
      else if (name === 'lookahead') core.configure({ lookahead: num(p, 'lookahead') });
    },
    read: (name) => (name === 'reduction' ? core.reduction : undefined),
  };
}

/** Views [from, to) of two channels, kept in `cache[k]` (allocated only while a glide runs). */
function views(cache: Float32Array[][], k: number, channels: Float32Array[], from: number, to: number): Float32Array[] {
  const v = (cache[k] ??= [new Float32Array(0), new Float32Array(0)]);
  v[0] = channels[0].subarray(from, to);
  v[1] = channels[1].subarray(from, to);
  return v;
}
