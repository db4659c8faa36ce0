// Audio that tracks and references play, behind the SourceAudio interface (nodes/define.ts):
// read block by block, so a later phase can stream a file from disk. This is the in-memory one.
import type { SourceAudio } from '../../nodes/define.ts';
import { copyFrames } from '../dsp/buffers.ts';

/** Decoded channels held in memory (all the same length). */
export class MemorySource implements SourceAudio {
  readonly channels: number;
  readonly frames: number;
  constructor(
    readonly data: readonly Float32Array[],
    readonly sampleRate: number,
  ) {
    if (data.length === 0) throw new Error('a source needs at least one channel');
    this.channels = data.length;
    this.frames = data[0].length;
    for (const c of data) if (c.length !== this.frames) throw new Error('source channels differ in length');
  }

  read(start: number, count: number, out: readonly Float32Array[]): void {
    const end = start + count;
    for (let c = 0; c < this.channels && c < out.length; c++) copyFrames(this.data[c], out[c], end - start, start, 0);
  }
}

/** A source from plain channels. */
export const memorySource = (channels: readonly Float32Array[], sampleRate: number): SourceAudio => new MemorySource(channels, sampleRate);
