// Gain-matched bypass, the measuring half: how much louder a processor's output is than its
// input, K-weighted (BS.1770) and short-term (the last 3 s), so that a bypassed processor can
// play its input at the processed loudness and be judged by its sound, not by being louder.
//
// Both signals are K-weighted (loudness.ts's two stages, one state per channel) and their energy
// summed over the channels; energies are kept per 100 ms hop in a ring of 30 hops. At each hop
// end the difference 10·log10(out / in) of the two 3 s sums becomes the target (partial windows
// count from the start: both signals start together, so their ratio is valid from the first hop),
// and the match glides to it with a 0.5 s time constant, hop by hop, so the level does not pump
// with the music. While either side is silent (under -70 LUFS, the absolute gate) the last match
// is kept; the match is clamped to ±24 dB (a gate that shuts its output must not ask for +90 dB).
// Per sample: two biquads per channel per side; per hop: one log10. No allocation after construction.
import { kWeighting, kWeightedEnergy, type Biquad } from './loudness.ts';

/** Time constant (s) of the match's glide between hops. */
export const MATCH_SMOOTHING = 0.5;
/** Largest match, either way (dB). */
export const MATCH_LIMIT = 24;
/** 3 s of 100 ms hops. */
const HOPS = 30;
/** -70 LUFS as a mean square (energyToLufs(e) = -0.691 + 10·log10(e)). */
const GATE = Math.pow(10, (-70 + 0.691) / 10);

class KWeighted {
  private readonly shelf: Biquad;
  private readonly highPass: Biquad;
  /** Per channel: shelf x1 x2 y1 y2, high-pass y1 y2. */
  private readonly state = [new Float64Array(6), new Float64Array(6)];
  constructor(sampleRate: number) {
    [this.shelf, this.highPass] = kWeighting(sampleRate);
  }

  /** Sum of weighted squares of x[0, n) on channel c. */
  energy(x: Float32Array, c: number, n: number): number {
    return kWeightedEnergy(x, n, this.state[c], this.shelf, this.highPass);
  }
}

export class LoudnessMatch {
  private readonly input: KWeighted;
  private readonly output: KWeighted;
  private readonly hop: number;
  private readonly ringIn = new Float64Array(HOPS);
  private readonly ringOut = new Float64Array(HOPS);
  private readonly smoothing: number;
  private pos = 0;
  private fill = 0;
  private hops = 0;
  private eIn = 0;
  private eOut = 0;
  /** The match now (dB): how much louder the output is than the input. */
  db = 0;
  /** A match has been measured (both sides sounded in some hop). */
  measured = false;

  constructor(private readonly sampleRate: number) {
    this.input = new KWeighted(sampleRate);
    this.output = new KWeighted(sampleRate);
    this.hop = Math.round(sampleRate / 10);
    this.smoothing = 1 - Math.exp(-0.1 / MATCH_SMOOTHING);
  }

  /**
   * Measure n frames of a processor's input and output (right channels undefined for mono). A
   * mono signal counts twice: the runtime plays it as L = R, so a mono input beside a stereo
   * output (a reverb) is compared as it is heard. Returns true at a hop end, when `db` may have moved.
   */
  add(inL: Float32Array, inR: Float32Array | undefined, outL: Float32Array, outR: Float32Array | undefined, n: number): boolean {
    let moved = false;
    for (let at = 0; at < n; ) {
      const take = Math.min(n - at, this.hop - this.fill);
      // subarray-free: energies of [at, at + take) through offset views would allocate; the
      // filters take whole arrays, so a call spans at most one hop end (the runtime's blocks are
      // far shorter than a hop) and is split here only when it crosses one.
      if (at === 0 && take === n) {
        const li = this.input.energy(inL, 0, n);
        this.eIn += inR ? li + this.input.energy(inR, 1, n) : 2 * li;
        const lo = this.output.energy(outL, 0, n);
        this.eOut += outR ? lo + this.output.energy(outR, 1, n) : 2 * lo;
      } else {
        this.eIn += this.part(this.input, inL, inR, at, take);
        this.eOut += this.part(this.output, outL, outR, at, take);
      }
      this.fill += take;
      at += take;
      if (this.fill === this.hop) {
        this.endHop();
        moved = true;
      }
    }
    return moved;
  }

  private scratch = new Float32Array(0);
  private part(k: KWeighted, l: Float32Array, r: Float32Array | undefined, at: number, n: number): number {
    if (this.scratch.length < n) this.scratch = new Float32Array(Math.max(n, 128));
    const s = this.scratch;
    for (let i = 0; i < n; i++) s[i] = l[at + i];
    const e = k.energy(s, 0, n);
    if (!r) return 2 * e;
    for (let i = 0; i < n; i++) s[i] = r[at + i];
    return e + k.energy(s, 1, n);
  }

  private endHop(): void {
    this.ringIn[this.pos] = this.eIn;
    this.ringOut[this.pos] = this.eOut;
    this.pos = (this.pos + 1) % HOPS;
    this.eIn = 0;
    this.eOut = 0;
    this.fill = 0;
    if (this.hops < HOPS) this.hops++;
    let si = 0;
    let so = 0;
    for (let k = 0; k < HOPS; k++) {
      si += this.ringIn[k];
      so += this.ringOut[k];
    }
    const frames = this.hops * this.hop;
    if (si / frames < GATE || so / frames < GATE) return; // a silent side: keep the last match
    let target = 10 * Math.log10(so / si);
    if (target > MATCH_LIMIT) target = MATCH_LIMIT;
    else if (target < -MATCH_LIMIT) target = -MATCH_LIMIT;
    if (!this.measured) {
      this.db = target; // the first measurement is taken as it is
      this.measured = true;
    } else this.db += (target - this.db) * this.smoothing;
  }

  reset(): void {
    this.ringIn.fill(0);
    this.ringOut.fill(0);
    this.pos = this.fill = this.hops = 0;
    this.eIn = this.eOut = 0;
    this.db = 0;
    this.measured = false;
  }
}
