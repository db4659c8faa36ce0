// The loudness node through the runtime: the sound passes untouched, and its readings agree with
// analyze() of the rendered output.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import { chain, expectWithin, maxDiff, node, renderSession, renderWith, session } from '../helpers/audio.ts';

const SR = 48000;
// 1.5 s gives the meter 11 gating blocks.
const SECONDS = 1.5;

const source = () => node('gen', 'generator', { waveform: 'pink', level: -6 });

describe('loudness node', () => {
  it('passes the signal through bit for bit', async () => {
    const direct = await renderSession(session([source(), node('m', 'master')], chain(['gen', 'm'])), { seconds: 0.25 });
    const metered = await renderSession(session([source(), node('lu', 'loudness'), node('m', 'master')], chain(['gen', 'lu', 'm'])), { seconds: 0.25 });
    expect(maxDiff(direct.left, metered.left)).toBe(0);
    expect(maxDiff(direct.right, metered.right)).toBe(0);
  });

  it('reads what analyze() measures on the rendered output (within 0.1 LU), and delta = integrated - target', async () => {
    const { left, right, runtime } = renderWith(session([source(), node('lu', 'loudness', { target: -16 }), node('m', 'master')], chain(['gen', 'lu', 'm'])), { seconds: SECONDS });
    // The readings describe every frame rendered so far: the meter runs in the render itself
    const time = runtime.reading('lu', 'time') ?? 0;
    expect(time).toBe(left.length / SR);
    const want = analyze([left, right], SR);
    const read = (name: string) => runtime.reading('lu', name) as number;
    // Same code on the same frames, so the figures agree exactly; 0.1 LU is the tolerance the task sets
    expectWithin(read('integrated'), want.integrated, 0.1, 'integrated, node vs analyze (LUFS)');
    expectWithin(read('range'), want.lra, 0.1, 'range, node vs analyze (LU)');
    expectWithin(read('momentaryMax'), want.momentaryMax, 0.1, 'momentary max (LUFS)');
    expectWithin(read('shortTermMax'), want.shortTermMax, 0.1, 'short-term max (LUFS)');
    expectWithin(read('samplePeak'), want.samplePeak, 0.01, 'sample peak (dBFS)');
    // analyze() also counts the last 8 samples still inside the oversampler; the live meter cannot yet
    expectWithin(read('truePeak'), want.truePeak, 0.1, 'true peak (dBTP)');
    expectWithin(read('delta'), read('integrated') + 16, 1e-9, 'delta = integrated - target (LU)');
    // Pink noise at -6 dBFS peak is far above the gates: a finite loudness, well below its peak
    expect(read('integrated')).toBeGreaterThan(-40);
    expect(read('integrated')).toBeLessThan(-6);
    runtime.dispose();
  });
});
