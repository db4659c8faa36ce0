// WAV files streamed from disk (Node): a track reads its file block by block through SourceAudio,
// so a render's memory does not grow with the length of its sources. The file is opened once and
// checked open (src/io/files.ts: a regular file, never a FIFO or a device), its header parsed by
// the one WAV parser (src/io/wav-read.ts, the same words for the same faults), and its samples read
// with positioned reads on that descriptor, so a path swapped after the check changes nothing. The
// descriptor is process-wide: render workers (worker_threads) read the same open file.
import { readSync } from 'node:fs';

import type { SourceAudio } from '../../nodes/define.ts';
import { AudioFormatError } from './audio-limits.ts';
import { InputRefused, openRegularFile, type OpenedFile } from './files.ts';
import type { StreamResampler } from './resample.ts';
import { decodeFrames, isWav, parseWavFrom, type WavInfo } from './wav-read.ts';

/** Streamed files have no size limit of their own (RF64 goes past 4 GiB); memory stays a block per reader. */
export const STREAM_LIMIT = Number.MAX_SAFE_INTEGER;

/** Frames decoded per read from the file (about 0.17 s at 48 kHz). */
const WINDOW_FRAMES = 8192;

/** An open WAV file: its descriptor, its parsed header and what is odd about it (a file cut short). */
export interface OpenWav {
  file: OpenedFile;
  fd: number;
  info: WavInfo;
  warnings: string[];
}

/** Bytes [position, position + length) of an open file (fewer at its end), into `into` when it is big enough. */
export function readAt(fd: number, position: number, length: number, into?: Uint8Array): Uint8Array {
  const bytes = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, bytes, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === length ? bytes : bytes.subarray(0, filled);
}

/**
 * Open `path` and, when it is a WAV file, parse its header (throwing AudioFormatError for a WAV
 * file Mixgraph refuses). Returns null for any other format, with nothing left open: the caller
 * reads that file whole. Throws InputRefused for what cannot be read at all.
 */
export async function openWav(path: string): Promise<OpenWav | null> {
  const file = await openRegularFile(path, STREAM_LIMIT);
  try {
    const fd = file.handle.fd;
    const read = (position: number, length: number) => readAt(fd, position, length);
    if (!isWav(read(0, 12))) {
      await file.handle.close();
      return null;
    }
    const warnings: string[] = [];
    const info = parseWavFrom(read, file.size, warnings);
    return { file, fd, info, warnings };
  } catch (err) {
    await file.handle.close().catch(() => {});
    if (err instanceof AudioFormatError || err instanceof InputRefused) throw err;
    throw new InputRefused((err as Error).message);
  }
}

/**
 * Count the NaN and infinite samples of a float WAV file, reading it in pieces (PCM cannot hold
 * any). The whole-file reader refuses such files before any work; so does the streamed one.
 */
export function countNonFinite(fd: number, info: WavInfo): { count: number; first: number } {
  if (info.encoding !== 'float') return { count: 0, first: -1 };
  const frames = 65536;
  const out = Array.from({ length: info.channels }, () => new Float32Array(frames));
  let count = 0;
  let first = -1;
  for (let at = 0; at < info.frames; at += frames) {
    const n = Math.min(frames, info.frames - at);
    const bytes = readAt(fd, info.dataStart + at * info.blockAlign, n * info.blockAlign);
    const got = Math.floor(bytes.length / info.blockAlign);
    const r = decodeFrames(info, bytes, got, out);
    if (r.nonFinite && first < 0) first = at + r.firstNonFinite;
    count += r.nonFinite;
    if (got < n) break;
  }
  return { count, first };
}

/** Thrown when a streamed file changes under a render (it became shorter). */
export class SourceChanged extends Error {
  override name = 'SourceChanged';
}

/**
 * The samples of an open WAV file as SourceAudio, at the file's own rate. Any frame can be read at
 * any time; reads in order cost one positioned read per WINDOW_FRAMES frames.
 */
export class WavFileSource implements SourceAudio {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  private readonly window: Float32Array[];
  private readonly bytes: Uint8Array;
  private windowStart = 0;
  private windowFrames = 0;

  constructor(
    private readonly fd: number,
    private readonly info: WavInfo,
    /** The source's name in messages. */
    private readonly name = 'the file',
  ) {
    this.sampleRate = info.sampleRate;
    this.channels = info.channels;
    this.frames = info.frames;
    this.window = Array.from({ length: info.channels }, () => new Float32Array(WINDOW_FRAMES));
    this.bytes = new Uint8Array(WINDOW_FRAMES * info.blockAlign);
  }

  read(start: number, count: number, out: readonly Float32Array[]): void {
    for (let done = 0; done < count; ) {
      const at = start + done;
      if (at < this.windowStart || at >= this.windowStart + this.windowFrames) this.fill(at);
      const offset = at - this.windowStart;
      const n = Math.min(count - done, this.windowFrames - offset);
      for (let c = 0; c < this.channels && c < out.length; c++) {
        const w = this.window[c];
        const o = out[c];
        for (let i = 0; i < n; i++) o[done + i] = w[offset + i];
      }
      done += n;
    }
  }

  private fill(at: number): void {
    const { info } = this;
    const want = Math.min(WINDOW_FRAMES, info.frames - at);
    if (want <= 0) throw new RangeError(`frame ${at} is past the end of the file (${info.frames} frames)`);
    const bytes = readAt(this.fd, info.dataStart + at * info.blockAlign, want * info.blockAlign, this.bytes);
    const got = Math.floor(bytes.length / info.blockAlign);
    if (got < want) throw new SourceChanged(`${this.name} became shorter while it was read (${((at + got) / info.sampleRate).toFixed(3)} s of its ${(info.frames / info.sampleRate).toFixed(3)} s are left)`);
    decodeFrames(info, bytes, got, this.window);
    this.windowStart = at;
    this.windowFrames = got;
  }
}

/**
 * A source converted to another rate while it streams: libsamplerate's streaming API, one converter
 * per channel (the same pieces and the same flush as resample() of the whole file, so the same
 * samples). Reads go forward only (a render reads each frame once, in order); a read that skips
 * ahead converts and drops what lies between. Memory: a tenth of a second per channel.
 */
export class ResampledSource implements SourceAudio {
  readonly channels: number;
  readonly frames: number;
  private readonly input: Float32Array[];
  private readonly pending: Float32Array[];
  private pendingStart = 0;
  private pendingFrames = 0;
  /** Output frames produced so far (pending holds the last of them). */
  private produced = 0;
  private inputAt = 0;

  private constructor(
    private readonly inner: SourceAudio,
    readonly sampleRate: number,
    private readonly converters: StreamResampler[],
  ) {
    this.channels = inner.channels;
    this.frames = Math.round((inner.frames * sampleRate) / inner.sampleRate); // resample.ts resampledLength
    const piece = converters[0].piece;
    this.input = Array.from({ length: this.channels }, () => new Float32Array(piece));
    this.pending = Array.from({ length: this.channels }, () => new Float32Array(Math.ceil((piece * sampleRate) / inner.sampleRate) + 16));
  }

  static async create(inner: SourceAudio, sampleRate: number): Promise<ResampledSource> {
    // Loaded on first use: libsamplerate's WebAssembly is parsed only by renders that convert.
    const { StreamResampler } = await import('./resample.ts');
    const converters: StreamResampler[] = [];
    for (let c = 0; c < inner.channels; c++) converters.push(await StreamResampler.create(inner.sampleRate, sampleRate));
    return new ResampledSource(inner, sampleRate, converters);
  }

  read(start: number, count: number, out: readonly Float32Array[]): void {
    if (start < this.pendingStart) throw new RangeError(`a resampled stream reads forward only: frame ${start} was asked after frame ${this.pendingStart}`);
    for (let done = 0; done < count; ) {
      const at = start + done;
      while (at >= this.pendingStart + this.pendingFrames) this.convert();
      const offset = at - this.pendingStart;
      const n = Math.min(count - done, this.pendingFrames - offset);
      for (let c = 0; c < this.channels && c < out.length; c++) {
        const p = this.pending[c];
        const o = out[c];
        for (let i = 0; i < n; i++) o[done + i] = p[offset + i];
      }
      done += n;
    }
  }

  /** The next piece of output from the next piece of input (silence after its end). */
  private convert(): void {
    const piece = this.converters[0].piece;
    const n = Math.min(piece, this.inner.frames - this.inputAt);
    if (n > 0) this.inner.read(this.inputAt, n, this.input);
    this.inputAt += Math.max(0, n);
    let made = 0;
    for (let c = 0; c < this.channels; c++) {
      const y = n > 0 ? this.converters[c].push(this.input[c].subarray(0, n)) : this.converters[c].flush();
      this.pending[c].set(y);
      made = y.length;
    }
    this.pendingStart = this.produced;
    this.pendingFrames = made;
    this.produced += made;
    if (made === 0 && n <= 0) throw new Error('the resampler gave no output after the end of its input');
  }

  destroy(): void {
    for (const c of this.converters) c.destroy();
  }
}
