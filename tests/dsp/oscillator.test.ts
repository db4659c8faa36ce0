// The generator's oscillators are band-limited: PolyBLEP steps (square, sawtooth) and PolyBLAMP
// corners (triangle) fold far less energy back below Nyquist than the naive waveforms do.
import { describe, expect, it } from 'vitest';
import { Oscillator, type Waveform } from '../../src/dsp/oscillator.ts';
import { toneAmplitude } from '../helpers/audio.ts';

const SR = 48000;
// At 4.7 kHz the 10th harmonic (47 kHz) folds to 1 kHz and the 11th (51.7 kHz) to 3.7 kHz, both far
// from every harmonic below Nyquist (the square and the triangle have odd harmonics only)
const F = 4700;

function render(waveform: Waveform, naive: boolean): Float32Array {
  const x = new Float32Array(SR);
  if (!naive) new Oscillator(SR, F, 0).render(waveform, x, SR);
  else
    for (let i = 0; i < SR; i++) {
      const ph = (i * F) / SR - Math.floor((i * F) / SR);
      const saw = ((ph + 0.5) % 1) * 2 - 1;
      const tri = ((ph + 0.25) % 1) < 0.5 ? 4 * ((ph + 0.25) % 1) - 1 : 3 - 4 * ((ph + 0.25) % 1);
      x[i] = waveform === 'square' ? (ph < 0.5 ? 1 : -1) : waveform === 'sawtooth' ? saw : tri;
    }
  return x;
}

describe('band-limited oscillators', () => {
  // 1 s holds whole periods of the alias and of every harmonic of 4.7 kHz: the alias is measured alone
  const alias = (x: Float32Array, f: number) => 20 * Math.log10(toneAmplitude(x, f, SR, 0, SR));
  // Measured: sawtooth -23.9 -> -90.8 dB, square -18.7 -> -64.7 dB, triangle -43.5 -> -89.5 dB
  for (const [waveform, at, gain] of [['sawtooth', 1000, 40], ['square', 3700, 40], ['triangle', 3700, 40]] as const) {
    it(`${waveform} at 4.7 kHz: its alias at ${at} Hz is over ${gain} dB weaker than the naive waveform's`, () => {
      const naive = alias(render(waveform, true), at);
      const limited = alias(render(waveform, false), at);
      if (process.env.AUDIO_REPORT) console.log(`[measured] ${waveform}: alias at ${at} Hz ${naive.toFixed(1)} dB naive, ${limited.toFixed(1)} dB band-limited`);
      expect(naive - limited).toBeGreaterThan(gain);
    });
  }

  it('the fundamental keeps its Fourier amplitude within 0.02 dB up to 1 kHz, and no sample passes ±1', () => {
    for (const [waveform, coef] of [['square', 4 / Math.PI], ['sawtooth', 2 / Math.PI], ['triangle', 8 / Math.PI ** 2]] as const) {
      const x = new Float32Array(SR / 10);
      new Oscillator(SR, 1000, 0).render(waveform, x, x.length);
      expect(Math.abs(20 * Math.log10(toneAmplitude(x, 1000, SR, 0, x.length) / coef))).toBeLessThan(0.02);
      expect(x.every((v) => Math.abs(v) <= 1)).toBe(true);
    }
  });
});
