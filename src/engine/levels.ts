// The levels the runtime measured, on the main thread: peak and RMS (linear) per node output port
// as the worklet last posted them (src/engine/worklet.ts, about 30 times a second), looked up by
// node id and port. What the track and master meters read, and what an edge's level will read.
import { METER_STRIDE } from '../runtime/runtime.ts';
import type { MeterPost, MeterSlot } from './protocol.ts';

export interface PortLevel {
  /** Largest |sample| per channel (left, right; a mono port repeats left) since the previous post. */
  peak: [number, number];
  /** RMS per channel over the same time. */
  rms: [number, number];
}

export class Levels {
  private index = new Map<string, number>();
  /** Each node's first port (or the master's speakers): the default of get(). */
  private first = new Map<string, number>();
  private data: Float32Array = new Float32Array(0);
  private version = -1;

  /** Take a post from the worklet (a post with a new version carries the layout). */
  receive(post: Pick<MeterPost, 'version' | 'layout' | 'levels'>): void {
    if (post.layout) {
      this.setLayout(post.layout);
      this.version = post.version;
    }
    if (post.version !== this.version) return; // a layout not seen yet: wait for the post that has it
    this.data = post.levels;
  }

  private setLayout(layout: readonly MeterSlot[]): void {
    this.index.clear();
    this.first.clear();
    for (const { id, port, index } of layout) {
      this.index.set(`${id}\u0000${port}`, index);
      if (!this.first.has(id)) this.first.set(id, index);
    }
    this.data = new Float32Array(0);
  }

  /** The level of a node's output `port` (default: its first output, or the master's speakers); null if not metered. */
  get(nodeId: string, port?: string): PortLevel | null {
    const at = port === undefined ? this.first.get(nodeId) : this.index.get(`${nodeId}\u0000${port}`);
    if (at === undefined || at + METER_STRIDE > this.data.length) return null;
    const d = this.data;
    return { peak: [d[at], d[at + 1]], rms: [d[at + 2], d[at + 3]] };
  }

  /** Peak of one channel (0 left, 1 right) or of both (undefined), linear; 0 when not metered. */
  peak(nodeId: string, channel?: 0 | 1, port?: string): number {
    const at = port === undefined ? this.first.get(nodeId) : this.index.get(`${nodeId}\u0000${port}`);
    if (at === undefined || at + METER_STRIDE > this.data.length) return 0;
    return channel === undefined ? Math.max(this.data[at], this.data[at + 1]) : this.data[at + channel];
  }

  /** Forget everything (the transport's context closed). */
  clear(): void {
    this.index.clear();
    this.first.clear();
    this.data = new Float32Array(0);
    this.version = -1;
  }
}
