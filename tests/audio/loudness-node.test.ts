// The loudness node through the real engine (node-web-audio-api): the sound passes untouched, and
// the readings the worklet posts agree with analyze() of the rendered output.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import { offlineEngine, render } from '../../src/engine/node.ts';
import { chain, expectWithin, maxDiff, node, planOf, renderSession, session } from '../helpers/audio.ts';

const SR = 48000;
// Short renders: node-web-audio-api runs worklets slowly on a loaded machine (several seconds per
// second of audio); 1.5 s still gives the meter 11 gating blocks.
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
    // Whole 128-frame quanta: the worklet meters every quantum it renders, and the context renders
    // the last one whole even when the output buffer ends inside it.
    const length = Math.ceil((SECONDS * SR) / 128) * 128;
    const { ctx, engine } = await offlineEngine({ sampleRate: SR, length });
    engine.update(planOf(session([source(), node('lu', 'loudness', { target: -16 }), node('m', 'master')], chain(['gen', 'lu', 'm']))));
    engine.reading('lu', 'momentary'); // starts listening to the processor's port
    engine.start(0, 0);
    const out = await render(ctx);
    // The processor posts every 100 ms of audio; the last post (within 100 ms + one 128-frame quantum
    // of the end) may still be on its way to this thread when the render resolves.
    const lastPost = (length - SR / 10 - 128) / SR;
    for (let i = 0; i < 200 && !((engine.reading('lu', 'time') ?? 0) >= lastPost); i++) await new Promise((r) => setTimeout(r, 10));
    const time = engine.reading('lu', 'time') ?? 0;
    expect(time).toBeGreaterThanOrEqual(lastPost);
    // The readings describe the first `time` seconds: analyse exactly those frames (same code, so
    // the figures agree exactly; 0.1 LU is the tolerance the task sets).
    const frames = Math.round(time * SR);
    const left = out.getChannelData(0).slice(0, frames);
    const right = out.getChannelData(1).slice(0, frames);
    const want = analyze([left, right], SR);
    const read = (name: string) => engine.reading('lu', name) as number;
    expectWithin(read('integrated'), want.integrated, 0.1, 'integrated, worklet vs analyze (LUFS)');
    expectWithin(read('range'), want.lra, 0.1, 'range, worklet vs analyze (LU)');
    expectWithin(read('momentaryMax'), want.momentaryMax, 0.1, 'momentary max (LUFS)');
    expectWithin(read('shortTermMax'), want.shortTermMax, 0.1, 'short-term max (LUFS)');
    expectWithin(read('samplePeak'), want.samplePeak, 0.01, 'sample peak (dBFS)');
    // analyze() also counts the last 8 samples still inside the oversampler; the live meter cannot yet
    expectWithin(read('truePeak'), want.truePeak, 0.1, 'true peak (dBTP)');
    expectWithin(read('delta'), read('integrated') + 16, 1e-9, 'delta = integrated - target (LU)');
    // Pink noise at -6 dBFS peak is far above the gates: a finite loudness, well below its peak
    expect(read('integrated')).toBeGreaterThan(-40);
    expect(read('integrated')).toBeLessThan(-6);
    engine.dispose();
  });
});
