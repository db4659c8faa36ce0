// 1/3-octave band levels of a whole signal (IEC 61260 base-10 bands, ISO 266 nominal centres
// 25 Hz .. 20 kHz), for the reference comparison panel. Welch's method: Hann frames of about
// 1.4 s (bins under 0.75 Hz, so even the 25 Hz band, 5.8 Hz wide, holds the whole main lobe),
// half overlapping, power averaged over frames and channels, then summed per band.
//
// A level is 10 log10 of the band's mean square: a sine at a band centre reads its RMS level
// (-3.01 dB for a full-scale sine), and the band levels of broadband noise add up to its RMS.
// A band with no energy reads -Infinity; bands above the Nyquist frequency are left out.

export const THIRD_OCTAVE_CENTRES = [
  25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500,
  3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000,
] as const;

export interface ThirdOctaveBand {
  /** Nominal centre (Hz), as labelled. */
  centre: number;
  /** Exact band edges (Hz): 1000 * 10^(k/10) * 10^(±1/20). */
  low: number;
  high: number;
  /** dB: 10 log10 of the band's mean square. */
  level: number;
}

export function thirdOctaveSpectrum(channels: readonly Float32Array[], sampleRate: number): ThirdOctaveBand[] {
  const nyquist = sampleRate / 2;
  const bands = THIRD_OCTAVE_CENTRES.map((centre, i) => {
    const exact = 1000 * Math.pow(10, (i - 16) / 10); // index 16 is 1 kHz
    return { centre, low: exact * Math.pow(10, -0.05), high: Math.min(nyquist, exact * Math.pow(10, 0.05)) };
  }).filter((b) => b.low < nyquist);

  const length = channels.length ? channels[0].length : 0;
  const size = 1 << Math.ceil(Math.log2((sampleRate * 4) / 3)); // FFT size: bins <= 0.75 Hz
  const frame = Math.min(size, length); // a short signal is one frame, zero-padded
  if (frame < 2 || channels.length === 0) return bands.map((b) => ({ ...b, level: -Infinity }));
  const window = new Float64Array(frame);
  let windowPower = 0;
  for (let i = 0; i < frame; i++) {
    window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frame);
    windowPower += window[i] * window[i];
  }
  const hop = Math.max(1, frame >> 1);
  const frames: [Float32Array, number][] = [];
  for (const ch of channels) for (let at = 0; at + frame <= length; at += hop) frames.push([ch, at]);

  const fft = new Fft(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const power = new Float64Array(size / 2 + 1);
  // Two real frames per complex FFT (one in the real part, one in the imaginary part).
  for (let f = 0; f < frames.length; f += 2) {
    re.fill(0);
    im.fill(0);
    const [a, at] = frames[f];
    for (let i = 0; i < frame; i++) re[i] = a[at + i] * window[i];
    const second = frames[f + 1];
    if (second) {
      const [b, bt] = second;
      for (let i = 0; i < frame; i++) im[i] = b[bt + i] * window[i];
    }
    fft.transform(re, im);
    for (let k = 0; k <= size / 2; k++) {
      const j = (size - k) & (size - 1);
      const sr = re[k] + re[j];
      const si = im[k] - im[j];
      const dr = re[k] - re[j];
      const di = im[k] + im[j];
      // |A_k|^2 + |B_k|^2, A and B the spectra of the two real frames
      power[k] += (sr * sr + si * si + dr * dr + di * di) / 4;
    }
  }
  // One-sided power to mean square: 2 |X_k|^2 / (N * sum w^2), averaged over the frames.
  const scale = 2 / (size * windowPower * frames.length);
  const binHz = sampleRate / size;
  return bands.map((b) => {
    let p = 0;
    for (let k = Math.ceil(b.low / binHz); k * binHz < b.high && k <= size / 2; k++) p += power[k];
    p *= scale;
    return { ...b, level: p > 0 ? 10 * Math.log10(p) : -Infinity };
  });
}

/** In-place iterative radix-2 complex FFT with precomputed twiddles and bit reversal. */
class Fft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(readonly size: number) {
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.reversed = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.reversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (i < j) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    const { cos, sin } = this;
    for (let half = 1; half < n; half <<= 1) {
      const stride = n / (2 * half);
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * stride];
          const wi = sin[k * stride];
          const a = start + k;
          const b = a + half;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }
}
