// Offline renders through the runtime: a plan in, the master's stereo output out, lined up with
// its sources (the same latency compensation as the engine's bounce: parallel paths aligned, the
// output latency rendered extra and dropped from the start). `OfflineRender` hands out the audio
// block by block or chunk by chunk (a host streaming to disk or posting from a Worker); `bounce`
// collects it. `ChainRender` runs part of a plan for a parallel render (src/runtime/split.ts).
//
// The timeline is cut into whole blocks from its first frame, latency included: block b is frames
// [b·blockSize, (b + 1)·blockSize) wherever it runs, so a chain rendered on another thread and
// the main thread's stand-in for it meet on the same blocks (and the samples do not depend on the
// blocks anyway: every processor is split-invariant).
import type { AudioBus, NodeProcessor, ProcessorContext, SourceAudio } from '../../nodes/define.ts';
import { prepareBounce } from '../compiler/latency.ts';
import type { Plan, PlanNode } from '../compiler/plan.ts';
import { Runtime, type BypassMatching } from './runtime.ts';
import type { ChainExit, ExitChunk } from './split.ts';

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
  /** Processors a host supplies itself (see RuntimeOptions.processor). */
  processor?: (node: PlanNode, ctx: ProcessorContext) => NodeProcessor | undefined;
  /** The plan is already aligned (prepareBounce done) and has this output latency. */
  aligned?: { latencyFrames: number };
  /** Gain-matched bypass (a listening aid: an export never sets it; see Runtime.matchBypass). */
  matchBypass?: BypassMatching;
}

export class OfflineRender {
  readonly runtime: Runtime;
  /** Frames dropped from the start: the output latency of the plan (a lookahead limiter's). */
  readonly latencyFrames: number;
  readonly frames: number;
  /** Frames of the whole timeline: the latency, then the output. */
  readonly totalFrames: number;
  /** The last block processed (its first `blockFrames` frames). */
  readonly block: [Float32Array, Float32Array];
  private blockStart = 0;
  private blockFrames = 0;
  private done = 0;
  /** Where the output's next frame lies in `block`. */
  private taken = 0;

  constructor(plan: Plan, setup: OfflineSetup) {
    const prepared = setup.aligned ? { plan, latencyFrames: setup.aligned.latencyFrames } : prepareBounce(plan, setup.sampleRate);
    this.latencyFrames = prepared.latencyFrames;
    this.frames = setup.frames;
    this.totalFrames = this.latencyFrames + this.frames;
    this.runtime = new Runtime({
      sampleRate: setup.sampleRate,
      blockSize: setup.blockSize,
      sources: setup.sources,
      meters: setup.meters ?? false,
      smoothing: setup.smoothing ?? 0.005,
      processor: setup.processor,
      matchBypass: setup.matchBypass,
    });
    this.runtime.update(prepared.plan);
    this.runtime.start(0);
    this.block = [new Float32Array(this.runtime.blockSize), new Float32Array(this.runtime.blockSize)];
  }

  /** Frames of output still to come. */
  get remaining(): number {
    return this.frames - this.done;
  }

  /** Blocks in the timeline. */
  get blocks(): number {
    return Math.ceil(this.totalFrames / this.runtime.blockSize);
  }

  /**
   * Process the next block of the timeline. Returns where its output frames lie in `block`
   * (none while the latency is being dropped), or null after the last block.
   */
  step(): { offset: number; count: number; frames: number } | null {
    const start = this.blockStart + this.blockFrames;
    if (start >= this.totalFrames) return null;
    const n = Math.min(this.runtime.blockSize, this.totalFrames - start);
    this.runtime.process(this.block, n);
    this.blockStart = start;
    this.blockFrames = n;
    const offset = Math.max(0, this.latencyFrames - start);
    const count = Math.max(0, n - offset);
    this.done += count;
    this.taken = n;
    return { offset, count, frames: n };
  }

  /** Up to `max` frames into out[0], out[1] from `at`; returns how many (0 at the end). */
  next(out: readonly Float32Array[], max: number, at = 0): number {
    let written = 0;
    while (written < max) {
      if (this.taken >= this.blockFrames) {
        const r = this.step();
        if (!r) break;
        this.taken = r.offset;
        continue;
      }
      const n = Math.min(max - written, this.blockFrames - this.taken);
      const [l, r] = this.block;
      const ol = out[0];
      const or = out[1] ?? out[0];
      for (let i = 0; i < n; i++) ol[at + written + i] = l[this.taken + i];
      if (or !== ol) for (let i = 0; i < n; i++) or[at + written + i] = r[this.taken + i];
      this.taken += n;
      written += n;
    }
    return written;
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
      if (n === 0) break;
      at += n;
      if (at < setup.frames) setup.onProgress?.(at / setup.frames);
    }
    setup.onProgress?.(1);
    return out;
  } finally {
    render.dispose();
  }
}

export interface ChainSetup {
  sampleRate: number;
  /** Frames of the whole timeline (the main render's totalFrames). */
  totalFrames: number;
  sources?: (name: string) => SourceAudio | undefined;
  blockSize?: number;
  smoothing?: number;
}

/**
 * Chains of a split plan (their nodes only, no master), rendered on the timeline's block grid; each
 * chunk holds every exit port's output and channel count per block, for the main thread's stand-ins.
 */
export class ChainRender {
  readonly runtime: Runtime;
  private readonly exits: AudioBus[];
  private readonly scratch: Float32Array[];
  private position = 0;

  constructor(
    plan: Plan,
    readonly exitPorts: readonly ChainExit[],
    private readonly setup: ChainSetup,
  ) {
    this.runtime = new Runtime({ sampleRate: setup.sampleRate, blockSize: setup.blockSize, sources: setup.sources, meters: false, smoothing: setup.smoothing ?? 0.005 });
    this.runtime.update(plan);
    this.runtime.start(0);
    this.exits = exitPorts.map((x) => this.runtime.outputBus(x.id, x.port));
    this.scratch = [new Float32Array(this.runtime.blockSize), new Float32Array(this.runtime.blockSize)];
  }

  get done(): boolean {
    return this.position >= this.setup.totalFrames;
  }

  /** Frames per chunk of `blocks` blocks. */
  chunkFrames(blocks: number): number {
    return blocks * this.runtime.blockSize;
  }

  /** The next `blocks` blocks (fewer at the end) into `into` (buffers reused) or new buffers; null when done. */
  next(blocks: number, into?: ExitChunk): ExitChunk | null {
    if (this.done) return null;
    const size = this.runtime.blockSize;
    const capacity = blocks * size;
    const count = this.exits.length;
    const chunk: ExitChunk =
      into && into.data.length === 2 * count && into.data[0].length >= capacity && into.channels.length === count * blocks
        ? into
        : { frames: 0, data: Array.from({ length: 2 * count }, () => new Float32Array(capacity)), channels: new Uint8Array(count * blocks) };
    let frames = 0;
    for (let b = 0; b < blocks && this.position < this.setup.totalFrames; b++) {
      const n = Math.min(size, this.setup.totalFrames - this.position);
      this.runtime.process(this.scratch, n);
      for (let k = 0; k < count; k++) {
        const bus = this.exits[k];
        chunk.channels[k * blocks + b] = bus.channels;
        chunk.data[2 * k].set(n === size ? bus.data[0] : bus.data[0].subarray(0, n), frames);
        if (bus.channels > 1) chunk.data[2 * k + 1].set(n === size ? bus.data[1] : bus.data[1].subarray(0, n), frames);
      }
      frames += n;
      this.position += n;
    }
    chunk.frames = frames;
    return chunk;
  }

  dispose(): void {
    this.runtime.dispose();
  }
}
