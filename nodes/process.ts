// Small helpers the node processors (nodes/<type>/processor.ts) share.
import type { AudioBus } from './define.ts';
import { copyFrames } from '../src/dsp/buffers.ts';

/** The right channel of a bus: its own, or the left one for a mono bus (Web Audio's L = R up-mix). */
export const rightOf = (bus: AudioBus): Float32Array => (bus.channels > 1 ? bus.data[1] : bus.data[0]);

/** Copy [0, n) of `from` into `to`, channel count and all. */
export function copyBus(from: AudioBus, to: AudioBus, n: number): void {
  to.channels = from.channels;
  copyFrames(from.data[0], to.data[0], n);
  if (from.channels > 1) copyFrames(from.data[1], to.data[1], n);
}

/** Silence on [0, n) of a bus, as one channel. */
export function silence(bus: AudioBus, n: number): void {
  bus.channels = 1;
  bus.data[0].fill(0, 0, n);
}

/** A stereo bus from `from` on [0, n): mono is up-mixed to L = R. */
export function stereoFrom(from: AudioBus, to: AudioBus, n: number): void {
  to.channels = 2;
  copyFrames(from.data[0], to.data[0], n);
  copyFrames(rightOf(from), to.data[1], n);
}
