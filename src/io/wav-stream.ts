// Writing a WAV file block by block (Node): the render's blocks go to the file as they are made, so
// memory does not grow with the length of the session. The bytes are those encodeWav() gives for
// the same samples (one SampleEncoder, the dither's sequence carried from block to block), the
// header is written last, at the start of the file, and past 4 GiB the file is RF64 (EBU Tech 3306).
import type { FileHandle } from 'node:fs/promises';

import { metadataChunks, type WavMetadataInput } from './metadata.ts';
import { SampleEncoder, wavHeader, wavHeaderSize, type WavFormat, type WavLayout } from './wav.ts';

export interface WavStreamSetup {
  channels: number;
  sampleRate: number;
  format: WavFormat;
  /** Frames the file will hold: known before the render, so the container (RIFF or RF64) is too. */
  frames: number;
  metadata?: WavMetadataInput;
  dither?: boolean;
  seed?: number;
}

/** A write to the file failed (the file system's error is the cause): the render itself was fine. */
export class WavWriteError extends Error {
  override name = 'WavWriteError';
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** Bytes of samples encoded per write (about 0.7 s of 24-bit stereo at 48 kHz). */
const CHUNK_BYTES = 1 << 18;

/**
 * A WAV file being written through an open handle (the delivery's exclusive temporary file). Call
 * write() with blocks in order, then finish(). At most one write is in flight while the next block
 * is encoded; its failure is thrown by the next call.
 */
export class WavFileWriter {
  readonly layout: WavLayout;
  readonly headerBytes: number;
  readonly rf64: boolean;
  private readonly encoder: SampleEncoder;
  private readonly extra: Uint8Array;
  private readonly buffers: [Uint8Array, Uint8Array];
  private which = 0;
  private position: number;
  private framesWritten = 0;
  private pending: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly handle: FileHandle,
    setup: WavStreamSetup,
  ) {
    this.extra = setup.metadata ? metadataChunks(setup.metadata) : new Uint8Array(0);
    this.layout = { channels: setup.channels, sampleRate: setup.sampleRate, format: setup.format, frames: setup.frames, extraBytes: this.extra.length };
    wavHeader(this.layout); // checks the layout now, before any work
    const size = wavHeaderSize(this.layout);
    this.headerBytes = size.bytes;
    this.rf64 = size.rf64;
    this.position = size.bytes;
    this.encoder = new SampleEncoder(setup.format, setup.channels, { dither: setup.dither, seed: setup.seed });
    const frame = this.encoder.bytesPerFrame;
    const bytes = Math.max(frame, Math.floor(CHUNK_BYTES / frame) * frame);
    this.buffers = [new Uint8Array(bytes), new Uint8Array(bytes)];
  }

  get frames(): number {
    return this.framesWritten;
  }

  /** Frames [from, from + frames) of `data` (one array per channel), after everything written so far. */
  async write(data: readonly Float32Array[], frames: number, from = 0): Promise<void> {
    if (this.framesWritten + frames > this.layout.frames) throw new RangeError(`the WAV file was laid out for ${this.layout.frames} frames; ${this.framesWritten + frames} were written`);
    const perChunk = this.buffers[0].length / this.encoder.bytesPerFrame;
    for (let done = 0; done < frames; ) {
      const n = Math.min(perChunk, frames - done);
      const buffer = this.buffers[this.which];
      this.which ^= 1;
      const bytes = this.encoder.encode(data, from + done, n, buffer, 0);
      await this.settle();
      this.pending = this.put(buffer.subarray(0, bytes), this.position);
      this.position += bytes;
      done += n;
    }
    this.framesWritten += frames;
  }

  /** The pad byte, the metadata chunks and the header; the handle stays open (the delivery closes it). */
  async finish(): Promise<void> {
    await this.settle();
    if (this.framesWritten !== this.layout.frames) throw new RangeError(`the WAV file was laid out for ${this.layout.frames} frames; ${this.framesWritten} were written`);
    const { dataBytes } = wavHeaderSize(this.layout);
    const tail = new Uint8Array((dataBytes & 1) + this.extra.length);
    tail.set(this.extra, dataBytes & 1);
    if (tail.length) await this.put(tail, this.position);
    await this.put(wavHeader(this.layout), 0);
    if (this.failure) throw this.failure;
  }

  private async settle(): Promise<void> {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      await p;
    }
    if (this.failure) throw this.failure;
  }

  private put(bytes: Uint8Array, position: number): Promise<void> {
    const run = async () => {
      for (let at = 0; at < bytes.length; ) {
        const { bytesWritten } = await this.handle.write(bytes, at, bytes.length - at, position + at);
        if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
        at += bytesWritten;
      }
    };
    // A failure is kept and thrown by the next write() or finish(), never left unhandled.
    return run().catch((err) => {
      this.failure ??= new WavWriteError(err);
    });
  }
}
