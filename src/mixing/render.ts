// Offline renders for the analyses, through the runtime (no Web Audio): a plan, the outputs it is
// asked for ("taps": a node's output port) and the speakers, block by block to a consumer, so no
// analysis holds a whole render in memory. Sources come from the host: the CLI opens files
// (src/engine/node.ts openSources), the editor hands over decoded buffers (memorySources).
import type { AudioBus, SourceAudio } from '../../nodes/define.ts';
import type { Plan } from '../compiler/plan.ts';
import { OfflineRender } from '../runtime/render.ts';
import { MemorySource } from '../runtime/source.ts';

/** Readers for the sources a plan plays (one per render: a file reader streams forward). */
export interface SourceSet {
  lookup(name: string): SourceAudio | undefined;
  dispose(): void;
}

/** The session's audio as the analyses see it, at one sample rate. */
export interface AnalysisAudio {
  readonly sampleRate: number;
  /** Frames of a source at `sampleRate`, or undefined when there is none. */
  frames(source: string): number | undefined;
  /** Readers for the sources `plan` plays, for one render. */
  open(plan: Plan): SourceSet | Promise<SourceSet>;
}

/**
 * Decoded audio in memory (the editor's buffers, a test's signals), by source name, every source
 * at `sampleRate` (the runtime plays sources at its own rate).
 */
export function memoryAudio(audio: ReadonlyMap<string, readonly Float32Array[]>, sampleRate: number): AnalysisAudio {
  const made = new Map<string, SourceAudio>();
  const lookup = (name: string) => {
    let s = made.get(name);
    if (!s) {
      const a = audio.get(name);
      if (!a || a.length === 0) return undefined;
      s = new MemorySource(a, sampleRate);
      made.set(name, s);
    }
    return s; // reads are positioned: one reader serves every node and every render
  };
  return {
    sampleRate,
    frames: (name) => audio.get(name)?.[0]?.length,
    open: () => ({ lookup, dispose() {} }),
  };
}

export interface Tap {
  id: string;
  port: string;
}

export interface StreamSetup {
  audio: AnalysisAudio;
  /** Frames of the master's output (taps run as long, the plan's latency included). */
  frames: number;
  signal?: AbortSignal;
  /** Called with the fraction of this render done, about every 10 s of audio. */
  onProgress?: (fraction: number) => void;
}

export interface Block {
  /** Every tap's output for this block, `frames` frames. */
  taps: readonly AudioBus[];
  frames: number;
  /** The speakers (the master's output, latency-compensated): frames [from, from + count) of `speakers`. */
  speakers: readonly [Float32Array, Float32Array];
  from: number;
  count: number;
}

export class AnalysisAborted extends Error {
  constructor() {
    super('the analysis was stopped');
    this.name = 'AnalysisAborted';
  }
}

/** Audio of yielding to the host (a Node event loop, a browser's task queue) between pieces. */
const YIELD_SECONDS = 10;

/**
 * Render `plan` (latency-compensated like an export: the master's output lines up with its
 * sources) and hand every block to `consume`, taps and speakers. Yields to the host every 10 s of
 * audio; stops with AnalysisAborted when `signal` aborts.
 */
export async function streamPlan(plan: Plan, taps: readonly Tap[], setup: StreamSetup, consume: (block: Block) => void): Promise<void> {
  const set = await setup.audio.open(plan);
  const sampleRate = setup.audio.sampleRate;
  let render: OfflineRender | null = null;
  try {
    render = new OfflineRender(plan, { sampleRate, frames: setup.frames, sources: (name) => set.lookup(name) });
    const buses = taps.map((t) => render!.runtime.outputBus(t.id, t.port));
    const block: Block = { taps: buses, frames: 0, speakers: render.block, from: 0, count: 0 };
    const every = YIELD_SECONDS * sampleRate;
    let since = 0;
    let done = 0;
    const total = render.totalFrames;
    for (;;) {
      const step = render.step();
      if (!step) break;
      block.frames = step.frames;
      block.from = step.offset;
      block.count = step.count;
      consume(block);
      done += step.frames;
      since += step.frames;
      if (since >= every) {
        since = 0;
        setup.onProgress?.(done / total);
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (setup.signal?.aborted) throw new AnalysisAborted();
      }
    }
    setup.onProgress?.(1);
  } finally {
    render?.dispose();
    set.dispose();
  }
}
