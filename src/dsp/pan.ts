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
