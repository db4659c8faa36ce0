// The EQ: a cascade of Audio EQ Cookbook biquads (src/dsp/biquad.ts), transposed direct form II
// in double precision, one state per band and channel, for mono or stereo blocks.
//
// Live edits: when only band values change (same band types in the same order) each band's
// frequency, gain and q glide with the runtime's time constant (frequency and q in equal musical
// steps, gain in dB) and the coefficients follow them every GRID frames, on a grid counted from the
// EQ's creation, so the output does not depend on how the audio is cut into blocks. Once every
// band has landed the coefficients are the Cookbook's for the target values, exactly. A change of
// shape (a band added, removed, switched off or given another type) crossfades from the old
// cascade to the new one over FADE seconds, both running meanwhile.
import { cookbookNormalized, type BiquadType } from './biquad.ts';
import { copyFrames } from './buffers.ts';

export interface EqBand {
  type: BiquadType;
  frequency: number;
  gain: number;
  q: number;
}

/** Coefficients move at most every GRID frames while a band glides. */
export const EQ_GRID = 32;
/** Crossfade when the EQ changes shape (s). */
const FADE = 0.02;
/** Below this a filter state is flushed to zero (-600 dB): no subnormal tails. */
const TINY = 1e-30;

/** One cascade: coefficients (5 per band) and state (z1 z2 for left, then for right, per band). */
class Cascade {
  readonly count: number;
  readonly coef: Float64Array;
  readonly state: Float64Array;
  // Gliding values per band: log frequency, gain, log q, and their targets
  readonly now: Float64Array;
  readonly goal: Float64Array;
  /** The targets as given (frequency, gain, q): a landed band is tuned from these exactly. */
  readonly raw: Float64Array;
  readonly types: BiquadType[];
  moving = false;

  constructor(bands: readonly EqBand[]) {
    this.count = bands.length;
    this.coef = new Float64Array(5 * bands.length);
    this.state = new Float64Array(4 * bands.length);
    this.now = new Float64Array(3 * bands.length);
    this.goal = new Float64Array(3 * bands.length);
    this.raw = new Float64Array(3 * bands.length);
    this.types = bands.map((b) => b.type);
    this.target(bands);
    this.now.set(this.goal);
  }

  /** Same shape as `bands`? (then values glide instead of crossfading) */
  fits(bands: readonly EqBand[]): boolean {
    return bands.length === this.count && bands.every((b, i) => b.type === this.types[i]);
  }

  target(bands: readonly EqBand[]): void {
    bands.forEach((b, i) => {
      this.goal[3 * i] = Math.log(b.frequency);
      this.goal[3 * i + 1] = b.gain;
      this.goal[3 * i + 2] = Math.log(b.q);
      this.raw[3 * i] = b.frequency;
      this.raw[3 * i + 1] = b.gain;
      this.raw[3 * i + 2] = b.q;
    });
    this.moving = false;
    for (let k = 0; k < this.goal.length; k++) if (this.now[k] !== this.goal[k]) this.moving = true;
  }

  /** Glide `steps` samples on (factor `c` per sample); true if anything moved. */
  glide(factor: number): boolean {
    if (!this.moving) return false;
    let still = true;
    const { now, goal } = this;
    for (let k = 0; k < now.length; k++) {
      if (now[k] === goal[k]) continue;
      const d = (now[k] - goal[k]) * factor;
      // 1e-7 in log frequency is 0.00001 %, in dB 1e-7 dB: land exactly
      if (d < 1e-7 && d > -1e-7) now[k] = goal[k];
      else {
        now[k] = goal[k] + d;
        still = false;
      }
    }
    this.moving = !still;
    return true;
  }

  tune(sampleRate: number, scratch: Float64Array): void {
    const { now, goal, raw, coef } = this;
    for (let i = 0; i < this.count; i++) {
      const k = 3 * i;
      const f = now[k] === goal[k] ? raw[k] : Math.exp(now[k]);
      const g = now[k + 1] === goal[k + 1] ? raw[k + 1] : now[k + 1];
      const q = now[k + 2] === goal[k + 2] ? raw[k + 2] : Math.exp(now[k + 2]);
      cookbookNormalized(this.types[i], f, q, g, sampleRate, coef, 5 * i, scratch);
    }
  }

  /** Filter [from, to) of l (and r, if given) from src into dst (dst may be src). */
  run(srcL: Float32Array, srcR: Float32Array | undefined, dstL: Float32Array, dstR: Float32Array | undefined, from: number, to: number): void {
    const { coef, state } = this;
    if (this.count === 0) {
      if (dstL !== srcL) copyFrames(srcL, dstL, to - from, from, from);
      if (srcR && dstR && dstR !== srcR) copyFrames(srcR, dstR, to - from, from, from);
      return;
    }
    let inL = srcL;
    let inR = srcR;
    for (let b = 0; b < this.count; b++) {
      const b0 = coef[5 * b];
      const b1 = coef[5 * b + 1];
      const b2 = coef[5 * b + 2];
      const a1 = coef[5 * b + 3];
      const a2 = coef[5 * b + 4];
      let zl1 = state[4 * b];
      let zl2 = state[4 * b + 1];
      if (inR && dstR) {
        let zr1 = state[4 * b + 2];
        let zr2 = state[4 * b + 3];
        for (let i = from; i < to; i++) {
          const x = inL[i];
          const y = b0 * x + zl1;
          zl1 = b1 * x - a1 * y + zl2;
          zl2 = b2 * x - a2 * y;
          dstL[i] = y;
          const u = inR[i];
          const v = b0 * u + zr1;
          zr1 = b1 * u - a1 * v + zr2;
          zr2 = b2 * u - a2 * v;
          dstR[i] = v;
        }
        state[4 * b + 2] = zr1;
        state[4 * b + 3] = zr2;
      } else {
        for (let i = from; i < to; i++) {
          const x = inL[i];
          const y = b0 * x + zl1;
          zl1 = b1 * x - a1 * y + zl2;
          zl2 = b2 * x - a2 * y;
          dstL[i] = y;
        }
      }
      state[4 * b] = zl1;
      state[4 * b + 1] = zl2;
      inL = dstL;
      inR = dstR;
    }
  }

  /** Zero states that are subnormal-bound or not finite (a NaN passed through): once per block. */
  flush(): void {
    const s = this.state;
    for (let k = 0; k < s.length; k++) {
      const v = s[k];
      if (!(v > TINY || v < -TINY) || v - v !== 0) s[k] = 0;
    }
  }
}

export class EqCore {
  private current: Cascade;
  private old: Cascade | null = null;
  /** Crossfade position from `old` to `current`, 0..1, and its step per sample. */
  private fade = 1;
  private readonly fadeStep: number;
  /** Glide factor per grid step. */
  private readonly gridFactor: number;
  private t = 0;
  private readonly scratch = new Float64Array(6);
  private oldL: Float32Array;
  private oldR: Float32Array;

  /** `glide`: per-sample factor of the value glides (0: jump). */
  constructor(
    private readonly sampleRate: number,
    bands: readonly EqBand[],
    glide: number,
    maxFrames = 128,
  ) {
    this.current = new Cascade(bands);
    this.current.tune(sampleRate, this.scratch);
    this.fadeStep = 1 / (FADE * sampleRate);
    this.gridFactor = Math.pow(glide, EQ_GRID);
    this.oldL = new Float32Array(maxFrames);
    this.oldR = new Float32Array(maxFrames);
  }

  get bandCount(): number {
    return this.current.count;
  }

  /** New bands: glide when the shape is the same, else crossfade to a new cascade. */
  configure(bands: readonly EqBand[]): void {
    if (this.current.fits(bands)) {
      this.current.target(bands);
      if (this.gridFactor === 0) {
        this.current.now.set(this.current.goal);
        this.current.moving = false;
        this.current.tune(this.sampleRate, this.scratch);
      }
      return;
    }
    this.old = this.current;
    this.current = new Cascade(bands);
    this.current.tune(this.sampleRate, this.scratch);
    this.fade = 0;
  }

  /** l (and r for stereo) into outL (outR), n frames; out may be the input. */
  process(l: Float32Array, r: Float32Array | undefined, outL: Float32Array, outR: Float32Array | undefined, n: number): void {
    const old = this.old;
    if (old) {
      if (this.oldL.length < n) {
        this.oldL = new Float32Array(n);
        this.oldR = new Float32Array(n);
      }
      old.run(l, r, this.oldL, r ? this.oldR : undefined, 0, n);
      old.flush();
    }
    const cur = this.current;
    if (!cur.moving) {
      cur.run(l, r, outL, outR, 0, n);
      this.t += n;
    } else {
      // Glide: new coefficients at every grid point in the block
      let i = 0;
      let t = this.t;
      while (i < n) {
        if (t % EQ_GRID === 0 && cur.glide(this.gridFactor)) cur.tune(this.sampleRate, this.scratch);
        const end = Math.min(n, i + EQ_GRID - (t % EQ_GRID));
        cur.run(l, r, outL, outR, i, end);
        t += end - i;
        i = end;
      }
      this.t = t;
    }
    cur.flush();
    if (old) {
      const { oldL, oldR } = this;
      let f = this.fade;
      const step = this.fadeStep;
      let fr = f;
      for (let i = 0; i < n; i++) {
        f = f + step < 1 ? f + step : 1;
        outL[i] = oldL[i] + (outL[i] - oldL[i]) * f;
      }
      if (r && outR)
        for (let i = 0; i < n; i++) {
          fr = fr + step < 1 ? fr + step : 1;
          outR[i] = oldR[i] + (outR[i] - oldR[i]) * fr;
        }
      this.fade = f;
      if (f === 1) this.old = null;
    }
  }
}
