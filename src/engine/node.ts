// The Node host of the runtime: offline renders for the CLI, with no Web Audio. The one file (with
// src/engine/render-worker.ts, its other half) that knows Node's threads, and the only user of an
// audio library in Node: node-web-audio-api decodes FLAC, MP3 and OGG (decodeCompressed), nothing else.
//
// renderPlan() runs a plan through the runtime and hands its output on in chunks as they are made
// (the CLI encodes them into the output file), so memory does not grow with the session's length.
// With more than one thread, the tracks' chains (src/runtime/split.ts) run in worker_threads, one
// group of chains per thread, a few chunks ahead; the main thread runs the buses and the master with
// stand-ins that play the chains' outputs back block by block. The split keeps every node's inputs
// and every sum's order, so the output is the same to the bit with 1, 2 or 16 threads.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import type { SourceAudio } from '../../nodes/define.ts';
import { prepareBounce } from '../compiler/latency.ts';
import type { Plan } from '../compiler/plan.ts';
import { ResampledSource, WavFileSource } from '../io/wav-source.ts';
import type { WavInfo } from '../io/wav-read.ts';
import { OfflineRender } from '../runtime/render.ts';
import { MemorySource } from '../runtime/source.ts';
import { ExitFeed, splitPlan, spreadChains, type ChainExit, type ExitChunk } from '../runtime/split.ts';

/** FLAC, MP3 and OGG through node-web-audio-api's decoder, at `sampleRate` (WAV has our own reader). */
export async function decodeCompressed(bytes: Uint8Array, sampleRate: number): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  // Loaded on first use: the native library costs startup time that WAV-only commands never need.
  const { OfflineAudioContext } = await import('node-web-audio-api');
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const context = new OfflineAudioContext(2, 1, sampleRate) as unknown as BaseAudioContext;
  const buffer = (await context.decodeAudioData(copy as ArrayBuffer)) as AudioBuffer;
  // Copies: the buffer's channel data is native memory freed when `buffer` is collected.
  return { channels: Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice()), sampleRate: buffer.sampleRate };
}

/**
 * Where a source's audio is, in a form another thread can use too: an open WAV file (its
 * descriptor and parsed header; streamed, converted on the fly when its rate differs) or decoded
 * channels in memory (shared with the threads when they are SharedArrayBuffers).
 */
export type SourceSpec = { kind: 'wav'; fd: number; info: WavInfo; sampleRate: number } | { kind: 'memory'; channels: Float32Array[]; sampleRate: number };

/** Frames a source plays at the render's rate. */
export function specFrames(spec: SourceSpec): number {
  if (spec.kind === 'memory') return spec.channels[0]?.length ?? 0;
  return spec.info.sampleRate === spec.sampleRate ? spec.info.frames : Math.round((spec.info.frames * spec.sampleRate) / spec.info.sampleRate);
}

export interface SourceSet {
  lookup(name: string): SourceAudio | undefined;
  dispose(): void;
}

/**
 * SourceAudio for the sources `plan` plays, one reader per node that names it (two tracks on one
 * file at different offsets each read in order). Converters are made here, before the render:
 * they load WebAssembly, which a block cannot wait for.
 */
export async function openSources(specs: ReadonlyMap<string, SourceSpec>, plan: Plan): Promise<SourceSet> {
  const readers = new Map<string, SourceAudio[]>();
  const made: ResampledSource[] = [];
  for (const node of plan.nodes) {
    const name = node.params.source;
    if (typeof name !== 'string' || !specs.has(name)) continue;
    const spec = specs.get(name)!;
    let source: SourceAudio;
    if (spec.kind === 'memory') source = new MemorySource(spec.channels, spec.sampleRate);
    else {
      const file = new WavFileSource(spec.fd, spec.info, JSON.stringify(name));
      if (spec.info.sampleRate === spec.sampleRate) source = file;
      else {
        const converted = await ResampledSource.create(file, spec.sampleRate);
        made.push(converted);
        source = converted;
      }
    }
    (readers.get(name) ?? readers.set(name, []).get(name)!).push(source);
  }
  const handedOut = new Map<string, number>();
  return {
    lookup(name) {
      const list = readers.get(name);
      if (!list) return undefined;
      const k = handedOut.get(name) ?? 0;
      handedOut.set(name, k + 1);
      // More starts than nodes (never in an offline render): the last reader again.
      return list[Math.min(k, list.length - 1)];
    },
    dispose() {
      for (const r of made) r.destroy();
    },
  };
}

/** One reader of one source (a chain's input): dispose() when done. */
export async function openSource(spec: SourceSpec, name = 'the file'): Promise<{ source: SourceAudio; dispose(): void }> {
  if (spec.kind === 'memory') return { source: new MemorySource(spec.channels, spec.sampleRate), dispose() {} };
  const file = new WavFileSource(spec.fd, spec.info, name);
  if (spec.info.sampleRate === spec.sampleRate) return { source: file, dispose() {} };
  const converted = await ResampledSource.create(file, spec.sampleRate);
  return { source: converted, dispose: () => converted.destroy() };
}

export interface RenderSetup {
  sampleRate: number;
  /** Frames of output (the render runs longer inside by the plan's latency, which is dropped). */
  frames: number;
  sources: ReadonlyMap<string, SourceSpec>;
  /** Threads that render (1: this one only); default: every core. */
  threads?: number;
  /** The output in order, chunk by chunk; the arrays are reused once the returned promise settles. */
  onAudio(channels: readonly Float32Array[], frames: number): void | Promise<void>;
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
}

export interface RenderStats {
  /** Threads that rendered chains (0: everything ran on this thread). */
  workers: number;
  /** Chains that ran on them, and the nodes left on this thread. */
  chains: number;
  mainNodes: number;
}

/** Blocks per chunk: 8192 frames, the unit of hand-over between threads and to the file. */
export const CHUNK_BLOCKS = 64;
const BLOCK = 128;
/** Chunks a chain thread may render ahead of the one the main thread plays. */
const AHEAD = 3;

export const defaultThreads = (): number => availableParallelism();

export async function renderPlan(plan: Plan, setup: RenderSetup): Promise<RenderStats> {
  const threads = Math.max(1, Math.floor(setup.threads ?? defaultThreads()));
  const { plan: aligned, latencyFrames } = prepareBounce(plan, setup.sampleRate);
  const split = threads > 1 ? splitPlan(aligned) : null;
  const groups = split ? spreadChains(split.chains, threads) : [];
  if (!split || groups.length === 0) {
    const sources = await openSources(setup.sources, aligned);
    try {
      await drive(new OfflineRender(aligned, { sampleRate: setup.sampleRate, frames: setup.frames, sources: sources.lookup, aligned: { latencyFrames } }), [], setup);
    } finally {
      sources.dispose();
    }
    return { workers: 0, chains: 0, mainNodes: aligned.nodes.length };
  }

  const totalFrames = latencyFrames + setup.frames;
  const workers = groups.map((chains) => {
    const exits = chains.flatMap((c) => c.exits);
    const plan: Plan = { nodes: chains.flatMap((c) => c.plan.nodes), edges: chains.flatMap((c) => c.plan.edges) };
    const names = new Set(plan.nodes.map((n) => n.params.source).filter((s): s is string => typeof s === 'string'));
    const sources = [...setup.sources].filter(([name]) => names.has(name)).map(([name, spec]): [string, SourceSpec] => [name, shared(spec)]);
    return new ChainThread({ plan, exits, sampleRate: setup.sampleRate, blockSize: BLOCK, totalFrames, chunkBlocks: CHUNK_BLOCKS, sources });
  });
  const feedOf = new Map<string, { feed: ExitFeed; thread: ChainThread }>();
  for (const thread of workers) {
    const feed = new ExitFeed(thread.exits);
    for (const x of thread.exits) feedOf.set(x.id, { feed, thread });
  }
  const onAbort = () => {
    for (const w of workers) w.fail(new RenderAborted());
  };
  setup.signal?.addEventListener('abort', onAbort);
  // Readers for what the main thread plays itself (a stand-in's source is read by its thread).
  const sources = await openSources(setup.sources, { nodes: split.main.nodes.filter((n) => !split.standIns.has(n.id)), edges: [] });
  try {
    await Promise.all(workers.map((w) => w.ready));
    const main = new OfflineRender(split.main, {
      sampleRate: setup.sampleRate,
      frames: setup.frames,
      sources: sources.lookup,
      aligned: { latencyFrames },
      processor: (node) => (split.standIns.has(node.id) ? feedOf.get(node.id)!.feed.processor(node) : undefined),
    });
    const feeds = [...new Set([...feedOf.values()].map((f) => f.feed))].map((feed) => ({ feed, thread: [...feedOf.values()].find((f) => f.feed === feed)!.thread }));
    await drive(main, feeds, setup);
    return { workers: workers.length, chains: split.chains.length, mainNodes: split.main.nodes.length - split.standIns.size };
  } finally {
    setup.signal?.removeEventListener('abort', onAbort);
    sources.dispose();
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/** A memory source the threads can read without a copy each. */
function shared(spec: SourceSpec): SourceSpec {
  if (spec.kind !== 'memory' || spec.channels.every((c) => c.buffer instanceof SharedArrayBuffer)) return spec;
  const channels = spec.channels.map((c) => {
    const s = new Float32Array(new SharedArrayBuffer(c.length * 4));
    s.set(c);
    return s;
  });
  spec.channels = channels; // once: the next thread shares the same copy
  return spec;
}

export class RenderAborted extends Error {
  override name = 'RenderAborted';
  constructor() {
    super('the render was stopped');
  }
}

/**
 * Run `render` block by block, in chunks: before each chunk every chain thread's chunk is in its
 * feed; each finished chunk goes to onAudio.
 */
async function drive(render: OfflineRender, feeds: { feed: ExitFeed; thread: ChainThread }[], setup: RenderSetup): Promise<void> {
  const chunk = CHUNK_BLOCKS * BLOCK;
  const out = [new Float32Array(chunk), new Float32Array(chunk)];
  const blocks = render.blocks;
  let lastProgress = -1;
  for (let b = 0; b < blocks; ) {
    if (setup.signal?.aborted) throw new RenderAborted();
    for (const f of feeds) f.feed.push(await f.thread.nextChunk());
    let filled = 0;
    for (let k = 0; k < CHUNK_BLOCKS && b < blocks; k++, b++) {
      const step = render.step()!;
      const [l, r] = render.block;
      for (let i = 0; i < step.count; i++) {
        out[0][filled + i] = l[step.offset + i];
        out[1][filled + i] = r[step.offset + i];
      }
      filled += step.count;
      for (const f of feeds) {
        if (f.feed.advance(step.frames)) f.thread.recycle();
      }
    }
    if (filled > 0) await setup.onAudio(out, filled);
    const fraction = b / blocks;
    if (setup.onProgress && (fraction - lastProgress >= 0.01 || b === blocks)) {
      lastProgress = fraction;
      setup.onProgress(fraction);
    }
    // Let signals and the threads' messages in between chunks.
    if (feeds.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export interface ThreadData {
  plan: Plan;
  exits: ChainExit[];
  sampleRate: number;
  blockSize: number;
  totalFrames: number;
  chunkBlocks: number;
  sources: [string, SourceSpec][];
  /** The ring the thread writes its chunks into (see Ring). */
  ring: SharedArrayBuffer;
  slots: number;
}

export type ThreadMessage = { type: 'ready' } | { type: 'error'; name: string; message: string; stack?: string };

/** Counters at the start of a ring (Int32 indices): chunks written, chunks played, stop. Then each slot's frames. */
export const PRODUCED = 0;
export const CONSUMED = 1;
export const STOP = 2;
const HEADER = 4;

/**
 * A chain thread's chunks in shared memory: `slots` chunks, each every exit port's left and right
 * for a chunk's frames and the channel count of each block. The thread writes chunk c into slot
 * c % slots once the main thread has played chunk c - slots, and counts it in PRODUCED; the main
 * thread reads it in place and counts it in CONSUMED (Atomics: no copy, no message per chunk).
 */
export class Ring {
  readonly control: Int32Array;
  readonly chunks: ExitChunk[];

  constructor(
    readonly buffer: SharedArrayBuffer,
    exits: number,
    chunkFrames: number,
    blocks: number,
    readonly slots: number,
  ) {
    this.control = new Int32Array(buffer, 0, HEADER + slots);
    let at = Ring.align((HEADER + slots) * 4);
    this.chunks = [];
    for (let k = 0; k < slots; k++) {
      const data: Float32Array[] = [];
      for (let d = 0; d < 2 * exits; d++) {
        data.push(new Float32Array(buffer, at, chunkFrames));
        at += chunkFrames * 4;
      }
      const channels = new Uint8Array(buffer, at, exits * blocks);
      at = Ring.align(at + exits * blocks);
      this.chunks.push({ frames: 0, data, channels });
    }
  }

  static bytes(exits: number, chunkFrames: number, blocks: number, slots: number): number {
    return Ring.align((HEADER + slots) * 4) + slots * Ring.align(2 * exits * chunkFrames * 4 + exits * blocks);
  }

  private static align(n: number): number {
    return Math.ceil(n / 8) * 8;
  }

  /** Slot of chunk c, with its frame count. */
  chunk(c: number): ExitChunk {
    const chunk = this.chunks[c % this.slots];
    chunk.frames = Atomics.load(this.control, HEADER + (c % this.slots));
    return chunk;
  }

  /** The thread: chunk c is in its slot. */
  publish(c: number, frames: number): void {
    Atomics.store(this.control, HEADER + (c % this.slots), frames);
    Atomics.store(this.control, PRODUCED, c + 1);
    Atomics.notify(this.control, PRODUCED);
  }
}

declare const MIXGRAPH_BUNDLED_WORKER: string | undefined;

/** The worker's script: the bundle's own when the CLI runs bundled, else the TypeScript through tsx. */
function workerUrl(): URL {
  if (typeof MIXGRAPH_BUNDLED_WORKER === 'string') return new URL(MIXGRAPH_BUNDLED_WORKER, import.meta.url);
  return new URL('./render-worker-boot.js', import.meta.url);
}

/** Atomics.waitAsync (Node 16+; in TypeScript's lib from ES2024 on). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: false; value: string } | { async: true; value: Promise<string> } }).waitAsync;

/** One worker thread rendering a group of chains into its ring. */
class ChainThread {
  readonly exits: ChainExit[];
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly ring: Ring;
  private readonly failed: Promise<never>;
  private failure: unknown = null;
  private reject!: (e: unknown) => void;
  private stopped = false;
  private next = 0;
  private readonly chunkCount: number;

  constructor(data: Omit<ThreadData, 'ring' | 'slots'>) {
    this.exits = data.exits;
    this.chunkCount = Math.ceil(data.totalFrames / (data.chunkBlocks * data.blockSize));
    const chunkFrames = data.chunkBlocks * data.blockSize;
    const slots = AHEAD + 1;
    const buffer = new SharedArrayBuffer(Ring.bytes(data.exits.length, chunkFrames, data.chunkBlocks, slots));
    this.ring = new Ring(buffer, data.exits.length, chunkFrames, data.chunkBlocks, slots);
    this.worker = new Worker(workerUrl(), { workerData: { ...data, ring: buffer, slots } satisfies ThreadData });
    this.failed = new Promise<never>((_, reject) => (this.reject = reject));
    this.failed.catch(() => {}); // reported through ready and nextChunk()
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: ThreadMessage) => {
        if (m.type === 'ready') return resolve();
        const err = new Error(m.message);
        err.name = m.name;
        if (m.stack) err.stack = m.stack;
        this.fail(err);
        reject(err);
      });
      this.worker.on('error', (err) => {
        this.fail(err);
        reject(err);
      });
      this.worker.on('exit', (code) => {
        // 0 after the last chunk: the thread is done (its chunks stay in the ring).
        if (this.stopped || (code === 0 && Atomics.load(this.ring.control, PRODUCED) >= this.chunkCount)) return;
        const err = new Error(`a render thread stopped (exit code ${code})`);
        this.fail(err);
        reject(err);
      });
    });
    this.ready.catch(() => {});
  }

  /** The next chunk, once the thread has written it. */
  async nextChunk(): Promise<ExitChunk> {
    const c = this.next++;
    const control = this.ring.control;
    for (;;) {
      if (this.failure) throw this.failure;
      const produced = Atomics.load(control, PRODUCED);
      if (produced > c) return this.ring.chunk(c);
      const wait = waitAsync(control, PRODUCED, produced);
      if (wait.async) await Promise.race([wait.value, this.failed]);
    }
  }

  /** A chunk played out: its slot is free for the thread again. */
  recycle(): void {
    Atomics.add(this.ring.control, CONSUMED, 1);
    Atomics.notify(this.ring.control, CONSUMED);
  }

  fail(err: unknown): void {
    if (this.failure) return;
    this.failure = err;
    this.reject(err);
    void this.stop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // A thread waiting for a free slot sees this within its wait's timeout.
    Atomics.store(this.ring.control, STOP, 1);
    Atomics.notify(this.ring.control, CONSUMED);
    await this.worker.terminate();
  }
}
