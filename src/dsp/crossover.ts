// Linkwitz-Riley 4th-order (LR4) crossover sections: each output is two cascaded Butterworth
// biquads (Cookbook, Q = 1/√2) at the same frequency. LR4 low-pass and high-pass are in phase at
// every frequency and sum to the 2nd-order allpass at that frequency (Q = 1/√2):
//   1/D² + s⁴/D² = (s² - √2·s + 1)/(s² + √2·s + 1), with D = s² + √2·s + 1,
// and the bilinear transform keeps that identity, so the digital bands sum flat too.
import { cookbook, magnitudeDb } from './biquad.ts';

export const BUTTERWORTH_Q = Math.SQRT1_2;

/** Biquad coefficients divided by a0. */
export interface Normalized {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function normalize(b: readonly number[], a: readonly number[]): Normalized {
  const a0 = a[0];
  return { b0: b[0] / a0, b1: b[1] / a0, b2: b[2] / a0, a1: a[1] / a0, a2: a[2] / a0 };
}

const clampFrequency = (frequency: number, sampleRate: number) => Math.min(Math.max(frequency, 1), sampleRate / 2 - 1);

/** One Butterworth stage of an LR4 low- or high-pass. */
export function butterworth(type: 'lowpass' | 'highpass', frequency: number, sampleRate: number): Normalized {
  const c = cookbook(type, clampFrequency(frequency, sampleRate), BUTTERWORTH_Q, 0, sampleRate);
  return normalize(c.b, c.a);
}

/** The Cookbook 2nd-order allpass (Q = 1/√2): what an LR4 low-pass plus high-pass add up to. */
export function allpass(frequency: number, sampleRate: number): Normalized {
  const w0 = (2 * Math.PI * clampFrequency(frequency, sampleRate)) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * BUTTERWORTH_Q);
  return normalize([1 - alpha, -2 * cos, 1 + alpha], [1 + alpha, -2 * cos, 1 - alpha]);
}

/** |H| in dB of an LR4 low- or high-pass at `at` Hz (twice its Butterworth stage). */
export function lr4MagnitudeDb(type: 'lowpass' | 'highpass', frequency: number, at: number, sampleRate: number): number {
  return 2 * magnitudeDb(cookbook(type, clampFrequency(frequency, sampleRate), BUTTERWORTH_Q, 0, sampleRate), at, sampleRate);
}

// Below this a filter state is flushed to zero (-600 dB): keeps decaying tails out of the
// subnormal range, where the CPU slows down a hundredfold.
const TINY = 1e-30;

/**
 * A chain of biquad stages sharing one set of coefficients (1 stage: a biquad, 2: an LR4 half),
 * with its own state per channel. Transposed direct form II in double precision.
 */
export class BiquadChain {
  private c: Normalized = { b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 };
  private readonly z1: Float64Array;
  private readonly z2: Float64Array;

  constructor(
    readonly channels: number,
    readonly stages: number,
  ) {
    this.z1 = new Float64Array(channels * stages);
    this.z2 = new Float64Array(channels * stages);
  }

  set(c: Normalized): void {
    this.c = c;
  }

  /** Filter buf[start, end) of `channel` in place. */
  process(buf: Float64Array, channel: number, start: number, end: number): void {
    const { b0, b1, b2, a1, a2 } = this.c;
    for (let s = 0; s < this.stages; s++) {
      const k = channel * this.stages + s;
      let z1 = this.z1[k];
      let z2 = this.z2[k];
      for (let i = start; i < end; i++) {
        const x = buf[i];
        const y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        buf[i] = y;
      }
      this.z1[k] = z1;
      this.z2[k] = z2;
    }
  }

  /** Zero states that are subnormal-bound or not finite (call once per block). */
  flush(): void {
    for (let k = 0; k < this.z1.length; k++) {
      const a = this.z1[k];
      const b = this.z2[k];
      if (!(Math.abs(a) > TINY) || !Number.isFinite(a)) this.z1[k] = 0;
      if (!(Math.abs(b) > TINY) || !Number.isFinite(b)) this.z2[k] = 0;
    }
  }

  reset(): void {
    this.z1.fill(0);
    this.z2.fill(0);
  }
}

/** An LR4 low- or high-pass: two identical Butterworth stages. */
export class LR4 extends BiquadChain {
  constructor(
    readonly type: 'lowpass' | 'highpass',
    channels: number,
  ) {
    super(channels, 2);
  }

  tune(frequency: number, sampleRate: number): void {
    this.set(butterworth(this.type, frequency, sampleRate));
  }
}

/** The allpass matching an LR4 split at the same frequency (for phase-aligning a parallel path). */
export class LR4Allpass extends BiquadChain {
  constructor(channels: number) {
    super(channels, 1);
  }

  tune(frequency: number, sampleRate: number): void {
    this.set(allpass(frequency, sampleRate));
  }
}

/**
 * A frequency that glides in the log domain (equal musical steps) towards its target, so a
 * crossover moved live sweeps instead of jumping. `step(frames)` advances it and says whether it moved.
 */
export class GlidingFrequency {
  private log = NaN;
  private target = NaN;
  private readonly perFrame: number;

  /** `tau`: time constant in seconds. */
  constructor(sampleRate: number, tau = 0.02) {
    this.perFrame = 1 / (tau * sampleRate);
  }

  get value(): number {
    return Math.exp(this.log);
  }

  get settled(): boolean {
    return this.log === this.target;
  }

  /** Set the target; the first one (or `jump`) is taken at once. */
  setTarget(frequency: number, jump = false): void {
    this.target = Math.log(frequency);
    if (jump || Number.isNaN(this.log)) this.log = this.target;
  }

  step(frames: number): boolean {
    if (this.log === this.target) return false;
    const d = this.target - this.log;
    // 1e-5 in log is 0.001 %: closer than that, land on the target exactly.
    if (Math.abs(d) < 1e-5) this.log = this.target;
    else this.log += d * (1 - Math.exp(-frames * this.perFrame));
    return true;
  }
}
