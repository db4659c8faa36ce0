// Runtime speed check (not a test): tsx bench/runtime.ts [--seconds 60,180] [--block 128] [--runs 1]
//   [--no-ffmpeg] [--nodes] [--meters]
//
// The 16-track session of bench/session16.ts (per track: gain and pan in the track, a 4-band EQ, a
// compressor; 8 tracks on each of two buses; the master) rendered at 48 kHz stereo through the
// runtime on this thread, in this process (bench/render.ts measures whole processes), and ffmpeg running the same processing as one -filter_complex graph
// (per track volume, pan, highpass, lowshelf, equalizer, highshelf, acompressor; amix for the
// buses and the master) on the same generated stems, in the same run. Prints seconds and × real
// time for both. --nodes adds a per-node-type breakdown of the runtime's time (each processor's
// process() timed; the rest is the runtime's own work: summing, meters, bypass, scheduling).
// Run it under the test lock on the shared machine: flock /tmp/mixgraph-test.lock npx tsx bench/runtime.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import type { NodeProcessor } from '../nodes/define.ts';
import { definitions } from '../nodes/registry.ts';
import { compile } from '../src/compiler/compile.ts';
import { encodeWav } from '../src/io/wav.ts';
import { OfflineRender } from '../src/runtime/render.ts';
import { memorySource } from '../src/runtime/source.ts';
import { benchSession, ffmpegGraph, RATE, StemSynth, TRACKS } from './session16.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const flag = (name: string) => process.argv.includes(`--${name}`);

const SECONDS = (arg('seconds') ?? '60,180').split(',').map(Number);
const BLOCK = Number(arg('block') ?? 128);
const RUNS = Math.max(1, Number(arg('runs') ?? 1));
const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// The session and stems of bench/session16.ts

/** The 16 mono stems, `frames` long, in memory. */
function makeSources(frames: number): Float32Array[] {
  return Array.from({ length: TRACKS }, (_, t) => {
    const out = new Float32Array(frames);
    new StemSynth(t).fill(out);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Per-node-type timing (--nodes): each definition's processors get a timed process()

const nodeTime = new Map<string, number>();
function timeProcessors(): void {
  for (const def of definitions) {
    const make = def.processor;
    (def as { processor: typeof make }).processor = (ctx, params) => {
      const p: NodeProcessor = make(ctx, params);
      const inner = p.process.bind(p);
      p.process = (inputs, outputs, frames) => {
        const t0 = performance.now();
        inner(inputs, outputs, frames);
        nodeTime.set(def.type, (nodeTime.get(def.type) ?? 0) + performance.now() - t0);
      };
      return p;
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Renders

interface Result {
  seconds: number;
  wallS: number;
  realTime: number;
  peak: number;
  rms: number;
}

function renderRuntime(sources: Float32Array[], seconds: number, meters: boolean): Result {
  const frames = Math.round(seconds * RATE);
  const compiled = compile(benchSession());
  if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('\n'));
  const memory = sources.map((s) => memorySource([s.length === frames ? s : s.subarray(0, frames)], RATE));
  const t0 = performance.now();
  const render = new OfflineRender(compiled.plan, { sampleRate: RATE, frames, blockSize: BLOCK, meters, sources: (name) => memory[Number(name.slice(3))] });
  const chunk = 8192;
  const out = [new Float32Array(chunk), new Float32Array(chunk)];
  let peak = 0;
  let sum = 0;
  for (let done = 0; done < frames; ) {
    const n = render.next(out, Math.min(chunk, frames - done));
    for (let c = 0; c < 2; c++) {
      const d = out[c];
      for (let i = 0; i < n; i++) {
        const v = d[i];
        sum += v * v;
        if (Math.abs(v) > peak) peak = Math.abs(v);
      }
    }
    done += n;
  }
  const wallS = (performance.now() - t0) / 1000;
  render.dispose();
  return { seconds, wallS, realTime: seconds / wallS, peak, rms: Math.sqrt(sum / (2 * frames)) };
}

function renderFfmpeg(dir: string, seconds: number, oneThread: boolean): Result & { cpuS: number } {
  const inputs = Array.from({ length: TRACKS }, (_, t) => ['-i', join(dir, `s${t}.wav`)]).flat();
  const threads = oneThread ? ['-threads', '1', '-filter_complex_threads', '1'] : [];
  const argv = ['-hide_banner', '-nostats', '-benchmark', ...threads, ...inputs, '-filter_complex', ffmpegGraph(), '-map', '[out]', '-t', String(seconds), '-c:a', 'pcm_f32le', '-f', 'null', '-'];
  const t0 = performance.now();
  const r = spawnSync('ffmpeg', argv, { encoding: 'utf8' });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-1500)}`);
  const bench = /utime=([\d.]+)s stime=([\d.]+)s/.exec(r.stderr);
  const cpuS = bench ? Number(bench[1]) + Number(bench[2]) : NaN;
  return { seconds, wallS, realTime: seconds / wallS, peak: NaN, rms: NaN, cpuS };
}

// ---------------------------------------------------------------------------------------------

const longest = Math.max(...SECONDS);
log(`runtime bench: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, node ${process.version}, load ${os.loadavg()[0].toFixed(2)}; block ${BLOCK}`);
let t0 = performance.now();
const sources = makeSources(longest * RATE);
log(`stems: ${TRACKS} × ${longest} s synthesised in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (flag('nodes')) timeProcessors();
// Warm up the JIT on a few seconds
renderRuntime(sources, 5, flag('meters'));
nodeTime.clear();

const rows: string[] = [];
const runtimeResults = new Map<number, Result>();
/** Per node type, ms inside process() in the renders without meters (the ones the breakdown is of). */
const plainNodeTime = new Map<string, number>();
let plainWallMs = 0;
let plainAudioS = 0;
for (const seconds of SECONDS) {
  for (const meters of flag('meters-only') ? [true] : flag('meters') ? [false, true] : [false]) {
    const results: Result[] = [];
    for (let r = 0; r < RUNS; r++) {
      nodeTime.clear();
      const result = renderRuntime(sources, seconds, meters);
      results.push(result);
      if (!meters) {
        for (const [type, ms] of nodeTime) plainNodeTime.set(type, (plainNodeTime.get(type) ?? 0) + ms);
        plainWallMs += result.wallS * 1000;
        plainAudioS += seconds;
      }
    }
    const best = results.reduce((a, b) => (b.wallS < a.wallS ? b : a));
    if (!meters) runtimeResults.set(seconds, best);
    const label = `runtime, one thread${meters ? ', meters on every port' : ''}`;
    rows.push(`| ${label} | ${seconds} | ${results.map((x) => x.wallS.toFixed(2)).join(', ')} | ${best.realTime.toFixed(1)} | peak ${(20 * Math.log10(best.peak)).toFixed(2)} dBFS, RMS ${(20 * Math.log10(best.rms)).toFixed(2)} dBFS |`);
    log(`${label}, ${seconds} s: ${best.wallS.toFixed(2)} s (${best.realTime.toFixed(1)}x real time)`);
  }
}

if (flag('nodes')) {
  const total = [...plainNodeTime.values()].reduce((a, b) => a + b, 0);
  const wall = plainWallMs;
  const audio = plainAudioS;
  rows.push('', '| part (renders without meters, timed per process() call) | ms per second of audio | share |', '|---|---:|---:|');
  for (const [type, ms] of [...plainNodeTime.entries()].sort((a, b) => b[1] - a[1])) rows.push(`| ${type} processors | ${(ms / audio).toFixed(2)} | ${((100 * ms) / wall).toFixed(1)} % |`);
  rows.push(`| runtime (sums, bypass, schedule, timing calls) | ${((wall - total) / audio).toFixed(2)} | ${((100 * (wall - total)) / wall).toFixed(1)} % |`);
}

if (!flag('no-ffmpeg')) {
  const dir = mkdtempSync(join(os.tmpdir(), 'mixgraph-bench-'));
  try {
    t0 = performance.now();
    sources.forEach((s, t) => writeFileSync(join(dir, `s${t}.wav`), encodeWav([s], RATE, '32f')));
    log(`stems written as 32-bit float WAVs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const seconds of SECONDS) {
      for (const oneThread of [false, true]) {
        const results = Array.from({ length: RUNS }, () => renderFfmpeg(dir, seconds, oneThread));
        const best = results.reduce((a, b) => (b.wallS < a.wallS ? b : a));
        const ours = runtimeResults.get(seconds)!;
        const label = `ffmpeg -filter_complex${oneThread ? ' (-threads 1 -filter_complex_threads 1)' : ''}`;
        rows.push(`| ${label} | ${seconds} | ${results.map((x) => x.wallS.toFixed(2)).join(', ')} | ${best.realTime.toFixed(1)} | CPU ${best.cpuS.toFixed(2)} s; runtime / ffmpeg speed ${(ours.realTime / best.realTime).toFixed(2)} |`);
        log(`${label}, ${seconds} s: ${best.wallS.toFixed(2)} s (${best.realTime.toFixed(1)}x real time, CPU ${best.cpuS.toFixed(2)} s)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const table = [
  `16 tracks (gain, pan, 4-band EQ, compressor each), 2 buses, master; ${RATE} Hz stereo; block ${BLOCK}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, node ${process.version}; load ${os.loadavg()[0].toFixed(2)} at the end`,
  '',
  '| render | audio (s) | run times (s) | × real time | note |',
  '|---|---:|---|---:|---|',
  ...rows,
].join('\n');
console.log(table);
const results = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'runtime.json'), JSON.stringify({ date: new Date().toISOString(), argv: process.argv.slice(2), markdown: table }, null, 2) + '\n');
