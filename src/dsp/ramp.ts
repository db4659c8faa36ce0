// Parameter ramps for the runtime's processors: the exponential approach of Web Audio's
// setTargetAtTime (one time constant for every parameter), advanced per sample, that lands on
// its target exactly once it is within SETTLE of it, so a settled parameter is bit-exact.
//
// Every ramp here is split-invariant: its value after n samples does not depend on how the n
// samples were cut into blocks (per-sample steps, or whole grid steps at absolute positions).
import { copyFrames } from './buffers.ts';

/** Distance (relative to the jump) at which a ramp lands on its target: -140 dB of the step. */
export const SETTLE = 1e-7;
/** Absolute floor of the landing distance, for ramps to or from 0 (a mute: -180 dB). */
export const SETTLE_FLOOR = 1e-9;

/** Per-sample factor of an exponential approach with time constant `tau` seconds (0: a jump). */
export function decayPerSample(tau: number, sampleRate: number): number {
  return tau > 0 ? Math.exp(-1 / (tau * sampleRate)) : 0;
}

/**
 * One parameter moving towards its target. Use `step()` once per sample while `moving`, or
 * `advance(n)` to move n samples at once (the same value as n steps, to rounding).
 */
export class Ramp {
  value: number;
  target: number;
  /** Landing distance for the current move. */
  private eps: number;
  constructor(
    value: number,
    /** Per-sample factor (decayPerSample). */
    readonly coef: number,
  ) {
    this.value = value;
    this.target = value;
    this.eps = SETTLE_FLOOR;
  }

  get moving(): boolean {
    return this.value !== this.target;
  }

  /** Glide from where it is now to `target`. */
  set(target: number): void {
    this.target = target;
    this.eps = Math.max(SETTLE * Math.abs(target - this.value), SETTLE_FLOOR);
    if (this.coef === 0 || Math.abs(target - this.value) <= this.eps) this.value = target;
  }

  /** Take `value` at once (creation, or where a glide would do harm). */
  jump(value: number): void {
    this.value = value;
    this.target = value;
  }

  /** One sample on; returns the new value. */
  step(): number {
    const t = this.target;
    const d = (this.value - t) * this.coef;
    this.value = d < this.eps && d > -this.eps ? t : t + d;
    return this.value;
  }

  /** `n` samples on at once (control-rate parameters). */
  advance(n: number): number {
    if (this.value === this.target) return this.value;
    const t = this.target;
    const d = (this.value - t) * Math.pow(this.coef, n);
    this.value = d < this.eps && d > -this.eps ? t : t + d;
    return this.value;
  }

  /** The landing distance, for loops that inline `step()`. */
  get epsilon(): number {
    return this.eps;
  }
}

/**
 * out[i] = in[i] · g for i in [0, n), g following `ramp` per sample (or constant once settled).
 * `out` may be `input`.
 */
export function applyGain(input: Float32Array, out: Float32Array, n: number, ramp: Ramp): void {
  if (!ramp.moving) {
    const g = ramp.value;
    if (g === 1) {
      if (out !== input) copyFrames(input, out, n);
      return;
    }
    for (let i = 0; i < n; i++) out[i] = input[i] * g;
    return;
  }
  const t = ramp.target;
  const c = ramp.coef;
  const eps = ramp.epsilon;
  let d = ramp.value - t;
  for (let i = 0; i < n; i++) {
    d *= c;
    if (d < eps && d > -eps) d = 0;
    out[i] = input[i] * (t + d);
  }
  ramp.value = t + d;
}

/**
 * Like applyGain for two channels that share one ramp (the gain is stepped once per sample).
 * `r` may be undefined (a mono signal).
 */
export function applyGainStereo(l: Float32Array, r: Float32Array | undefined, outL: Float32Array, outR: Float32Array | undefined, n: number, ramp: Ramp): void {
  if (!ramp.moving || !r || !outR) {
    if (!ramp.moving) {
      applyGain(l, outL, n, ramp);
      if (r && outR) applyGain(r, outR, n, ramp);
      return;
    }
    applyGain(l, outL, n, ramp);
    return;
  }
  const t = ramp.target;
  const c = ramp.coef;
  const eps = ramp.epsilon;
  let d = ramp.value - t;
  for (let i = 0; i < n; i++) {
    d *= c;
    if (d < eps && d > -eps) d = 0;
    const g = t + d;
    outL[i] = l[i] * g;
    outR[i] = r[i] * g;
  }
  ramp.value = t + d;
}
