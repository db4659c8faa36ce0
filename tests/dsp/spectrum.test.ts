// 1/3-octave spectrum: sines at band centres read their RMS level in their band; noise adds up.
import { describe, expect, it } from 'vitest';
import { thirdOctaveSpectrum, THIRD_OCTAVE_CENTRES } from '../../src/dsp/spectrum.ts';
import { seededRandom } from '../../src/dsp/random.ts';
import { expectWithin } from '../helpers/audio.ts';

const sine = (f: number, amplitude: number, seconds: number, sr: number): Float32Array => {
  const x = new Float32Array(Math.round(seconds * sr));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * f * i) / sr + 0.3);
  return x;
};

describe('thirdOctaveSpectrum', () => {
  it.each([44100, 48000])('at %i Hz a sine at a band centre reads its RMS level there (±0.5 dB), neighbours 20 dB lower', (sr) => {
    expect(thirdOctaveSpectrum([new Float32Array(sr)], sr).map((b) => b.centre)).toEqual([...THIRD_OCTAVE_CENTRES]);
    for (const f of [25, 100, 1000, 10000, 20000]) {
      // -20 dBFS peak: RMS -23.01 dB; stereo with the same sine reads the same (power averaged over channels)
      const x = sine(f, 0.1, 3, sr);
      const bands = thirdOctaveSpectrum([x, x], sr);
      const i = bands.findIndex((b) => b.centre === f);
      expectWithin(bands[i].level, -23.01, 0.5, `${f} Hz sine in its band at ${sr} Hz (dB)`);
      for (const j of [i - 1, i + 1]) if (bands[j]) expect(bands[j].level).toBeLessThan(bands[i].level - 20);
    }
  });

  it('white noise: the band levels add up to its RMS (within 0.3 dB), and silence reads -Infinity', () => {
    const sr = 48000;
    const random = seededRandom(9);
    const x = new Float32Array(4 * sr);
    for (let i = 0; i < x.length; i++) x[i] = (random() * 2 - 1) * 0.5;
    const bands = thirdOctaveSpectrum([x], sr);
    const total = 10 * Math.log10(bands.reduce((s, b) => s + Math.pow(10, b.level / 10), 0));
    // Uniform noise of peak 0.5 has mean square 0.25 / 3; the bands cover 22.4 Hz .. 22.4 kHz of 0..24 kHz
    const expected = 10 * Math.log10((0.25 / 3) * ((22387 - 22.4) / 24000));
    expectWithin(total, expected, 0.3, 'sum of band powers of white noise (dB)');
    expect(thirdOctaveSpectrum([new Float32Array(sr)], sr).every((b) => b.level === -Infinity)).toBe(true);
  });
});
