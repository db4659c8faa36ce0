// The reference node: silent in every render, and at matched loudness when A/B selects it.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import type { MonitorSource } from '../../nodes/define.ts';
import { edge, node, renderSession, renderWith, session, sine, toneDb } from '../helpers/audio.ts';

const SR = 48000;
// The mix: a 1 kHz tone at -20 dBFS; the reference: a 440 Hz tone at -6 dBFS (14 dB hotter).
const doc = session(
  [node('g', 'generator', { frequency: 1000, level: -20 }), node('ref', 'reference', { source: 'ref.wav' }), node('m', 'master')],
  [edge('g', 'm')],
);
const refBuffer = sine(440, 0.5, 3, 2);

async function renderListening(source: MonitorSource, trimDb: number) {
  const { left, right, runtime } = renderWith(doc, { seconds: 3, buffers: { 'ref.wav': refBuffer }, before: (rt) => rt.monitor(source, trimDb) });
  runtime.dispose();
  return [left, right];
}

describe('reference node', () => {
  it('never reaches a render: the output is the mix alone', async () => {
    const r = await renderSession(doc, { seconds: 1, buffers: { 'ref.wav': refBuffer } });
    expect(toneDb(r.left, 1000, SR, 4800, 24000)).toBeCloseTo(-20, 1); // the mix, as set
    expect(toneDb(r.left, 440, SR, 4800, 24000)).toBeLessThan(-100); // no trace of the reference
  });

  it('A/B at matched loudness: the reference plays within 0.5 LU of the mix, the mix is silent', async () => {
    const mix = await renderListening('mix', 0);
    const mixLufs = analyze(mix, SR).integrated;
    const refLufs = analyze(refBuffer(SR), SR).integrated;
    expect(refLufs - mixLufs).toBeGreaterThan(10); // the reference is much louder before matching
    const b = await renderListening('reference', mixLufs - refLufs);
    expect(Math.abs(analyze(b, SR).integrated - mixLufs)).toBeLessThanOrEqual(0.5);
    expect(toneDb(b[0], 1000, SR, 24000, 48000)).toBeLessThan(-80); // the mix faded out
  });
});
