// The pan laws of Web Audio's StereoPannerNode, as numbers: a mono input gets the equal-power
// law (cos and sin of (pan + 1)·π/4: -3.01 dB each side at centre), a stereo input the balance
// law (centre leaves it untouched; right of centre the left channel is shared out by cos and sin
// of pan·π/2, left of centre the right channel by cos and sin of (pan + 1)·π/2).

/** Gains for `pan` (-1..1) into out[at..at+6): mono→L, mono→R, L→L, R→L, L→R, R→R. */
export function panGains(pan: number, out: Float64Array, at = 0): void {
  const p = Math.max(-1, Math.min(1, pan));
  const m = ((p + 1) / 2) * (Math.PI / 2);
  // cos(π/2) is 6e-17, not 0: snapped, so hard pans and a centred stereo input get exact 0 and 1
  const snap = (v: number) => (Math.abs(v) < 1e-12 ? 0 : Math.abs(v - 1) < 1e-15 ? 1 : v);
  out[at] = snap(Math.cos(m));
  out[at + 1] = snap(Math.sin(m));
  const x = (p <= 0 ? p + 1 : p) * (Math.PI / 2);
  if (p <= 0) {
    out[at + 2] = 1;
    out[at + 3] = snap(Math.cos(x));
    out[at + 4] = 0;
    out[at + 5] = snap(Math.sin(x));
  } else {
    out[at + 2] = snap(Math.cos(x));
    out[at + 3] = 0;
    out[at + 4] = snap(Math.sin(x));
    out[at + 5] = 1;
  }
}

/** Number of gains panGains writes. */
export const PAN_GAINS = 6;

/**
 * A gain and a pan position applied together (a track's fader and panner, the pan node), each
 * gliding with the per-sample factor `glide`: the gain as one number, the pan as its six gains,
 * all six moving by one shared fraction (as six AudioParams under setTargetAtTime would).
 * Mono in gets the equal-power law, stereo in the balance law; the output is always stereo.
 */
export class PanStage {
  private readonly from = new Float64Array(PAN_GAINS);
  private readonly to = new Float64Array(PAN_GAINS);
  /** Fraction of the way still to go from `from` to `to` (1 at a new pan, 0 when landed). */
  private d = 0;
  private gain: number;
  private gainTarget: number;
  private gainEps = 1e-9;

  constructor(
    pan: number,
    gain: number,
    private readonly glide: number,
  ) {
    panGains(pan, this.to);
    this.from.set(this.to);
    this.gain = this.gainTarget = gain;
  }

  setPan(pan: number): void {
    // Start from where the gains are now
    const { from, to, d } = this;
    for (let k = 0; k < PAN_GAINS; k++) from[k] = to[k] + (from[k] - to[k]) * d;
    panGains(pan, to);
    this.d = this.glide === 0 ? 0 : 1;
  }

  setGain(gain: number): void {
    this.gainTarget = gain;
    this.gainEps = Math.max(1e-7 * Math.abs(gain - this.gain), 1e-9);
    if (this.glide === 0) this.gain = gain;
  }

  /** `r` undefined: a mono input. outL, outR get [0, n). */
  process(l: Float32Array, r: Float32Array | undefined, outL: Float32Array, outR: Float32Array, n: number): void {
    const { from, to, glide } = this;
    let d = this.d;
    let g = this.gain;
    const gt = this.gainTarget;
    const eps = this.gainEps;
    if (d === 0 && g === gt) {
      // Settled: constant gains (the common case)
      if (!r) {
        const kl = g * to[0];
        const kr = g * to[1];
        for (let i = 0; i < n; i++) {
          const x = l[i];
          outL[i] = x * kl;
          outR[i] = x * kr;
        }
      } else {
        const ll = g * to[2];
        const rl = g * to[3];
        const lr = g * to[4];
        const rr = g * to[5];
        if (rl === 0 && lr === 0) {
          for (let i = 0; i < n; i++) {
            outL[i] = l[i] * ll;
            outR[i] = r[i] * rr;
          }
        } else
          for (let i = 0; i < n; i++) {
            const x = l[i];
            const y = r[i];
            outL[i] = x * ll + y * rl;
            outR[i] = x * lr + y * rr;
          }
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      if (d !== 0) {
        d *= glide;
        if (d < 1e-9) d = 0;
      }
      if (g !== gt) {
        const e = (g - gt) * glide;
        g = e < eps && e > -eps ? gt : gt + e;
      }
      if (!r) {
        const x = l[i] * g;
        outL[i] = x * (to[0] + (from[0] - to[0]) * d);
        outR[i] = x * (to[1] + (from[1] - to[1]) * d);
      } else {
        const x = l[i] * g;
        const y = r[i] * g;
        outL[i] = x * (to[2] + (from[2] - to[2]) * d) + y * (to[3] + (from[3] - to[3]) * d);
        outR[i] = x * (to[4] + (from[4] - to[4]) * d) + y * (to[5] + (from[5] - to[5]) * d);
      }
    }
    this.d = d;
    this.gain = g;
  }
}

/**
 * How a pan position changes the louder channel's peak: a mono input (equal power) by the larger of
 * its two gains (-3.01 dB at centre, 0 dB hard left or right); a stereo input (balance) by 0 dB at
 * centre; off centre the far channel is moved over and summed into the near one, so what the near
 * side peaks at depends on how alike the two channels are: `exact` is false there.
 */
export function panPeakChange(pan: number, channels: 1 | 2): { db: number; exact: boolean } {
  const g = new Float64Array(PAN_GAINS);
  panGains(pan, g);
  if (channels === 1) return { db: 20 * Math.log10(Math.max(g[0], g[1])), exact: true };
  return { db: 0, exact: Math.abs(pan) < 1e-9 };
}
