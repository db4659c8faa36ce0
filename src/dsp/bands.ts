// Band energies over time: 1/3-octave bands (IEC 61260 base-10 edges, nominal centres 40 Hz to
// 16 kHz) of Hann frames of about 170 ms, half overlapping (a hop of about 85 ms, near the time
// over which the ear integrates masking). 8192 samples at 48 kHz: bins of 5.9 Hz, so even the
// 40 Hz band (9 Hz wide) holds a bin. For the mix check's masking and presence figures.
import { RealFFT } from './fft.ts';

export const BAND_CENTRES = [40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000] as const;

/** Exact edges of band i of BAND_CENTRES (index 14 is 1 kHz): 1000·10^(k/10)·10^(±1/20). */
export function bandEdges(i: number): [number, number] {
  const exact = 1000 * Math.pow(10, (i - 14) / 10);
  return [exact * Math.pow(10, -0.05), exact * Math.pow(10, 0.05)];
}

/** The frame size for a rate: the power of two nearest 170 ms. */
export const bandFrameSize = (sampleRate: number): number => 1 << Math.round(Math.log2(0.17 * sampleRate));

/**
 * Streams mono samples into per-frame band energies (arbitrary but common units: the sum of
 * |X_k|² of the windowed frame over the band's bins). Frames are written into `out`, frame f at
 * [f·bands, (f+1)·bands); `frames(n)` says how many a signal of n samples gives.
 */
export class BandAnalyser {
  readonly size: number;
  readonly hop: number;
  readonly bands: number;
  private readonly fft: RealFFT;
  private readonly window: Float64Array;
  private readonly buf: Float64Array;
  private readonly frame: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** First bin of band b at [b], one past its last at [b + 1]. */
  private readonly binEdges: Int32Array;
  private fill = 0;
  private count = 0;

  constructor(
    readonly sampleRate: number,
    private readonly out: Float32Array,
  ) {
    this.size = bandFrameSize(sampleRate);
    this.hop = this.size / 2;
    this.fft = new RealFFT(this.size);
    this.window = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / this.size);
    this.buf = new Float64Array(this.size);
    this.frame = new Float64Array(this.size);
    this.re = new Float64Array(this.size / 2 + 1);
    this.im = new Float64Array(this.size / 2 + 1);
    const nyquist = sampleRate / 2;
    const usable = BAND_CENTRES.filter((_, i) => bandEdges(i)[0] < nyquist).length;
    this.bands = usable;
    this.binEdges = new Int32Array(usable + 1);
    const binHz = sampleRate / this.size;
    for (let b = 0; b <= usable; b++) {
      const edge = b < usable ? bandEdges(b)[0] : Math.min(nyquist, bandEdges(usable - 1)[1]);
      this.binEdges[b] = Math.min(this.size / 2, Math.ceil(edge / binHz));
    }
  }

  /** At most how many frames a signal of n samples gives (its last partial frame included). */
  static frames(n: number, sampleRate: number): number {
    const hop = bandFrameSize(sampleRate) / 2;
    return n <= 0 ? 0 : Math.ceil(n / hop) + 1;
  }

  get written(): number {
    return this.count;
  }

  push(x: Float32Array, n: number): void {
    for (let at = 0; at < n; ) {
      const take = Math.min(n - at, this.size - this.fill);
      for (let i = 0; i < take; i++) this.buf[this.fill + i] = x[at + i];
      this.fill += take;
      at += take;
      if (this.fill === this.size) {
        this.analyse();
        this.buf.copyWithin(0, this.hop);
        this.fill = this.hop;
      }
    }
  }

  /** The pending samples as a frame of their own (zeros after them), if any are new. */
  finish(): void {
    if (this.fill <= (this.count === 0 ? 0 : this.hop)) return;
    this.buf.fill(0, this.fill);
    this.analyse();
    this.fill = 0;
  }

  private analyse(): void {
    if ((this.count + 1) * this.bands > this.out.length) return;
    const { frame, window, buf, re, im } = this;
    for (let i = 0; i < this.size; i++) frame[i] = buf[i] * window[i];
    this.fft.forward(frame, re, im);
    const base = this.count * this.bands;
    for (let b = 0; b < this.bands; b++) {
      let e = 0;
      for (let k = this.binEdges[b]; k < this.binEdges[b + 1]; k++) e += re[k] * re[k] + im[k] * im[k];
      this.out[base + b] = e;
    }
    this.count++;
  }
}
