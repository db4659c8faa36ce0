// True-peak lookahead brickwall limiter.
//
// The gain path, per frame, stereo-linked (one gain for all channels):
//   1. detect: the true peak (BS.1770 oversampling, src/dsp/truepeak.ts) of each inter-sample
//      interval of the input, largest over the channels;
//   2. require: the gain that puts that peak on the ceiling, q = min(1, ceiling / peak);
//   3. hold: a sliding-window minimum of q, so every reduction is held for the whole lookahead;
//   4. release: the held gain recovers exponentially in dB (time constant `release`), attacks at once;
//   5. smooth: two cascaded moving averages (a triangular kernel) whose combined length is the
//      lookahead, so each reduction is reached with an S-shaped ramp that ends exactly when the
//      peak arrives, and the gain never steps.
// The audio is delayed by the lookahead plus the detector's group delay, so the ramp runs ahead
// of the peak. Why it holds: every kernel tap reads a held value whose window covers the peak's
// requirement, and a weighted average (non-negative weights summing to one) of numbers that are
// all <= r is <= r. The hold window is one interval wider on each side of the sample, so the
// gain is flat around every peak and the output's own inter-sample peaks stay on the ceiling too.
// (The structure of Signalsmith Audio's limiter, a peak hold then a stack of box filters; here
// driven by a true-peak detector.)
import { TRUE_PEAK_TAPS, truePeakLatency, TruePeakChannel } from './truepeak.ts';
import { copyFrames } from './buffers.ts';

export interface LimiterSettings {
  /** Highest output true peak, dBTP (-12..0). */
  ceiling: number;
  /** Release time constant, ms (1..1000): the reduction in dB falls to 1/e in this time. */
  release: number;
  /** Lookahead, ms (0.5..10): how early the gain starts to move before a peak. Sets the latency. */
  lookahead: number;
}

export const LIMITER_DEFAULTS: Readonly<LimiterSettings> = { ceiling: -1, release: 60, lookahead: 5 };
export const LIMITER_RANGES = {
  ceiling: [-12, 0],
  release: [1, 1000],
  lookahead: [0.5, 10],
} as const satisfies Record<keyof LimiterSettings, readonly [number, number]>;

/**
 * Internal safety margin under the ceiling (dB). The detector uses the very filter the output is
 * measured with, so only the slight gain movement within the interpolator's span is left to
 * cover; measured worst overshoot without it is in tests/dsp/limiter.test.ts.
 */
export const LIMITER_MARGIN_DB = 0.02;

/** Extra intervals held on each side of a sample (see the header): 1 keeps the gain flat at peaks. */
const SPREAD = 1;

const clamp = (v: number, [lo, hi]: readonly [number, number], fallback: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback);

/** Lookahead in samples for a setting in ms (at least 1). */
export function lookaheadSamples(lookaheadMs: number, sampleRate: number): number {
  return Math.max(1, Math.round((clamp(lookaheadMs, LIMITER_RANGES.lookahead, LIMITER_DEFAULTS.lookahead) * sampleRate) / 1000));
}

/** Samples by which the limiter's output lags its input at this lookahead (see LimiterCore.latency). */
export function limiterLatency(lookaheadMs: number, sampleRate: number): number {
  return lookaheadSamples(lookaheadMs, sampleRate) + truePeakLatency(sampleRate) + SPREAD - 1;
}

const pow2Above = (n: number) => 2 ** Math.ceil(Math.log2(n + 1));

/** A moving average over `length` values that is exactly 1 while every value in it is 1. */
class Box {
  private readonly ring: Float64Array;
  private length = 1;
  private pos = 0;
  private sum = 1;
  private below = 0; // values in the window below 1

  constructor(maxLength: number) {
    this.ring = new Float64Array(maxLength);
  }

  fill(length: number, value: number): void {
    this.length = length;
    this.pos = 0;
    this.ring.fill(value, 0, length);
    this.sum = value * length;
    this.below = value < 1 ? length : 0;
  }

  push(v: number): number {
    const old = this.ring[this.pos];
    this.ring[this.pos] = v;
    if (++this.pos === this.length) this.pos = 0;
    this.below += (v < 1 ? 1 : 0) - (old < 1 ? 1 : 0);
    if (this.below === 0) {
      // Exact unity, and no rounding left over in the running sum.
      this.sum = this.length;
      return 1;
    }
    // Re-add the window once per turn: the running sum's rounding cannot pile up over hours.
    if (this.pos === 0) {
      let sum = 0;
      for (let i = 0; i < this.length; i++) sum += this.ring[i];
      this.sum = sum;
    } else this.sum += v - old;
    const mean = this.sum / this.length;
    return mean < 1 ? mean : 1;
  }

  scale(f: number): void {
    for (let i = 0; i < this.length; i++) this.ring[i] *= f;
    this.sum *= f;
    this.below = this.length;
  }
}

export class LimiterCore {
  readonly channels: number;
  /** Gain reduction (dB, >= 0) at the deepest point of the last processed block, for meters. */
  reduction = 0;

  private readonly sampleRate: number;
  private settings: LimiterSettings = { ...LIMITER_DEFAULTS };
  private ceilingGain = 1; // linear, with the margin
  private releaseCoef = 0;

  private readonly detectors: TruePeakChannel[];
  private readonly detectorLatency: number;
  private peaks: Float32Array[];
  private silence = new Float32Array(128);
  private readonly sources: (Float32Array | undefined)[] = [];

  // Audio delay line per channel, and the per-frame requirements q, both indexed by the frame
  // counter `t` modulo their size (power-of-two rings, large enough for the longest lookahead).
  private readonly audio: Float32Array[];
  private readonly audioMask: number;
  private readonly required: Float64Array;
  private readonly requiredMask: number;
  private t = 0;

  private lookahead = 0; // samples (0 until configured)
  private window = 1; // hold window, samples
  private delay = 1; // audio delay, samples

  // Sliding minimum (monotonic deque of frame indices and values).
  private readonly dqIndex: Float64Array;
  private readonly dqValue: Float64Array;
  private readonly dqMask: number;
  private dqHead = 0;
  private dqSize = 0;

  private logHeld = 0; // release stage: natural log of the released gain (<= 0)
  private readonly box1: Box;
  private readonly box2: Box;
  private gain = 1; // last output gain

  constructor(sampleRate: number, channels = 2) {
    this.sampleRate = sampleRate;
    this.channels = Math.max(1, channels | 0);
    this.detectors = Array.from({ length: this.channels }, () => new TruePeakChannel(sampleRate));
    this.detectorLatency = this.detectors[0].latency;
    this.peaks = Array.from({ length: this.channels }, () => new Float32Array(128));

    const maxLookahead = lookaheadSamples(LIMITER_RANGES.lookahead[1], sampleRate);
    const maxWindow = maxLookahead + 2 * SPREAD + 1;
    const maxDelay = maxLookahead + this.detectorLatency + SPREAD;
    const audioSize = pow2Above(maxDelay + 1);
    this.audioMask = audioSize - 1;
    this.audio = Array.from({ length: this.channels }, () => new Float32Array(audioSize));
    const requiredSize = pow2Above(maxWindow + 1);
    this.requiredMask = requiredSize - 1;
    this.required = new Float64Array(requiredSize).fill(1);
    const dqSize = pow2Above(maxWindow + 1);
    this.dqMask = dqSize - 1;
    this.dqIndex = new Float64Array(dqSize);
    this.dqValue = new Float64Array(dqSize);
    this.box1 = new Box(maxLookahead);
    this.box2 = new Box(maxLookahead);
    this.configure(this.settings);
    this.reset();
  }

  /** Samples by which the output lags the input: lookahead + the detector's group delay. */
  get latency(): number {
    return this.delay;
  }

  /** The settings in use (clamped to their ranges). */
  get current(): Readonly<LimiterSettings> {
    return this.settings;
  }

  /**
   * Change settings while running. Ceiling and release apply from the next sample, without a
   * jump (a lower ceiling scales the held gains down at once, so the ceiling holds for the audio
   * already in the delay line). A new lookahead keeps the delay line but moves its read point:
   * the latency changes, the audio skips or repeats by the difference (once), and the gain
   * smoother restarts from the lowest gain that the audio still in the line requires.
   */
  configure(s: Partial<LimiterSettings>): void {
    const next: LimiterSettings = {
      ceiling: clamp(s.ceiling ?? this.settings.ceiling, LIMITER_RANGES.ceiling, this.settings.ceiling),
      release: clamp(s.release ?? this.settings.release, LIMITER_RANGES.release, this.settings.release),
      lookahead: clamp(s.lookahead ?? this.settings.lookahead, LIMITER_RANGES.lookahead, this.settings.lookahead),
    };
    const ceilingGain = Math.pow(10, (next.ceiling - LIMITER_MARGIN_DB) / 20);
    if (ceilingGain < this.ceilingGain && this.t > 0) this.scaleGains(ceilingGain / this.ceilingGain);
    this.ceilingGain = ceilingGain;
    this.releaseCoef = Math.exp(-1000 / (next.release * this.sampleRate));
    const lookahead = lookaheadSamples(next.lookahead, this.sampleRate);
    this.settings = next;
    if (lookahead !== this.lookahead) this.setLookahead(lookahead);
  }

  /** Silence in the delay line, no reduction: as just built. */
  reset(): void {
    for (const d of this.detectors) {
      d.reset();
      // Prime the interpolator with silence: the past is silent (the delay line starts with
      // zeros too), so even the first samples are detected between the samples.
      d.process(new Float32Array(TRUE_PEAK_TAPS), TRUE_PEAK_TAPS);
    }
    for (const a of this.audio) a.fill(0);
    this.required.fill(1);
    this.t = 0;
    this.dqHead = 0;
    this.dqSize = 0;
    this.logHeld = 0;
    this.gain = 1;
    this.box1.fill(this.box1Length(), 1);
    this.box2.fill(this.lookahead + 1 - this.box1Length(), 1);
    this.reduction = 0;
  }

  /**
   * Limit `n` frames of `input` into `output`. Missing input channels repeat the first (mono in,
   * stereo out); no input at all is silence (the delay line still drains). Non-finite input
   * samples count as silence. `gains`, if given, receives the gain applied to each frame.
   */
  process(input: readonly Float32Array[], output: Float32Array[], n: number, gains?: Float32Array): void {
    const channels = this.channels;
    if (this.peaks[0].length < n) {
      this.peaks = this.peaks.map(() => new Float32Array(n));
      this.silence = new Float32Array(n);
    }
    const sources = this.sources;
    for (let c = 0; c < channels; c++) {
      const src = input[c] ?? input[0];
      sources[c] = src;
      this.detectors[c].scan(src ?? this.silence, n, this.peaks[c]); // (floor stays Infinity: peaks wanted)
    }
    const { audio, audioMask, required, requiredMask, dqIndex, dqValue, dqMask, box1, box2, peaks } = this;
    const window = this.window;
    const delay = this.delay;
    const lookahead = this.lookahead;
    const ceiling = this.ceilingGain;
    const releaseCoef = this.releaseCoef;
    let t = this.t;
    let dqHead = this.dqHead;
    let dqSize = this.dqSize;
    let logHeld = this.logHeld;
    let gain = this.gain;
    let lowest = 1;
    let lastHeld = NaN;
    let lastLog = 0;
    const outs = Math.min(output.length, channels);
    for (let i = 0; i < n; i++) {
      // 1-2. Requirement of the interval the detector reports now (stereo-linked).
      let peak = 0;
      for (let c = 0; c < channels; c++) if (peaks[c][i] > peak) peak = peaks[c][i];
      const q = peak > ceiling ? ceiling / peak : 1;
      required[t & requiredMask] = q;
      // 3. Sliding minimum over the hold window.
      while (dqSize > 0 && dqValue[(dqHead + dqSize - 1) & dqMask] >= q) dqSize--;
      const back = (dqHead + dqSize) & dqMask;
      dqIndex[back] = t;
      dqValue[back] = q;
      dqSize++;
      if (dqIndex[dqHead] <= t - window) {
        dqHead = (dqHead + 1) & dqMask;
        dqSize--;
      }
      const held = dqValue[dqHead];
      // 4. Release in dB: instant down, exponential up. The held value changes in steps, so its
      // log is computed only when it changes.
      let released = 1;
      if (held < 1 || logHeld < 0) {
        if (held !== lastHeld) {
          lastHeld = held;
          lastLog = held < 1 ? Math.log(held) : 0;
        }
        if (lastLog <= logHeld) {
          logHeld = lastLog;
          released = held;
        } else {
          logHeld = lastLog + releaseCoef * (logHeld - lastLog);
          if (logHeld > -1e-9) logHeld = 0; // within 1e-8 dB of unity: snap, no denormal tail
          released = logHeld < 0 ? Math.exp(logHeld) : 1;
        }
      }
      // 5. Triangular smoothing. The running sums cancel to ~1e-16 absolute, nothing next to a
      // real gain but not next to 1e-30 (input at +600 dBFS), so the gain is also capped by the
      // requirements it must meet directly: a no-op in every other case.
      gain = box2.push(box1.push(released));
      for (let k = t - lookahead - 2 * SPREAD; k <= t - lookahead + 1; k++) {
        const need = required[k & requiredMask];
        if (need < gain) gain = need;
      }
      if (gain < lowest) lowest = gain;
      if (gains) gains[i] = gain;
      // Delay line: write the input, read the sample `delay` frames back.
      const w = t & audioMask;
      const r = (t - delay) & audioMask;
      for (let c = 0; c < channels; c++) {
        const src = sources[c];
        const x = src ? src[i] : 0;
        audio[c][w] = x - x === 0 ? x : 0; // NaN and infinities become silence
        if (c < outs) output[c][i] = audio[c][r] * gain;
      }
      t++;
    }
    for (let c = outs; c < output.length; c++) copyFrames(output[outs - 1], output[c], n);
    this.t = t;
    this.dqHead = dqHead;
    this.dqSize = dqSize;
    this.logHeld = logHeld;
    this.gain = gain;
    this.reduction = lowest < 1 ? -20 * Math.log10(lowest) : 0;
  }

  private box1Length(): number {
    return (this.lookahead + 1) >> 1;
  }

  private setLookahead(lookahead: number): void {
    this.lookahead = lookahead;
    this.window = lookahead + 2 * SPREAD + 1;
    this.delay = lookahead + this.detectorLatency + SPREAD - 1;
    // Rebuild the hold window from the requirements of the last window-1 frames, and start the
    // smoother from the lowest gain any of them (or the current gain) needs.
    this.dqHead = 0;
    this.dqSize = 0;
    let lowest = Math.min(this.gain, Math.exp(this.logHeld));
    const { required, requiredMask, dqIndex, dqValue, dqMask } = this;
    for (let k = Math.max(0, this.t - this.window + 1); k < this.t; k++) {
      const q = required[k & requiredMask];
      if (q < lowest) lowest = q;
      while (this.dqSize > 0 && dqValue[(this.dqHead + this.dqSize - 1) & dqMask] >= q) this.dqSize--;
      const back = (this.dqHead + this.dqSize) & dqMask;
      dqIndex[back] = k;
      dqValue[back] = q;
      this.dqSize++;
    }
    this.logHeld = lowest < 1 ? Math.log(lowest) : 0;
    this.gain = lowest;
    this.box1.fill(this.box1Length(), lowest);
    this.box2.fill(lookahead + 1 - this.box1Length(), lowest);
  }

  /** Multiply every stored gain by f < 1 (a lower ceiling), keeping the pipeline's guarantee. */
  private scaleGains(f: number): void {
    for (let i = 0; i < this.required.length; i++) this.required[i] *= f;
    for (let k = 0; k < this.dqSize; k++) this.dqValue[(this.dqHead + k) & this.dqMask] *= f;
    this.logHeld += Math.log(f);
    this.box1.scale(f);
    this.box2.scale(f);
    this.gain *= f;
  }
}
