// Peak and RMS levels of rendered audio, in dBFS (1.0 = 0 dBFS).
// RMS is the plain root mean square: a full-scale sine reads -3.01 dBFS RMS (no AES17 +3 dB offset).

export interface ChannelLevels {
  /** Largest absolute sample value, dBFS; -Infinity for silence. */
  peakDb: number;
  rmsDb: number;
  /** Samples beyond full scale (they clip in integer formats). */
  overs: number;
}

const toDb = (x: number) => (x > 0 ? 20 * Math.log10(x) : -Infinity);

export function measureLevels(samples: Float32Array): ChannelLevels {
  let peak = 0;
  let sum = 0;
  let overs = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    if (!Number.isFinite(x)) continue;
    const a = Math.abs(x);
    if (a > peak) peak = a;
    if (a > 1) overs++;
    sum += x * x;
  }
  return { peakDb: toDb(peak), rmsDb: toDb(samples.length ? Math.sqrt(sum / samples.length) : 0), overs };
}

/** "-6.02", "-inf", "+0.50": fixed-width friendly. */
export function formatDb(db: number): string {
  if (db === -Infinity) return '-inf';
  const s = db.toFixed(2);
  return db > 0 ? `+${s}` : s === '-0.00' ? '0.00' : s;
}

/**
 * measureLevels of a channel that arrives in pieces (a streamed render): the same figures as
 * measureLevels of the whole channel (the same sums in the same order).
 */
export class LevelMeter {
  private peak = 0;
  private sum = 0;
  private overs = 0;
  private count = 0;

  add(samples: Float32Array, frames = samples.length): void {
    let peak = this.peak;
    let sum = this.sum;
    let overs = this.overs;
    for (let i = 0; i < frames; i++) {
      const x = samples[i];
      if (!Number.isFinite(x)) continue;
      const a = Math.abs(x);
      if (a > peak) peak = a;
      if (a > 1) overs++;
      sum += x * x;
    }
    this.peak = peak;
    this.sum = sum;
    this.overs = overs;
    this.count += frames;
  }

  levels(): ChannelLevels {
    return { peakDb: toDb(this.peak), rmsDb: toDb(this.count ? Math.sqrt(this.sum / this.count) : 0), overs: this.overs };
  }
}
