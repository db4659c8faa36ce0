// The levels the runtime measured, on the main thread: peak and RMS (linear) per node output port
// as the worklet last posted them (src/engine/worklet.ts, about 30 times a second), looked up by
// node id and port. What the track and master meters read, and what an edge's level will read.
import { METER_STRIDE } from '../runtime/runtime.ts';
import { WATCH_STRIDE, type MeterPost, type MeterSlot, type WatchPort } from './protocol.ts';

/** Posts of K-weighted energy kept per watched port: 8 s at 31 a second, more than the 3 s used. */
const HISTORY = 256;

/** BS.1770's loudness of a channel-summed mean square (ungated); -Infinity for silence. */
const lufs = (meanSquare: number): number => (meanSquare > 1e-20 ? -0.691 + 10 * Math.log10(meanSquare) : -Infinity);

/** The last posts of one watched port: channel-summed K-weighted energy and the frames of each. */
class History {
  readonly energy = new Float64Array(HISTORY);
  readonly frames = new Float64Array(HISTORY);
  pos = 0;
  count = 0;
  push(energy: number, frames: number): void {
    this.energy[this.pos] = energy;
    this.frames[this.pos] = frames;
    this.pos = (this.pos + 1) % HISTORY;
    if (this.count < HISTORY) this.count++;
  }
  /**
   * Mean square over the last `window` frames, or over all there is when less has been measured
   * (a port watched a second ago reads its last second, not two seconds of imagined silence);
   * NaN before the first post.
   */
  meanSquare(window: number): number {
    let e = 0;
    let f = 0;
    for (let k = 1; k <= this.count && f < window; k++) {
      const at = (this.pos - k + HISTORY) % HISTORY;
      const frames = this.frames[at];
      if (frames <= 0) continue;
      const take = Math.min(frames, window - f);
      e += this.energy[at] * (take / frames); // the oldest post only in part: exactly `window` frames
      f += take;
    }
    return f > 0 ? e / f : NaN;
  }
}

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
  private watchVersion = -1;
  private watchList: string[] = [];
  private histories = new Map<string, History>();
  private rate = 48000;

  /**
   * The ports the worklet was just told to watch (ToWorklet 'watch', same version and order):
   * their loudness posts are kept from now on; ports no longer in the list are forgotten.
   */
  watch(version: number, ports: readonly WatchPort[]): void {
    this.watchVersion = version;
    this.watchList = ports.map(({ id, port }) => watchKey(id, port));
    const keep = new Map<string, History>();
    for (const key of this.watchList) keep.set(key, this.histories.get(key) ?? new History());
    this.histories = keep;
  }

  /** Take a post from the worklet (a post with a new version carries the layout). */
  receive(post: Pick<MeterPost, 'version' | 'layout' | 'levels'> & Partial<Pick<MeterPost, 'watched' | 'watchVersion' | 'sampleRate'>>): void {
    if (post.sampleRate) this.rate = post.sampleRate;
    if (post.watched && post.watchVersion === this.watchVersion) {
      const w = post.watched;
      for (let k = 0; k < this.watchList.length && WATCH_STRIDE * k + 2 < w.length; k++) {
        this.histories.get(this.watchList[k])!.push(w[WATCH_STRIDE * k] + w[WATCH_STRIDE * k + 1], w[WATCH_STRIDE * k + 2]);
      }
    }
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

  /**
   * Loudness (LUFS, BS.1770: -0.691 + 10 log10 of the K-weighted mean square summed over both
   * channels, ungated) of a watched port over the last `seconds` (3: short-term, 0.4: momentary;
   * over less while less has been measured since it was first watched); -Infinity for silence
   * (also before anything was posted); null when the port is not watched.
   * `port` as given to watch() (undefined: the node's first output).
   */
  loudness(nodeId: string, port: string | undefined, seconds: number): number | null {
    const h = this.histories.get(watchKey(nodeId, port));
    if (!h) return null;
    const meanSquare = h.meanSquare(Math.max(1, Math.round(seconds * this.rate)));
    return Number.isNaN(meanSquare) ? NaN : lufs(meanSquare);
  }

  /** Short-term loudness (LUFS, the last 3 s) of a watched port; null when not watched. */
  shortTerm(nodeId: string, port?: string): number | null {
    return this.loudness(nodeId, port, 3);
  }

  /** Momentary loudness (LUFS, the last 400 ms) of a watched port; null when not watched. */
  momentary(nodeId: string, port?: string): number | null {
    return this.loudness(nodeId, port, 0.4);
  }

  /** Forget everything (the transport's context closed). */
  clear(): void {
    this.histories = new Map([...this.histories.keys()].map((k) => [k, new History()]));
    this.index.clear();
    this.first.clear();
    this.data = new Float32Array(0);
    this.version = -1;
  }
}

const watchKey = (id: string, port: string | undefined) => `${id}\u0000${port ?? ''}`;
