// The test-signal generator: waveform levels and the noise spectra.
import { describe, expect, it } from 'vitest';
import { bandBins, bandPower, chain, expectWithin, node, peak, peakDb, powerSpectrum, renderSession, session, toneDb } from '../helpers/audio.ts';

const SR = 48000;
const LEVEL = -12;

// Peak-normalised waveforms: the fundamental's amplitude relative to the peak (Fourier series)
const FUNDAMENTAL: Record<string, number> = {
  sine: 1,
  square: 4 / Math.PI, // +2.10 dB
  sawtooth: 2 / Math.PI, // -3.92 dB
  triangle: 8 / Math.PI ** 2, // -1.82 dB
};

async function renderGenerator(waveform: string, frequency: number, seconds: number, level = LEVEL) {
  return renderSession(session([node('g', 'generator', { waveform, frequency, level }), node('m', 'master')], chain(['g', 'm'])), { seconds });
}

describe('periodic waveforms', () => {
  for (const waveform of Object.keys(FUNDAMENTAL)) {
    it(`${waveform}: peak at the level (-12 dBFS) and the Fourier fundamental, at 100 Hz and 1 kHz`, async () => {
      const low = await renderGenerator(waveform, 100, 0.1);
      // 480 samples a period: the sampled peak reaches the waveform's peak, -12 dBFS
      // (sawtooth: the highest sample is one step below the ramp's top, 1 - 2/480 = -0.04 dB)
      expectWithin(peakDb(low.left), LEVEL, 0.1, `${waveform} 100 Hz peak (dBFS)`);
      // Fundamental = level + 20·log10(coefficient), e.g. square -12 + 2.10 = -9.90 dBFS
      expectWithin(toneDb(low.left, 100, SR, 0, 4800), LEVEL + 20 * Math.log10(FUNDAMENTAL[waveform]), 0.1, `${waveform} 100 Hz fundamental (dBFS)`);

      const high = await renderGenerator(waveform, 1000, 0.1);
      expectWithin(toneDb(high.left, 1000, SR, 0, 4800), LEVEL + 20 * Math.log10(FUNDAMENTAL[waveform]), 0.1, `${waveform} 1 kHz fundamental (dBFS)`);
      // At 1 kHz (48 samples a period) the sine and square still sample their peak exactly; the
      // sawtooth's top sample is 1 - 2/48 of it (-0.37 dB), below the level, never above; the
      // band-limited triangle's corner is rounded (PolyBLAMP): its top sample is 1 - 8f/(6·sr) of
      // the level, 0.972 (-0.24 dB) at 1 kHz (a naive triangle's sharp corner sampled the level itself;
      // the ideal band-limited triangle's crest is -0.15 dB there)
      if (waveform === 'sawtooth') expect(peakDb(high.left)).toBeLessThanOrEqual(LEVEL + 1e-6);
      else if (waveform === 'triangle') {
        expectWithin(peakDb(high.left), LEVEL + 20 * Math.log10(1 - (8 * 1000) / (6 * SR)), 0.01, 'triangle 1 kHz peak (dBFS)');
        expect(peakDb(high.left)).toBeLessThanOrEqual(LEVEL);
      } else expectWithin(peakDb(high.left), LEVEL, 0.1, `${waveform} 1 kHz peak (dBFS)`);
    });
  }
});

describe('noise', () => {
  it('white and pink noise peak at or below the level; pink falls 3 dB per octave, white is flat', async () => {
    const white = await renderGenerator('white', 1000, 0.5, 0);
    const pink = await renderGenerator('pink', 1000, 0.5, 0);
    // Normalised to a peak of exactly 1 over the whole 10 s loop: never above the level, 0 dBFS
    expect(peak(white.left)).toBeLessThanOrEqual(1);
    expect(peak(pink.left)).toBeLessThanOrEqual(1);
    expect(peak(white.left)).toBeGreaterThan(0.5); // and it is really there
    const octave = (f: number): [number, number] => [f / Math.SQRT2, f * Math.SQRT2];
    const stats = (x: Float32Array) => {
      const s = powerSpectrum(x, 4096);
      const band = (f: number) => bandPower(s, SR, ...octave(f));
      const density = (f: number) => band(f) / bandBins(s, SR, ...octave(f));
      return {
        // power per Hz: the octave at 4 kHz against the octave at 250 Hz (4 octaves apart)
        densityDiff: 10 * Math.log10(density(250) / density(4000)),
        // power per octave band
        bandDiff: 10 * Math.log10(band(250) / band(4000)),
      };
    };
    const p = stats(pink.left);
    const w = stats(white.left);
    // Pink: density ∝ 1/f, 4 octaves × 3 dB = 12 dB less per Hz at 4 kHz; equal power per octave (0 dB)
    expectWithin(p.densityDiff, 12, 3, 'pink: density 250 Hz over 4 kHz (dB)');
    expectWithin(p.bandDiff, 0, 3, 'pink: octave band power 250 Hz over 4 kHz (dB)');
    // White: flat density (0 dB); so the 4 kHz octave, 16 times wider, holds 12 dB more
    expectWithin(w.densityDiff, 0, 3, 'white: density 250 Hz over 4 kHz (dB)');
    expectWithin(w.bandDiff, -12, 3, 'white: octave band power 250 Hz over 4 kHz (dB)');
  });
});
