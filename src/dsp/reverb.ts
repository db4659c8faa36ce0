// The reverb: output = (1 - mix)·dry + mix·(pre-delayed input convolved with a room). The room
// is a stereo impulse response of decorrelated noise under an exponential envelope that falls
// 60 dB in `decay` seconds, with a 2 ms fade-in, each channel normalised to unit energy (so the
// wet signal of a broadband input is about as loud as the input). Left and right are convolved
// apart (a left-only source keeps its reverb on the left). A new decay builds a new room and
// crossfades to it over 50 ms; pre-delay and mix glide.
import { Convolver } from './convolver.ts';
import { DelayLine } from './delay.ts';
import { seededRandom } from './random.ts';
import { copyFrames } from './buffers.ts';

const RT60_DB = -60;
/** Longest pre-delay (s): the node's range. */
export const MAX_PREDELAY = 0.2;
/** Crossfade between rooms when the decay changes (s). */
const ROOM_FADE = 0.05;

/** The stereo impulse response for `decay` seconds at `sampleRate` (seeds 1234 and 1235). */
export function reverbImpulse(decay: number, sampleRate: number): [Float32Array, Float32Array] {
  const length = Math.max(1, Math.round(decay * sampleRate));
  const k = Math.log(10 ** (RT60_DB / 20)) / (decay * sampleRate);
  const fadeIn = 0.002 * sampleRate;
  const channels: Float32Array[] = [];
  for (let c = 0; c < 2; c++) {
    const data = new Float32Array(length);
    const random = seededRandom(1234 + c);
    let energy = 0;
    for (let i = 0; i < length; i++) {
      const v = (random() * 2 - 1) * Math.exp(k * i) * Math.min(1, i / fadeIn);
      data[i] = v;
      energy += v * v;
    }
    const norm = 1 / Math.sqrt(energy || 1);
    for (let i = 0; i < length; i++) data[i] *= norm;
    channels.push(data);
  }
  return [channels[0], channels[1]];
}

export interface ReverbSettings {
  /** RT60, seconds. */
  decay: number;
  /** ms */
  predelay: number;
  mix: number;
}

class Room {
  readonly left: Convolver;
  readonly right: Convolver;
  constructor(
    readonly decay: number,
    sampleRate: number,
  ) {
    const [l, r] = reverbImpulse(decay, sampleRate);
    this.left = new Convolver(l);
    this.right = new Convolver(r);
  }
}

export class ReverbCore {
  private readonly predelay: DelayLine;
  private room: Room;
  private old: Room | null = null;
  /** Crossfade position from `old` to `room`, 0..1, and its step per sample. */
  private fade = 1;
  private readonly fadeStep: number;
  private mix: number;
  private mixTarget: number;
  private preL: Float32Array;
  private preR: Float32Array;
  private wetL: Float32Array;
  private wetR: Float32Array;
  private oldL: Float32Array;
  private oldR: Float32Array;

  constructor(
    private readonly sampleRate: number,
    s: ReverbSettings,
    private readonly glide: number,
    maxFrames = 128,
  ) {
    this.predelay = new DelayLine(MAX_PREDELAY * sampleRate, (s.predelay / 1000) * sampleRate, glide);
    this.room = new Room(s.decay, sampleRate);
    this.fadeStep = 1 / (ROOM_FADE * sampleRate);
    this.mix = this.mixTarget = s.mix;
    this.preL = new Float32Array(maxFrames);
    this.preR = new Float32Array(maxFrames);
    this.wetL = new Float32Array(maxFrames);
    this.wetR = new Float32Array(maxFrames);
    this.oldL = new Float32Array(maxFrames);
    this.oldR = new Float32Array(maxFrames);
  }

  configure(s: ReverbSettings): void {
    this.predelay.setTime((s.predelay / 1000) * this.sampleRate, this.glide === 0);
    this.mixTarget = s.mix;
    if (this.glide === 0) this.mix = s.mix;
    if (s.decay !== this.room.decay) {
      // The room being faded out goes at once if another change comes during the fade.
      this.old = this.room;
      this.room = new Room(s.decay, this.sampleRate);
      this.fade = 0;
    }
  }

  private ensure(n: number): void {
    if (this.preL.length >= n) return;
    this.preL = new Float32Array(n);
    this.preR = new Float32Array(n);
    this.wetL = new Float32Array(n);
    this.wetR = new Float32Array(n);
    this.oldL = new Float32Array(n);
    this.oldR = new Float32Array(n);
  }

  /** l, r (r may be l: a mono input reverberates on both sides) into outL, outR, n frames. */
  process(l: Float32Array, r: Float32Array, outL: Float32Array, outR: Float32Array, n: number): void {
    this.ensure(n);
    const { preL, preR, wetL, wetR } = this;
    this.predelay.process(l, r, preL, preR, n);
    this.room.left.process(preL, wetL, n);
    this.room.right.process(preR, wetR, n);
    if (this.old) {
      const { oldL, oldR } = this;
      this.old.left.process(preL, oldL, n);
      this.old.right.process(preR, oldR, n);
      let f = this.fade;
      const step = this.fadeStep;
      for (let i = 0; i < n; i++) {
        f = f + step < 1 ? f + step : 1;
        wetL[i] = oldL[i] + (wetL[i] - oldL[i]) * f;
        wetR[i] = oldR[i] + (wetR[i] - oldR[i]) * f;
      }
      this.fade = f;
      if (f === 1) this.old = null;
    }
    let mix = this.mix;
    const mt = this.mixTarget;
    if (mix === mt) {
      const dry = 1 - mix;
      if (mix === 0) {
        copyFrames(l, outL, n);
        copyFrames(r, outR, n);
      } else
        for (let i = 0; i < n; i++) {
          outL[i] = dry * l[i] + mix * wetL[i];
          outR[i] = dry * r[i] + mix * wetR[i];
        }
      return;
    }
    const c = this.glide;
    for (let i = 0; i < n; i++) {
      const d = (mix - mt) * c;
      mix = d < 1e-9 && d > -1e-9 ? mt : mt + d;
      outL[i] = (1 - mix) * l[i] + mix * wetL[i];
      outR[i] = (1 - mix) * r[i] + mix * wetR[i];
    }
    this.mix = mix;
  }
}
