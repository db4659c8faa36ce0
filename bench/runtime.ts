// Runtime speed check (not a test): tsx bench/runtime.ts [--seconds 60,180] [--block 128] [--runs 1]
//   [--no-ffmpeg] [--nodes] [--meters]
//
// The 16-track session of bench/run.ts (per track: gain and pan in the track, a 4-band EQ, a
// compressor; 8 tracks on each of two buses; the master) rendered at 48 kHz stereo through the
// runtime on this thread, and ffmpeg running the same processing as one -filter_complex graph
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

import type { NodeProcessor, Params } from '../nodes/define.ts';
import { definitions, getDefinition } from '../nodes/registry.ts';
import { compile } from '../src/compiler/compile.ts';
import type { BiquadType } from '../src/dsp/biquad.ts';
import { encodeWav } from '../src/io/wav.ts';
import { emptySession, type DocEdge, type DocNode, type SessionDoc } from '../src/model/document.ts';
import { fillParams } from '../src/model/params.ts';
import { OfflineRender } from '../src/runtime/render.ts';
import { memorySource } from '../src/runtime/source.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const flag = (name: string) => process.argv.includes(`--${name}`);

const SECONDS = (arg('seconds') ?? '60,180').split(',').map(Number);
const BLOCK = Number(arg('block') ?? 128);
const RUNS = Math.max(1, Number(arg('runs') ?? 1));
const RATE = 48000;
const TRACKS = 16;
const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// The session and stems of bench/run.ts (the same numbers; that file runs its bench on import)

function node(id: string, type: string, params: Params = {}): DocNode {
  return { id, type, params: fillParams(getDefinition(type)!, params) };
}
const edge = (from: string, to: string): DocEdge => ({ from, fromPort: 'out', to, toPort: 'in' });
interface Band {
  type: BiquadType;
  frequency: number;
  gain: number;
  q: number;
}
function bandsFor(i: number): Band[] {
  return [
    { type: 'highpass', frequency: 40 + 5 * (i % 8), gain: 0, q: 0.707 },
    { type: 'lowshelf', frequency: 150 + 10 * (i % 5), gain: 2, q: 0.707 },
    { type: 'peaking', frequency: 2000 + 100 * (i % 7), gain: -3, q: 1.4 },
    { type: 'highshelf', frequency: 8000, gain: 2.5, q: 0.707 },
  ];
}
const COMPRESSOR = { threshold: -24, ratio: 3, knee: 6, attack: 10, release: 120, makeup: 2 };
const TRACK_GAIN_DB = -12;
const panFor = (i: number, n: number) => Number((-0.8 + (1.6 * i) / Math.max(1, n - 1)).toFixed(3));

function benchSession(): SessionDoc {
  const doc = emptySession('bench 16 tracks');
  doc.nodes.push(node('master', 'master'));
  for (const b of [0, 1]) {
    doc.nodes.push(node(`bus${b}`, 'bus'));
    doc.edges.push(edge(`bus${b}`, 'master'));
  }
  for (let i = 0; i < TRACKS; i++) {
    doc.nodes.push(node(`track${i}`, 'track', { source: `src${i}`, gain: TRACK_GAIN_DB, pan: panFor(i, TRACKS) }));
    doc.nodes.push(node(`eq${i}`, 'eq', { bands: bandsFor(i) as unknown as Params['bands'] }));
    doc.nodes.push(node(`comp${i}`, 'compressor', COMPRESSOR));
    doc.edges.push(edge(`track${i}`, `eq${i}`), edge(`eq${i}`, `comp${i}`), edge(`comp${i}`, `bus${i < TRACKS / 2 ? 0 : 1}`));
  }
  return doc;
}

/** 16 mono sources: a decaying tone on every half beat plus seeded noise bursts, peak about 0.5. */
function makeSources(frames: number): Float32Array[] {
  const sources: Float32Array[] = [];
  for (let t = 0; t < TRACKS; t++) {
    const out = new Float32Array(frames);
    let seed = (0x9e3779b9 * (t + 1)) >>> 0;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let x = seed;
      x = Math.imul(x ^ (x >>> 15), x | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const freq = 55 * Math.pow(2, (t * 5) / 12);
    const w = (2 * Math.PI * freq) / RATE;
    const [c, s] = [Math.cos(w), Math.sin(w)];
    let x = 1;
    let y = 0;
    const note = Math.round(0.3 * RATE);
    let burst = 0;
    let burstLen = 1;
    for (let i = 0; i < frames; i++) {
      const nx = x * c - y * s;
      y = x * s + y * c;
      x = nx;
      if ((i & 1023) === 0) {
        const norm = 1 / Math.hypot(x, y);
        x *= norm;
        y *= norm;
      }
      const inNote = i % note;
      if (inNote === 0 && burst <= 0 && random() < 0.3) burst = burstLen = Math.round((0.05 + random() * 0.15) * RATE);
      const tone = y * (0.15 + 0.25 * Math.exp(-inNote / (0.12 * RATE)));
      let noise = 0;
      if (burst > 0) {
        noise = (random() * 2 - 1) * 0.25 * (burst / burstLen);
        burst--;
      }
      out[i] = tone + noise;
    }
    sources.push(out);
  }
  return sources;
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

function ffmpegGraph(): string {
  const db = (x: number) => Math.pow(10, x / 20);
  const parts: string[] = [];
  for (let i = 0; i < TRACKS; i++) {
    const p = panFor(i, TRACKS);
    const m = ((p + 1) / 2) * (Math.PI / 2);
    const [b0, b1, b2, b3] = bandsFor(i);
    parts.push(
      `[${i}:a]volume=${TRACK_GAIN_DB}dB,` +
        `pan=stereo|c0=${Math.cos(m).toFixed(6)}*c0|c1=${Math.sin(m).toFixed(6)}*c0,` +
        `highpass=f=${b0.frequency}:width_type=q:width=${b0.q},` +
        `lowshelf=f=${b1.frequency}:width_type=q:width=${b1.q}:gain=${b1.gain},` +
        `equalizer=f=${b2.frequency}:width_type=q:width=${b2.q}:gain=${b2.gain},` +
        `highshelf=f=${b3.frequency}:width_type=q:width=${b3.q}:gain=${b3.gain},` +
        `acompressor=threshold=${db(COMPRESSOR.threshold).toFixed(6)}:ratio=${COMPRESSOR.ratio}:attack=${COMPRESSOR.attack}:release=${COMPRESSOR.release}:` +
        `makeup=${db(COMPRESSOR.makeup).toFixed(6)}:knee=${db(COMPRESSOR.knee).toFixed(4)}:link=maximum:detection=peak[t${i}]`,
    );
  }
  const half = TRACKS / 2;
  const bus = (b: number) => Array.from({ length: half }, (_, k) => `[t${b * half + k}]`).join('') + `amix=inputs=${half}:normalize=0[b${b}]`;
  parts.push(bus(0), bus(1), '[b0][b1]amix=inputs=2:normalize=0[out]');
  return parts.join(';');
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
