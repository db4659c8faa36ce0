// WAV files: encoding the rendered mix, and decoding PCM/float WAVs without Web Audio (tests, tools).
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

export type WavFormat = '16' | '24' | '32f';
export const WAV_FORMATS: readonly WavFormat[] = ['16', '24', '32f'];

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
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

export interface DecodedWav {
  sampleRate: number;
  format: WavFormat;
  channels: Float32Array[];
}

/** A chunk of a RIFF file: its id, where its data starts, and its size as stated (a truncated file may hold less). */
export interface RiffChunk {
  id: string;
  start: number;
  size: number;
}

/** The chunks of a RIFF/WAVE file in order, or null when `bytes` do not start with a RIFF/WAVE header. */
export function wavChunks(bytes: Uint8Array): RiffChunk[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') return null;
  const chunks: RiffChunk[] = [];
  for (let p = 12; p + 8 <= bytes.length; ) {
    const size = view.getUint32(p + 4, true);
    chunks.push({ id: text(p), start: p + 8, size });
    p += 8 + size + (size & 1); // chunks are word-aligned
  }
  return chunks;
}

/** Decode a 16/24-bit PCM or 32-bit float WAV (plain or WAVE_FORMAT_EXTENSIBLE). Throws on anything else. */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = wavChunks(bytes);
  if (!chunks) throw new Error('not a WAV file (no RIFF/WAVE header)');
  let fmt: { tag: number; channels: number; sampleRate: number; bits: number; blockAlign: number } | null = null;
  let data: { start: number; length: number } | null = null;
  for (const { id, start, size } of chunks) {
    if (id === 'fmt ') {
      if (size < 16 || start + size > bytes.length) throw new Error('WAV fmt chunk is truncated');
      let tag = view.getUint16(start, true);
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40) throw new Error('WAV extensible fmt chunk is truncated');
        tag = view.getUint16(start + 24, true); // first two bytes of the SubFormat GUID
      }
      fmt = {
        tag,
        channels: view.getUint16(start + 2, true),
        sampleRate: view.getUint32(start + 4, true),
        blockAlign: view.getUint16(start + 12, true),
        bits: view.getUint16(start + 14, true),
      };
    } else if (id === 'data') {
      data = { start, length: Math.min(size, bytes.length - start) };
    }
  }
  if (!fmt) throw new Error('WAV file has no fmt chunk');
  if (!data) throw new Error('WAV file has no data chunk');
  let format: WavFormat;
  if (fmt.tag === FORMAT_PCM && fmt.bits === 16) format = '16';
  else if (fmt.tag === FORMAT_PCM && fmt.bits === 24) format = '24';
  else if (fmt.tag === FORMAT_FLOAT && fmt.bits === 32) format = '32f';
  else throw new Error(`unsupported WAV encoding (format tag ${fmt.tag}, ${fmt.bits} bits)`);
  const bytesPerSample = fmt.bits / 8;
  if (fmt.channels < 1 || fmt.blockAlign !== fmt.channels * bytesPerSample) throw new Error('WAV block alignment does not match its channels and bit depth');
  const frames = Math.floor(data.length / fmt.blockAlign);
  const channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
  let p = data.start;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < fmt.channels; c++) {
      let v: number;
      if (format === '16') v = view.getInt16(p, true) / 32768;
      else if (format === '24') v = (((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8) / 8388608;
      else v = view.getFloat32(p, true);
      channels[c][i] = v;
      p += bytesPerSample;
    }
  }
  return { sampleRate: fmt.sampleRate, format, channels };
}
