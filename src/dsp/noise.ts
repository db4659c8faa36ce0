// The generator's noise: a seeded loop of white or pink noise, normalised to a peak of exactly
// 1 so that `level` is its peak in dBFS. One table per rate and colour, shared by every generator.
import { seededRandom } from './random.ts';

/** Seconds of noise before the loop repeats. */
export const NOISE_SECONDS = 10;

const tables = new Map<string, Float32Array>();

/** The loop for `sampleRate`: built on first use, then shared (callers must not write to it). */
export function noiseTable(sampleRate: number, pink: boolean): Float32Array {
  const key = `${sampleRate}:${pink ? 'pink' : 'white'}`;
  let table = tables.get(key);
  if (!table) {
    table = makeNoise(Math.round(NOISE_SECONDS * sampleRate), pink);
    tables.set(key, table);
  }
  return table;
}

/** `length` samples of noise at peak 1 (seed 1 white, seed 2 pink). */
export function makeNoise(length: number, pink: boolean): Float32Array {
  const data = new Float32Array(length);
  const random = seededRandom(pink ? 2 : 1);
  // Paul Kellet's refined pink filter (-3 dB/octave within 0.05 dB above 9.2 Hz at 44.1 kHz).
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  let peak = 0;
  for (let i = 0; i < length; i++) {
    const white = random() * 2 - 1;
    let v = white;
    if (pink) {
      b0 = 0.99886 * b0 + white * 0.0555179;
      b1 = 0.99332 * b1 + white * 0.0750759;
      b2 = 0.969 * b2 + white * 0.153852;
      b3 = 0.8665 * b3 + white * 0.3104856;
      b4 = 0.55 * b4 + white * 0.5329522;
      b5 = -0.7616 * b5 - white * 0.016898;
      v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
      b6 = white * 0.115926;
    }
    data[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i < length; i++) data[i] /= peak;
  return data;
}
