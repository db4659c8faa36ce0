// The split-band de-esser (src/dsp/deesser.ts) against its stated law: the band above the LR4
// crossover is held at the threshold, by at most `range` dB, and nothing below it changes. The
// expected output at a frequency f is |L(f)| + g·|H(f)| of the input, L and H the LR4 halves (in
// phase at every frequency), g the band's gain: 10^(-min(over, range)/20).
import { describe, expect, it } from 'vitest';
import { DEESSER_DEFAULTS, DeesserCore, type DeesserSettings } from '../../src/dsp/deesser.ts';
import { lr4MagnitudeDb } from '../../src/dsp/crossover.ts';
import { expectWithin, toneDb } from '../helpers/audio.ts';

const SR = 48000;
const at = (seconds: number) => Math.round(seconds * SR);
const lin = (db: number) => Math.pow(10, db / 20);

function run(s: DeesserSettings, input: Float32Array, block = 128): { out: Float32Array; core: DeesserCore } {
  const core = new DeesserCore(SR);
  core.configure(s);
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i += block) {
    const n = Math.min(block, input.length - i);
    core.process(input.subarray(i, i + n), undefined, out.subarray(i, i + n), undefined, n);
  }
  return { out, core };
}

/** A 1 kHz tone at -20 dBFS throughout, plus a 7 kHz burst at `burstDb` from 0.5 s to 1.0 s. */
function voice(burstDb: number): Float32Array {
  const x = new Float32Array(at(1.5));
  for (let i = 0; i < x.length; i++) {
    x[i] = lin(-20) * Math.sin((2 * Math.PI * 1000 * i) / SR);
    if (i >= at(0.5) && i < at(1.0)) x[i] += lin(burstDb) * Math.sin((2 * Math.PI * 7000 * i) / SR);
  }
  return x;
}

const settings: DeesserSettings = { ...DEESSER_DEFAULTS, frequency: 5000, threshold: -30, range: 12 };
const H7 = lin(lr4MagnitudeDb('highpass', 5000, 7000, SR)); // the band's share of 7 kHz (-1.98 dB)
const L7 = lin(lr4MagnitudeDb('lowpass', 5000, 7000, SR));

describe('de-esser: a 7 kHz burst over the threshold beside a 1 kHz tone', () => {
  // Measured in the burst's middle (0.7-0.9 s) and before it (0.1-0.4 s); the burst's band peak is
  // its level times |H(7 kHz)|.
  for (const [burst, label] of [
    [-24 - 20 * Math.log10(H7), 'band peak 6 dB over: reduced by 6 dB'],
    [-6, 'band peak 22 dB over: reduced by the range, 12 dB'],
  ] as const) {
    it(label, () => {
      const x = voice(burst);
      const { out } = run(settings, x);
      const bandPeak = burst + 20 * Math.log10(H7);
      const reduction = Math.min(bandPeak - settings.threshold, settings.range);
      const expected = 20 * Math.log10(L7 + lin(-reduction) * H7);
      const measured = toneDb(out, 7000, SR, at(0.7), at(0.2)) - toneDb(x, 7000, SR, at(0.7), at(0.2));
      // 0.05 dB: the detector's hold falls by ~0.01 dB between two peaks of the band
      expectWithin(measured, expected, 0.05, '7 kHz change (dB)');
      const tone = toneDb(out, 1000, SR, at(0.7), at(0.2)) - toneDb(x, 1000, SR, at(0.7), at(0.2));
      expectWithin(tone, 0, 0.1, '1 kHz change during the burst (dB)');
      const before = toneDb(out, 1000, SR, at(0.1), at(0.3)) - toneDb(x, 1000, SR, at(0.1), at(0.3));
      // nothing over the threshold: the LR4 halves add up to an allpass, magnitude 1 to rounding
      expectWithin(before, 0, 0.001, '1 kHz change without the burst (dB)');
    });
  }

  it('lets go within 0.5 s of the burst (60 ms release): the reduction reading returns to 0', () => {
    const { core, out } = run(settings, voice(-6));
    expect(core.reduction).toBeLessThan(0.01);
    expectWithin(toneDb(out, 1000, SR, at(1.2), at(0.3)) + 20, 0, 0.001, '1 kHz level after the burst (dB re -20)');
  });

  it('listen "band" plays the sibilant band alone; "removed" only what is taken away', () => {
    const x = voice(-6);
    const band = run({ ...settings, listen: 'band' }, x).out;
    expectWithin(toneDb(band, 7000, SR, at(0.7), at(0.2)), -6 + 20 * Math.log10(H7), 0.01, 'band: 7 kHz (dB)');
    // the 1 kHz tone is 2.3 octaves under the 24 dB/octave crossover: about -56 dB
    expect(toneDb(band, 1000, SR, at(0.7), at(0.2)) - -20).toBeLessThan(-50);
    const removed = run({ ...settings, listen: 'removed' }, x).out;
    const expected = -6 + 20 * Math.log10(H7 * (1 - lin(-settings.range)));
    expectWithin(toneDb(removed, 7000, SR, at(0.7), at(0.2)), expected, 0.05, 'removed: 7 kHz (dB)');
  });

  it('gives the same samples however the frames are split into calls, a frequency glide included', () => {
    const x = voice(-6);
    const split = (block: number) => {
      const core = new DeesserCore(SR);
      core.configure(settings);
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; ) {
        if (i === at(0.6)) core.configure({ ...settings, frequency: 4000 }); // a live edit at an exact frame
        const n = Math.min(block, x.length - i, i < at(0.6) ? at(0.6) - i : Infinity);
        core.process(x.subarray(i, i + n), undefined, out.subarray(i, i + n), undefined, n);
        i += n;
      }
      return out;
    };
    const a = split(128);
    for (const block of [1, 37, 1000]) expect(split(block)).toEqual(a);
  });
});
