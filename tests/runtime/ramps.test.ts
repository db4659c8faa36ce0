// Parameter ramps and bypass crossfades: one time constant (5 ms offline) for both, an exponential
// approach like Web Audio's setTargetAtTime, landing exactly on the target so that the settled
// output is bit-exact; nodes start from their set values with no ramp at all.
import { describe, expect, it } from 'vitest';
import { chain, edge, node, planOf, renderWith, session, sine } from '../helpers/audio.ts';

const SR = 48000;
const TAU = 0.005 * SR; // 240 samples: the runtime's offline smoothing
const AT = 4800;
const tone = { s: sine(1000, 0.5, 0.4) };
const src = sine(1000, 0.5, 0.4)(SR)[0];
// A track hard left puts the file, exactly, on the left
const track = () => node('t', 'track', { source: 's', pan: -1 });

/** Largest |y[i+1] - y[i]| over [from, to). */
function maxStep(y: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to - 1; i++) m = Math.max(m, Math.abs(y[i + 1] - y[i]));
  return m;
}

describe('ramps', () => {
  const withGain = (gain: number) => session([track(), node('x', 'gain', { gain }), node('m', 'master')], chain(['t', 'x', 'm']));

  it('a node starts from its set values: -6.0206 dB from the first sample, no ramp', () => {
    const r = renderWith(withGain(-6.0206), { seconds: 0.05, buffers: tone });
    const g = 10 ** (-6.0206 / 20);
    for (let i = 0; i < 2400; i++) expect(r.left[i]).toBe(Math.fround(src[i] * g));
  });

  it('a gain change follows setTargetAtTime (1/e of the way left after one time constant) and lands exactly', () => {
    const from = 1;
    const to = 10 ** (-6.0206 / 20);
    const r = renderWith(withGain(0), { seconds: 0.3, buffers: tone, edits: [{ at: AT / SR, apply: (rt) => rt.update(planOf(withGain(-6.0206))) }] });
    // The gain on frame AT + k is to + (from - to)·c^(k+1), c = e^(-1/240): measured on crests (every 48 frames)
    for (let k = 12 - (AT % 48); k < 2000; k += 48) {
      if (k < 0) continue;
      const g = r.left[AT + k] / src[AT + k];
      const want = to + (from - to) * Math.exp(-(k + 1) / TAU);
      expect(Math.abs(g - want)).toBeLessThan(1e-6);
    }
    // One time constant in: 1/e of the step left (the crest nearest 240 frames after the edit)
    const k = 239 + ((12 - ((AT + 239) % 48) + 48) % 48);
    expect(Math.abs((r.left[AT + k] / src[AT + k] - to) / (from - to) - Math.exp(-(k + 1) / TAU))).toBeLessThan(1e-5);
    // Landed within 16 time constants (the step shrunk to 1e-7 of itself): from then on the output is
    // exactly what a gain set to -6.0206 dB from the start gives
    const steady = renderWith(withGain(-6.0206), { seconds: 0.3, buffers: tone });
    const settled = AT + Math.ceil(16.2 * TAU);
    for (let i = settled; i < r.length; i++) if (r.left[i] !== steady.left[i]) throw new Error(`frame ${i}: ${r.left[i]} != ${steady.left[i]}`);
  });

  it('pan glides too, on all its gains at once: a track panned from left to right crosses the centre smoothly', () => {
    const at = (pan: number) => session([node('t', 'track', { source: 's', pan }), node('m', 'master')], chain(['t', 'm']));
    const r = renderWith(at(-1), { seconds: 0.4, buffers: tone, edits: [{ at: AT / SR, apply: (rt) => rt.update(planOf(at(1))) }] });
    // No step bigger than the sine's own (0.5·2π·1000/48000 = 0.065) plus the glide's: no click
    expect(maxStep(r.left, AT - 100, AT + 2000)).toBeLessThan(0.07);
    expect(maxStep(r.right, AT - 100, AT + 2000)).toBeLessThan(0.07);
    // ...and it lands (the six gains' shared fraction under 1e-9, 21 time constants): hard right,
    // the file exactly on the right, nothing on the left
    for (let i = AT + Math.ceil(21 * TAU); i < r.length; i++) {
      expect(r.right[i]).toBe(src[i]);
      expect(r.left[i] === 0).toBe(true); // (x · 0: +0 or -0)
    }
  });
});

describe('bypass', () => {
  const doc = (bypass: boolean) => session([track(), node('x', 'gain', { gain: -12 }, bypass), node('m', 'master')], chain(['t', 'x', 'm']));

  it('a bypass crossfade is click-free, and bit-exact (output === input) once settled', () => {
    const r = renderWith(doc(false), { seconds: 0.4, buffers: tone, edits: [{ at: AT / SR, apply: (rt) => rt.update(planOf(doc(true))) }] });
    // From 0.25·x to x over a few time constants: the steps stay within the input's own (0.065)
    // and the glide's (0.75·0.5/240 per sample); a hard switch on a crest would step by 0.375
    const input = maxStep(src, AT, AT + 2000);
    expect(maxStep(r.left, AT - 48, AT + 2000)).toBeLessThan(input * 1.05);
    for (let i = AT + Math.ceil(22 * TAU); i < r.length; i++) if (r.left[i] !== src[i]) throw new Error(`frame ${i}: ${r.left[i]} != ${src[i]}`);
    // and back: un-bypassed, it glides to -12 dB and lands there exactly
    const back = renderWith(doc(true), { seconds: 0.4, buffers: tone, edits: [{ at: AT / SR, apply: (rt) => rt.update(planOf(doc(false))) }] });
    expect(maxStep(back.left, AT - 48, AT + 2000)).toBeLessThan(input * 1.05);
    const g = 10 ** (-12 / 20);
    for (let i = AT + Math.ceil(22 * TAU); i < back.length; i++) expect(back.left[i]).toBe(Math.fround(src[i] * g));
  });

  it('a node bypassed at creation is the identity from the first sample (no crossfade before the render)', () => {
    const r = renderWith(doc(true), { seconds: 0.05, buffers: tone });
    for (let i = 0; i < r.length; i++) expect(r.left[i]).toBe(src[i]);
  });

  it("a bypassed send: 'out' is its input exactly, 'send' is silent", () => {
    const s = (bypass: boolean, port: string) => session([track(), node('x', 'send', { level: 0 }, bypass), node('m', 'master')], [edge('t', 'x'), edge(`x.${port}`, 'm')]);
    const out = renderWith(s(true, 'out'), { seconds: 0.05, buffers: tone });
    for (let i = 0; i < out.length; i++) expect(out.left[i]).toBe(src[i]);
    const send = renderWith(s(true, 'send'), { seconds: 0.05, buffers: tone });
    expect(send.left.every((v) => v === 0)).toBe(true);
  });

  it('the delay bypasses through its own mix (its dry path is part of its loop code): exact once settled', () => {
    const d = (bypass: boolean) => session([track(), node('x', 'delay', { time: 3, feedback: 0.6, mix: 0.5 }, bypass), node('m', 'master')], chain(['t', 'x', 'm']));
    const r = renderWith(d(false), { seconds: 0.4, buffers: tone, edits: [{ at: AT / SR, apply: (rt) => rt.update(planOf(d(true))) }] });
    for (let i = AT + Math.ceil(22 * TAU); i < r.length; i++) if (r.left[i] !== src[i]) throw new Error(`frame ${i}: ${r.left[i]} != ${src[i]}`);
  });
});
