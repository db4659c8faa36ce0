// Feed-forward compressor, log domain, after Giannoulis, Massberg & Reiss (JAES 2012):
// a static curve with a soft knee and a smooth decoupled peak detector on the gain reduction.
// The detector reads sample peaks, so a steady sine of peak level L settles at
// T + (L - T) / R + makeup: the numbers on the knobs are the numbers you measure.

export interface CompressorSettings {
  threshold: number; // dB
  ratio: number;
  knee: number; // dB
  attack: number; // ms
  release: number; // ms
  makeup: number; // dB
}

/** Static curve: output level (dB) for an input level (dB). */
export function staticCurve(x: number, s: Pick<CompressorSettings, 'threshold' | 'ratio' | 'knee'>): number {
  const over = x - s.threshold;
  if (2 * over < -s.knee) return x;
  if (s.knee > 0 && 2 * Math.abs(over) <= s.knee) {
    const t = over + s.knee / 2;
    return x + ((1 / s.ratio - 1) * t * t) / (2 * s.knee);
  }
  return s.threshold + over / s.ratio;
}

const LOG_FLOOR = 1e-9; // -180 dB: below this a sample counts as silence

export class CompressorCore {
  private hold = 0; // release stage of the detector (dB of gain reduction)
  private env = 0; // attack stage: the gain reduction applied (dB)
  private alphaA = 0;
  private alphaR = 0;
  private settings: CompressorSettings = { threshold: -18, ratio: 4, knee: 6, attack: 10, release: 150, makeup: 0 };
  /** Largest gain reduction (dB) in the last processed block, for meters. */
  reduction = 0;

  constructor(private readonly sampleRate: number) {
    this.configure(this.settings);
  }

  configure(s: CompressorSettings): void {
    this.settings = s;
    this.alphaA = Math.exp(-1 / ((Math.max(s.attack, 0.01) / 1000) * this.sampleRate));
    this.alphaR = Math.exp(-1 / ((Math.max(s.release, 0.01) / 1000) * this.sampleRate));
  }

  /**
   * Compress `input` channels into `output` channels (same count), `n` frames.
   * `detector` is the sidechain when connected, otherwise the input itself.
   */
  process(input: Float32Array[], detector: Float32Array[], output: Float32Array[], n: number): void {
    const s = this.settings;
    const { alphaA, alphaR } = this;
    let hold = this.hold;
    let env = this.env;
    let maxRed = 0;
    const makeup = s.makeup;
    for (let i = 0; i < n; i++) {
      let peak = 0;
      for (let c = 0; c < detector.length; c++) {
        const v = Math.abs(detector[c][i]);
        if (v > peak) peak = v; // NaN fails the comparison and counts as silence
      }
      let gr = 0;
      if (peak > LOG_FLOOR) {
        const x = 20 * Math.log10(peak);
        gr = x - staticCurve(x, s);
      }
      const released = alphaR * hold + (1 - alphaR) * gr;
      hold = gr > released ? gr : released;
      if (hold < 1e-12) hold = 0; // after a long silence the release would decay into denormals
      env = alphaA * env + (1 - alphaA) * hold;
      if (env < 1e-12) env = 0; // no denormals in the state
      if (env > maxRed) maxRed = env;
      const g = Math.pow(10, (makeup - env) / 20);
      for (let c = 0; c < output.length; c++) {
        const src = input[c] ?? input[0];
        output[c][i] = src ? src[i] * g : 0;
      }
    }
    this.hold = hold;
    this.env = env;
    this.reduction = maxRed;
  }
}
