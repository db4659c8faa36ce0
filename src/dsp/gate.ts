// Noise gate and downward expander, with hold, hysteresis and a filtered key.
//
// The key (the input itself, or a sidechain) goes through an optional high-pass and low-pass
// (Butterworth, 12 dB per octave: tune the gate to the kick and not the hi-hat bleeding into its
// microphone), then a peak detector that rises at once and falls with a fixed 10 ms time constant
// (8.7 dB per 10 ms), so a low note does not open and close the gate on every cycle.
//
// The gate opens when that level reaches `threshold` and closes when it has stayed below
// `threshold - hysteresis` for `hold` ms. Open, the gain is 0 dB. Closed, the gain follows the
// expander curve: every dB the key is under the threshold turns the sound down by `ratio - 1` dB
// more (1:2 expansion at ratio 2; a gate at 20 and up), down to at most `range` dB. So a closed
// gate with silence at its key attenuates by exactly `range`.
//
// The gain moves in straight lines of dB: from fully closed (-range) to open in `attack` ms, from
// open to fully closed in `release` ms (a smaller change takes proportionally less time). A line
// in dB is a constant factor per sample in amplitude, so the ramps cost no power per sample; the
// expander curve takes one Math.log per sample only where the key lies between the range's floor
// and the threshold, and the gains go from dB to amplitude through exp2 (fastmath.ts).
//
// All the state is per sample (and coefficients change only in configure(), which the runtime
// calls between blocks), so any split of the frames into calls gives the same samples.
import { cookbookNormalized } from './biquad.ts';
import { DB_PER_NEPER, exp2Block, LOG2_PER_DB } from './fastmath.ts';
import { copyFrames } from './buffers.ts';

export interface GateSettings {
  /** dB: the key level that opens the gate. */
  threshold: number;
  /** dB, positive: how far a closed gate turns the sound down. */
  range: number;
  /** Expansion below the threshold: 1 none, 2 a gentle expander, 20 and up a gate. */
  ratio: number;
  /** ms from fully closed to open. */
  attack: number;
  /** ms the gate stays open after the key falls below the closing threshold. */
  hold: number;
  /** ms from open to fully closed. */
  release: number;
  /** dB: the gate closes at threshold - hysteresis (it cannot chatter around one level). */
  hysteresis: number;
  /** Hz: the key's high-pass (at or below KEY_FILTER_OFF_LOW, off). */
  keyHighpass: number;
  /** Hz: the key's low-pass (at or above KEY_FILTER_OFF_HIGH, off). */
  keyLowpass: number;
}

export const GATE_DEFAULTS: GateSettings = {
  threshold: -40,
  range: 60,
  ratio: 20,
  attack: 1,
  hold: 50,
  release: 100,
  hysteresis: 4,
  keyHighpass: 20,
  keyLowpass: 20000,
};

/** The key filters' ends of travel mean "off". */
export const KEY_FILTER_OFF_LOW = 20;
export const KEY_FILTER_OFF_HIGH = 20000;

/** The detector's fall: 10 ms time constant. */
export const GATE_DETECTOR_TAU = 0.01;

/** Static curve: the gain (dB, <= 0) of a closed gate for a key level `x` dB. */
export function gateCurve(x: number, s: Pick<GateSettings, 'threshold' | 'range' | 'ratio'>): number {
  if (x >= s.threshold) return 0;
  return Math.max(-s.range, (x - s.threshold) * (s.ratio - 1));
}

const FLUSH = 1e-12;

/** One Butterworth biquad per channel (transposed direct form II, double precision). */
class KeyFilter {
  on = false;
  private readonly k = new Float64Array(5);
  private readonly z = new Float64Array(4); // two channels × (z1, z2)
  private readonly scratch = new Float64Array(6);

  tune(type: 'highpass' | 'lowpass', frequency: number, sampleRate: number, on: boolean): void {
    this.on = on && frequency < sampleRate / 2;
    if (!this.on) {
      this.z.fill(0);
      return;
    }
    cookbookNormalized(type, frequency, Math.SQRT1_2, 0, sampleRate, this.k, 0, this.scratch);
  }

  run(x: Float64Array, channel: number, n: number): void {
    const k = this.k;
    const b0 = k[0], b1 = k[1], b2 = k[2], a1 = k[3], a2 = k[4];
    const z = this.z;
    let z1 = z[2 * channel];
    let z2 = z[2 * channel + 1];
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const y = b0 * v + z1;
      z1 = b1 * v - a1 * y + z2;
      z2 = b2 * v - a2 * y;
      x[i] = y;
    }
    if (!(Math.abs(z1) > 1e-30)) z1 = 0; // also NaN
    if (!(Math.abs(z2) > 1e-30)) z2 = 0;
    z[2 * channel] = z1;
    z[2 * channel + 1] = z2;
  }
}

export class GateCore {
  private settings: GateSettings = { ...GATE_DEFAULTS };
  private readonly decay: number;
  private openLevel = 0; // linear peak that opens
  private closeLevel = 0; // linear peak under which the hold runs
  private floorLevel = 0; // linear peak at or under which a closed gate sits at -range
  private holdFrames = 0;
  private up = 0; // dB per sample while opening
  private down = 0; // dB per sample while closing
  private readonly highpass = new KeyFilter();
  private readonly lowpass = new KeyFilter();

  // State
  private env = 0;
  private open = false;
  private holdLeft = 0;
  private gain = 0; // dB, <= 0

  private key0 = new Float64Array(128);
  private key1 = new Float64Array(128);
  private gains = new Float64Array(128);
  private constant = true;
  /** Largest attenuation (dB, positive) in the last processed block, for meters. */
  reduction = 0;

  constructor(private readonly sampleRate: number) {
    this.decay = Math.exp(-1 / (GATE_DETECTOR_TAU * sampleRate));
    this.configure(GATE_DEFAULTS, true);
  }

  /** New settings, from the next sample; `fresh` starts closed at -range (a new node hears silence first). */
  configure(s: GateSettings, fresh = false): void {
    this.settings = { ...s };
    const sr = this.sampleRate;
    const range = Math.max(0, s.range);
    const ratio = Math.max(1, s.ratio);
    this.openLevel = Math.exp(s.threshold / DB_PER_NEPER);
    this.closeLevel = Math.exp((s.threshold - Math.max(0, s.hysteresis)) / DB_PER_NEPER);
    // The curve meets -range at x = T - range / (ratio - 1): below that no log is needed.
    this.floorLevel = ratio > 1 ? Math.exp((s.threshold - range / (ratio - 1)) / DB_PER_NEPER) : 0;
    this.holdFrames = Math.round((Math.max(0, s.hold) / 1000) * sr);
    this.up = range / (Math.max(0.001, s.attack) * 0.001 * sr);
    this.down = range / (Math.max(0.001, s.release) * 0.001 * sr);
    this.highpass.tune('highpass', s.keyHighpass, sr, s.keyHighpass > KEY_FILTER_OFF_LOW);
    this.lowpass.tune('lowpass', s.keyLowpass, sr, s.keyLowpass < KEY_FILTER_OFF_HIGH);
    if (fresh) {
      this.gain = -range;
      this.open = false;
      this.env = 0;
      this.holdLeft = 0;
    } else if (this.gain < -range) this.gain = -range; // a smaller range takes effect at once
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** The gain now, dB. */
  get gainDb(): number {
    return this.gain;
  }

  /**
   * Gate `inL`/`inR` into `outL`/`outR` (`...R` undefined for mono), `n` frames, keyed by
   * `keyL`/`keyR` (the input itself when there is no sidechain).
   */
  process(
    inL: Float32Array,
    inR: Float32Array | undefined,
    keyL: Float32Array,
    keyR: Float32Array | undefined,
    outL: Float32Array,
    outR: Float32Array | undefined,
    n: number,
  ): void {
    this.detect(keyL, keyR, n);
    this.apply(inL, outL, n);
    if (outR) this.apply(inR ?? inL, outR, n);
  }

  private detect(keyL: Float32Array, keyR: Float32Array | undefined, n: number): void {
    if (this.gains.length < n) {
      this.gains = new Float64Array(n);
      this.key0 = new Float64Array(n);
      this.key1 = new Float64Array(n);
    }
    const k0 = this.key0;
    const k1 = this.key1;
    const filtered = this.highpass.on || this.lowpass.on;
    // The key's rectified peak per frame into k0. Filters need the signed samples first.
    if (filtered) {
      for (let i = 0; i < n; i++) {
        const v = keyL[i];
        k0[i] = v - v === 0 ? v : 0; // NaN and infinities count as silence
      }
      if (this.highpass.on) this.highpass.run(k0, 0, n);
      if (this.lowpass.on) this.lowpass.run(k0, 0, n);
      if (keyR) {
        for (let i = 0; i < n; i++) {
          const v = keyR[i];
          k1[i] = v - v === 0 ? v : 0;
        }
        if (this.highpass.on) this.highpass.run(k1, 1, n);
        if (this.lowpass.on) this.lowpass.run(k1, 1, n);
        for (let i = 0; i < n; i++) {
          const a = Math.abs(k0[i]);
          const b = Math.abs(k1[i]);
          k0[i] = a > b ? a : b;
        }
      } else for (let i = 0; i < n; i++) k0[i] = Math.abs(k0[i]);
    } else {
      const r = keyR ?? keyL;
      for (let i = 0; i < n; i++) {
        const a = Math.abs(keyL[i]);
        const b = Math.abs(r[i]);
        const p = a > b ? a : b;
        k0[i] = p < Infinity ? p : 0; // NaN fails the test too
      }
    }

    const { decay, openLevel, closeLevel, floorLevel, holdFrames, up, down } = this;
    const threshold = this.settings.threshold;
    const range = Math.max(0, this.settings.range);
    const slope = Math.max(1, this.settings.ratio) - 1;
    const gains = this.gains;
    let env = this.env;
    let open = this.open;
    let holdLeft = this.holdLeft;
    let g = this.gain;
    let most = 0;
    let constant = true;
    const g0 = g;
    for (let i = 0; i < n; i++) {
      const p = k0[i];
      env = p >= env ? p : env * decay; // a steady peak holds (it must not decay by one sample each time)
      if (env < FLUSH) env = 0;
      // Open at the threshold; below the closing level the hold counts down, then it closes.
      if (env >= openLevel) {
        open = true;
        holdLeft = holdFrames;
      } else if (open) {
        if (env >= closeLevel) holdLeft = holdFrames;
        else if (holdLeft > 0) holdLeft--;
        else open = false;
      }
      let target = 0;
      if (!open) {
        if (env <= floorLevel) target = -range;
        else {
          target = (DB_PER_NEPER * Math.log(env) - threshold) * slope;
          if (target > 0) target = 0;
          else if (target < -range) target = -range;
        }
      }
      // Straight lines in dB towards the target, landing on it exactly
      if (g < target) {
        g += up;
        if (g > target) g = target;
      } else if (g > target) {
        g -= down;
        if (g < target) g = target;
      }
      if (g !== g0) constant = false;
      if (-g > most) most = -g;
      gains[i] = g;
    }
    this.env = env;
    this.open = open;
    this.holdLeft = holdLeft;
    this.gain = g;
    this.reduction = most;
    this.constant = constant;
    if (constant) gains[0] = g === 0 ? 1 : Math.exp(g / DB_PER_NEPER);
    else exp2Block(gains, n, LOG2_PER_DB);
  }

  private apply(src: Float32Array, dst: Float32Array, n: number): void {
    const gains = this.gains;
    if (this.constant) {
      const g = gains[0];
      if (g === 1) {
        if (dst !== src) copyFrames(src, dst, n);
      } else for (let i = 0; i < n; i++) dst[i] = src[i] * g;
      return;
    }
    for (let i = 0; i < n; i++) dst[i] = src[i] * gains[i];
  }
}
