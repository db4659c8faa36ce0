// Loudness meter after ITU-R BS.1770-4 and EBU R 128 (Tech 3341 "EBU Mode", Tech 3342 loudness range).
// One implementation for the live meter (the loudness node's processor) and the CLI's `mixgraph analyze`.
//
// Readings are in LUFS (LU for the range, dBTP / dBFS for the peaks). Silence reads -Infinity:
// a window, or a gated programme, with no energy has no loudness, and -Infinity says so honestly
// (callers format it as "-inf"); so does anything below -200 LUFS, such as the last of a filter's
// decay after the sound stops. The loudness range of a programme with no gated short-term
// value reads 0 LU, as libebur128 does.
//
// Time resolution: energies are summed in sub-blocks of about 1 ms (an exact divisor of the 100 ms
// hop), and the momentary (400 ms) and short-term (3 s) windows slide by one sub-block, so their
// maxima catch a burst however it is aligned (EBU Tech 3341 cases 10 and 13). Gating blocks and
// the short-term values for the loudness range step by the 100 ms hop, as the standards specify.
// Memory is bounded: the gates keep histograms of block energies (0.02 LU bins, with the exact
// energy sum per bin), not a list of every block.

import { TRUE_PEAK_TAPS, TruePeakChannel } from './truepeak.ts';

// ---------------------------------------------------------------- K-weighting

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/**
 * The two K-weighting stages for `sampleRate`, from their analogue prototypes by the bilinear
 * transform (the design libebur128 uses); at 48 kHz they are BS.1770-4's table 1 and 2.
 */
export function kWeighting(sampleRate: number): [shelf: Biquad, highPass: Biquad] {
  // Stage 1: high shelf, +4 dB above ~1.7 kHz (the acoustic effect of the head).
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / sampleRate);
  const Vh = Math.pow(10, G / 20);
  const Vb = Math.pow(Vh, 0.4996667741545416);
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  // Stage 2: the RLB high-pass (~38 Hz). Its numerator is 1, -2, 1 unnormalised, as in the standard.
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + K / Q + K * K;
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  return [shelf, highPass];
}

/** BS.1770 channel weights by channel count: LFE excluded, surrounds +1.5 dB (1.41). */
export function channelWeights(channels: number): number[] {
  if (channels === 1) return [1];
  if (channels === 2) return [1, 1];
  if (channels === 6) return [1, 1, 1, 0, 1.41, 1.41]; // L R C LFE Ls Rs
  throw new RangeError(`loudness: ${channels} channels are not supported (1 mono, 2 stereo or 6 for 5.1 in the order L R C LFE Ls Rs)`);
}

/** Below this mean square (-200 LUFS, far under any converter's noise) a window is silence. */
const SILENCE = 1e-20;

/** Loudness (LUFS) of a weighted mean square; -Infinity for silence. */
export const energyToLufs = (e: number): number => (e > SILENCE ? -0.691 + 10 * Math.log10(e) : -Infinity);

// ---------------------------------------------------------------- gate histograms

const HIST_MIN = -70; // LUFS: the absolute gate; nothing below it is kept
const HIST_MAX = 30; // LUFS: above any possible block of full-scale audio
const HIST_STEP = 0.02; // LU
const HIST_BINS = Math.round((HIST_MAX - HIST_MIN) / HIST_STEP);

/** Block loudness values above the absolute gate: counts and exact energy sums per 0.02 LU bin. */
class GateHistogram {
  readonly counts = new Float64Array(HIST_BINS);
  readonly sums = new Float64Array(HIST_BINS);
  total = 0; // exact energy sum of every kept block
  count = 0;

  /** The energy for add() (a field: a double argument to a call that is not inlined is a new heap object). */
  energy = 0;

  /** Add the block of energy `this.energy`. */
  add(): void {
    const energy = this.energy;
    // energyToLufs written out: this runs every 100 ms on the audio path, where a double returned
    // from a call that is not inlined is a new heap object
    const l = energy > SILENCE ? -0.691 + 10 * Math.log10(energy) : -Infinity;
    if (!(l > HIST_MIN)) return; // absolute gate (BS.1770: blocks at or below -70 LUFS are dropped)
    const bin = Math.min(HIST_BINS - 1, Math.floor((l - HIST_MIN) / HIST_STEP));
    this.counts[bin]++;
    this.sums[bin] += energy;
    this.total += energy;
    this.count++;
  }

  /** First bin whose centre lies above `threshold` LUFS (the relative gate keeps blocks above it). */
  firstBinAbove(threshold: number): number {
    return Math.max(0, Math.ceil((threshold - HIST_MIN) / HIST_STEP - 0.5));
  }

  clear(): void {
    this.counts.fill(0);
    this.sums.fill(0);
    this.total = 0;
    this.count = 0;
  }
}

// ---------------------------------------------------------------- the meter

const FLUSH = 1e-25; // filter states below this are set to 0 (no denormals after long silences)

export class LoudnessMeter {
  readonly sampleRate: number;
  readonly channels: number;
  /** Samples per 100 ms hop (the gating step). */
  readonly hop: number;
  /** Samples per sub-block (the resolution of the sliding windows). */
  readonly sub: number;
  private readonly subsPerHop: number;
  private readonly weights: number[];
  private readonly shelf: Biquad;
  private readonly highPass: Biquad;
  // Per channel filter state: shelf x1 x2 y1 y2, high-pass y1 y2 (its input is the shelf output).
  private readonly state: Float64Array[];
  private readonly peaks: TruePeakChannel[];
  private scratch = new Float64Array(0);

  // Sub-block energies of the last 3 s, a ring.
  private readonly ring: Float64Array;
  private ringPos = 0;
  private subEnergy = 0;
  private subFill = 0;
  private subsInHop = 0;
  private sumM = 0;
  private sumS = 0;
  private hops = 0;
  private frames = 0;

  private m = -Infinity;
  private s = -Infinity;
  private mMax = -Infinity;
  private sMax = -Infinity;
  private tpMax = 0;
  private spMax = 0;
  private readonly blocks = new GateHistogram(); // 400 ms blocks, integrated loudness
  private readonly shortTerms = new GateHistogram(); // 3 s values every 100 ms, loudness range

  /** Whether the true peak is measured (4x oversampling, the costliest part); truePeak() reads the sample peak without it. */
  private readonly withTruePeak: boolean;

  constructor(sampleRate: number, channels: number, options: { truePeak?: boolean } = {}) {
    this.withTruePeak = options.truePeak ?? true;
    if (!(sampleRate >= 8000 && sampleRate <= 192000)) throw new RangeError(`loudness: sample rate ${sampleRate} Hz is outside 8000..192000`);
    this.weights = channelWeights(channels);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.hop = Math.round(sampleRate / 10);
    this.sub = subBlockLength(this.hop, sampleRate);
    this.subsPerHop = this.hop / this.sub;
    [this.shelf, this.highPass] = kWeighting(sampleRate);
    this.state = Array.from({ length: channels }, () => new Float64Array(6));
    this.peaks = Array.from({ length: channels }, () => new TruePeakChannel(sampleRate));
    this.ring = new Float64Array(30 * this.subsPerHop);
  }

  /** Meter `n` frames of `input` (one Float32Array per channel). Any block size. */
  process(input: readonly Float32Array[], n: number): void {
    if (n <= 0) return;
    if (this.scratch.length < n) this.scratch = new Float64Array(Math.max(n, 128));
    const z = this.scratch;
    z.fill(0, 0, n);
    for (let c = 0; c < this.channels; c++) {
      const x = input[c];
      if (!x) continue;
      this.filterInto(x, n, this.state[c], this.weights[c], z);
      const sp = this.blockPeak;
      if (sp > this.spMax) this.spMax = sp;
      let tp = sp;
      if (this.withTruePeak) {
        const detector = this.peaks[c];
        detector.floor = this.tpMax;
        detector.scan(x, n);
        tp = detector.max;
      }
      if (tp > this.tpMax) this.tpMax = tp;
    }
    this.frames += n;
    // Sum the weighted squares into sub-blocks.
    const sub = this.sub;
    let i = 0;
    while (i < n) {
      const take = Math.min(sub - this.subFill, n - i);
      let e = this.subEnergy;
      for (let k = i, end = i + take; k < end; k++) e += z[k];
      this.subEnergy = e;
      this.subFill += take;
      i += take;
      if (this.subFill === sub) this.endSubBlock();
    }
  }

  /** The sample peak of the last filterInto() (a field: a returned double would be a new object every block). */
  private blockPeak = 0;

  /** K-weight one channel, add weight * y^2 into z; its sample peak goes to blockPeak. */
  private filterInto(x: Float32Array, n: number, st: Float64Array, w: number, z: Float64Array): void {
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const h1 = this.highPass.a1;
    const h2 = this.highPass.a2;
    let x1 = st[0], x2 = st[1], y1 = st[2], y2 = st[3], v1 = st[4], v2 = st[5];
    let peak = 0;
    for (let i = 0; i < n; i++) {
      let s = x[i];
      if (!(s - s === 0)) s = 0; // NaN or infinity: counts as silence, never poisons the state
      const a = s < 0 ? -s : s;
      if (a > peak) peak = a;
      // Direct form I: the shelf, then the RLB high-pass (b = 1, -2, 1) on the shelf's output.
      const y = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      const v = y - 2 * y1 + y2 - h1 * v1 - h2 * v2;
      x2 = x1;
      x1 = s;
      y2 = y1;
      y1 = y;
      v2 = v1;
      v1 = v;
      z[i] += w * v * v;
    }
    if (Math.abs(y1) < FLUSH && Math.abs(y2) < FLUSH) y1 = y2 = 0;
    if (Math.abs(v1) < FLUSH && Math.abs(v2) < FLUSH) v1 = v2 = 0;
    st[0] = x1; st[1] = x2; st[2] = y1; st[3] = y2; st[4] = v1; st[5] = v2;
    this.blockPeak = peak;
  }

  private endSubBlock(): void {
    const e = this.subEnergy;
    this.subEnergy = 0;
    this.subFill = 0;
    const ring = this.ring;
    const len = ring.length;
    const pos = this.ringPos;
    const mSpan = 4 * this.subsPerHop;
    // The sub-block leaving each window (ring slots hold 0 before the first 3 s: the meter starts from silence).
    const outM = ring[(pos - mSpan + len) % len];
    const outS = ring[pos];
    ring[pos] = e;
    this.ringPos = pos + 1 === len ? 0 : pos + 1;
    this.sumM += e - outM;
    this.sumS += e - outS;
    if (++this.subsInHop === this.subsPerHop) {
      this.subsInHop = 0;
      this.hops++;
      // Re-sum exactly once per hop: the running sums would otherwise drift, and silence must read 0.
      let sm = 0;
      let ss = 0;
      for (let k = 1; k <= len; k++) {
        const v = ring[(this.ringPos - k + len) % len];
        if (k <= mSpan) sm += v;
        ss += v;
      }
      this.sumM = sm;
      this.sumS = ss;
      if (this.hops >= 4) {
        this.blocks.energy = sm / (4 * this.hop);
        this.blocks.add();
      }
      if (this.hops >= 30) {
        this.shortTerms.energy = ss / (30 * this.hop);
        this.shortTerms.add();
      }
    }
    // energyToLufs written out (every sub-block: no double returned from a call, see GateHistogram.add)
    const em = Math.max(0, this.sumM) / (4 * this.hop);
    const es = Math.max(0, this.sumS) / (30 * this.hop);
    const m = em > SILENCE ? -0.691 + 10 * Math.log10(em) : -Infinity;
    const s = es > SILENCE ? -0.691 + 10 * Math.log10(es) : -Infinity;
    this.m = m;
    this.s = s;
    if (m > this.mMax) this.mMax = m;
    if (s > this.sMax) this.sMax = s;
  }

  /** Momentary loudness (LUFS): the last 400 ms (before 400 ms have passed, the time before the start counts as silence). */
  momentary(): number {
    return this.m;
  }
  /** Short-term loudness (LUFS): the last 3 s. */
  shortTerm(): number {
    return this.s;
  }
  momentaryMax(): number {
    return this.mMax;
  }
  shortTermMax(): number {
    return this.sMax;
  }

  /** Integrated loudness (LUFS), BS.1770-4 gating: absolute -70 LUFS, then relative -10 LU. */
  integrated(): number {
    const h = this.blocks;
    if (h.count === 0) return -Infinity;
    const relative = energyToLufs(h.total / h.count) - 10;
    let sum = 0;
    let count = 0;
    for (let b = h.firstBinAbove(relative); b < HIST_BINS; b++) {
      sum += h.sums[b];
      count += h.counts[b];
    }
    return count > 0 ? energyToLufs(sum / count) : -Infinity;
  }

  /** Loudness range (LU), EBU Tech 3342: short-term values gated at -70 LUFS and -20 LU, 10th to 95th percentile. */
  range(): number {
    const h = this.shortTerms;
    if (h.count === 0) return 0;
    const first = h.firstBinAbove(energyToLufs(h.total / h.count) - 20);
    let count = 0;
    for (let b = first; b < HIST_BINS; b++) count += h.counts[b];
    if (count === 0) return 0;
    // Nearest-rank percentiles on the sorted values, as libebur128 takes them.
    const low = Math.round((count - 1) * 0.1);
    const high = Math.round((count - 1) * 0.95);
    const centre = (b: number) => HIST_MIN + (b + 0.5) * HIST_STEP;
    let seen = 0;
    let lowValue = NaN;
    for (let b = first; b < HIST_BINS; b++) {
      const c = h.counts[b];
      if (c === 0) continue;
      if (Number.isNaN(lowValue) && seen + c > low) lowValue = centre(b);
      if (seen + c > high) return centre(b) - lowValue;
      seen += c;
    }
    return 0;
  }

  /** Largest true peak so far over all channels (dBTP, BS.1770 Annex 2 oversampling). */
  truePeak(): number {
    return 20 * Math.log10(this.tpMax);
  }
  /** Largest sample peak so far over all channels (dBFS). */
  samplePeak(): number {
    return 20 * Math.log10(this.spMax);
  }
  /** Seconds of audio metered since construction or the last reset. */
  duration(): number {
    return this.frames / this.sampleRate;
  }

  reset(): void {
    for (const s of this.state) s.fill(0);
    for (const p of this.peaks) p.reset();
    this.ring.fill(0);
    this.ringPos = 0;
    this.subEnergy = 0;
    this.subFill = 0;
    this.subsInHop = 0;
    this.sumM = 0;
    this.sumS = 0;
    this.hops = 0;
    this.frames = 0;
    this.m = this.s = this.mMax = this.sMax = -Infinity;
    this.tpMax = 0;
    this.spMax = 0;
    this.blocks.clear();
    this.shortTerms.clear();
  }
}

/**
 * The sub-block length: the divisor of the hop closest above 1 ms, so windows of 4 and 30 hops
 * are whole numbers of sub-blocks. A hop with no divisor in 1..2 ms (a prime number of samples,
 * e.g. 1103 at 11025 Hz) falls back to whole hops: the maxima then step by 100 ms.
 */
function subBlockLength(hop: number, sampleRate: number): number {
  const target = Math.max(1, Math.floor(sampleRate / 1000));
  for (let d = target; d <= 2 * target; d++) if (hop % d === 0) return d;
  return hop;
}

// ---------------------------------------------------------------- whole-file analysis

export interface LoudnessReport {
  /** LUFS */
  integrated: number;
  /** LU */
  lra: number;
  /** LUFS */
  momentaryMax: number;
  /** LUFS */
  shortTermMax: number;
  /** dBTP */
  truePeak: number;
  /** dBFS */
  samplePeak: number;
  /** seconds */
  duration: number;
  sampleRate: number;
  channels: number;
}

/** Loudness, range and peaks of whole channels (1, 2, or 6 for 5.1). */
export function analyze(channels: Float32Array[], sampleRate: number): LoudnessReport {
  return new ProgrammeAnalysis(sampleRate, channels.length).add(channels).report();
}

/**
 * analyze() of pieces played one after another (an album as one programme) without joining them:
 * the same readings as analyze() of the concatenation, holding one piece at a time.
 */
export class ProgrammeAnalysis {
  private readonly meter: LoudnessMeter;
  private length = 0;
  /** The programme's last samples per channel (up to TRUE_PEAK_TAPS), for the tail peak. */
  private tail: Float32Array[];

  constructor(
    private readonly sampleRate: number,
    private readonly channels: number,
  ) {
    this.meter = new LoudnessMeter(sampleRate, channels);
    this.tail = Array.from({ length: channels }, () => new Float32Array(0));
  }

  add(piece: Float32Array[]): this {
    if (piece.length !== this.channels) throw new Error(`a piece of ${piece.length} channels in a ${this.channels}-channel programme`);
    const length = piece.length ? piece[0].length : 0;
    const chunk = 8192; // fits the cache; the meter accepts any block size
    const views: Float32Array[] = new Array(piece.length);
    for (let at = 0; at < length; at += chunk) {
      const n = Math.min(chunk, length - at);
      for (let c = 0; c < piece.length; c++) views[c] = piece[c].subarray(at, at + n);
      this.meter.process(views, n);
    }
    this.length += length;
    this.tail = this.tail.map((t, c) => {
      if (length >= TRUE_PEAK_TAPS) return piece[c].slice(length - TRUE_PEAK_TAPS);
      const joined = new Float32Array(t.length + length);
      joined.set(t);
      joined.set(piece[c], t.length);
      return joined.slice(Math.max(0, joined.length - TRUE_PEAK_TAPS));
    });
    return this;
  }

  report(): LoudnessReport {
    const m = this.meter;
    return {
      integrated: m.integrated(),
      lra: m.range(),
      momentaryMax: m.momentaryMax(),
      shortTermMax: m.shortTermMax(),
      truePeak: Math.max(m.truePeak(), tailPeak(this.tail)),
      samplePeak: m.samplePeak(),
      duration: this.length / this.sampleRate,
      sampleRate: this.sampleRate,
      channels: this.channels,
    };
  }
}

/**
 * Sample peak (dB) of the last samples, still inside the oversampler when the file ends: they count
 * as samples, as in truePeakOf (flushing them with silence would ring at an edge playback never has).
 */
function tailPeak(tail: readonly Float32Array[]): number {
  let max = 0;
  for (const ch of tail) {
    for (const v of ch) {
      const a = Math.abs(v);
      if (a > max && a !== Infinity) max = a; // NaN and infinities count as silence, as everywhere
    }
  }
  return 20 * Math.log10(max);
}

// ---------------------------------------------------------------- K-weighted energy of one port

/**
 * Sum of K-weighted squares of x[0, n), carrying the filters' state `st` (shelf x1 x2 y1 y2,
 * high-pass y1 y2) from block to block: kWeighting()'s two stages in direct form I, NaN and
 * infinity counted as silence, denormals flushed. KWeightedEnergy and the bypass match (match.ts) use it.
 */
export function kWeightedEnergy(x: Float32Array, n: number, st: Float64Array, shelf: Biquad, highPass: Biquad): number {
  const { b0, b1, b2, a1, a2 } = shelf;
  const h1 = highPass.a1;
  const h2 = highPass.a2;
  let x1 = st[0], x2 = st[1], y1 = st[2], y2 = st[3], v1 = st[4], v2 = st[5];
  let e = 0;
  for (let i = 0; i < n; i++) {
    let s = x[i];
    if (!(s - s === 0)) s = 0;
    const y = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    const v = y - 2 * y1 + y2 - h1 * v1 - h2 * v2;
    x2 = x1;
    x1 = s;
    y2 = y1;
    y1 = y;
    v2 = v1;
    v1 = v;
    e += v * v;
  }
  if (Math.abs(y1) < FLUSH && Math.abs(y2) < FLUSH) y1 = y2 = 0;
  if (Math.abs(v1) < FLUSH && Math.abs(v2) < FLUSH) v1 = v2 = 0;
  st[0] = x1; st[1] = x2; st[2] = y1; st[3] = y2; st[4] = v1; st[5] = v2;
  return e;
}

/**
 * The K-weighted sum of squares of one stereo signal, per channel, since the last take(): what the
 * editor's live short-term loudness is made of (the worklet posts these sums and the frame count,
 * the main thread keeps 3 s of them: src/engine/levels.ts). The same filters and arithmetic as
 * LoudnessMeter (kWeighting(), direct form I, the shelf then the RLB high-pass), without the
 * windows and gates; allocates nothing per block. A mono signal (no right channel) counts as the
 * same signal on both channels, as the meters repeat its left channel.
 */
export class KWeightedEnergy {
  private readonly shelf: Biquad;
  private readonly highPass: Biquad;
  // Per channel: shelf x1 x2 y1 y2, high-pass y1 y2.
  private readonly state = [new Float64Array(6), new Float64Array(6)];
  /** K-weighted sum of squares, left and right, since the last take(). */
  readonly sums = new Float64Array(2);
  /** Frames added since the last take(). */
  frames = 0;

  constructor(sampleRate: number) {
    [this.shelf, this.highPass] = kWeighting(sampleRate);
  }

  /** Add `n` frames of `left` and `right` (null: mono, the left counted twice). */
  add(left: Float32Array, right: Float32Array | null, n: number): void {
    this.filter(left, n, this.state[0], 0);
    if (right) this.filter(right, n, this.state[1], 1);
    else this.sums[1] = this.sums[0];
    this.frames += n;
  }

  /** Start the next period: sums and frames to 0 (the filters keep their state). */
  take(): void {
    this.sums[0] = this.sums[1] = 0;
    this.frames = 0;
  }

  reset(): void {
    this.take();
    this.state[0].fill(0);
    this.state[1].fill(0);
  }

  private filter(x: Float32Array, n: number, st: Float64Array, c: number): void {
    this.sums[c] += kWeightedEnergy(x, n, st, this.shelf, this.highPass);
  }
}
