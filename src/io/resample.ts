// Sample-rate conversion with libsamplerate (Erik de Castro Lopo's SRC, compiled to WebAssembly by
// @alexanderolsen/libsamplerate-js), in Node and in the browser alike. Why not Web Audio's own:
// node-web-audio-api 1.0.9 resamples almost linearly (a 10 kHz sine at 44.1 -> 48 kHz comes out 1.7 dB
// low with 13 dB SNR, and decodeAudioData adds a frame), so a track at another rate was dull and noisy.
// SRC_SINC_BEST_QUALITY: measured in tests/io/resample.test.ts (passband, aliasing, length).
//
// Everything goes through libsamplerate's streaming ("full") API in pieces of a tenth of a second,
// and the end is flushed by feeding silence: a file converted whole (resample) and one converted
// while it streams from disk (StreamResampler, src/io/wav-source.ts) give the same samples. (The
// library's own `simple()` switches to unflushed pieces above 1,008,000 samples, which left the
// last ~150 frames of a long file at zero.)
import lsr from '@alexanderolsen/libsamplerate-js';

const { create, ConverterType } = lsr;
type Converter = Awaited<ReturnType<typeof create>>;

/** Frames of output for `frames` of input: what libsamplerate gives, and what a render expects. */
export const resampledLength = (frames: number, from: number, to: number) => Math.round((frames * to) / from);

/**
 * One channel converted piece by piece. push() gives the output the input so far has made (a view
 * that the next call reuses); flush() gives the rest once the input has ended (as libsamplerate's
 * end of input would: the filter runs on into silence).
 */
export class StreamResampler {
  /** Input frames per call into the library: a tenth of a second, as the library chunks itself. */
  readonly piece: number;
  private readonly out: Float32Array;
  private readonly silence: Float32Array;
  private readonly frames = { frames: 0 };

  private constructor(
    private readonly src: Converter,
    readonly from: number,
    readonly to: number,
  ) {
    this.piece = Math.max(1, Math.round(from / 10));
    this.out = new Float32Array(Math.ceil((this.piece * to) / from) + 16);
    this.silence = new Float32Array(this.piece);
  }

  static async create(from: number, to: number): Promise<StreamResampler> {
    return new StreamResampler(await create(1, from, to, { converterType: ConverterType.SRC_SINC_BEST_QUALITY }), from, to);
  }

  /** Convert `input` (at most `piece` frames); the output is valid until the next call. */
  push(input: Float32Array): Float32Array {
    if (input.length > this.piece) throw new RangeError(`StreamResampler.push takes at most ${this.piece} frames, not ${input.length}`);
    if (input.length === 0) return this.out.subarray(0, 0);
    this.src.full(input, this.out, this.frames);
    return this.out.subarray(0, this.frames.frames);
  }

  /** More output after the input's end (the filter's tail, then silence). */
  flush(): Float32Array {
    return this.push(this.silence);
  }

  destroy(): void {
    this.src.destroy();
  }
}

/** `channels` at rate `from` converted to rate `to` (each channel on its own, the same length). */
export async function resample(channels: readonly Float32Array[], from: number, to: number): Promise<Float32Array[]> {
  if (from === to) return channels.map((c) => c.slice());
  const length = resampledLength(channels[0]?.length ?? 0, from, to);
  const out: Float32Array[] = [];
  for (const channel of channels) {
    const converter = await StreamResampler.create(from, to);
    try {
      const y = new Float32Array(length);
      let filled = 0;
      const take = (part: Float32Array) => {
        const n = Math.min(part.length, length - filled);
        y.set(part.subarray(0, n), filled);
        filled += n;
      };
      for (let at = 0; at < channel.length && filled < length; at += converter.piece) take(converter.push(channel.subarray(at, Math.min(channel.length, at + converter.piece))));
      // The filter's delay is still inside: a piece of silence or two brings it out.
      for (let guard = 0; filled < length && guard < 64; guard++) take(converter.flush());
      out.push(y);
    } finally {
      converter.destroy();
    }
  }
  return out;
}
