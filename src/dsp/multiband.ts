// Three-band compressor: an LR4 crossover splits the signal at `low` and `high`, each band has
// its own CompressorCore (stereo-linked, soft knee) and gain, and the bands are summed.
// Topology (the standard 3-band LR4 tree):
//   low  = AP(high) · LP(low)         the allpass gives the low band the phase the other two get at `high`
//   rest = HP(low)
//   mid  = LP(high) · rest
//   high = HP(high) · rest
// so low + mid + high = AP(high) · AP(low) · input: flat magnitude whatever the crossover settings.
import { CompressorCore, type CompressorSettings } from './compressor.ts';
import { GlidingFrequency, LR4, LR4Allpass } from './crossover.ts';
import { copyFrames } from './buffers.ts';

export const BANDS = ['low', 'mid', 'high'] as const;
export type Band = (typeof BANDS)[number];

export interface MultibandSettings {
  /** Crossover between the low and mid bands, Hz. */
  low: number;
  /** Crossover between the mid and high bands, Hz. */
  high: number;
  lowThreshold: number;
  lowRatio: number;
  lowGain: number;
  midThreshold: number;
  midRatio: number;
  midGain: number;
  highThreshold: number;
  highRatio: number;
  highGain: number;
  /** Shared by the three compressors, ms. */
  attack: number;
  release: number;
}

/** Neutral: ratio 1 and gain 0 everywhere, so the output is the input through two allpasses. */
export const MULTIBAND_DEFAULTS: MultibandSettings = {
  low: 120,
  high: 4000,
  lowThreshold: 0,
  lowRatio: 1,
  lowGain: 0,
  midThreshold: 0,
  midRatio: 1,
  midGain: 0,
  highThreshold: 0,
  highRatio: 1,
  highGain: 0,
  attack: 20,
  release: 200,
};

/** [min, max] of each setting: the node's specs. */
export const MULTIBAND_RANGES: Record<keyof MultibandSettings, [number, number]> = {
  low: [40, 1000],
  high: [1000, 16000],
  lowThreshold: [-60, 0],
  lowRatio: [1, 20],
  lowGain: [-12, 12],
  midThreshold: [-60, 0],
  midRatio: [1, 20],
  midGain: [-12, 12],
  highThreshold: [-60, 0],
  highRatio: [1, 20],
  highGain: [-12, 12],
  attack: [0.1, 200],
  release: [5, 2000],
};
/** Soft knee of every band (dB): gentle onset for mastering; not a knob, to keep the panel small. */
export const MULTIBAND_KNEE = 6;

/** Coefficients move at most every CHUNK frames while a crossover glides. */
const CHUNK = 32;
/** Time constant of the band gains' per-sample glide (s). */
const GAIN_TAU = 0.005;

/** The LR4 three-band split on its own: `input` channels into low, mid and high (double precision). */
export class ThreeBandSplitter {
  private readonly lpLow: LR4;
  private readonly hpLow: LR4;
  private readonly lpHigh: LR4;
  private readonly hpHigh: LR4;
  private readonly apHigh: LR4Allpass;
  private readonly lowFreq: GlidingFrequency;
  private readonly highFreq: GlidingFrequency;
  /** Frames processed: the chunk grid's position. */
  private t = 0;

  constructor(
    private readonly sampleRate: number,
    readonly channels = 2,
  ) {
    this.lpLow = new LR4('lowpass', channels);
    this.hpLow = new LR4('highpass', channels);
    this.lpHigh = new LR4('lowpass', channels);
    this.hpHigh = new LR4('highpass', channels);
    this.apHigh = new LR4Allpass(channels);
    this.lowFreq = new GlidingFrequency(sampleRate);
    this.highFreq = new GlidingFrequency(sampleRate);
    this.setFrequencies(MULTIBAND_DEFAULTS.low, MULTIBAND_DEFAULTS.high);
  }

  /** Crossover targets; the first call (or `jump`) sets them at once, later ones glide (τ 20 ms). */
  setFrequencies(low: number, high: number, jump = false): void {
    const first = Number.isNaN(this.lowFreq.value);
    this.lowFreq.setTarget(low, jump);
    this.highFreq.setTarget(Math.max(high, low), jump);
    if (first || jump) this.retune();
  }

  get frequencies(): { low: number; high: number } {
    return { low: this.lowFreq.value, high: this.highFreq.value };
  }

  private retune(): void {
    const sr = this.sampleRate;
    const low = this.lowFreq.value;
    const high = this.highFreq.value;
    this.lpLow.tune(low, sr);
    this.hpLow.tune(low, sr);
    this.lpHigh.tune(high, sr);
    this.hpHigh.tune(high, sr);
    this.apHigh.tune(high, sr);
  }

  /**
   * Split `input[c][0, n)` (non-finite samples count as silence) into the band buffers
   * (each at least n long, one per channel).
   */
  process(input: ArrayLike<number>[], low: Float64Array[], mid: Float64Array[], high: Float64Array[], n: number): void {
    // Chunks on a grid counted from the start (not from the block), so any block length gives
    // the same samples: a glide moves the crossovers at grid points only.
    for (let start = 0; start < n; ) {
      const phase = this.t % CHUNK;
      const end = Math.min(n, start + CHUNK - phase);
      if (phase === 0) {
        const movedLow = this.lowFreq.step(CHUNK);
        const movedHigh = this.highFreq.step(CHUNK);
        if (movedLow || movedHigh) this.retune();
      }
      for (let c = 0; c < this.channels; c++) {
        const src = input[c] ?? input[0];
        const l = low[c];
        const m = mid[c];
        const h = high[c];
        for (let i = start; i < end; i++) {
          const v = src ? src[i] : 0;
          l[i] = v - v === 0 ? v : 0; // NaN and ±Infinity would poison the filter states for good
        }
        copyFrames(l, h, end - start, start, start);
        this.lpLow.process(l, c, start, end);
        this.apHigh.process(l, c, start, end);
        this.hpLow.process(h, c, start, end);
        copyFrames(h, m, end - start, start, start);
        this.lpHigh.process(m, c, start, end);
        this.hpHigh.process(h, c, start, end);
      }
      this.t += end - start;
      start = end;
    }
    this.lpLow.flush();
    this.hpLow.flush();
    this.lpHigh.flush();
    this.hpHigh.flush();
    this.apHigh.flush();
  }
}

export class MultibandCore {
  private readonly splitter: ThreeBandSplitter;
  private readonly compressors: CompressorCore[];
  private readonly targets = new Float64Array(3);
  private readonly gains = new Float64Array(3);
  private readonly gainStep: number;
  private configured = false;
  private previous: CompressorSettings[] = [];
  private size = 0;
  private bands64: Float64Array[][] = [];
  private bands32: Float32Array[][] = [];
  /** Largest gain reduction (dB) of each band (low, mid, high) in the last block, for meters. */
  readonly reductions = new Float64Array(3);

  constructor(
    private readonly sampleRate: number,
    readonly channels = 2,
  ) {
    this.splitter = new ThreeBandSplitter(sampleRate, channels);
    this.compressors = BANDS.map(() => new CompressorCore(sampleRate));
    this.gainStep = 1 - Math.exp(-1 / (GAIN_TAU * sampleRate));
    this.configure(MULTIBAND_DEFAULTS);
    this.configured = false;
  }

  /** New settings: the first call applies at once; later crossover and gain changes glide. */
  configure(s: MultibandSettings): void {
    const first = !this.configured;
    this.configured = true;
    this.splitter.setFrequencies(s.low, s.high, first);
    BANDS.forEach((band, b) => {
      const settings: CompressorSettings = {
        threshold: s[`${band}Threshold` as const],
        ratio: Math.max(1, s[`${band}Ratio` as const]),
        knee: MULTIBAND_KNEE,
        attack: s.attack,
        release: s.release,
        makeup: 0, // the band gain is applied here, glided per sample (a makeup step would click)
      };
      const prev = this.previous[b];
      const same = prev && prev.threshold === settings.threshold && prev.ratio === settings.ratio && prev.attack === settings.attack && prev.release === settings.release;
      if (!same) this.compressors[b].configure(settings);
      this.previous[b] = settings;
      this.targets[b] = Math.pow(10, s[`${band}Gain` as const] / 20);
      if (first) this.gains[b] = this.targets[b];
    });
  }

  private ensure(n: number): void {
    if (n <= this.size) return;
    this.size = n;
    this.bands64 = BANDS.map(() => Array.from({ length: this.channels }, () => new Float64Array(n)));
    this.bands32 = BANDS.map(() => Array.from({ length: this.channels }, () => new Float32Array(n)));
  }

  /** `input` (1 channel counts as both) into `output` (its channel count, at most `channels` are processed), n frames. */
  process(input: ArrayLike<number>[], output: Float32Array[], n: number): void {
    this.ensure(n);
    const [low, mid, high] = this.bands64;
    this.splitter.process(input, low, mid, high, n);
    for (let b = 0; b < 3; b++) {
      const b64 = this.bands64[b];
      const b32 = this.bands32[b];
      for (let c = 0; c < this.channels; c++) {
        const src = b64[c];
        const dst = b32[c];
        for (let i = 0; i < n; i++) dst[i] = src[i];
      }
      // In place: the core reads every channel's detector sample before writing that frame.
      this.compressors[b].process(b32, b32, b32, n);
      this.reductions[b] = this.compressors[b].reduction;
    }
    const [l32, m32, h32] = this.bands32;
    const step = this.gainStep;
    const outs = Math.min(output.length, this.channels);
    const [tl, tm, th] = this.targets;
    let gl = this.gains[0];
    let gm = this.gains[1];
    let gh = this.gains[2];
    const moving = gl !== tl || gm !== tm || gh !== th;
    for (let c = 0; c < outs; c++) {
      const dst = output[c];
      const l = l32[c];
      const m = m32[c];
      const h = h32[c];
      if (!moving) {
        for (let i = 0; i < n; i++) dst[i] = l[i] * gl + m[i] * gm + h[i] * gh;
        continue;
      }
      // Every channel follows the same per-sample glide from the block's starting gains; each gain
      // lands on its target within 1e-6 (0.00001 dB), sample by sample, so a settled gain is exact
      // and the landing does not depend on where a block ends.
      let al = this.gains[0];
      let am = this.gains[1];
      let ah = this.gains[2];
      for (let i = 0; i < n; i++) {
        if (al !== tl) al = Math.abs(tl - al) * (1 - step) < 1e-6 * tl ? tl : al + (tl - al) * step;
        if (am !== tm) am = Math.abs(tm - am) * (1 - step) < 1e-6 * tm ? tm : am + (tm - am) * step;
        if (ah !== th) ah = Math.abs(th - ah) * (1 - step) < 1e-6 * th ? th : ah + (th - ah) * step;
        dst[i] = l[i] * al + m[i] * am + h[i] * ah;
      }
      gl = al;
      gm = am;
      gh = ah;
    }
    if (moving) {
      if (outs === 0) {
        const k = Math.pow(1 - step, n); // the glide as if it had run
        gl = tl + (gl - tl) * k;
        gm = tm + (gm - tm) * k;
        gh = th + (gh - th) * k;
        if (Math.abs(tl - gl) < 1e-6 * tl) gl = tl;
        if (Math.abs(tm - gm) < 1e-6 * tm) gm = tm;
        if (Math.abs(th - gh) < 1e-6 * th) gh = th;
      }
      this.gains[0] = gl;
      this.gains[1] = gm;
      this.gains[2] = gh;
    }
    for (let c = outs; c < output.length; c++) copyFrames(output[outs - 1], output[c], n);
  }
}
