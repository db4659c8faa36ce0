// The loudness meter processor: passes its input through untouched (bit for bit) and meters it
// with the same LoudnessMeter the CLI's analysis uses, posting the readings about 10 times a second.
// A `{ type: 'reset' }` message on the port starts the measurement afresh.
import { LoudnessMeter } from '../dsp/loudness.ts';
import { LOUDNESS_PROCESSOR } from './names.ts';
import { Base } from './base.ts';

/** What the processor posts; every level in LUFS / LU / dBTP / dBFS, -Infinity for silence. */
export interface LoudnessReadings {
  momentary: number;
  shortTerm: number;
  integrated: number;
  range: number;
  momentaryMax: number;
  shortTermMax: number;
  truePeak: number;
  samplePeak: number;
  /** Seconds metered since the start or the last reset. */
  time: number;
}

const CHANNELS = 2; // the node mixes its input to stereo (channelCountMode 'explicit')

class LoudnessProcessor extends Base {
  private meter = new LoudnessMeter(sampleRate, CHANNELS);
  private silence = new Float32Array(128);
  private readonly pair: Float32Array[] = [this.silence, this.silence];
  private readonly every = Math.round(sampleRate / 10);
  private frames = 0;

  constructor(options?: AudioWorkletNodeOptions) {
    super(options);
    this.port.onmessage = (e: MessageEvent<{ type?: string }>) => {
      if (e.data?.type === 'reset') {
        this.meter.reset();
        this.frames = 0;
        this.post();
      }
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0];
    const output = outputs[0];
    const n = output[0].length;
    if (this.silence.length < n) this.silence = new Float32Array(n);
    // Unconnected: 0 channels, metered as the silence it is. Mono (should the mix change): both sides.
    const left = input[0] ?? this.silence;
    const right = input[1] ?? left;
    output[0].set(left.length === n ? left : left.subarray(0, n));
    if (output[1]) output[1].set(right.length === n ? right : right.subarray(0, n));
    // One array reused: process() runs every 128 frames on the audio thread.
    this.pair[0] = left;
    this.pair[1] = right;
    this.meter.process(this.pair, n);
    this.frames += n;
    if (this.frames >= this.every) {
      this.frames -= this.every;
      this.post();
    }
    return true;
  }

  private post(): void {
    const m = this.meter;
    const readings: LoudnessReadings = {
      momentary: m.momentary(),
      shortTerm: m.shortTerm(),
      integrated: m.integrated(),
      range: m.range(),
      momentaryMax: m.momentaryMax(),
      shortTermMax: m.shortTermMax(),
      truePeak: m.truePeak(),
      samplePeak: m.samplePeak(),
      time: m.duration(),
    };
    this.port.postMessage(readings);
  }
}

registerProcessor(LOUDNESS_PROCESSOR, LoudnessProcessor as never);
