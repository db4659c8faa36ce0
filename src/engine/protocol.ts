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
   * Cable solo (Runtime.monitorPorts): the speakers play these output ports at unity instead of
   * the master; an empty list plays the master again. `version` comes back in MeterPost.solo.
   */
  | { type: 'monitor-ports'; version: number; ports: { id: string; port: string }[] }
  /** Gain-matched bypass: a bypassed processor plays at the loudness it had processed (Runtime.matchBypass). */
  | { type: 'match-bypass'; on: boolean }
  /**
   * The output ports whose loudness to measure (the Mixer's strips, the edges that show a label):
   * each is K-weighted from then on and its energy comes back in every MeterPost's `watched`, in
   * this order. Replaces the list before; `version` is echoed back with the sums. No duplicates.
   */
  | { type: 'watch'; version: number; ports: WatchPort[] }
  /**
   * The live bench's timing probe: with the next callback, process `blocks` more blocks back to
   * back (into scratch: the transport jumps ahead by them) and report the time they took.
   */
  | { type: 'probe'; blocks: number };

/** A watched output port (no `port`: the node's first output, or the master's speakers). */
export interface WatchPort {
  id: string;
  port?: string;
}

/** Floats per watched port in MeterPost.watched: K-weighted sum of squares L, R, and the frames they cover. */
export const WATCH_STRIDE = 3;

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
  /**
   * Per watched port (the last 'watch' list, in its order), since the last post: the K-weighted
   * (BS.1770) sum of squares of the left and right channel and the frame count, WATCH_STRIDE
   * floats each; `watchVersion` is that list's version (-1 before any).
   */
  watched: Float64Array;
  watchVersion: number;
  /** The context's sample rate (what the frame counts are in). */
  sampleRate: number;
  /**
   * What the worklet gave the speakers since the last post: peak L, peak R, RMS L, RMS R (linear).
   * The master's own meter while the mix plays; the soloed cable's level during a cable solo.
   */
  output: [number, number, number, number];
  /** The last monitor-ports request applied (-1 before any), and whether ports play now (false: the master, also when a solo ended by itself). */
  solo: { version: number; playing: boolean };
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
