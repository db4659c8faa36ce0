// Feedback loops through a delay node at any delay time: the runtime runs a loop in sub-blocks no
// longer than its shortest delay (down to one sample), breakers (delays) first from their past,
// then the rest of the loop, then the breakers take their input. Web Audio needed 128 frames of
// delay in every loop; here a 1 ms and a 0.1 ms loop echo at exactly their times.
import { describe, expect, it } from 'vitest';
import { edge, expectBelow, impulse, node, renderWith, session } from '../helpers/audio.ts';

const SR = 48000;

/** track (hard left: the impulse is exactly 1) -> bus -> delay -> gain -> bus, bus -> master. */
function loop(timeMs: number, gainDb: number, mix = 1) {
  return session(
    [node('t', 'track', { source: 'i', pan: -1 }), node('b', 'bus'), node('d', 'delay', { time: timeMs, feedback: 0, mix }), node('g', 'gain', { gain: gainDb }), node('m', 'master')],
    [edge('t', 'b'), edge('b', 'd'), edge('d', 'g'), edge('g', 'b'), edge('b', 'm')],
  );
}

const nonZero = (x: Float32Array) => {
  const out: [number, number][] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) out.push([i, x[i]]);
  return out;
};

describe('feedback loops', () => {
  it('1 ms (48 samples): echo n on sample 48·n, at 0.5^n, and nothing else', () => {
    const r = renderWith(loop(1, -6.0206), { seconds: 0.01, buffers: { i: impulse(0, 10) } });
    const got = nonZero(r.left);
    // 480 frames hold echoes 0..9 (the 10th would be at 480): each exactly 48 samples after the last
    expect(got.map(([i]) => i)).toEqual([0, 48, 96, 144, 192, 240, 288, 336, 384, 432]);
    got.forEach(([, v], n) => expect(Math.abs(v - 0.5 ** n)).toBeLessThan(1e-6));
  });

  it('0.125 ms (6 samples, shorter than any block): echoes every 6 samples, exact', () => {
    const r = renderWith(loop(0.125, -6.0206), { seconds: 0.001, buffers: { i: impulse(0, 10) } });
    const got = nonZero(r.left).filter(([, v]) => Math.abs(v) > 1e-6);
    expect(got.slice(0, 6).map(([i]) => i)).toEqual([0, 6, 12, 18, 24, 30]);
    got.slice(0, 6).forEach(([, v], n) => expect(Math.abs(v - 0.5 ** n)).toBeLessThan(1e-6));
  });

  it('0.1 ms (4.8 samples, read between two samples): every echo 4.8 samples after the last, to 1e-6', () => {
    const g = 10 ** (-20 / 20);
    const r = renderWith(loop(0.1, -20), { seconds: 0.002, buffers: { i: impulse(0, 10) } });
    // The loop by hand: e[t] = 0.2·bus[t-4] + 0.8·bus[t-5] (linear interpolation at 4.8), bus = x + g·e
    const bus = new Float64Array(r.length);
    for (let t = 0; t < r.length; t++) bus[t] = (t === 0 ? 1 : 0) + g * (0.2 * (bus[t - 4] ?? 0) + 0.8 * (bus[t - 5] ?? 0));
    let worst = 0;
    for (let t = 0; t < r.length; t++) worst = Math.max(worst, Math.abs(r.left[t] - bus[t]));
    expectBelow(worst, 1e-6, 'render vs the loop by hand');
    // The echoes' centres (energy-free: value-weighted): echo n spans samples 4n..5n, centred on 4.8·n
    for (const n of [1, 2, 3, 4]) {
      let sum = 0;
      let moment = 0;
      for (let t = 4 * n; t <= 5 * n; t++) {
        sum += r.left[t];
        moment += t * r.left[t];
      }
      expect(Math.abs(moment / sum - 4.8 * n)).toBeLessThan(1e-4);
      expect(Math.abs(sum - g ** n)).toBeLessThan(1e-6);
    }
  });

  it("a loop through a delay's dry path (mix < 1) takes it one sample late: the least a loop can take", () => {
    // bus = x + 0.5·bus[t - 1] (the dry path, one sample late inside the loop) + 0.5·bus[t - 480] (the echo)
    const doc = session(
      [node('t', 'track', { source: 'i', pan: -1 }), node('b', 'bus'), node('d', 'delay', { time: 10, feedback: 0, mix: 0.5 }), node('m', 'master')],
      [edge('t', 'b'), edge('b', 'd'), edge('d', 'b'), edge('b', 'm')],
    );
    const r = renderWith(doc, { seconds: 0.015, buffers: { i: impulse(0, 10) } });
    const bus = new Float64Array(r.length);
    for (let t = 0; t < r.length; t++) bus[t] = (t === 0 ? 1 : 0) + 0.5 * (bus[t - 1] ?? 0) + 0.5 * (bus[t - 480] ?? 0);
    let worst = 0;
    for (let t = 0; t < r.length; t++) worst = Math.max(worst, Math.abs(r.left[t] - bus[t]));
    expectBelow(worst, 1e-6, 'render vs the loop by hand');
    expect(r.left[1]).toBe(0.5);
  });

  it('a loop with two delays runs in sub-blocks of the shorter one', () => {
    // b -> d1 (1 ms) -> b and b -> d2 (0.25 ms = 12 samples) -> g (-12 dB) -> b
    const g = 10 ** (-12 / 20);
    const doc = session(
      [
        node('t', 'track', { source: 'i', pan: -1 }),
        node('b', 'bus'),
        node('d1', 'delay', { time: 1, feedback: 0, mix: 1 }),
        node('d2', 'delay', { time: 0.25, feedback: 0, mix: 1 }),
        node('g', 'gain', { gain: -12 }),
        node('h', 'gain', { gain: -12 }),
        node('m', 'master'),
      ],
      [edge('t', 'b'), edge('b', 'd1'), edge('d1', 'h'), edge('h', 'b'), edge('b', 'd2'), edge('d2', 'g'), edge('g', 'b'), edge('b', 'm')],
    );
    const r = renderWith(doc, { seconds: 0.01, buffers: { i: impulse(0, 10) } });
    const bus = new Float64Array(r.length);
    for (let t = 0; t < r.length; t++) bus[t] = (t === 0 ? 1 : 0) + g * (bus[t - 48] ?? 0) + g * (bus[t - 12] ?? 0);
    let worst = 0;
    for (let t = 0; t < r.length; t++) worst = Math.max(worst, Math.abs(r.left[t] - bus[t]));
    expectBelow(worst, 1e-6, 'render vs the loops by hand');
  });
});
