// The render settings' defaults and bounds (shared by the usage text and the render command).
import type { WavFormat } from '../io/wav.ts';

export { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../io/audio-limits.ts';
export const DEFAULT_SAMPLE_RATE = 48000;
export const DEFAULT_BIT_DEPTH: WavFormat = '24';
/**
 * Longest render, seconds: 24 hours. Renders stream to the file, so memory does not grow with the
 * length; the file does (24 h of 24-bit stereo at 48 kHz is 24.9 GB, written as RF64 past 4 GiB).
 */
export const MAX_SECONDS = 24 * 3600;
/** Most render threads --threads takes. */
export const MAX_THREADS = 256;
