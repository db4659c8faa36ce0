// Reading WAV files: one strict parser for every command and the editor, so they all accept and refuse
// the same files with the same words. Files come from strangers: every size in a header is checked
// against the bytes that are really there, nothing is allocated from what a header claims, and every
// loop advances (a hostile file can make the parser refuse, never hang or throw anything else).
//
// The parser reads through `read(position, length)`, so the same code parses a file held in memory
// and one read from disk piece by piece (only the header's chunks are read to find the data).

import { AudioFormatError, MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio-limits.ts';

export type WavEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface WavInfo {
  container: 'RIFF' | 'RF64';
  encoding: WavEncoding;
  /** Bytes per sample in the file (1, 2, 3, 4 or 8). */
  bytesPerSample: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  /** Byte offset of the first sample. */
  dataStart: number;
  /** Whole frames that are in the file. */
  frames: number;
  /** Frames the header promises (more than `frames` when the file is cut short). */
  declaredFrames: number;
  /** '16', '24', '32f'...: the short name of the sample format. */
  format: string;
}

/** A RIFF chunk: its id, where its data starts, and its size as stated (a truncated file may hold less). */
export interface RiffChunk {
  id: string;
  start: number;
  size: number;
}

type Reader = (position: number, length: number) => Uint8Array;

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;
/** A header walk gives up after this many chunks: real files have a handful. */
const MAX_CHUNKS = 4096;

const text4 = (b: Uint8Array, at = 0) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
/** A little-endian 64-bit size (RF64); above 2^53 it is no size any real file has. */
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 2 ** 32;

/** Whether `bytes` start like a WAV file (RIFF or RF64 with WAVE). */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && (text4(bytes) === 'RIFF' || text4(bytes) === 'RF64') && text4(bytes, 8) === 'WAVE';
}

/**
 * The chunks of a RIFF/WAVE file in order (at most MAX_CHUNKS), or null when it is not one. Sizes are
 * as stated; for RF64 the data chunk's size comes from the ds64 chunk.
 */
export function wavChunksFrom(read: Reader, fileSize: number): RiffChunk[] | null {
  const head = read(0, 12);
  if (head.length < 12 || !isWav(head)) return null;
  const rf64 = text4(head) === 'RF64';
  const chunks: RiffChunk[] = [];
  let ds64Data: number | null = null;
  for (let p = 12; p + 8 <= fileSize && chunks.length < MAX_CHUNKS; ) {
    const h = read(p, 8);
    if (h.length < 8) break;
    const id = text4(h);
    let size = u32(h, 4);
    if (rf64 && id === 'ds64' && p + 8 + 16 <= fileSize) ds64Data = u64(read(p + 8, 16), 8);
    if (rf64 && id === 'data' && size === 0xffffffff && ds64Data !== null) size = ds64Data;
    chunks.push({ id, start: p + 8, size });
    // Chunks are word-aligned; a size past the end ends the walk on the next test.
    p += 8 + size + (size & 1);
  }
  return chunks;
}

/** The chunks of a WAV file in memory (see wavChunksFrom). */
export function wavChunks(bytes: Uint8Array): RiffChunk[] | null {
  return wavChunksFrom((at, n) => bytes.subarray(at, at + n), bytes.length);
}

function formatName(encoding: WavEncoding, bytes: number): string {
  if (encoding === 'float') return `${bytes * 8}f`;
  if (encoding === 'alaw' || encoding === 'mulaw') return encoding;
  return String(bytes * 8);
}

/**
 * Parse and check a WAV header. Throws AudioFormatError saying what is wrong (in words that do not
 * repeat the file name: callers add it). `warnings` collects what is odd but readable (a file cut short).
 */
export function parseWavFrom(read: Reader, fileSize: number, warnings: string[] = []): WavInfo {
  const chunks = wavChunksFrom(read, fileSize);
  if (!chunks) throw new AudioFormatError('not a WAV file (no RIFF/WAVE header)');
  const container = text4(read(0, 4)) === 'RF64' ? 'RF64' : 'RIFF';
  const fmtChunk = chunks.find((c) => c.id === 'fmt ');
  const dataChunk = chunks.find((c) => c.id === 'data');
  if (!fmtChunk) throw new AudioFormatError(chunks.length >= MAX_CHUNKS ? `more than ${MAX_CHUNKS} chunks before the audio; not a WAV file Mixgraph reads` : 'the WAV file has no fmt chunk (its format description)');
  if (fmtChunk.size < 16) throw new AudioFormatError(`the WAV fmt chunk is ${fmtChunk.size} bytes; it must be at least 16`);
  if (fmtChunk.start + fmtChunk.size > fileSize) throw new AudioFormatError('the WAV fmt chunk is cut short (the file ends inside it)');
  const fmt = read(fmtChunk.start, Math.min(fmtChunk.size, 40));
  let tag = u16(fmt, 0);
  const channels = u16(fmt, 2);
  const sampleRate = u32(fmt, 4);
  const blockAlign = u16(fmt, 12);
  const bits = u16(fmt, 14);
  if (tag === FORMAT_EXTENSIBLE) {
    if (fmtChunk.size < 40) throw new AudioFormatError(`the WAV fmt chunk says WAVE_FORMAT_EXTENSIBLE but is ${fmtChunk.size} bytes, not 40`);
    tag = u16(fmt, 24); // the first two bytes of the SubFormat GUID
  }
  const encoding: WavEncoding | null = tag === FORMAT_PCM ? 'pcm' : tag === FORMAT_FLOAT ? 'float' : tag === FORMAT_ALAW ? 'alaw' : tag === FORMAT_MULAW ? 'mulaw' : null;
  if (!encoding) throw new AudioFormatError(`unsupported WAV encoding (format tag ${tag}); Mixgraph reads PCM (8 to 32 bit), float (32 and 64 bit), A-law and µ-law`);
  if (channels < 1 || channels > MAX_CHANNELS) throw new AudioFormatError(`the WAV header says ${channels} channels; Mixgraph reads 1 to ${MAX_CHANNELS}`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) throw new AudioFormatError(`the WAV header says ${sampleRate} Hz; Mixgraph reads ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz`);
  if (blockAlign === 0 || blockAlign % channels !== 0) throw new AudioFormatError(`the WAV block alignment (${blockAlign} bytes) does not fit ${channels} channels`);
  const bytesPerSample = blockAlign / channels;
  const valid =
    encoding === 'pcm' ? bytesPerSample >= 1 && bytesPerSample <= 4 && bits >= 1 && bits <= bytesPerSample * 8 : encoding === 'float' ? (bytesPerSample === 4 && bits === 32) || (bytesPerSample === 8 && bits === 64) : bytesPerSample === 1 && bits === 8;
  if (!valid) throw new AudioFormatError(`the WAV header's ${bits}-bit ${encoding === 'pcm' ? 'PCM' : encoding} samples do not fit its block alignment of ${blockAlign} bytes for ${channels} channels`);
  if (!dataChunk) throw new AudioFormatError('the WAV file has no data chunk (no audio)');
  const available = Math.max(0, Math.min(dataChunk.size, fileSize - dataChunk.start));
  const frames = Math.floor(available / blockAlign);
  const declaredFrames = Math.floor(dataChunk.size / blockAlign);
  if (frames === 0) throw new AudioFormatError(dataChunk.size === 0 ? 'it holds no audio (the data chunk is empty)' : 'it holds no audio (the file ends where the data should start)');
  if (declaredFrames > frames && dataChunk.size !== 0xffffffff) {
    warnings.push(`the file is cut short: its header promises ${(declaredFrames / sampleRate).toFixed(3)} s, it holds ${(frames / sampleRate).toFixed(3)} s (the rest is read as missing)`);
  }
  return { container, encoding, bytesPerSample, channels, sampleRate, blockAlign, dataStart: dataChunk.start, frames, declaredFrames, format: formatName(encoding, bytesPerSample) };
}

export function parseWav(bytes: Uint8Array, warnings?: string[]): WavInfo {
  return parseWavFrom((at, n) => bytes.subarray(at, at + n), bytes.length, warnings);
}

const ALAW = new Float32Array(256);
const MULAW = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  // G.711, as in the ITU reference: A-law toggles even bits; µ-law is inverted and biased by 0x84.
  const a = i ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  t = seg === 0 ? t + 8 : ((t + 0x108) << (seg - 1));
  ALAW[i] = (a & 0x80 ? t : -t) / 32768;
  const u = ~i & 0xff;
  let m = ((u & 0x0f) << 3) + 0x84;
  m <<= (u & 0x70) >> 4;
  MULAW[i] = (u & 0x80 ? 0x84 - m : m - 0x84) / 32768;
}

/**
 * Decode `count` frames from frame `first` of the data whose bytes are `data` (starting at that frame),
 * into `out[c]` from `at`. Returns how many samples were not finite (NaN or infinite floats, written as 0).
 */
export function decodeFrames(info: WavInfo, data: Uint8Array, count: number, out: Float32Array[], at = 0): { nonFinite: number; firstNonFinite: number } {
  const { channels, bytesPerSample, encoding } = info;
  const stride = channels * bytesPerSample;
  let nonFinite = 0;
  let firstNonFinite = -1;
  // One loop per sample format and channel: the format is decided once, not per sample (this is
  // the inner loop of every streamed track and of analyze).
  for (let c = 0; c < channels; c++) {
    const o = out[c];
    let p = c * bytesPerSample;
    if (encoding === 'pcm' && bytesPerSample === 3) {
      for (let i = 0; i < count; i++, p += stride) o[at + i] = (((data[p] | (data[p + 1] << 8) | (data[p + 2] << 16)) << 8) >> 8) * 2 ** -23;
    } else if (encoding === 'pcm' && bytesPerSample === 2) {
      for (let i = 0; i < count; i++, p += stride) o[at + i] = (((data[p] | (data[p + 1] << 8)) << 16) >> 16) * 2 ** -15;
    } else if (encoding === 'pcm' && bytesPerSample === 1) {
      for (let i = 0; i < count; i++, p += stride) o[at + i] = (data[p] - 128) * 2 ** -7; // 8-bit WAV is unsigned
    } else if (encoding === 'pcm') {
      for (let i = 0; i < count; i++, p += stride) o[at + i] = (data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24)) * 2 ** -31;
    } else if (encoding === 'float') {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const double = bytesPerSample === 8;
      for (let i = 0; i < count; i++, p += stride) {
        const v = double ? view.getFloat64(p, true) : view.getFloat32(p, true);
        if (v - v !== 0) {
          if (nonFinite++ === 0 || i < firstNonFinite) firstNonFinite = i;
          o[at + i] = 0;
        } else o[at + i] = v;
      }
    } else {
      const table = encoding === 'alaw' ? ALAW : MULAW;
      for (let i = 0; i < count; i++, p += stride) o[at + i] = table[data[p]];
    }
  }
  return { nonFinite, firstNonFinite };
}

export interface DecodedWav {
  sampleRate: number;
  /** '16', '24', '32f', ... (WavInfo.format). */
  format: string;
  channels: Float32Array[];
  info: WavInfo;
  warnings: string[];
  /** Samples that were NaN or infinite in the file (decoded as 0), and the first one's frame. */
  nonFinite: number;
  firstNonFinite: number;
}

/**
 * Decode a whole WAV file held in memory. Allocates only for the frames really in the file: at most
 * 4 bytes of samples per byte of an 8-bit file, 2 per byte of a 16-bit one, and so on.
 */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const warnings: string[] = [];
  const info = parseWav(bytes, warnings);
  const channels = Array.from({ length: info.channels }, () => new Float32Array(info.frames));
  const { nonFinite, firstNonFinite } = decodeFrames(info, bytes.subarray(info.dataStart, info.dataStart + info.frames * info.blockAlign), info.frames, channels);
  return { sampleRate: info.sampleRate, format: info.format, channels, info, warnings, nonFinite, firstNonFinite };
}
