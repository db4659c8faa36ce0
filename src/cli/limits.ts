// The render settings' defaults and bounds (shared by the usage text and the render command).
import type { WavFormat } from '../io/wav.ts';

export { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../io/audio-limits.ts';
export const DEFAULT_SAMPLE_RATE = 48000;
export const DEFAULT_BIT_DEPTH: WavFormat = '24';
/** Longest render, seconds: an hour of stereo float is already 1.4 GB in memory at 48 kHz. */
export const MAX_SECONDS = 3600;
