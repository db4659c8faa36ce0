// Sample-rate conversion with libsamplerate (Erik de Castro Lopo's SRC, compiled to WebAssembly by
// @alexanderolsen/libsamplerate-js), in Node and in the browser alike. Why not Web Audio's own:
// node-web-audio-api 1.0.9 resamples almost linearly (a 10 kHz sine at 44.1 -> 48 kHz comes out 1.7 dB
// low with 13 dB SNR, and decodeAudioData adds a frame), so a track at another rate was dull and noisy.
// SRC_SINC_BEST_QUALITY: measured in tests/io/resample.test.ts (passband, aliasing, length).
import lsr from '@alexanderolsen/libsamplerate-js';

const { create, ConverterType } = lsr;

/** Frames of output for `frames` of input: what libsamplerate gives, and what a render expects. */
export const resampledLength = (frames: number, from: number, to: number) => Math.round((frames * to) / from);

/** `channels` at rate `from` converted to rate `to` (each channel on its own, the same length). */
export async function resample(channels: readonly Float32Array[], from: number, to: number): Promise<Float32Array[]> {
  if (from === to) return channels.map((c) => c.slice());
  const out: Float32Array[] = [];
  const length = resampledLength(channels[0]?.length ?? 0, from, to);
  for (const channel of channels) {
    const src = await create(1, from, to, { converterType: ConverterType.SRC_SINC_BEST_QUALITY });
    try {
      const y = src.simple(channel);
      // libsamplerate rounds the same way; pad or trim the odd frame so every channel matches the rule.
      const fixed = new Float32Array(length);
      fixed.set(y.subarray(0, length));
      out.push(fixed);
    } finally {
      src.destroy();
    }
  }
  return out;
}
