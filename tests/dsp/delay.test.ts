// The delay lines: whole-sample times are exact, a changed time glides smoothly (the read point
// moves, read between samples) and lands on a whole sample exactly; pull/push inside a loop gives
// what process() gives outside one.
import { describe, expect, it } from 'vitest';
import { DelayLine, EchoCore } from '../../src/dsp/delay.ts';

const SR = 48000;
const glide = Math.exp(-1 / (0.005 * SR));
const sine = (n: number, f = 440) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / SR));

function run(core: EchoCore, x: Float32Array, block = 128): [Float32Array, Float32Array] {
  const l = new Float32Array(x.length);
  const r = new Float32Array(x.length);
  const bx = new Float32Array(block);
  const bl = new Float32Array(block);
  const br = new Float32Array(block);
  for (let at = 0; at < x.length; at += block) {
    const n = Math.min(block, x.length - at);
    bx.set(x.subarray(at, at + n));
    core.process(bx, bx, bl, br, n);
    l.set(bl.subarray(0, n), at);
    r.set(br.subarray(0, n), at);
  }
  return [l, r];
}

describe('EchoCore', () => {
  it('10 ms at 44.1 kHz (441.00000000000006 samples) is read as exactly 441 samples', () => {
    const core = new EchoCore(44100, 2, { time: 0.01 * 44100, feedback: 0, mix: 1 }, glide);
    const x = new Float32Array(1000);
    x[3] = 1;
    const [l] = run(core, x);
    expect(Array.from(l.entries()).filter(([, v]) => v !== 0)).toEqual([[444, 1]]);
  });

  it('a time change glides without a click and lands on the new whole sample exactly', () => {
    const x = sine(SR);
    const core = new EchoCore(SR, 2, { time: 12000, feedback: 0, mix: 1 }, glide);
    const first = run(core, x.subarray(0, 24000));
    core.configure({ time: 12480, feedback: 0, mix: 1 });
    const [l] = run(core, x.subarray(24000));
    // The read point slows down by up to 480 samples over a few 5 ms time constants: the sine's
    // pitch bends, it never jumps (its own steepest step is 0.5·2π·440/48000 = 0.029)
    let step = Math.abs(l[0] - first[0][23999]);
    for (let i = 1; i < 4000; i++) step = Math.max(step, Math.abs(l[i] - l[i - 1]));
    expect(step).toBeLessThan(0.03);
    // Landed (1e-7 of the move, 16 time constants): exactly the input 12480 samples earlier
    for (let i = 6000; i < l.length; i++) expect(l[i]).toBe(x[24000 + i - 12480]);
  });

  it('inside a loop, pull then push gives what process gives, block by block or sample by sample', () => {
    const x = sine(4800, 1000);
    const settings = { time: 37.5, feedback: 0.6, mix: 1 };
    const [want] = run(new EchoCore(SR, 2, settings, glide), x);
    const core = new EchoCore(SR, 2, settings, glide);
    core.looped = true;
    const got = new Float32Array(x.length);
    const l = new Float32Array(64);
    const r = new Float32Array(64);
    const inp = new Float32Array(64);
    for (let at = 0; at < x.length; ) {
      const n = Math.min(core.lookahead(), x.length - at, 64);
      core.pull(l, r, n);
      got.set(l.subarray(0, n), at);
      inp.set(x.subarray(at, at + n));
      core.push(inp, inp, n);
      at += n;
    }
    // 37.5 samples: pulled 37 at a time (the whole part of the time), read between two samples
    expect(core.lookahead()).toBe(37);
    for (let i = 0; i < x.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-7);
  });
});

describe('DelayLine', () => {
  it('0 is the input itself; a fractional time reads between the two samples around it', () => {
    const x = sine(512);
    const line = new DelayLine(SR, 0, 0);
    const l = new Float32Array(512);
    const r = new Float32Array(512);
    line.process(x, x, l, r, 512);
    expect(Array.from(l)).toEqual(Array.from(x));
    const half = new DelayLine(SR, 10.25, 0);
    half.process(x, x, l, r, 512);
    for (let i = 20; i < 512; i++) expect(l[i]).toBeCloseTo(0.75 * x[i - 10] + 0.25 * x[i - 11], 6);
  });
});
