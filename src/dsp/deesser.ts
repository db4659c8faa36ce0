// Split-band de-esser: an LR4 crossover at `frequency` splits the voice into the body below and
// the sibilant band above; only the band above is turned down, and only while it is louder than
// the threshold. The two LR4 halves are in phase at every frequency and add up to an allpass
// (crossover.ts), so with nothing over the threshold the output has the input's magnitude
// everywhere, and the body below the crossover is never touched: a 1 kHz tone beside a 7 kHz
// "s" keeps its level however hard the "s" is cut.
//
// The law is the one of the classic hard-knee de-esser: above the threshold every dB more of the
// band's peak is taken away (the band is held at the threshold), up to `range` dB. The detector
// has fixed times, fast enough for an "s" and slow enough not to distort it: it rises with a
// 0.5 ms time constant and falls back with 60 ms (the compressor's decoupled peak detector,
// Giannoulis, Massberg & Reiss 2012). So a sustained sibilant band whose peak is X dB over the
// threshold settles at a reduction of min(X, range), and the output at frequency f is
// |L(f)| + g·|H(f)| of the input (g = the band's gain, L and H the LR4 halves' magnitudes).
//
// Listen modes: 'band' plays the sibilant band alone (tune the frequency by ear), 'removed' plays
// only what is taken away ((1 - g)·band), 'off' the de-essed voice.
import { DB_PER_NEPER, exp2Block, LOG2_PER_DB } from './fastmath.ts';
import { GlidingFrequency, LR4 } from './crossover.ts';

export const DEESSER_LISTEN = ['off', 'band', 'removed'] as const;
export type DeesserListen = (typeof DEESSER_LISTEN)[number];

export interface DeesserSettings {
  /** Hz: the crossover; the sibilant band lies above it. */
  frequency: number;
  /** dB: the band's peak level above which it is turned down. */
  threshold: number;
  /** dB, positive: the most the band is turned down. */
  range: number;
  listen: DeesserListen;
}

export const DEESSER_DEFAULTS: DeesserSettings = { frequency: 6000, threshold: -30, range: 6, listen: 'off' };

/** Detector times (s): rise and fall of the band's gain reduction. */
export const DEESSER_ATTACK = 0.0005;
export const DEESSER_RELEASE = 0.06;

/** Coefficients move at most every CHUNK frames while the frequency glides (a grid from creation). */
const CHUNK = 32;

export class DeesserCore {
  private settings: DeesserSettings = { ...DEESSER_DEFAULTS };
  private readonly low: LR4;
  private readonly high: LR4;
  private readonly frequency: GlidingFrequency;
  private readonly alphaA: number;
  private readonly alphaR: number;
  private thresholdLevel = 0;
  private t = 0;
  private hold = 0;
  private env = 0;
  private size = 0;
  private lows: Float64Array[] = [];
  private highs: Float64Array[] = [];
  private gains = new Float64Array(0);
  private listen = 0; // index into DEESSER_LISTEN
  /** Largest reduction of the band (dB) in the last processed block, for meters. */
  reduction = 0;

  constructor(private readonly sampleRate: number) {
    this.low = new LR4('lowpass', 2);
    this.high = new LR4('highpass', 2);
    this.frequency = new GlidingFrequency(sampleRate);
    this.alphaA = Math.exp(-1 / (DEESSER_ATTACK * sampleRate));
    this.alphaR = Math.exp(-1 / (DEESSER_RELEASE * sampleRate));
    this.configure(DEESSER_DEFAULTS);
  }

  /** New settings from the next frame; a new frequency glides (τ 20 ms) after the first. */
  configure(s: DeesserSettings): void {
    const first = Number.isNaN(this.frequency.value);
    this.settings = { ...s };
    this.frequency.setTarget(s.frequency);
    if (first) this.retune();
    this.thresholdLevel = Math.exp(s.threshold / DB_PER_NEPER);
    this.listen = Math.max(0, DEESSER_LISTEN.indexOf(s.listen));
  }

  private retune(): void {
    const f = this.frequency.value;
    this.low.tune(f, this.sampleRate);
    this.high.tune(f, this.sampleRate);
  }

  private ensure(n: number): void {
    if (n <= this.size) return;
    this.size = n;
    this.lows = [new Float64Array(n), new Float64Array(n)];
    this.highs = [new Float64Array(n), new Float64Array(n)];
    this.gains = new Float64Array(n);
  }

  /** De-ess `inL`/`inR` (`inR` undefined for mono) into `outL`/`outR`, n frames. */
  process(inL: Float32Array, inR: Float32Array | undefined, outL: Float32Array, outR: Float32Array | undefined, n: number): void {
    this.ensure(n);
    const channels = inR ? 2 : 1;
    const [l0, l1] = this.lows;
    const [h0, h1] = this.highs;
    // Split, in pieces on the grid so a frequency glide moves the crossover at grid points only.
    for (let start = 0; start < n; ) {
      const phase = this.t % CHUNK;
      const end = Math.min(n, start + CHUNK - phase);
      if (phase === 0 && this.frequency.step(CHUNK)) this.retune();
      for (let c = 0; c < channels; c++) {
        const src = c === 0 ? inL : inR!;
        const l = c === 0 ? l0 : l1;
        const h = c === 0 ? h0 : h1;
        for (let i = start; i < end; i++) {
          const v = src[i];
          const x = v - v === 0 ? v : 0; // NaN and infinities would poison the filter states
          l[i] = x;
          h[i] = x;
        }
        this.low.process(l, c, start, end);
        this.high.process(h, c, start, end);
      }
      this.t += end - start;
      start = end;
    }
    this.low.flush();
    this.high.flush();

    // The detector on the band's peak: the reduction asked for is min(level - threshold, range).
    const gains = this.gains;
    const { alphaA, alphaR, thresholdLevel } = this;
    const threshold = this.settings.threshold;
    const range = Math.max(0, this.settings.range);
    const betaA = 1 - alphaA;
    const betaR = 1 - alphaR;
    let hold = this.hold;
    let env = this.env;
    let most = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(h0[i]);
      const b = channels > 1 ? Math.abs(h1[i]) : a;
      const peak = a > b ? a : b;
      let want = 0;
      if (peak > thresholdLevel) {
        want = DB_PER_NEPER * Math.log(peak) - threshold;
        if (want > range) want = range;
      }
      const released = alphaR * hold + betaR * want;
      hold = want > released ? want : released;
      if (hold < 1e-12) hold = 0;
      env = alphaA * env + betaA * hold;
      if (env < 1e-12) env = 0;
      if (env > most) most = env;
      gains[i] = -env;
    }
    this.hold = hold;
    this.env = env;
    this.reduction = most;
    if (most === 0) gains.fill(1, 0, n);
    else exp2Block(gains, n, LOG2_PER_DB);

    const listen = this.listen;
    for (let c = 0; c < channels; c++) {
      const l = c === 0 ? l0 : l1;
      const h = c === 0 ? h0 : h1;
      const out = c === 0 ? outL : outR!;
      if (listen === 0) for (let i = 0; i < n; i++) out[i] = l[i] + gains[i] * h[i];
      else if (listen === 1) for (let i = 0; i < n; i++) out[i] = h[i];
      else for (let i = 0; i < n; i++) out[i] = (1 - gains[i]) * h[i];
    }
    if (outR && channels === 1) for (let i = 0; i < n; i++) outR[i] = outL[i];
  }
}
