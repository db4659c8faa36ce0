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

/** Samples per stretch for the skip test in `process` (long enough to amortise, short enough to skip often). */
const SKIP_STRETCH = 64;

/**
 * Streaming true-peak detector for one channel. `process` returns, for each input sample, the
 * largest absolute value of the oversampled signal in the interval ending at that sample, delayed
 * by `latency` samples (the interpolator's group delay).
 */
/** Samples by which a true-peak detector at this rate lags its input (the interpolator's group delay). */
export function truePeakLatency(sampleRate: number, taps = TRUE_PEAK_TAPS): number {
  return oversamplingFactor(sampleRate) === 1 ? 0 : taps / 2;
}

export class TruePeakChannel {
  readonly factor: number;
  readonly latency: number;
  private readonly branches: Float64Array[];
  private readonly taps: number;
  /** Largest gain of any branch for any input bounded by 1 (sum of |taps|): the exact overshoot bound. */
  private readonly bound: number;
  /** Folded coefficients for run16 (empty when the branches lack the symmetry it relies on). */
  private readonly half: number[] = [];
  private readonly even: number[] = [];
  private readonly odd: number[] = [];
  // The last taps-1 input samples, then the block: each tap run is one contiguous slice.
  private work: Float64Array;
  // Samples seen, up to `taps`: until the window is full of real signal, the interpolated points
  // would ring against the zeros before the start, so only the samples themselves count.
  private seen = 0;

  constructor(sampleRate: number, taps = TRUE_PEAK_TAPS) {
    this.factor = oversamplingFactor(sampleRate);
    this.taps = taps;
    this.branches = interpolationBranches(this.factor, taps);
    this.work = new Float64Array(taps - 1 + 1024);
    this.latency = truePeakLatency(sampleRate, taps);
    let bound = 1;
    for (const h of this.branches) bound = Math.max(bound, h.reduce((a, v) => a + Math.abs(v), 0));
    this.bound = bound;
    const br = this.branches;
    const mid = br[(this.factor >> 1) - 1]; // the half-sample branch
    const mirror = (a: Float64Array, b: Float64Array) => a.every((v, j) => Math.abs(v - b[taps - 1 - j]) <= 1e-15);
    if (taps === 16 && (this.factor === 2 || (this.factor === 4 && mirror(br[0], br[2]))) && mirror(mid, mid)) {
      for (let j = 0; j < 8; j++) {
        this.half.push(mid[j]);
        if (this.factor === 4) {
          this.even.push(br[0][j] + br[0][15 - j]);
          this.odd.push(br[0][j] - br[0][15 - j]);
        }
      }
      if (this.factor === 2) {
        // No quarter-sample branches at 2x: run16 skips them, these zeros only keep the types whole.
        this.even.push(0, 0, 0, 0, 0, 0, 0, 0);
        this.odd.push(0, 0, 0, 0, 0, 0, 0, 0);
      }
    }
  }

  /**
   * Peaks per sample into `peaks` (if given); returns the block's maximum. Without `peaks`, a
   * stretch whose samples (with the taps before it) times the overshoot bound cannot exceed
   * `floor` is not interpolated (its true peak is at most `floor`, so a running maximum is exact);
   * the return value is then only guaranteed to be the maximum when it exceeds `floor`.
   */
  process(input: Float32Array, n: number, peaks?: Float32Array, floor = Infinity): number {
    this.floor = floor;
    this.scan(input, n, peaks);
    return this.max;
  }

  /**
   * The largest peak of the last scan() (see process). Callers on the audio path read it here, and
   * set `floor` in a field: a double passed to or returned from a call that is not inlined is a new
   * heap object, and they run every block.
   */
  max = 0;
  /** The skip floor of scan() (process's `floor`). */
  floor = Infinity;

  /** process() without the return value: the block's maximum lands in `max`; `floor` is the field. */
  scan(input: Float32Array, n: number, peaks?: Float32Array): void {
    const floor = this.floor;
    const { taps } = this;
    let max = 0;
    if (this.factor === 1) {
      for (let i = 0; i < n; i++) {
        const v = Math.abs(input[i]);
        const a = v === v ? v : 0;
        if (peaks) peaks[i] = a;
        if (a > max) max = a;
      }
      this.max = max;
      return;
    }
    const keep = taps - 1;
    if (this.work.length < keep + n) {
      const grown = new Float64Array(keep + n);
      grown.set(this.work.subarray(0, keep));
      this.work = grown;
    }
    const w = this.work;
    for (let i = 0; i < n; i++) {
      const x = input[i];
      w[keep + i] = x - x === 0 ? x : 0; // NaN and infinities count as silence
    }
    const skipBelow = peaks || !(floor < Infinity) ? -1 : floor / this.bound;
    for (let i0 = 0; i0 < n; i0 += SKIP_STRETCH) {
      const i1 = Math.min(n, i0 + SKIP_STRETCH);
      if (this.seen >= taps && skipBelow >= 0) {
        // Every interpolated point in [i0, i1) depends only on w[i0 .. i1 + keep).
        let m = 0;
        for (let k = i0, end = i1 + keep; k < end; k++) {
          const a = w[k] < 0 ? -w[k] : w[k];
          if (a > m) m = a;
        }
        if (m <= skipBelow) continue;
      }
      if (this.half.length) this.run16(w, i0, i1, peaks);
      else this.runAny(w, i0, i1, peaks);
      if (this.stretchMax > max) max = this.stretchMax;
    }
    // Keep the last taps-1 samples in front for the next block.
    w.copyWithin(0, n, n + keep);
    this.max = max;
  }

  /** Outputs for samples [i0, i1): w[i + keep] is sample i, w[i + keep - j] the one j before it. */
  /** The largest peak of the last run16/runAny stretch. */
  private stretchMax = 0;

  private runAny(w: Float64Array, i0: number, i1: number, peaks?: Float32Array): void {
    const { taps, branches } = this;
    const keep = taps - 1;
    const half = taps / 2;
    let max = 0;
    for (let i = i0; i < i1; i++) {
      const newest = i + keep;
      let peak = Math.abs(w[newest - half]); // branch 0: the sample itself, delayed
      if (this.seen < taps) this.seen++;
      else
        for (let b = 0; b < branches.length; b++) {
          const h = branches[b];
          let acc = 0;
          for (let j = 0; j < taps; j++) acc += h[j] * w[newest - j];
          const a = acc < 0 ? -acc : acc;
          if (a > peak) peak = a;
        }
      if (peaks) peaks[i] = peak;
      if (peak > max) max = peak;
    }
    this.stretchMax = max;
  }

  /**
   * runAny for 16 taps, using the prototype's symmetry: the half-sample branch is symmetric and the
   * quarter-sample branches mirror each other, so with s_j = x_j + x_15-j and d_j = x_j - x_15-j,
   * y_half = sum c_j s_j, and y_1/4, y_3/4 = (P ± Q) / 2 with P = sum e_j s_j, Q = sum o_j d_j,
   * whose larger magnitude is (|P| + |Q|) / 2: 24 multiplications instead of 48 at 4x, 8 at 2x.
   */
  private run16(w: Float64Array, i0: number, i1: number, peaks?: Float32Array): void {
    const c = this.half;
    const e = this.even;
    const o = this.odd;
    const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
    const e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3], e4 = e[4], e5 = e[5], e6 = e[6], e7 = e[7];
    const o0 = o[0], o1 = o[1], o2 = o[2], o3 = o[3], o4 = o[4], o5 = o[5], o6 = o[6], o7 = o[7];
    const quarter = this.factor === 4;
    let max = 0;
    let i = i0;
    // The first samples after a start or reset count only as samples (see `seen`).
    for (; i < i1 && this.seen < 16; i++) {
      this.seen++;
      const a = Math.abs(w[i + 7]);
      if (peaks) peaks[i] = a;
      if (a > max) max = a;
    }
    for (; i < i1; i++) {
      // w[i + 15] is the newest sample, w[i] the oldest; w[i + 7] the sample itself, delayed.
      const x8 = w[i + 7];
      const s0 = w[i + 15] + w[i], s1 = w[i + 14] + w[i + 1], s2 = w[i + 13] + w[i + 2], s3 = w[i + 12] + w[i + 3];
      const s4 = w[i + 11] + w[i + 4], s5 = w[i + 10] + w[i + 5], s6 = w[i + 9] + w[i + 6], s7 = x8 + w[i + 8];
      let peak = x8 < 0 ? -x8 : x8;
      const h = c0 * s0 + c1 * s1 + c2 * s2 + c3 * s3 + c4 * s4 + c5 * s5 + c6 * s6 + c7 * s7;
      const hh = h < 0 ? -h : h;
      if (hh > peak) peak = hh;
      if (quarter) {
        const d0 = w[i + 15] - w[i], d1 = w[i + 14] - w[i + 1], d2 = w[i + 13] - w[i + 2], d3 = w[i + 12] - w[i + 3];
        const d4 = w[i + 11] - w[i + 4], d5 = w[i + 10] - w[i + 5], d6 = w[i + 9] - w[i + 6], d7 = w[i + 8] - x8;
        const P = e0 * s0 + e1 * s1 + e2 * s2 + e3 * s3 + e4 * s4 + e5 * s5 + e6 * s6 + e7 * s7;
        const Q = o0 * d0 + o1 * d1 + o2 * d2 + o3 * d3 + o4 * d4 + o5 * d5 + o6 * d6 + o7 * d7;
        const q = ((P < 0 ? -P : P) + (Q < 0 ? -Q : Q)) * 0.5;
        if (q > peak) peak = q;
      }
      if (peaks) peaks[i] = peak;
      if (peak > max) max = peak;
    }
    this.stretchMax = max;
  }

  reset(): void {
    this.work.fill(0);
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
