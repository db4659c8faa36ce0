// Measurements for the checks from the editor's live meters: the editor feeds it each level post
// (src/engine/levels.ts Levels, about 30 a second while playing), the loudness it shows and, after
// Level tracks, the tracks' loudness. Levels keep the highest peak and the mean power since the
// student last changed something (reset()), so a check reads what the current graph sounds like,
// not a reading from before the edit. Plain TypeScript: no React, no audio context.
import type { MeasurementNeeds, Measurements, MixReading, PortReading, TrackReading } from './checks.ts';

/** What LiveMeasurements reads from the runtime's meters: Levels has this shape. */
export interface LevelSource {
  get(nodeId: string, port?: string): { peak: [number, number]; rms: [number, number] } | null;
}

const db = (x: number) => (x > 0 ? 20 * Math.log10(x) : -Infinity);

export class LiveMeasurements implements Measurements {
  private readonly held = new Map<string, { peak: number; power: number; posts: number }>();
  private mixReading: MixReading | null = null;
  private trackReadings: TrackReading[] | null = null;
  /** Level posts taken since the last reset; a check waits for `minPosts` before it answers. */
  private posts = 0;

  constructor(
    private needs: MeasurementNeeds,
    /** Posts (about 1/30 s each) to hear before a level check answers: half a second by default. */
    private readonly minPosts = 15,
  ) {}

  /** The checks changed (another step): measure what they read. */
  setNeeds(needs: MeasurementNeeds): void {
    this.needs = needs;
    this.reset();
  }

  /** The document changed or playback restarted: readings start again. */
  reset(): void {
    this.held.clear();
    this.mixReading = null;
    this.posts = 0;
  }

  /** Take one level post: call after Levels.receive. */
  observe(levels: LevelSource): void {
    this.posts++;
    for (const { node, port } of this.needs.levels) {
      const r = levels.get(node, port);
      if (!r) continue;
      const key = `${node}\u0000${port ?? ''}`;
      const h = this.held.get(key) ?? { peak: 0, power: 0, posts: 0 };
      h.peak = Math.max(h.peak, r.peak[0], r.peak[1]);
      h.power += Math.max(r.rms[0] * r.rms[0], r.rms[1] * r.rms[1]);
      h.posts++;
      this.held.set(key, h);
    }
  }

  /** The mix's loudness as the transport's meter reads it (integrated since play, true peak). */
  setMix(reading: MixReading | null): void {
    this.mixReading = reading;
  }

  /** Each track's loudness (from src/mixing/level.ts, run by the editor's Level tracks). */
  setTracks(readings: TrackReading[] | null): void {
    this.trackReadings = readings;
  }

  level(node: string, port?: string): PortReading | null {
    const h = this.held.get(`${node}\u0000${port ?? ''}`);
    if (!h || h.posts < this.minPosts) return null;
    return { peak: db(h.peak), rms: db(Math.sqrt(h.power / h.posts)) };
  }

  mix(): MixReading | null {
    return this.mixReading;
  }

  tracks(): readonly TrackReading[] | null {
    return this.trackReadings;
  }
}
