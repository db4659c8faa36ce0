// Every operation kind of the compiler, applied by the runtime between two blocks: the audio
// changes at exactly that frame (creation, removal, connection and disconnection) or starts its
// ramp there (set, bypass). Frame 4000 is not a multiple of the 128-frame block on purpose:
// the render stops there, the operations run, and the next block starts on that frame.
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/compiler/plan.ts';
import { chain, edge, firstNonZero, node, planOf, renderWith, session, sine } from '../helpers/audio.ts';

const SR = 48000;
const AT = 4000;
const T = AT / SR;

/** A 0.5-peak 1 kHz sine (a track hard left: exactly the file on the left) into the master. */
const tone = { s: sine(1000, 0.5, 0.3) };
const played = () => sine(1000, 0.5, 0.3)(SR)[0];

describe('operations between blocks', () => {
  it('create: a generator added while playing starts on the frame of the operation, at phase 0', () => {
    const before = session([node('m', 'master')], []);
    const after = session([node('g', 'generator', { frequency: 1000, level: 0 }), node('m', 'master')], chain(['g', 'm']));
    let ops: Operation[] = [];
    const r = renderWith(before, { seconds: 0.2, edits: [{ at: T, apply: (rt) => (ops = rt.update(planOf(after))) }] });
    expect(ops.map((o) => o.op)).toEqual(['create', 'connect']);
    // Nothing before; sin(0) = 0 on frame 4000 itself, then the sine (mono up-mixed to both sides)
    expect(firstNonZero(r.left)).toBe(AT + 1);
    expect(r.left[AT + 12]).toBeCloseTo(Math.sin((2 * Math.PI * 1000 * 12) / SR), 6);
    expect(r.right[AT + 12]).toBe(r.left[AT + 12]);
  });

  it('remove and disconnect: a track that leaves is silent from that frame on', () => {
    const doc = session([node('t', 'track', { source: 's', pan: -1 }), node('m', 'master')], chain(['t', 'm']));
    const without = session([node('m', 'master')], []);
    let ops: Operation[] = [];
    const r = renderWith(doc, { seconds: 0.2, buffers: tone, edits: [{ at: T, apply: (rt) => (ops = rt.update(planOf(without))) }] });
    expect(ops.map((o) => o.op)).toEqual(['disconnect', 'remove']);
    const src = played();
    // The file exactly up to the edit, exact silence from it
    for (let i = AT - 200; i < AT; i++) expect(r.left[i]).toBe(src[i]);
    expect(firstNonZero(r.left, 0, AT)).toBe(-1);
  });

  it('connect: an edge added to a running node carries its sound from that frame', () => {
    const apart = session([node('t', 'track', { source: 's', pan: -1 }), node('m', 'master')], []);
    const joined = session([node('t', 'track', { source: 's', pan: -1 }), node('m', 'master')], chain(['t', 'm']));
    let ops: Operation[] = [];
    const r = renderWith(apart, { seconds: 0.2, buffers: tone, edits: [{ at: T, apply: (rt) => (ops = rt.update(planOf(joined))) }] });
    expect(ops.map((o) => o.op)).toEqual(['connect']);
    const src = played();
    expect(firstNonZero(r.left)).toBeGreaterThanOrEqual(AT);
    // The track kept playing unheard: the file from frame 4000, not from its start
    for (let i = AT; i < AT + 200; i++) expect(r.left[i]).toBe(src[i]);
  });

  it('set: a gain change starts its ramp on the frame of the operation', () => {
    const at = (gain: number) => session([node('t', 'track', { source: 's', pan: -1 }), node('x', 'gain', { gain }), node('m', 'master')], chain(['t', 'x', 'm']));
    let ops: Operation[] = [];
    const r = renderWith(at(0), { seconds: 0.2, buffers: tone, edits: [{ at: T, apply: (rt) => (ops = rt.update(planOf(at(-6)))) }] });
    expect(ops).toMatchObject([{ op: 'set', id: 'x', param: 'gain', value: -6 }]);
    const src = played();
    // Unity up to the edit, bit for bit; from the edit on below unity, gliding
    for (let i = 0; i < AT; i++) expect(r.left[i]).toBe(src[i]);
    const ratio = (i: number) => r.left[i] / src[i];
    const nearCrest = AT + 12 - (AT % 48) + 48; // a crest after the edit (1 kHz: 48 samples a period)
    expect(ratio(nearCrest)).toBeLessThan(1);
    expect(ratio(nearCrest)).toBeGreaterThan(10 ** (-6 / 20));
  });

  it('bypass: switching a node to bypass starts the crossfade on the frame of the operation', () => {
    const doc = (bypass: boolean) => session([node('t', 'track', { source: 's', pan: -1 }), node('x', 'gain', { gain: -12 }, bypass), node('m', 'master')], chain(['t', 'x', 'm']));
    let ops: Operation[] = [];
    const r = renderWith(doc(false), { seconds: 0.3, buffers: tone, edits: [{ at: T, apply: (rt) => (ops = rt.update(planOf(doc(true)))) }] });
    expect(ops).toEqual([{ op: 'bypass', id: 'x', bypass: true }]);
    const src = played();
    const g = 10 ** (-12 / 20);
    for (let i = AT - 100; i < AT; i++) expect(r.left[i]).toBe(Math.fround(src[i] * g));
    // Settled (0.2 s = 40 time constants later): the input itself, bit for bit
    for (let i = 14400; i < 14400 + 480; i++) expect(r.left[i]).toBe(src[i]);
  });

  it('the operations of a whole edit apply together: a node recreated with a new type, its edges reconnected', () => {
    const a = session([node('t', 'track', { source: 's', pan: -1 }), node('x', 'gain', { gain: -6 }), node('m', 'master')], [edge('t', 'x'), edge('x', 'm')]);
    const b = session([node('t', 'track', { source: 's', pan: -1 }), node('x', 'bus', { gain: 0 }), node('m', 'master')], [edge('t', 'x'), edge('x', 'm')]);
    let ops: Operation[] = [];
    const r = renderWith(a, { seconds: 0.2, buffers: tone, edits: [{ at: T, apply: (rt) => (ops = rt.update(planOf(b))) }] });
    expect(ops.map((o) => o.op)).toEqual(['disconnect', 'disconnect', 'remove', 'create', 'connect', 'connect']);
    const src = played();
    // A new bus at 0 dB: the file itself from the edit's frame (a new node starts from its set values)
    for (let i = AT; i < AT + 200; i++) expect(r.left[i]).toBe(src[i]);
  });
});
