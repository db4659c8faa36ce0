// WAV files: encoding the rendered mix (reading: wav-read.ts).
//
// Layout choices (what ffmpeg, libsndfile, browsers and node-web-audio-api all read):
// - 16 and 24 bit: plain WAVE_FORMAT_PCM (tag 1), 16-byte fmt chunk. WAVE_FORMAT_EXTENSIBLE is only
//   required for more than two channels, and some browser decoders handle it less well.
// - 32-bit float: plain WAVE_FORMAT_IEEE_FLOAT (tag 3), 18-byte fmt chunk (cbSize 0) and the `fact`
//   chunk (frame count) the RIFF spec asks of every non-PCM format.
// Integer scaling is x * 2^(bits-1), clipped to [-2^(bits-1), 2^(bits-1) - 1]; decoding divides by
// 2^(bits-1), the same convention as Web Audio's decoders, so a round trip is exact below full scale.
// - Metadata (options.metadata): CSET, LIST/INFO and id3 chunks after `data`; src/io/metadata.ts says why.
//   Without metadata the file is byte for byte what it was before (the 44-byte header for 16/24 bit).

import { seededRandom } from '../dsp/random.ts';
import { metadataChunks, type WavMetadataInput } from './metadata.ts';

export { readWavMetadata, type WavMetadata, type WavMetadataInput } from './metadata.ts';
// Reading lives in wav-read.ts (one strict parser for every command and the editor).
export { decodeWav, parseWav, wavChunks, type DecodedWav, type RiffChunk, type WavInfo } from './wav-read.ts';

export type WavFormat = '16' | '24' | '32f';
export const WAV_FORMATS: readonly WavFormat[] = ['16', '24', '32f'];

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const MAX_RIFF_BYTES = 0xffffffff;


export const DITHER_SEED = 0x6d697867; // "mixg"

export interface EncodeOptions {
  /** TPDF dither for 16-bit (default true). */
  dither?: boolean;
  seed?: number;
  /** Title, artist, album, ISRC...: written as LIST/INFO and ID3v2.3 chunks. Throws RangeError on a bad ISRC, date or track. */
  metadata?: WavMetadataInput;
}

/**
 * Interleave and encode `channels` (equal lengths, -1..1 full scale) as a WAV file.
 * 16-bit gets TPDF dither of ±1 LSB (triangular, the difference of two uniform variables) before
 * rounding; 16 and 24 bit clip at full scale. Non-finite samples are written as silence.
 */
export function encodeWav(channels: Float32Array[], sampleRate: number, format: WavFormat, options: EncodeOptions = {}): Uint8Array {
  if (channels.length < 1 || channels.length > 8) throw new RangeError(`a WAV file here has 1 to 8 channels, not ${channels.length}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`sample rate must be a positive integer, not ${sampleRate}`);
  if (!WAV_FORMATS.includes(format)) throw new RangeError(`unknown WAV format ${JSON.stringify(format)}; use 16, 24 or 32f`);
  const frames = channels[0].length;
  for (const c of channels) if (c.length !== frames) throw new RangeError('every channel must have the same length');

  const numChannels = channels.length;
  const float = format === '32f';
  const bytesPerSample = format === '16' ? 2 : format === '24' ? 3 : 4;
  const blockAlign = numChannels * bytesPerSample;
  const dataBytes = frames * blockAlign;
  const fmtBytes = float ? 18 : 16;
  const factBytes = float ? 12 : 0;
  const headerBytes = 12 + (8 + fmtBytes) + factBytes + 8;
  const padded = dataBytes + (dataBytes & 1); // chunks are word-aligned
  const extra = options.metadata ? metadataChunks(options.metadata) : new Uint8Array(0);
  if (headerBytes - 8 + padded + extra.length > MAX_RIFF_BYTES) throw new RangeError(`${frames} frames are too many for a WAV file (4 GiB limit)`);

  const out = new Uint8Array(headerBytes + padded + extra.length);
  out.set(extra, headerBytes + padded);
  const view = new DataView(out.buffer);
  let p = 0;
  const tag = (s: string) => {
    for (let i = 0; i < 4; i++) out[p++] = s.charCodeAt(i);
  };
  const u32 = (v: number) => {
    view.setUint32(p, v, true);
    p += 4;
  };
  const u16 = (v: number) => {
    view.setUint16(p, v, true);
    p += 2;
  };
  tag('RIFF');
  u32(headerBytes - 8 + padded + extra.length);
  tag('WAVE');
  tag('fmt ');
  u32(fmtBytes);
  u16(float ? FORMAT_FLOAT : FORMAT_PCM);
  u16(numChannels);
  u32(sampleRate);
  u32(sampleRate * blockAlign);
  u16(blockAlign);
  u16(bytesPerSample * 8);
  if (float) {
    u16(0); // cbSize
    tag('fact');
    u32(4);
    u32(frames);
  }
  tag('data');
  u32(dataBytes);

  if (float) {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < numChannels; c++) {
        const x = channels[c][i];
        view.setFloat32(p, Number.isFinite(x) ? x : 0, true);
        p += 4;
      }
    }
    return out;
  }

  const bits = bytesPerSample * 8;
  const scale = 2 ** (bits - 1);
  const lo = -scale;
  const hi = scale - 1;
  const dither = format === '16' && options.dither !== false;
  const random = seededRandom(options.seed ?? DITHER_SEED);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < numChannels; c++) {
      const x = channels[c][i];
      let v = Number.isFinite(x) ? x * scale : 0;
      if (dither) v += random() - random();
      let q = Math.round(v);
      if (q < lo) q = lo;
      else if (q > hi) q = hi;
      if (bytesPerSample === 2) {
        view.setInt16(p, q, true);
        p += 2;
      } else {
        out[p++] = q & 0xff;
        out[p++] = (q >> 8) & 0xff;
        out[p++] = (q >> 16) & 0xff;
      }
    }
  }
  return out;
}
