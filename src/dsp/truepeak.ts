// True peak (ITU-R BS.1770-4 Annex 2): the peak of the signal between the samples, found by
// oversampling with a polyphase interpolating FIR and taking the largest absolute value.
// 4x below 96 kHz, 2x up to 192 kHz, 1x above (the Recommendation's factors), so every rate
// sees the same analogue bandwidth. Used by the loudness meter and by the limiter's detector,
// so "true peak" means one thing everywhere in Mixgraph.

/** Taps per polyphase branch. 16 keeps the passband within ±0.05 dB up to 0.4 fs. */
export const TRUE_PEAK_TAPS = 16;

export function oversamplingFactor(sampleRate: number): number {
  return sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * Polyphase branches of a Kaiser-windowed sinc interpolator for `factor`x oversampling.
 * Branch 0 is the original sample (a pure delay), so only branches 1..factor-1 are returned.
 */
export function interpolationBranches(factor: number, taps = TRUE_PEAK_TAPS): Float64Array[] {
  const beta = 6.5;
  const half = (factor * taps) / 2;
  const branches: Float64Array[] = [];
  for (let p = 1; p < factor; p++) {
    const h = new Float64Array(taps);
    for (let j = 0; j < taps; j++) {
      // Tap k = p + factor*j of the prototype, centred on k = half (a multiple of factor).
      const t = (p + factor * j - half) / factor;
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      const r = (p + factor * j - half) / half;
      const w = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
      h[j] = sinc * w;
    }
    branches.push(h);
  }
  return branches;
}

/**
 * Streaming true-peak detector for one channel. `process` returns, for each input sample, the
 * largest absolute value of the oversampled signal in the interval ending at that sample, delayed
 * by `latency` samples (the interpolator's group delay).
 */
export class TruePeakChannel {
  readonly factor: number;
  readonly latency: number;
  private readonly branches: Float64Array[];
  private readonly taps: number;
  // Double-length history so each tap run is contiguous without wrapping.
  private readonly history: Float64Array;
  private pos = 0;
  // Samples seen, up to `taps`: until the window is full of real signal, the interpolated points
  // would ring against the zeros before the start, so only the samples themselves count.
  private seen = 0;

  constructor(sampleRate: number, taps = TRUE_PEAK_TAPS) {
    this.factor = oversamplingFactor(sampleRate);
    this.taps = taps;
    this.branches = interpolationBranches(this.factor, taps);
    this.history = new Float64Array(2 * taps);
    this.latency = this.factor === 1 ? 0 : taps / 2;
  }

  /** Peaks per sample into `peaks` (if given); returns the block's maximum. */
  process(input: Float32Array, n: number, peaks?: Float32Array): number {
    const { taps, history, branches } = this;
    let max = 0;
    if (this.factor === 1) {
      for (let i = 0; i < n; i++) {
        const v = Math.abs(input[i]);
        const a = v === v ? v : 0;
        if (peaks) peaks[i] = a;
        if (a > max) max = a;
      }
      return max;
    }
    const half = taps / 2;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      let x = input[i];
      if (!(x === x) || x === Infinity || x === -Infinity) x = 0;
      // history[pos] is the newest sample; history[pos + taps - 1] the oldest.
      pos = pos === 0 ? taps - 1 : pos - 1;
      history[pos] = x;
      history[pos + taps] = x;
      let peak = Math.abs(history[pos + half]); // branch 0: the sample itself, delayed
      if (this.seen < taps) this.seen++;
      else for (let b = 0; b < branches.length; b++) {
        const h = branches[b];
        let acc = 0;
        for (let j = 0; j < taps; j++) acc += h[j] * history[pos + j];
        const a = acc < 0 ? -acc : acc;
        if (a > peak) peak = a;
      }
      if (peaks) peaks[i] = peak;
      if (peak > max) max = peak;
    }
    this.pos = pos;
    return max;
  }

  reset(): void {
    this.history.fill(0);
    this.pos = 0;
    this.seen = 0;
  }
}

/**
 * True peak (linear) of whole channels. The last `latency` samples are not flushed through with
 * silence: a file that stops mid-waveform would ring (Gibbs) at an edge that playback never has.
 */
export function truePeakOf(channels: Float32Array[], sampleRate: number): number {
  let max = 0;
  for (const ch of channels) {
    max = Math.max(max, new TruePeakChannel(sampleRate).process(ch, ch.length));
    // The last `latency` samples are still in the interpolator: count them as sample peaks.
    for (let i = Math.max(0, ch.length - TRUE_PEAK_TAPS); i < ch.length; i++) if (Math.abs(ch[i]) > max) max = Math.abs(ch[i]);
  }
  return max;
}
