// The messages between the editor's main thread (src/engine/browser.ts) and the runtime in its
// AudioWorklet (src/engine/worklet.ts). Plain data, structured-cloneable; no audio library here.
import type { MonitorSource } from '../../nodes/define.ts';
import type { Operation } from '../compiler/plan.ts';

/** The processor's name in registerProcessor / new AudioWorkletNode. */
export const RUNTIME_PROCESSOR = 'mixgraph-runtime';

/** Blocks of 128 frames between two meter posts: 12 (32 ms at 48 kHz, about 31 a second). */
export const METER_POST_BLOCKS = 12;

export type ToWorklet =
  /** The compiler's operations, applied between two blocks in the order posted. */
  | { type: 'ops'; ops: Operation[] }
  /** Decoded audio of a source at the context's rate (the arrays are transferred). */
  | { type: 'source'; name: string; channels: Float32Array[] }
  | { type: 'drop-source'; name: string }
  | { type: 'start'; from: number }
  | { type: 'stop' }
  | { type: 'monitor'; source: MonitorSource; trimDb: number }
  /**
   * The live bench's timing probe: with the next callback, process `blocks` more blocks back to
   * back (into scratch: the transport jumps ahead by them) and report the time they took.
   */
  | { type: 'probe'; blocks: number };

/** Where each port's meter sits in MeterPost.levels (METER_STRIDE floats each). */
export interface MeterSlot {
  id: string;
  port: string;
  index: number;
}

export interface MeterPost {
  type: 'meters';
  /** Changes whenever ports come and go; `layout` is sent with the first post of each version. */
  version: number;
  layout?: MeterSlot[];
  /**
   * Per port since the last post: peak L, peak R (the largest sample), RMS L, RMS R (over every
   * block since the last post), linear.
   */
  levels: Float32Array;
  /** Momentary loudness of the master (LUFS; -Infinity for silence). */
  loudness: number;
  /** Each reading of every node that has readings (a compressor's reduction, a loudness meter's...). */
  readings: Record<string, Record<string, number>>;
  /** Session time of the next frame, or null while stopped; and the context time it was taken at. */
  position: number | null;
  time: number;
  /** Blocks processed so far, the time spent inside process() over them (ms) and the clock used. */
  blocks: number;
  busyMs: number;
  maxBlockMs: number;
  clock: 'performance.now' | 'Date.now';
}

export type FromWorklet = MeterPost | { type: 'error'; message: string } | { type: 'probe'; blocks: number; ms: number; clock: MeterPost['clock'] };
