// Test signals shared by tests and the bench (no test-runner imports here).
import { seededRandom } from '../../src/dsp/random.ts';

/**
 * A stereo "song" with real dynamics for mastering tests: a decaying 55 Hz kick every half second,
 * noise hats, and a three-note pad whose level swells; peak at `peakDbfs`. Deterministic per seed.
 */
export function songChannels(seconds: number, sampleRate: number, peakDbfs = -6, seed = 1): Float32Array[] {
  const n = Math.round(seconds * sampleRate);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const random = seededRandom(seed);
  const beat = Math.round(sampleRate / 2);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const k = (i % beat) / sampleRate;
    const kick = Math.sin(2 * Math.PI * 55 * k) * Math.exp(-k * 12);
    const hatEnv = Math.exp(-(((i + beat / 2) % (beat / 2)) / sampleRate) * 60);
    const hat = (random() * 2 - 1) * hatEnv * 0.25;
    const swell = 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.2 * t);
    const pad = (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.2 * t) + 0.7 * Math.sin(2 * Math.PI * 329.6 * t)) * 0.12 * swell;
    left[i] = 0.8 * kick + hat + pad;
    right[i] = 0.8 * kick + 0.7 * hat + pad * 0.9;
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
  const g = Math.pow(10, peakDbfs / 20) / peak;
  for (let i = 0; i < n; i++) (left[i] *= g), (right[i] *= g);
  return [left, right];
}
