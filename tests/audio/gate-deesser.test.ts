// The gate and the de-esser as node types, rendered through the runtime (the gate keyed from
// another track through its sidechain port): the one engine of the CLI and the editor.
import { describe, expect, it } from 'vitest';
import { bufferFrom, edge, expectWithin, maxDiff, node, planOf, renderWith, session, toneDb } from '../helpers/audio.ts';

const SR = 48000;
const BASS = 20 * Math.log10(0.25) - 3.0103; // a mono track at centre is -3.01 dB per side
const s = (t: number) => Math.round(t * SR);

/** A bass: a steady 110 Hz sine of peak 0.25 (-12.04 dBFS) for 1.2 s. */
const bass = () => bufferFrom(s(1.2), (i) => 0.25 * Math.sin((2 * Math.PI * 110 * i) / SR));
/** A kick: 60 Hz bursts of 100 ms at -6 dBFS, at 0.2 and 0.7 s. */
const kick = () => bufferFrom(s(1.2), (i) => ((i >= s(0.2) && i < s(0.3)) || (i >= s(0.7) && i < s(0.8)) ? 0.5 * Math.sin((2 * Math.PI * 60 * i) / SR) : 0));

const gated = (params: Record<string, unknown> = {}) =>
  session(
    [
      node('bass', 'track', { source: 'bass.wav' }),
      node('kick', 'track', { source: 'kick.wav' }),
      node('gate', 'gate', { threshold: -30, range: 40, attack: 0.5, hold: 20, release: 40, ...params }),
      node('m', 'master'),
    ],
    [edge('bass', 'gate'), edge('kick', 'gate.key'), edge('gate', 'm')],
  );

describe('gate node', () => {
  it('keyed from the kick: the bass passes while the kick plays and is 40 dB down between hits', () => {
    const { left, runtime } = renderWith(gated(), { seconds: 1.2, buffers: { 'bass.wav': bass, 'kick.wav': kick } });
    const open = toneDb(left, 110, SR, s(0.22), s(0.06));
    expectWithin(open, BASS, 0.01, 'bass during a kick hit (dBFS)');
    // Between hits: after the detector's fall (from -9 to -34 dB at 10 ms per 8.7 dB), hold and release
    const shut = toneDb(left, 110, SR, s(0.5), s(0.15));
    expectWithin(shut, BASS - 40, 0.05, 'bass between hits (dBFS)');
    expect(runtime.reading('gate', 'reduction')).toBeCloseTo(40, 6);
    expect(runtime.reading('gate', 'open')).toBe(0);
  });

  it('without its key it listens to its own input: a steady bass over the threshold is not touched', () => {
    const doc = gated();
    doc.edges = doc.edges.filter((e) => e.toPort !== 'key');
    const { left } = renderWith(doc, { seconds: 1.2, buffers: { 'bass.wav': bass, 'kick.wav': kick } });
    expectWithin(toneDb(left, 110, SR, s(0.5), s(0.5)), BASS, 0.01, 'bass (dBFS)');
  });
});
