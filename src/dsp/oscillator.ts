// Band-limited test-signal oscillators: sine, and square, sawtooth and triangle with their
// discontinuities smoothed by two-sample polynomial residuals (PolyBLEP for the steps of the
// square and the sawtooth, its integral PolyBLAMP for the corners of the triangle; Välimäki &
// Huovilainen 2007, Esqueda, Välimäki & Bilbao 2016), so the aliases of high notes fold back
// far weaker than the naive waveforms'.
//
// Level: the waveforms keep the naive shape's amplitude, so `level` is their peak. Between the
// corrections the samples are the naive waveform's exactly: the square sits at exactly ±1, the
// ramps have the exact slope. The residuals never push a sample past ±1. The triangle's rounded
// corner lowers its highest sample by up to 8·f/(6·sr) (at 1 kHz / 48 kHz: 0.972, -0.25 dB; at
// 100 Hz: -0.02 dB), which is what band-limiting a corner means (the ideal band-limited triangle's
// crest at 1 kHz is -0.15 dB); the fundamentals stay within 0.02 dB of the Fourier series'
// (4/π square, 2/π sawtooth, 8/π² triangle) up to 1 kHz.
//
// Phase as Web Audio's OscillatorNode: sine from 0 upwards; square +1 for the first half period;
// sawtooth from 0 up to +1 at half a period, then down to -1; triangle from 0 up to +1 at a quarter.

export type Waveform = 'sine' | 'square' | 'sawtooth' | 'triangle';

const TWO_PI = 2 * Math.PI;

/** PolyBLEP residual of a unit step (+2 jump of a ±1 waveform) at phase 0, for phase t with increment dt. */
function blep(t: number, dt: number): number {
  if (t < dt) {
    const x = t / dt;
    return x + x - x * x - 1;
  }
  if (t > 1 - dt) {
    const x = (t - 1) / dt;
    return x * x + x + x + 1;
  }
  return 0;
}

/**
 * PolyBLAMP residual of a corner at phase 0 (a unit change of slope per sample): the integral of
 * the PolyBLEP residual, (1 - x)³/6 on the sample after the corner and (1 + x)³/6 on the one
 * before, x the distance in samples; 1/6 at the corner itself.
 */
function blamp(t: number, dt: number): number {
  if (t < dt) {
    const x = 1 - t / dt;
    return (x * x * x) / 6;
  }
  if (t > 1 - dt) {
    const x = 1 + (t - 1) / dt;
    return (x * x * x) / 6;
  }
  return 0;
}

/**
 * A phase accumulator (cycles, [0, 1)) and a frequency that glides towards its target with a
 * per-sample factor, like an AudioParam under setTargetAtTime.
 */
export class Oscillator {
  private phase = 0;
  private dt: number;
  private dtTarget: number;
  private dtEps = 0;

  constructor(
    private readonly sampleRate: number,
    frequency: number,
    private readonly glide: number,
  ) {
    this.dt = this.dtTarget = frequency / sampleRate;
  }

  /** Restart at phase 0 (Web Audio starts every oscillator there). */
  reset(): void {
    this.phase = 0;
  }

  setFrequency(frequency: number, jump = false): void {
    this.dtTarget = frequency / this.sampleRate;
    this.dtEps = Math.max(1e-7 * Math.abs(this.dtTarget - this.dt), 1e-15);
    if (jump || this.glide === 0) this.dt = this.dtTarget;
  }

  /** `n` samples of `waveform` at peak 1 into out[0, n). */
  render(waveform: Waveform, out: Float32Array, n: number): void {
    let ph = this.phase;
    let dt = this.dt;
    const target = this.dtTarget;
    const c = this.glide;
    const eps = this.dtEps;
    const moving = dt !== target;
    for (let i = 0; i < n; i++) {
      if (moving && dt !== target) {
        const d = (dt - target) * c;
        dt = d < eps && d > -eps ? target : target + d;
      }
      let v: number;
      switch (waveform) {
        case 'sine':
          v = Math.sin(TWO_PI * ph);
          break;
        case 'square': {
          const h = ph + 0.5;
          v = (ph < 0.5 ? 1 : -1) + blep(ph, dt) - blep(h < 1 ? h : h - 1, dt);
          break;
        }
        case 'sawtooth': {
          const h = ph + 0.5;
          const t = h < 1 ? h : h - 1;
          v = 2 * t - 1 - blep(t, dt);
          break;
        }
        default: {
          // triangle: t = 0 is the trough (slope -4 -> +4), t = 0.5 the crest (+4 -> -4)
          const q = ph + 0.25;
          const t = q < 1 ? q : q - 1;
          const h = t + 0.5;
          v = (t < 0.5 ? 4 * t - 1 : 3 - 4 * t) + 8 * dt * (blamp(t, dt) - blamp(h < 1 ? h : h - 1, dt));
        }
      }
      out[i] = v;
      ph += dt;
      if (ph >= 1) ph -= 1;
    }
    this.phase = ph;
    this.dt = dt;
  }
}
