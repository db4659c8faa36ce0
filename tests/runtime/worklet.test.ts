// The editor's worklet host (src/engine/worklet.ts), bundled as the editor loads it and run in a
// bare context that has only what an AudioWorkletGlobalScope gives (AudioWorkletProcessor with a
// port, registerProcessor, sampleRate, currentTime; no timers, no performance, no DOM): operations
// and sources go in as messages, the master's output comes out of process(), and the meter posts
// give each port's level by node id and port (src/engine/levels.ts), the readings and the position.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/compiler/diff.ts';
import { analyze } from '../../src/dsp/loudness.ts';
import { Levels } from '../../src/engine/levels.ts';
import { METER_POST_BLOCKS, RUNTIME_PROCESSOR, WATCH_STRIDE, type FromWorklet, type MeterPost, type ToWorklet } from '../../src/engine/protocol.ts';
import { bundleRuntimeWorklet } from '../../src/engine/worklet-bundle.ts';
import { chain, node, planOf, session } from '../helpers/audio.ts';

const SR = 48000;

interface Scope {
  processor: { process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean };
  send(m: ToWorklet): void;
  posts: FromWorklet[];
  blocks(n: number): Float32Array[];
}

async function loadWorklet(): Promise<Scope> {
  const { code } = await bundleRuntimeWorklet();
  for (const name of ['document.', 'window.', 'setTimeout', 'new AudioContext']) expect(code.includes(name), name).toBe(false);
  const posts: FromWorklet[] = [];
  const scope: Record<string, unknown> = { sampleRate: SR, currentTime: 0 };
  let made: Scope['processor'] | null = null;
  let port: { onmessage: ((e: { data: ToWorklet }) => void) | null; postMessage(m: FromWorklet): void } | null = null;
  scope.AudioWorkletProcessor = class {
    port = { onmessage: null, postMessage: (m: FromWorklet) => posts.push(structuredClone(m)) };
    constructor() {
      port = this.port;
    }
  };
  scope.registerProcessor = (name: string, ctor: new () => Scope['processor']) => {
    expect(name).toBe(RUNTIME_PROCESSOR);
    made = new ctor();
  };
  runInNewContext(code, scope);
  expect(made).not.toBeNull();
  const processor = made!;
  return {
    processor,
    posts,
    send: (m) => port!.onmessage!({ data: structuredClone(m) }),
    blocks(n) {
      const out = [new Float32Array(128 * n), new Float32Array(128 * n)];
      const block = [new Float32Array(128), new Float32Array(128)];
      for (let b = 0; b < n; b++) {
        processor.process([], [block]);
        out[0].set(block[0], 128 * b);
        out[1].set(block[1], 128 * b);
        scope.currentTime = ((b + 1) * 128) / SR;
      }
      return out;
    },
  };
}

const meterPosts = (posts: FromWorklet[]) => posts.filter((p): p is MeterPost => p.type === 'meters');

describe('the worklet host', () => {
  it('plays a track sent as a source through the operations posted, and posts each port’s level by node id and port', async () => {
    const w = await loadWorklet();
    // A 0.5-peak stereo tone (L at 0.5, R at 0.25) through a -6.0206 dB gain into the master
    const n = SR;
    const left = new Float32Array(n);
    for (let i = 0; i < n; i++) left[i] = 0.5 * Math.sin((2 * Math.PI * 375 * i) / SR);
    const right = left.map((v) => v / 2);
    w.send({ type: 'source', name: 'tone.wav', channels: [left, right] });
    const plan = planOf(session([node('t', 'track', { source: 'tone.wav' }), node('g', 'gain', { gain: -6.0206 }), node('m', 'master')], chain(['t', 'g', 'm'])));
    w.send({ type: 'ops', ops: diff(null, plan) });
    expect(w.blocks(4)[0].every((v) => v === 0)).toBe(true); // stopped: silence
    w.send({ type: 'start', from: 0 });
    const out = w.blocks(3 * METER_POST_BLOCKS);
    // The track's own samples, halved by the gain (the master at 0 dB)
    for (const i of [1, 100, 1000, 4000]) {
      expect(out[0][i]).toBeCloseTo(left[i] / 2, 6);
      expect(out[1][i]).toBeCloseTo(right[i] / 2, 6);
    }
    const posts = meterPosts(w.posts);
    expect(posts.length).toBeGreaterThanOrEqual(3);
    const levels = new Levels();
    for (const p of posts) levels.receive(p);
    const last = posts[posts.length - 1];
    // Peaks over the 12 blocks since the post before: a 375 Hz tone reaches its crest in each
    expect(levels.get('t', 'out')!.peak[0]).toBeCloseTo(0.5, 3);
    expect(levels.get('t', 'out')!.peak[1]).toBeCloseTo(0.25, 3);
    expect(levels.get('t', 'out')!.rms[0]).toBeCloseTo(0.5 / Math.SQRT2, 3);
    expect(levels.get('g')!.peak[0]).toBeCloseTo(0.25, 3); // the first output by default
    expect(levels.get('m', 'speakers')!.peak[0]).toBeCloseTo(0.25, 3);
    expect(levels.peak('m')).toBeCloseTo(0.25, 3);
    expect(levels.get('nowhere')).toBeNull();
    expect(levels.get('g', 'nope')).toBeNull();
    // The master's loudness and the position come along
    expect(Number.isFinite(last.loudness)).toBe(true);
    // Posts come every 12 blocks (the 4 stopped blocks count): the last after 36, 32 of them played
    expect(last.position).toBeCloseTo(((3 * METER_POST_BLOCKS - 4) * 128) / SR, 9);
  });

  it('applies live edits between blocks, re-sends the layout when ports come and go, and posts readings', async () => {
    const w = await loadWorklet();
    const doc = (withComp: boolean) =>
      planOf(session([node('g', 'generator', { frequency: 375, level: -6.0206 }), ...(withComp ? [node('c', 'compressor', { threshold: -30, ratio: 10 })] : []), node('m', 'master')], chain(withComp ? ['g', 'c', 'm'] : ['g', 'm'])));
    const a = doc(false);
    w.send({ type: 'ops', ops: diff(null, a) });
    w.send({ type: 'start', from: 0 });
    w.blocks(METER_POST_BLOCKS);
    const first = meterPosts(w.posts).at(-1)!;
    expect(first.layout?.map((s) => `${s.id}.${s.port}`).sort()).toEqual(['g.out', 'm.speakers']);
    w.blocks(METER_POST_BLOCKS);
    expect(meterPosts(w.posts).at(-1)!.layout).toBeUndefined(); // same ports: no layout again
    const b = doc(true);
    w.send({ type: 'ops', ops: diff(a, b) });
    w.blocks(4 * METER_POST_BLOCKS);
    const posts = meterPosts(w.posts);
    const withLayout = posts.filter((p) => p.layout);
    expect(withLayout.length).toBe(2);
    expect(withLayout[1].layout!.map((s) => `${s.id}.${s.port}`).sort()).toEqual(['c.out', 'g.out', 'm.speakers']);
    const last = posts.at(-1)!;
    // A 0.5-peak tone 24 dB over a -30 dB threshold at 10:1: about 20 dB of reduction, posted
    expect(last.readings.c.reduction).toBeGreaterThan(15);
    const levels = new Levels();
    for (const p of posts) levels.receive(p);
    expect(levels.get('c', 'out')!.peak[0]).toBeLessThan(0.2);
    expect(levels.get('g', 'out')!.peak[0]).toBeCloseTo(0.5, 3);
    expect(w.posts.filter((p) => p.type === 'error')).toEqual([]);
  });

  it('K-weights the watched ports only, and their short-term loudness reads as analyze() reads the same signal', async () => {
    const w = await loadWorklet();
    // A 1 kHz sine at -20 dBFS (peak 0.1) on both channels, 4 s
    const n = 4 * SR;
    const tone = new Float32Array(n);
    for (let i = 0; i < n; i++) tone[i] = 0.1 * Math.sin((2 * Math.PI * 1000 * i) / SR);
    w.send({ type: 'source', name: 'tone.wav', channels: [tone, tone.slice()] });
    const plan = planOf(session([node('t', 'track', { source: 'tone.wav' }), node('g', 'gain', { gain: -10 }), node('m', 'master')], chain(['t', 'g', 'm'])));
    w.send({ type: 'ops', ops: diff(null, plan) });
    w.send({ type: 'start', from: 0 });
    // Nothing watched: nothing K-weighted, nothing posted for it
    w.blocks(METER_POST_BLOCKS);
    expect(meterPosts(w.posts).at(-1)!.watched.length).toBe(0);
    expect(meterPosts(w.posts).at(-1)!.watchVersion).toBe(-1);
    const levels = new Levels();
    for (const p of meterPosts(w.posts)) levels.receive(p);
    expect(levels.shortTerm('t', 'out')).toBeNull();
    // Watch the track's output, the gain's and the master's default port (its speakers)
    const ports = [{ id: 't', port: 'out' }, { id: 'g', port: 'out' }, { id: 'm' }];
    w.send({ type: 'watch', version: 1, ports });
    levels.watch(1, ports);
    expect(levels.shortTerm('t', 'out')).toBeNaN(); // watched, nothing measured yet
    const from = w.posts.length;
    const blocks = Math.ceil((3.2 * SR) / 128 / METER_POST_BLOCKS) * METER_POST_BLOCKS;
    w.blocks(blocks);
    const posts = meterPosts(w.posts.slice(from));
    for (const p of posts) levels.receive(p);
    expect(posts[0].watchVersion).toBe(1);
    expect(posts[0].watched.length).toBe(WATCH_STRIDE * 3);
    expect(posts.every((p) => p.watched[2] === 128 * METER_POST_BLOCKS)).toBe(true); // the frames of each post
    // What the loudness module's own whole-file analysis reads on the same 3 s of the signal
    const expected = analyze([tone.slice(SR, 4 * SR), tone.slice(SR, 4 * SR)], SR).integrated;
    expect(expected).toBeCloseTo(-20, 1); // BS.1770: a 0 dBFS 1 kHz sine in both channels is 0 LUFS (the K filter's +0.69 dB at 1 kHz cancels the -0.691)
    const st = levels.shortTerm('t', 'out')!;
    const mo = levels.momentary('t', 'out')!;
    expect(Math.abs(st - expected)).toBeLessThan(0.1);
    expect(Math.abs(st - -20)).toBeLessThan(0.1);
    expect(Math.abs(mo - expected)).toBeLessThan(0.1);
    expect(Math.abs(levels.shortTerm('g', 'out')! - (expected - 10))).toBeLessThan(0.1);
    expect(Math.abs(levels.shortTerm('m')! - (expected - 10))).toBeLessThan(0.1);
    // The master's own loudness meter (momentary) agrees with the watched speakers' momentary
    expect(Math.abs(posts.at(-1)!.loudness - levels.momentary('m')!)).toBeLessThan(0.1);
    // Watching fewer ports: the ones dropped are forgotten, the one kept keeps its history
    w.send({ type: 'watch', version: 2, ports: [{ id: 'g', port: 'out' }] });
    levels.watch(2, [{ id: 'g', port: 'out' }]);
    const again = w.posts.length;
    w.blocks(METER_POST_BLOCKS);
    const next = meterPosts(w.posts.slice(again));
    for (const p of next) levels.receive(p);
    expect(next.at(-1)!.watched.length).toBe(WATCH_STRIDE);
    expect(levels.shortTerm('t', 'out')).toBeNull();
    expect(Math.abs(levels.shortTerm('g', 'out')! - (expected - 10))).toBeLessThan(0.1);
    expect(w.posts.filter((p) => p.type === 'error')).toEqual([]);
  });

  it('reports a failing operation as an error message and keeps running', async () => {
    const w = await loadWorklet();
    w.send({ type: 'ops', ops: [{ op: 'connect', edge: { from: 'x', fromPort: 'out', to: 'y', toPort: 'in' } }] });
    expect(w.posts.filter((p) => p.type === 'error').map((p) => (p as { message: string }).message)).toEqual(['cannot connect x -> y: node missing']);
    expect(() => w.blocks(METER_POST_BLOCKS)).not.toThrow();
  });

  it('plays a soloed port instead of the master (monitor-ports), posts what reached the speakers, and says when the solo ended itself', async () => {
    const w = await loadWorklet();
    // Two tones on different paths: 375 Hz at 0.5 through a -6.0206 dB gain, 750 Hz at 0.1, a master at -12 dB
    const two = (withHigh: boolean) =>
      planOf(
        session(
          [node('g', 'generator', { frequency: 375, level: -6.0206 }), node('half', 'gain', { gain: -6.0206 }), ...(withHigh ? [node('hi', 'generator', { frequency: 750, level: -20 })] : []), node('m', 'master', { gain: -12 })],
          [...chain(['g', 'half', 'm']), ...(withHigh ? chain(['hi', 'm']) : [])],
        ),
      );
    const plan = two(true);
    w.send({ type: 'ops', ops: diff(null, plan) });
    w.send({ type: 'start', from: 0 });
    w.blocks(2 * METER_POST_BLOCKS);
    const mixOut = meterPosts(w.posts).at(-1)!;
    expect(mixOut.solo).toEqual({ version: -1, playing: false });
    // The mix: 0.25 + 0.1 at -12 dB, under 0.1
    expect(mixOut.output[0]).toBeLessThan(0.1);
    w.send({ type: 'monitor-ports', version: 1, ports: [{ id: 'g', port: 'out' }] });
    w.blocks(4 * METER_POST_BLOCKS); // the crossfade is over in the first post
    const solo = meterPosts(w.posts).at(-1)!;
    expect(solo.solo).toEqual({ version: 1, playing: true });
    const levels = new Levels();
    for (const p of meterPosts(w.posts)) levels.receive(p);
    // The speakers get the generator's port at unity: its own peak and RMS, on both sides
    expect(solo.output[0]).toBeCloseTo(levels.get('g', 'out')!.peak[0], 5);
    expect(solo.output[1]).toBeCloseTo(0.5, 3);
    expect(solo.output[2]).toBeCloseTo(0.5 / Math.SQRT2, 3);
    const out = w.blocks(METER_POST_BLOCKS);
    const level = (x: Float32Array) => Math.max(...x.map(Math.abs));
    expect(level(out[0])).toBeCloseTo(0.5, 3);
    // The node soloed goes: the solo ends by itself, the master comes back
    w.send({ type: 'ops', ops: diff(plan, planOf(session([node('hi', 'generator', { frequency: 750, level: -20 }), node('m', 'master', { gain: -12 })], chain(['hi', 'm'])))) });
    w.blocks(2 * METER_POST_BLOCKS);
    expect(meterPosts(w.posts).at(-1)!.solo).toEqual({ version: 1, playing: false });
    expect(meterPosts(w.posts).at(-1)!.output[0]).toBeCloseTo(0.1 * 10 ** (-12 / 20), 3);
    w.send({ type: 'monitor-ports', version: 2, ports: [] });
    w.blocks(METER_POST_BLOCKS);
    expect(meterPosts(w.posts).at(-1)!.solo).toEqual({ version: 2, playing: false });
    expect(w.posts.filter((p) => p.type === 'error')).toEqual([]);
  });
});
