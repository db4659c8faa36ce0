import { PanStage } from '../../src/dsp/pan.ts';
import { bool, dbToGain, num, type NodeProcessor, type Params, type ProcessorContext, type SourceAudio } from '../define.ts';

/** The track's overall gain: fader, polarity and (solo-resolved) mute in one number. */
export function trackGain(p: Params): number {
  if (bool(p, 'mute')) return 0;
  return dbToGain(num(p, 'gain')) * (bool(p, 'invert') ? -1 : 1);
}

/**
 * Reads a source block by block from a position in frames (negative: silence until 0), into one
 * or two channels: more than two are mixed down to stereo as Web Audio's "speakers" rules do
 * for 4 (quad) and 6 (5.1) channels, other counts keep their first two.
 */
export class SourceReader {
  private readonly scratch: Float32Array[];
  readonly left: Float32Array;
  readonly right: Float32Array;
  constructor(maxFrames: number) {
    this.scratch = Array.from({ length: 6 }, () => new Float32Array(maxFrames));
    this.left = this.scratch[0];
    this.right = this.scratch[1];
  }

  /** Channels it yields for `source`: 1 or 2. */
  static channelsOf(source: SourceAudio): number {
    return source.channels > 1 ? 2 : 1;
  }

  /** Frames [at, at + n) of `source` into left (and right), zeros outside the material. */
  read(source: SourceAudio, at: number, n: number): void {
    const out = this.channels(source);
    const from = Math.max(at, 0);
    const to = Math.min(at + n, source.frames);
    const count = to - from;
    if (count < n) for (let c = 0; c < out.length; c++) out[c].fill(0, 0, n);
    if (count <= 0) return;
    source.read(from, count, out);
    const lead = from - at; // the material starts part-way into the block
    if (lead > 0) for (let c = 0; c < out.length; c++) out[c].copyWithin(lead, 0, count).fill(0, 0, lead);
    if (source.channels === 4 || source.channels === 6) this.downmix(source.channels, n);
  }

  private views: Float32Array[][] = [];
  /** Arrays to read the source's channels into (scratch; up to six used, further ones dropped). */
  private channels(source: SourceAudio): Float32Array[] {
    const count = source.channels;
    let v = this.views[count];
    if (!v) {
      v = Array.from({ length: count }, (_, c) => this.scratch[c] ?? new Float32Array(this.scratch[0].length));
      this.views[count] = v;
    }
    return v;
  }

  private downmix(channels: number, n: number): void {
    const [l, r, a, b, c, d] = this.scratch;
    const s = Math.SQRT1_2;
    if (channels === 4) {
      // L R SL SR: L + 0.5·SL... Web Audio: L = 0.5·(L + SL), R = 0.5·(R + SR)
      for (let i = 0; i < n; i++) {
        l[i] = 0.5 * (l[i] + a[i]);
        r[i] = 0.5 * (r[i] + b[i]);
      }
    } else {
      // L R C LFE SL SR: L + √½·(C + SL), R + √½·(C + SR)
      for (let i = 0; i < n; i++) {
        l[i] = l[i] + s * (a[i] + c[i]);
        r[i] = r[i] + s * (a[i] + d[i]);
      }
    }
  }
}

/**
 * A track: its file from the start position, offset to the sample (the offset rounded to whole
 * frames), through the fader and the pan law (equal power for mono, balance for stereo).
 * Always stereo out.
 */
export function trackProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  let current = params;
  const stage = new PanStage(num(params, 'pan'), trackGain(params), ctx.glide);
  const reader = new SourceReader(ctx.maxFrames);
  let playing: SourceAudio | null = null;
  let at = 0; // frame of the file that plays next
  const stop = () => {
    playing = null;
  };
  return {
    process(_inputs, outputs, n) {
      const out = outputs[0];
      out.channels = 2;
      const source = playing;
      if (!source || at >= source.frames) {
        out.data[0].fill(0, 0, n);
        out.data[1].fill(0, 0, n);
        if (source) at += n;
        return;
      }
      reader.read(source, at, n);
      at += n;
      stage.process(reader.left, SourceReader.channelsOf(source) === 2 ? reader.right : undefined, out.data[0], out.data[1], n);
    },
    set(name, _value, p) {
      current = p;
      if (name === 'pan') stage.setPan(num(p, 'pan'));
      else if (name === 'source') stop(); // a new file plays from the next start
      else stage.setGain(trackGain(p));
    },
    start(from) {
      const source = ctx.source(current.source as string);
      if (!source) return stop();
      if (source.sampleRate !== ctx.sampleRate) throw new Error(`track source "${String(current.source)}" is at ${source.sampleRate} Hz; the session runs at ${ctx.sampleRate} Hz`);
      // Offsets are rounded to whole samples so "to the sample" holds at any rate.
      const offset = Math.round((num(current, 'offset') / 1000) * ctx.sampleRate);
      playing = source;
      at = Math.round(from * ctx.sampleRate) - offset;
    },
    stop,
  };
}
