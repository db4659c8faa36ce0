// WAV files: encoding the rendered mix (reading: wav-read.ts).
//
// Layout choices (what ffmpeg, libsndfile, browsers and node-web-audio-api all read):
// - 16 and 24 bit: plain WAVE_FORMAT_PCM (tag 1), 16-byte fmt chunk. WAVE_FORMAT_EXTENSIBLE is only
//   required for more than two channels, and some browser decoders handle it less well.
// - 32-bit float: plain WAVE_FORMAT_IEEE_FLOAT (tag 3), 18-byte fmt chunk (cbSize 0) and the `fact`
//   chunk (frame count) the RIFF spec asks of every non-PCM format.
// Integer scaling is x * 2^(bits-1), clipped to [-2^(bits-1), 2^(bits-1) - 1]; decoding divides by
// 2^(bits-1), the same convention as Web Audio's decoders, so a round trip is exact below full scale.
// - Past 4 GiB: RF64 (EBU Tech 3306), which wav-read.ts reads; up to 4 GiB nothing changes.
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

/** What a WAV file will hold: enough to lay out its header before the samples exist. */
export interface WavLayout {
  channels: number;
  sampleRate: number;
  format: WavFormat;
  frames: number;
  /** Bytes of chunks after the data (metadata). */
  extraBytes?: number;
}

export const bytesPerSample = (format: WavFormat): number => (format === '16' ? 2 : format === '24' ? 3 : 4);

/** The header's size and container for a layout: RF64 (EBU Tech 3306) once the RIFF size field cannot hold the file. */
export function wavHeaderSize(layout: WavLayout): { bytes: number; rf64: boolean; dataBytes: number } {
  const float = layout.format === '32f';
  const dataBytes = layout.frames * layout.channels * bytesPerSample(layout.format);
  const riffHeader = 12 + (8 + (float ? 18 : 16)) + (float ? 12 : 0) + 8;
  const riffSize = riffHeader - 8 + dataBytes + (dataBytes & 1) + (layout.extraBytes ?? 0);
  const rf64 = riffSize > MAX_RIFF_BYTES;
  return { bytes: riffHeader + (rf64 ? 8 + DS64_BYTES : 0), rf64, dataBytes };
}

/** ds64: RIFF size, data size and sample count as 64-bit numbers, and an empty table. */
const DS64_BYTES = 28;

/**
 * The header of a WAV file (everything before the first sample). Up to 4 GiB a plain RIFF file;
 * beyond, RF64 as EBU Tech 3306 gives it: "RF64" and 0xFFFFFFFF where the RIFF size was, a ds64
 * chunk with the real 64-bit sizes, and 0xFFFFFFFF as the data chunk's size.
 */
export function wavHeader(layout: WavLayout): Uint8Array {
  const { channels, sampleRate, format, frames } = layout;
  if (channels < 1 || channels > 8) throw new RangeError(`a WAV file here has 1 to 8 channels, not ${channels}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`sample rate must be a positive integer, not ${sampleRate}`);
  if (!WAV_FORMATS.includes(format)) throw new RangeError(`unknown WAV format ${JSON.stringify(format)}; use 16, 24 or 32f`);
  if (!Number.isSafeInteger(frames) || frames < 0) throw new RangeError(`frames must be a whole number, not ${frames}`);
  const float = format === '32f';
  const bytes = bytesPerSample(format);
  const blockAlign = channels * bytes;
  const { bytes: headerBytes, rf64, dataBytes } = wavHeaderSize(layout);
  const fileBytes = headerBytes + dataBytes + (dataBytes & 1) + (layout.extraBytes ?? 0);
  const out = new Uint8Array(headerBytes);
  const view = new DataView(out.buffer);
  let p = 0;
  const tag = (s: string) => {
    for (let i = 0; i < 4; i++) out[p++] = s.charCodeAt(i);
  };
  const u32 = (v: number) => {
    view.setUint32(p, v, true);
    p += 4;
  };
  const u64 = (v: number) => {
    view.setUint32(p, v % 2 ** 32, true);
    view.setUint32(p + 4, Math.floor(v / 2 ** 32), true);
    p += 8;
  };
  const u16 = (v: number) => {
    view.setUint16(p, v, true);
    p += 2;
  };
  tag(rf64 ? 'RF64' : 'RIFF');
  u32(rf64 ? 0xffffffff : fileBytes - 8);
  tag('WAVE');
  if (rf64) {
    tag('ds64');
    u32(DS64_BYTES);
    u64(fileBytes - 8);
    u64(dataBytes);
    u64(frames);
    u32(0); // no table of other chunk sizes: only the data chunk is large
  }
  tag('fmt ');
  u32(float ? 18 : 16);
  u16(float ? FORMAT_FLOAT : FORMAT_PCM);
  u16(channels);
  u32(sampleRate);
  u32(sampleRate * blockAlign);
  u16(blockAlign);
  u16(bytes * 8);
  if (float) {
    u16(0); // cbSize
    tag('fact');
    u32(4);
    u32(Math.min(frames, 0xffffffff)); // RF64 keeps the real count in ds64
  }
  tag('data');
  u32(rf64 ? 0xffffffff : dataBytes);
  return out;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Turns float samples into a WAV file's sample bytes, block after block: the dither's random
 * sequence continues from one call to the next, so a file encoded in pieces is byte for byte the
 * file encoded at once. 16-bit gets TPDF dither of ±1 LSB (triangular, the difference of two
 * uniform variables) before rounding; 16 and 24 bit clip at full scale. Non-finite samples are
 * written as silence.
 */
export class SampleEncoder {
  readonly bytesPerFrame: number;
  private readonly random: () => number;
  private readonly dither: boolean;
  private floats = new Float32Array(0);

  constructor(
    readonly format: WavFormat,
    readonly channels: number,
    options: { dither?: boolean; seed?: number } = {},
  ) {
    this.bytesPerFrame = channels * bytesPerSample(format);
    this.dither = format === '16' && options.dither !== false;
    this.random = seededRandom(options.seed ?? DITHER_SEED);
  }

  /** Frames [from, from + frames) of `data` (one array per channel), interleaved into `out` at byte `at`; returns the bytes written. */
  encode(data: readonly Float32Array[], from: number, frames: number, out: Uint8Array, at = 0): number {
    const numChannels = this.channels;
    let p = at;
    if (this.format === '32f') {
      const count = frames * numChannels;
      if (littleEndian && (out.byteOffset + at) % 4 === 0) {
        const f = new Float32Array(out.buffer, out.byteOffset + at, count);
        interleaveFloats(data, from, frames, numChannels, f);
      } else {
        if (this.floats.length < count) this.floats = new Float32Array(count);
        interleaveFloats(data, from, frames, numChannels, this.floats);
        out.set(new Uint8Array(this.floats.buffer, 0, count * 4), at);
        if (!littleEndian) {
          const view = new DataView(out.buffer, out.byteOffset + at, count * 4);
          for (let i = 0; i < count; i++) view.setFloat32(i * 4, this.floats[i], true);
        }
      }
      return count * 4;
    }
    const two = this.format === '16';
    const scale = two ? 32768 : 8388608;
    const lo = -scale;
    const hi = scale - 1;
    const dither = this.dither;
    const random = this.random;
    if (!dither && numChannels <= 2) return encodeUndithered(data, from, frames, numChannels, two, out, at);
    for (let i = from, end = from + frames; i < end; i++) {
      for (let c = 0; c < numChannels; c++) {
        const x = data[c][i];
        let v = x - x === 0 ? x * scale : 0;
        if (dither) v += random() - random();
        let q = Math.round(v);
        if (q < lo) q = lo;
        else if (q > hi) q = hi;
        out[p++] = q & 0xff;
        out[p++] = (q >> 8) & 0xff;
        if (!two) out[p++] = (q >> 16) & 0xff;
      }
    }
    return p - at;
  }
}

/**
 * The undithered integer formats (24-bit, and 16-bit without dither), mono or stereo: the loop of
 * SampleEncoder.encode without the channel loop inside it (a render's output is stereo 24-bit).
 * The same bytes: round to nearest (Math.round), clip, little-endian.
 */
function encodeUndithered(data: readonly Float32Array[], from: number, frames: number, numChannels: number, two: boolean, out: Uint8Array, at: number): number {
  const scale = two ? 32768 : 8388608;
  const lo = -scale;
  const hi = scale - 1;
  const left = data[0];
  const right = numChannels > 1 ? data[1] : data[0];
  let p = at;
  for (let i = from, end = from + frames; i < end; i++) {
    const x = left[i];
    let q = x - x === 0 ? Math.round(x * scale) : 0;
    q = q < lo ? lo : q > hi ? hi : q;
    out[p] = q;
    out[p + 1] = q >> 8;
    if (two) p += 2;
    else {
      out[p + 2] = q >> 16;
      p += 3;
    }
    if (numChannels === 1) continue;
    const y = right[i];
    let r = y - y === 0 ? Math.round(y * scale) : 0;
    r = r < lo ? lo : r > hi ? hi : r;
    out[p] = r;
    out[p + 1] = r >> 8;
    if (two) p += 2;
    else {
      out[p + 2] = r >> 16;
      p += 3;
    }
  }
  return p - at;
}

function interleaveFloats(data: readonly Float32Array[], from: number, frames: number, numChannels: number, out: Float32Array): void {
  for (let c = 0; c < numChannels; c++) {
    const x = data[c];
    for (let i = 0, k = c; i < frames; i++, k += numChannels) {
      const v = x[from + i];
      out[k] = v - v === 0 ? v : 0; // NaN and ±Infinity as silence
    }
  }
}

/**
 * Interleave and encode `channels` (equal lengths, -1..1 full scale) as a WAV file held in memory
 * (see SampleEncoder; src/io/wav-stream.ts writes the same bytes to a file block by block).
 */
export function encodeWav(channels: Float32Array[], sampleRate: number, format: WavFormat, options: EncodeOptions = {}): Uint8Array {
  if (channels.length < 1 || channels.length > 8) throw new RangeError(`a WAV file here has 1 to 8 channels, not ${channels.length}`);
  const frames = channels[0].length;
  for (const c of channels) if (c.length !== frames) throw new RangeError('every channel must have the same length');
  const extra = options.metadata ? metadataChunks(options.metadata) : new Uint8Array(0);
  const layout: WavLayout = { channels: channels.length, sampleRate, format, frames, extraBytes: extra.length };
  const header = wavHeader(layout);
  const { dataBytes } = wavHeaderSize(layout);
  if (header.length + dataBytes + extra.length > MAX_RIFF_BYTES) throw new RangeError(`${frames} frames are too many for a WAV file in memory (4 GiB); write it in pieces (src/io/wav-stream.ts)`);
  const padded = dataBytes + (dataBytes & 1); // chunks are word-aligned
  const out = new Uint8Array(header.length + padded + extra.length);
  out.set(header, 0);
  new SampleEncoder(format, channels.length, options).encode(channels, 0, frames, out, header.length);
  out.set(extra, header.length + padded);
  return out;
}
