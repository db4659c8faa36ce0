// A real-input FFT of a power-of-two size n, computed as a complex FFT of size n/2 (the even
// samples as the real part, the odd ones as the imaginary part) and one untangling pass.
// Double precision, tables built once per size, no allocation per transform.

export class RealFFT {
  readonly size: number;
  private readonly half: number;
  private readonly rev: Uint32Array;
  /** Twiddles of the half-size complex FFT: cos and -sin of 2πk/half. */
  private readonly cosT: Float64Array;
  private readonly sinT: Float64Array;
  /** Untangling twiddles: cos and sin of 2πk/n for k in [0, half]. */
  private readonly cosU: Float64Array;
  private readonly sinU: Float64Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size ${size} is not a power of two >= 4`);
    this.size = size;
    const m = size / 2;
    this.half = m;
    this.rev = new Uint32Array(m);
    const bits = Math.log2(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cosT = new Float64Array(m / 2);
    this.sinT = new Float64Array(m / 2);
    for (let k = 0; k < m / 2; k++) {
      this.cosT[k] = Math.cos((2 * Math.PI * k) / m);
      this.sinT[k] = -Math.sin((2 * Math.PI * k) / m);
    }
    this.cosU = new Float64Array(m + 1);
    this.sinU = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.cosU[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinU[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.zr = new Float64Array(m);
    this.zi = new Float64Array(m);
  }

  /** In-place complex FFT of zr, zi (size half); `inverse` uses +i in the exponent (unscaled). */
  private complex(inverse: boolean): void {
    const { zr, zi, rev, cosT, sinT } = this;
    const m = this.half;
    for (let i = 0; i < m; i++) {
      const j = rev[i];
      if (i < j) {
        const tr = zr[i];
        zr[i] = zr[j];
        zr[j] = tr;
        const ti = zi[i];
        zi[i] = zi[j];
        zi[j] = ti;
      }
    }
    const sign = inverse ? -1 : 1;
    for (let len = 2; len <= m; len <<= 1) {
      const halfLen = len >> 1;
      const step = m / len;
      for (let start = 0; start < m; start += len) {
        for (let k = 0; k < halfLen; k++) {
          const wr = cosT[k * step];
          const wi = sign * sinT[k * step];
          const a = start + k;
          const b = a + halfLen;
          const xr = zr[b] * wr - zi[b] * wi;
          const xi = zr[b] * wi + zi[b] * wr;
          zr[b] = zr[a] - xr;
          zi[b] = zi[a] - xi;
          zr[a] += xr;
          zi[a] += xi;
        }
      }
    }
  }

  /** Spectrum of x[0, size) into re, im [at, at + size/2] (bins 0 to Nyquist). */
  forward(x: Float64Array, re: Float64Array, im: Float64Array, at = 0): void {
    const { zr, zi, cosU, sinU } = this;
    const m = this.half;
    for (let k = 0; k < m; k++) {
      zr[k] = x[2 * k];
      zi[k] = x[2 * k + 1];
    }
    this.complex(false);
    // X[k] = E[k] + e^{-2πik/n}·O[k], E = (Z[k] + conj Z[m-k]) / 2, O = (Z[k] - conj Z[m-k]) / 2i
    re[at] = zr[0] + zi[0];
    im[at] = 0;
    re[at + m] = zr[0] - zi[0];
    im[at + m] = 0;
    for (let k = 1; k < m; k++) {
      const ar = zr[k];
      const ai = zi[k];
      const br = zr[m - k];
      const bi = -zi[m - k];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // (Z[k] - conj Z[m-k]) / 2i
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      const c = cosU[k];
      const s = -sinU[k];
      re[at + k] = er + (or * c - oi * s);
      im[at + k] = ei + (or * s + oi * c);
    }
  }

  /** x[0, size) from the spectrum re, im [0, size/2], scaled by 1/size (an exact round trip). */
  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void {
    const { zr, zi, cosU, sinU } = this;
    const m = this.half;
    // Z[k] = E[k] + i·O[k], E = (X[k] + conj X[m-k]) / 2, O = (X[k] - conj X[m-k])·e^{+2πik/n} / 2
    for (let k = 0; k < m; k++) {
      const ar = re[k];
      const ai = im[k];
      const br = re[m - k];
      const bi = -im[m - k];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const c = cosU[k];
      const s = sinU[k];
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    this.complex(true);
    const scale = 1 / m;
    for (let k = 0; k < m; k++) {
      x[2 * k] = zr[k] * scale;
      x[2 * k + 1] = zi[k] * scale;
    }
  }
}
