// Offline renders through the runtime: a plan in, the master's stereo output out, lined up with
// its sources (the same latency compensation as the engine's bounce: parallel paths aligned, the
// output latency rendered extra and dropped from the start). `OfflineRender` hands out the audio
// chunk by chunk (a host streaming to disk or posting from a Worker); `bounce` collects it.
import type { SourceAudio } from '../../nodes/define.ts';
import { prepareBounce } from '../compiler/latency.ts';
import type { Plan } from '../compiler/plan.ts';
import { Runtime } from './runtime.ts';

export interface OfflineSetup {
  sampleRate: number;
  /** Frames of output wanted (the render runs longer inside by the plan's latency). */
  frames: number;
  sources?: (name: string) => SourceAudio | undefined;
  /** The runtime's block length (128 by default). Any length gives the same samples. */
  blockSize?: number;
  /** Meter every port while rendering (off by default: nobody reads them offline). */
  meters?: boolean;
  /** Ramp time constant (s), 0.005 by default. */
  smoothing?: number;
}

export class OfflineRender {
  readonly runtime: Runtime;
  /** Frames dropped from the start: the output latency of the plan (a lookahead limiter's). */
  readonly latencyFrames: number;
  readonly frames: number;
  private done = 0;
  private skipped = 0;
  private readonly scratch: Float32Array[];

  constructor(plan: Plan, setup: OfflineSetup) {
    const { plan: aligned, latencyFrames } = prepareBounce(plan, setup.sampleRate);
    this.latencyFrames = latencyFrames;
    this.frames = setup.frames;
    this.runtime = new Runtime({
      sampleRate: setup.sampleRate,
      blockSize: setup.blockSize,
      sources: setup.sources,
      meters: setup.meters ?? false,
      smoothing: setup.smoothing ?? 0.005,
    });
    this.runtime.update(aligned);
    this.runtime.start(0);
    this.scratch = [new Float32Array(this.runtime.blockSize), new Float32Array(this.runtime.blockSize)];
  }

  /** Frames still to come. */
  get remaining(): number {
    return this.frames - this.done;
  }

  /** Up to `max` frames into out[0], out[1] from `at`; returns how many (0 at the end). */
  next(out: readonly Float32Array[], max: number, at = 0): number {
    const rt = this.runtime;
    while (this.skipped < this.latencyFrames) {
      const n = Math.min(rt.blockSize, this.latencyFrames - this.skipped);
      rt.process(this.scratch, n);
      this.skipped += n;
    }
    const n = Math.min(max, this.remaining);
    rt.render(out, n, at);
    this.done += n;
    return n;
  }

  dispose(): void {
    this.runtime.dispose();
  }
}

/**
 * Render a plan offline so the file lines up with its sources: returns `frames` frames of stereo.
 * `onProgress(fraction)` is called every `every` frames of audio, then with 1.
 */
export function bounce(plan: Plan, setup: OfflineSetup & { onProgress?: (fraction: number) => void; every?: number }): Float32Array[] {
  const render = new OfflineRender(plan, setup);
  const out = [new Float32Array(setup.frames), new Float32Array(setup.frames)];
  const every = Math.max(render.runtime.blockSize, Math.round(setup.every ?? setup.sampleRate * 10));
  try {
    for (let at = 0; at < setup.frames; ) {
      const n = render.next(out, Math.min(every, setup.frames - at), at);
      at += n;
      if (at < setup.frames) setup.onProgress?.(at / setup.frames);
    }
    setup.onProgress?.(1);
    return out;
  } finally {
    render.dispose();
  }
}
