// Delay lines: the delay node's echo core and a plain stereo delay (the reverb's pre-delay).
//
// Times are in samples, per channel, left and right kept apart. A time that is a whole number of
// samples (to 1e-6 of one: 10 ms at 44.1 kHz is 441.00000000000006) is read without interpolation,
// so an echo lands on exactly one sample at exactly its height. While a time glides (a knob turn,
// exponential approach with the runtime's time constant) the read point moves smoothly and is read
// with linear interpolation between the two samples around it.

/** Snap a time to a whole sample when it is within this of one. */
const WHOLE = 1e-6;

const pow2Above = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n + 1)));

function snapTime(samples: number): number {
  const r = Math.round(samples);
  return Math.abs(samples - r) < WHOLE ? r : samples;
}

/** Glide state of one delay time (samples). */
class TimeGlide {
  value: number;
  target: number;
  eps = 1e-9;
  constructor(
    value: number,
    readonly coef: number,
  ) {
    this.value = this.target = snapTime(value);
  }
  set(samples: number, jump: boolean): void {
    this.target = snapTime(samples);
    this.eps = Math.max(1e-7 * Math.abs(this.target - this.value), 1e-9);
    if (jump || this.coef === 0) this.value = this.target;
  }
}

/**
 * A stereo delay without feedback: out = in, `time` samples later (0 is the input itself).
 * Written before it is read, so any time from 0 up works.
 */
export class DelayLine {
  private readonly left: Float32Array;
  private readonly right: Float32Array;
  private readonly mask: number;
  private t = 0;
  private readonly time: TimeGlide;

  constructor(maxSamples: number, samples: number, glide: number) {
    const size = pow2Above(Math.ceil(maxSamples) + 2);
    this.mask = size - 1;
    this.left = new Float32Array(size);
    this.right = new Float32Array(size);
    this.time = new TimeGlide(Math.min(samples, maxSamples), glide);
    this.max = maxSamples;
  }
  private readonly max: number;

  setTime(samples: number, jump = false): void {
    this.time.set(Math.max(0, Math.min(this.max, samples)), jump);
  }

  /** Delay [0, n) of l and r (r may be l) into outL, outR. Non-finite input is stored as silence. */
  process(l: Float32Array, r: Float32Array, outL: Float32Array, outR: Float32Array, n: number): void {
    const { left, right, mask, time } = this;
    let t = this.t;
    let T = time.value;
    const target = time.target;
    const c = time.coef;
    const eps = time.eps;
    for (let i = 0; i < n; i++) {
      let x = l[i];
      let y = r[i];
      if (x - x !== 0) x = 0;
      if (y - y !== 0) y = 0;
      left[t & mask] = x;
      right[t & mask] = y;
      if (T !== target) {
        const d = (T - target) * c;
        T = d < eps && d > -eps ? target : target + d;
      }
      const ti = Math.floor(T);
      const f = T - ti;
      const a = (t - ti) & mask;
      if (f === 0) {
        outL[i] = left[a];
        outR[i] = right[a];
      } else {
        const b = (a - 1) & mask;
        outL[i] = left[a] + (left[b] - left[a]) * f;
        outR[i] = right[a] + (right[b] - right[a]) * f;
      }
      t++;
    }
    this.t = t;
    time.value = T;
  }
}

export interface EchoSettings {
  /** Delay time, samples. */
  time: number;
  feedback: number;
  mix: number;
}

/**
 * The delay node: output = (1 - mix)·dry + mix·echoes, echoes e[t] = in[t - T] + feedback·e[t - T].
 * One line per channel holds w[t] = in[t] + feedback·e[t], and e[t] = w[t - T]: the first echo
 * and every recirculation in one read. Bypass is part of the mix (output = (1 - w·mix)·dry +
 * w·mix·echoes, w gliding from 1 to 0), so a bypassed delay is exactly its input.
 *
 * Inside a feedback loop (`looped`) the runtime asks for the output before the input of the same
 * frames is known: `pull` computes the output from the line alone, `push` then takes the input.
 * The echoes need nothing newer than T samples, so up to floor(T) frames can be pulled at once
 * (`lookahead`). The dry path has no delay of its own; inside a loop it is taken one sample late
 * (the least that lets a loop close through it), so while any dry signal is heard (mix < 1, or
 * bypass) the loop runs one sample at a time. Times below one sample play as one sample in a loop
 * or with feedback, and as the input itself otherwise.
 */
export class EchoCore {
  private readonly lines: [Float32Array, Float32Array];
  private readonly mask: number;
  private readonly maxTime: number;
  private t = 0;
  private readonly time: TimeGlide;
  private readonly coef: number;
  // feedback, mix and the bypass weight (1 active, 0 bypassed), each gliding per sample
  private fb: number;
  private fbTarget: number;
  private mix: number;
  private mixTarget: number;
  private on = 1;
  private onTarget = 1;
  /** The last input sample per channel (the dry path inside a loop). */
  private lastL = 0;
  private lastR = 0;
  private echoL: Float32Array;
  private echoR: Float32Array;
  /** One sample late dry path and a time of at least one sample: set by the runtime for loops. */
  looped = false;

  constructor(sampleRate: number, maxSeconds: number, s: EchoSettings, glide: number, maxFrames = 128) {
    this.maxTime = Math.ceil(maxSeconds * sampleRate);
    const size = pow2Above(this.maxTime + 2);
    this.mask = size - 1;
    this.lines = [new Float32Array(size), new Float32Array(size)];
    this.coef = glide;
    this.time = new TimeGlide(Math.max(0, Math.min(this.maxTime, s.time)), glide);
    this.fb = this.fbTarget = s.feedback;
    this.mix = this.mixTarget = s.mix;
    this.echoL = new Float32Array(maxFrames);
    this.echoR = new Float32Array(maxFrames);
  }

  configure(s: EchoSettings, jump = false): void {
    this.time.set(Math.max(0, Math.min(this.maxTime, s.time)), jump);
    this.fbTarget = s.feedback;
    this.mixTarget = s.mix;
    if (jump || this.coef === 0) {
      this.fb = s.feedback;
      this.mix = s.mix;
    }
  }

  bypass(on: boolean, jump = false): void {
    this.onTarget = on ? 0 : 1;
    if (jump || this.coef === 0) this.on = this.onTarget;
  }

  /** True while any of the dry path can be heard (then a loop must run a sample at a time). */
  private get dryHeard(): boolean {
    return this.mix !== 1 || this.mixTarget !== 1 || this.on !== 1 || this.onTarget !== 1;
  }

  /** Frames of output `pull` can give before it needs the input of the same frames (loops only). */
  lookahead(): number {
    if (this.dryHeard) return 1;
    return Math.max(1, Math.floor(Math.min(this.time.value, this.time.target)));
  }

  /** Outside a loop: n frames of l, r (r may be l) into outL, outR. */
  process(l: Float32Array, r: Float32Array, outL: Float32Array, outR: Float32Array, n: number): void {
    this.run(l, r, outL, outR, n, true);
  }

  /** Inside a loop: the output of the next n frames (n <= lookahead()), before their input. */
  pull(outL: Float32Array, outR: Float32Array, n: number): void {
    this.run(outL, outR, outL, outR, n, false);
  }

  /** Inside a loop: the input of the frames just pulled. */
  push(l: Float32Array, r: Float32Array, n: number): void {
    const [left, right] = this.lines;
    const { mask, echoL, echoR } = this;
    let t = this.t;
    let fb = this.fb;
    const ft = this.fbTarget;
    const c = this.coef;
    for (let i = 0; i < n; i++) {
      if (fb !== ft) {
        const d = (fb - ft) * c;
        fb = d < 1e-9 && d > -1e-9 ? ft : ft + d;
      }
      let x = l[i];
      let y = r[i];
      if (x - x !== 0) x = 0; // NaN and infinities would circulate for ever
      if (y - y !== 0) y = 0;
      left[t & mask] = x + fb * echoL[i];
      right[t & mask] = y + fb * echoR[i];
      this.lastL = x;
      this.lastR = y;
      t++;
    }
    this.t = t;
    this.fb = fb;
  }

  /**
   * The echo loop. `live`: the input is in l, r now (write it as we go); otherwise (pull) the
   * line is only read, the echoes kept for push, and the dry path is the last input sample.
   */
  private run(l: Float32Array, r: Float32Array, outL: Float32Array, outR: Float32Array, n: number, live: boolean): void {
    if (this.echoL.length < n) {
      this.echoL = new Float32Array(n);
      this.echoR = new Float32Array(n);
    }
    const [left, right] = this.lines;
    const { mask, coef, echoL, echoR, time } = this;
    const minTime = live && !this.looped ? 0 : 1;
    const t = this.t;
    let T = time.value;
    const Tt = time.target;
    const tEps = time.eps;
    let fb = this.fb;
    const ft = this.fbTarget;
    let mix = this.mix;
    const mt = this.mixTarget;
    let on = this.on;
    const ot = this.onTarget;
    let lastL = this.lastL;
    let lastR = this.lastR;
    for (let i = 0; i < n; i++) {
      if (T !== Tt) {
        const d = (T - Tt) * coef;
        T = d < tEps && d > -tEps ? Tt : Tt + d;
      }
      if (mix !== mt) {
        const d = (mix - mt) * coef;
        mix = d < 1e-9 && d > -1e-9 ? mt : mt + d;
      }
      if (on !== ot) {
        const d = (on - ot) * coef;
        on = d < 1e-9 && d > -1e-9 ? ot : ot + d;
      }
      const wet = mix * on;
      const dry = 1 - wet;
      let dryL: number;
      let dryR: number;
      if (live) {
        dryL = l[i];
        dryR = r[i];
      } else {
        dryL = lastL;
        dryR = lastR;
      }
      // The echo: w[t - T]; a time under a sample is one sample, or the input itself (see the header)
      let el: number;
      let er: number;
      const tt = T < 1 ? (minTime === 0 && fb === 0 && ft === 0 ? 0 : 1) : T;
      if (tt === 0) {
        el = dryL - dryL === 0 ? dryL : 0;
        er = dryR - dryR === 0 ? dryR : 0;
      } else {
        const ti = Math.floor(tt);
        const f = tt - ti;
        const a = (t + i - ti) & mask;
        if (f === 0) {
          el = left[a];
          er = right[a];
        } else {
          const b = (a - 1) & mask;
          el = left[a] + (left[b] - left[a]) * f;
          er = right[a] + (right[b] - right[a]) * f;
        }
      }
      outL[i] = dry === 1 ? dryL : wet === 1 ? el : dry * dryL + wet * el;
      outR[i] = dry === 1 ? dryR : wet === 1 ? er : dry * dryR + wet * er;
      if (live) {
        if (fb !== ft) {
          const d = (fb - ft) * coef;
          fb = d < 1e-9 && d > -1e-9 ? ft : ft + d;
        }
        const x = dryL - dryL === 0 ? dryL : 0; // NaN and infinities would circulate for ever
        const y = dryR - dryR === 0 ? dryR : 0;
        left[(t + i) & mask] = x + fb * el;
        right[(t + i) & mask] = y + fb * er;
        lastL = x;
        lastR = y;
      } else {
        echoL[i] = el;
        echoR[i] = er;
      }
    }
    time.value = T;
    this.mix = mix;
    this.on = on;
    if (live) {
      this.t = t + n;
      this.fb = fb;
      this.lastL = lastL;
      this.lastR = lastR;
    }
  }
}
