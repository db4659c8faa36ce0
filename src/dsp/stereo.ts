// Stereo width by mid/side, a bass mono-maker, and a phase-correlation meter.
//   M = (L + R)/2, S = (L - R)/2, S' = width · S, L' = M + S', R' = M - S'
// width 0 is mono, 1 leaves the signal as it is, 2 doubles the side (+6.02 dB of L - R).
//
// monoBelow removes the side below a frequency with an LR4 high-pass, and runs the mid through
// the matching LR4 allpass. An LR4 high-pass has exactly the phase of its allpass at every
// frequency (LP and HP are in phase and sum to the allpass), so the side is only scaled against
// the mid, never rotated: L' = AP·(M + |HP|·S'). Above the cutoff this is the input through an
// allpass, below it mono, and around it the image narrows without smearing. A high-pass on the
// side alone (no allpass on the mid) turns the side up to 360° against the mid across the cutoff
// (180° at it), which swaps left and right there.
import { GlidingFrequency, LR4, LR4Allpass } from './crossover.ts';
import { copyFrames } from './buffers.ts';

/** Integration time of the correlation meter (s). */
export const CORRELATION_TAU = 0.3;

/**
 * Phase correlation of two channels, -1..+1: Σ L·R / √(Σ L² · Σ R²), each sum an exponential
 * (RC) average with a 300 ms time constant, the ballistics of the usual analogue-style meters.
 * +1: mono (L = R); 0: unrelated; -1: one channel is the other inverted. Silence reads 0.
 */
export class CorrelationMeter {
  private lr = 0;
  private ll = 0;
  private rr = 0;
  private readonly a: number;

  constructor(sampleRate: number, tau = CORRELATION_TAU) {
    this.a = Math.exp(-1 / (tau * sampleRate));
  }

  /** Feed `left`, `right` frames [start, start + n). Non-finite samples count as silence. */
  process(left: ArrayLike<number>, right: ArrayLike<number>, n: number, start = 0): void {
    const a = this.a;
    const b = 1 - a;
    let lr = this.lr;
    let ll = this.ll;
    let rr = this.rr;
    for (let i = start; i < start + n; i++) {
      let l = left[i];
      let r = right[i];
      if (l - l !== 0) l = 0;
      if (r - r !== 0) r = 0;
      lr = a * lr + b * l * r;
      ll = a * ll + b * l * l;
      rr = a * rr + b * r * r;
    }
    // Flush tails of silence before they go subnormal (1e-30 power is -300 dB).
    this.lr = Math.abs(lr) > 1e-30 ? lr : 0;
    this.ll = ll > 1e-30 ? ll : 0;
    this.rr = rr > 1e-30 ? rr : 0;
  }

  get value(): number {
    const norm = Math.sqrt(this.ll * this.rr);
    // Below -100 dB RMS in either channel there is nothing to correlate.
    if (!(this.ll > 1e-10 && this.rr > 1e-10)) return 0;
    return Math.max(-1, Math.min(1, this.lr / norm));
  }

  reset(): void {
    this.lr = this.ll = this.rr = 0;
  }
}

export interface StereoSettings {
  /** Side gain: 0 mono, 1 unchanged, 2 twice the side. */
  width: number;
  /** Side removed below this frequency (Hz); 0 is off. */
  monoBelow: number;
}

export const STEREO_DEFAULTS: StereoSettings = { width: 1, monoBelow: 0 };

/** Time constant of the per-sample width glide (s). */
const WIDTH_TAU = 0.005;
/** Crossfade time when monoBelow is switched on or off (s). */
const FADE_SECONDS = 0.02;
/** Filter coefficients move at most every CHUNK frames while the cutoff glides. */
const CHUNK = 32;

export class StereoCore {
  readonly meter: CorrelationMeter;
  private readonly sideHp = new LR4('highpass', 1);
  private readonly midAp = new LR4Allpass(1);
  private readonly cutoff: GlidingFrequency;
  private readonly widthStep: number;
  private readonly fadeStep: number;
  private width = 1;
  private widthTarget = 1;
  /** 0: the dry mid/side path, 1: the filtered one (monoBelow on). */
  private fade = 0;
  private fadeTarget = 0;
  private configured = false;
  /** Frames processed: the chunk grid's position. */
  private t = 0;
  private size = 0;
  private mid = new Float64Array(0);
  private side = new Float64Array(0);
  private midF = new Float64Array(0);
  private sideF = new Float64Array(0);

  constructor(private readonly sampleRate: number) {
    this.meter = new CorrelationMeter(sampleRate);
    this.cutoff = new GlidingFrequency(sampleRate);
    this.widthStep = 1 - Math.exp(-1 / (WIDTH_TAU * sampleRate));
    this.fadeStep = 1 / (FADE_SECONDS * sampleRate);
  }

  /** Phase correlation of the output, -1..+1. */
  get correlation(): number {
    return this.meter.value;
  }

  /** New settings: the first call applies at once; later width and cutoff changes glide. */
  configure(s: StereoSettings): void {
    const first = !this.configured;
    this.configured = true;
    this.widthTarget = Math.max(0, s.width);
    if (first) this.width = this.widthTarget;
    const on = s.monoBelow > 0;
    if (on) {
      const wasOff = this.fadeTarget === 0 && this.fade === 0;
      if (wasOff) {
        // From off: start the filters clean at the new cutoff and fade them in.
        this.sideHp.reset();
        this.midAp.reset();
      }
      this.cutoff.setTarget(s.monoBelow, first || wasOff);
      this.tune();
    }
    this.fadeTarget = on ? 1 : 0;
    if (first) this.fade = this.fadeTarget;
  }

  private tune(): void {
    this.sideHp.tune(this.cutoff.value, this.sampleRate);
    this.midAp.tune(this.cutoff.value, this.sampleRate);
  }

  private ensure(n: number): void {
    if (n <= this.size) return;
    this.size = n;
    this.mid = new Float64Array(n);
    this.side = new Float64Array(n);
    this.midF = new Float64Array(n);
    this.sideF = new Float64Array(n);
  }

  /**
   * `input`: 2 channels, or 1 (taken as L = R), or none (silence). `output`: 2 channels
   * (a third and further get silence). Non-finite input samples count as silence.
   */
  process(input: ArrayLike<number>[], output: Float32Array[], n: number): void {
    this.ensure(n);
    const { mid, side } = this;
    const inL = input[0];
    const inR = input[1] ?? input[0];
    for (let i = 0; i < n; i++) {
      let l = inL ? inL[i] : 0;
      let r = inR ? inR[i] : 0;
      if (l - l !== 0) l = 0;
      if (r - r !== 0) r = 0;
      mid[i] = (l + r) / 2;
      side[i] = (l - r) / 2;
    }
    if (this.fade > 0 || this.fadeTarget > 0) this.filter(n);
    // Side gain, glided per sample.
    let w = this.width;
    const wt = this.widthTarget;
    if (w === wt) {
      if (w !== 1) for (let i = 0; i < n; i++) side[i] *= w;
    } else {
      const step = this.widthStep;
      for (let i = 0; i < n; i++) {
        w += (wt - w) * step;
        side[i] *= w;
      }
      this.width = Math.abs(wt - w) < 1e-6 ? wt : w;
    }
    const outL = output[0];
    const outR = output[1];
    for (let i = 0; i < n; i++) {
      outL[i] = mid[i] + side[i];
      if (outR) outR[i] = mid[i] - side[i];
    }
    for (let c = 2; c < output.length; c++) output[c].fill(0, 0, n);
    this.meter.process(outL, outR ?? outL, n);
    this.t += n;
  }

  /** Replace mid and side with the monoBelow path (crossfaded while it is switched on or off). */
  private filter(n: number): void {
    const { mid, side, midF, sideF } = this;
    copyFrames(mid, midF, n);
    copyFrames(side, sideF, n);
    // Chunks on a grid counted from the start, not from the block (any block length, same samples)
    for (let start = 0, t = this.t; start < n; ) {
      const phase = t % CHUNK;
      const end = Math.min(n, start + CHUNK - phase);
      if (phase === 0 && this.cutoff.step(CHUNK)) this.tune();
      this.sideHp.process(sideF, 0, start, end);
      this.midAp.process(midF, 0, start, end);
      t += end - start;
      start = end;
    }
    this.sideHp.flush();
    this.midAp.flush();
    let f = this.fade;
    const ft = this.fadeTarget;
    if (f === ft) {
      copyFrames(midF, mid, n);
      copyFrames(sideF, side, n);
      return;
    }
    const step = ft > f ? this.fadeStep : -this.fadeStep;
    for (let i = 0; i < n; i++) {
      f = step > 0 ? Math.min(ft, f + step) : Math.max(ft, f + step);
      // Equal-gain crossfade: both paths carry the same signal, give or take phase.
      mid[i] += (midF[i] - mid[i]) * f;
      side[i] += (sideF[i] - side[i]) * f;
    }
    this.fade = f;
  }
}
