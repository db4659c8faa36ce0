// Mixgraph benchmark: npm run bench [-- --budget 900 --minutes 3 --runs 2 --compile-runs 20]
//   1. compile() time for 100- and 1,000-node graphs (cold: fresh documents; edit: after one
//      parameter edit, when immer has kept every other node and the compiler's cache hits);
//   2. engine operations produced by one edit (param, bypass, edge add, edge remove) in the
//      1,000-node graph;
//   3. offline render speed of a 16-track session through Mixgraph (compile + engine +
//      offlineEngine) beside the same graph wired by hand on node-web-audio-api (outputs are
//      compared: they must be identical), plus two worklet-free diagnostic variants, with and
//      without Mixgraph's wrapper GainNodes, to show what the wrappers and the worklets cost.
// Prints markdown tables and writes everything to bench/results/latest.json.
//
// Render length: 3 minutes, unless a short calibration render says the runs would not fit in
// the time budget (--budget seconds for the whole bench); then it renders as much as fits and
// says so. --minutes forces a length. node-web-audio-api runs each AudioWorkletNode with a
// round trip to a worklet thread every 128 frames, and that thread polls: renders need two
// idle cores, and on a busy machine they slow down by orders of magnitude (the table prints
// the load average; compare runs only on an idle machine).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { AudioBuffer as NativeAudioBuffer, AudioWorkletNode, OfflineAudioContext } from 'node-web-audio-api';

import type { Params } from '../nodes/define.ts';
import { webAudioQ } from '../nodes/eq/definition.ts';
import { getDefinition } from '../nodes/registry.ts';
import { Panner } from '../nodes/shared.ts';
import { compile } from '../src/compiler/compile.ts';
import { diff } from '../src/compiler/diff.ts';
import type { Operation, Plan } from '../src/compiler/plan.ts';
import { cookbook, type BiquadType } from '../src/dsp/biquad.ts';
import { offlineEngine, render, workletModuleUrl } from '../src/engine/webaudio-node.ts';
import { apply, connect, disconnect, setBypass, setParam, type Command } from '../src/model/commands.ts';
import { emptySession, type DocEdge, type DocNode, type SessionDoc } from '../src/model/document.ts';
import { fillParams } from '../src/model/params.ts';
import { COMPRESSOR_PROCESSOR, GUARD_PROCESSOR } from '../src/worklets/names.ts';
import { option } from './options.ts';

// ---------------------------------------------------------------------------------------------
// Options

const FORCED_MINUTES = process.argv.includes('--minutes') ? option('minutes', 3) : 0;
/** Audio rendered per run unless the time budget says less. */
const RENDER_MINUTES = FORCED_MINUTES || 3;
const RENDER_RUNS = Math.max(2, Math.round(option('runs', 2)));
/** Seconds the whole bench should take; the render length shrinks to fit (not with --minutes). */
const BUDGET_SECONDS = option('budget', 900);
const CALIBRATION_SECONDS = 2;
const COMPILE_RUNS = Math.round(option('compile-runs', 20));
const COMPILE_WARMUP = 5;
const RATE = 48000;
const TRACKS = 16;

const GOALS = { compileMs: 20, ops: 1, renderRatio: 1.1 };
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (v: number, digits = 2) => Number(v.toFixed(digits));
const log = (line: string) => process.stderr.write(`${line}\n`);

function node(id: string, type: string, params: Params = {}, x = 0, y = 0): DocNode {
  return { id, type, position: { x, y }, params: fillParams(getDefinition(type)!, params) };
}
const edge = (from: string, to: string, fromPort = 'out', toPort = 'in'): DocEdge => ({ from, fromPort, to, toPort });

interface Band {
  type: BiquadType;
  frequency: number;
  gain: number;
  q: number;
}
/** The 4-band EQ every bench track uses (shelves become IIRFilterNodes); varied a little per track. */
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
const panFor = (i: number, n: number) => round(-0.8 + (1.6 * i) / Math.max(1, n - 1), 3);

/**
 * Chains track -> eq (4 bands) -> compressor, spread over buses, buses into the master:
 * 3·chains + buses + 1 = `total` nodes.
 */
function chainSession(total: number): { doc: SessionDoc; chains: number; buses: number } {
  const chains = Math.floor((8 * (total - 1)) / 25); // about 8 chains per bus
  const buses = total - 1 - 3 * chains;
  const doc = emptySession(`bench ${total}`);
  doc.nodes.push(node('master', 'master', {}, 1000, 0));
  for (let b = 0; b < buses; b++) {
    doc.nodes.push(node(`bus${b}`, 'bus', {}, 750, b * 100));
    doc.edges.push(edge(`bus${b}`, 'master'));
  }
  for (let i = 0; i < chains; i++) {
    doc.nodes.push(node(`track${i}`, 'track', { source: `audio/${i}.wav`, gain: TRACK_GAIN_DB, pan: panFor(i, chains) }, 0, i * 100));
    doc.nodes.push(node(`eq${i}`, 'eq', { bands: bandsFor(i) as unknown as Params['bands'] }, 250, i * 100));
    doc.nodes.push(node(`comp${i}`, 'compressor', COMPRESSOR, 500, i * 100));
    doc.edges.push(edge(`track${i}`, `eq${i}`), edge(`eq${i}`, `comp${i}`), edge(`comp${i}`, `bus${i % buses}`));
  }
  if (doc.nodes.length !== total) throw new Error(`built ${doc.nodes.length} nodes, wanted ${total}`);
  return { doc, chains, buses };
}

function compiled(doc: SessionDoc): Plan {
  const result = compile(doc);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.plan;
}

// ---------------------------------------------------------------------------------------------
// 1. Compile time

interface CompileFigures {
  nodes: number;
  edges: number;
  coldMedianMs: number;
  coldMinMs: number;
  editMedianMs: number;
}

function benchCompile(total: number): CompileFigures {
  const { doc } = chainSession(total);
  // Cold: a fresh copy of the document each run, so no node is in the compiler's cache.
  const cold: number[] = [];
  for (let r = 0; r < COMPILE_WARMUP + COMPILE_RUNS; r++) {
    const copy = structuredClone(doc);
    const t0 = performance.now();
    compiled(copy);
    const t = performance.now() - t0;
    if (r >= COMPILE_WARMUP) cold.push(t);
  }
  // After an edit: immer keeps the other nodes, so their plan nodes come from the cache.
  let current = doc;
  compiled(current);
  const edit: number[] = [];
  for (let r = 0; r < COMPILE_WARMUP + COMPILE_RUNS; r++) {
    current = apply(current, setParam('comp0', 'threshold', r % 2 ? -20 : -22)).doc;
    const t0 = performance.now();
    compiled(current);
    const t = performance.now() - t0;
    if (r >= COMPILE_WARMUP) edit.push(t);
  }
  return { nodes: doc.nodes.length, edges: doc.edges.length, coldMedianMs: round(median(cold), 3), coldMinMs: round(Math.min(...cold), 3), editMedianMs: round(median(edit), 3) };
}

// ---------------------------------------------------------------------------------------------
// 2. Operations per edit

interface OpsFigures {
  edit: string;
  ops: number;
  kinds: string;
  /** compile(next) + diff(previous, next), median ms. */
  editToOpsMs: number;
}

function benchOps(): OpsFigures[] {
  const { doc, buses } = chainSession(1000);
  const before = compiled(doc);
  const edgeToRemove = doc.edges.find((e) => e.from === 'comp11')!;
  const edits: [string, Command][] = [
    ['param edit (compressor threshold)', setParam('comp10', 'threshold', -30)],
    ['bypass toggle (eq)', setBypass('eq12', true)],
    ['edge add (comp -> second bus)', connect({ from: 'comp13', to: `bus${(13 + 1) % buses}` })],
    ['edge remove (comp -> bus)', disconnect(edgeToRemove)],
  ];
  return edits.map(([label, command]) => {
    const next = apply(doc, command).doc;
    let ops: Operation[] = [];
    const times: number[] = [];
    for (let r = 0; r < COMPILE_WARMUP + COMPILE_RUNS; r++) {
      const t0 = performance.now();
      ops = diff(before, compiled(next));
      const t = performance.now() - t0;
      if (r >= COMPILE_WARMUP) times.push(t);
    }
    return { edit: label, ops: ops.length, kinds: ops.map((o) => o.op).join(', '), editToOpsMs: round(median(times), 3) };
  });
}

// ---------------------------------------------------------------------------------------------
// 3. Render speed

/** 16 mono sources: a decaying tone on every half beat plus seeded noise bursts, peak about 0.5. */
function makeSources(frames: number): AudioBuffer[] {
  const scratch = new Float32Array(frames);
  const sources: AudioBuffer[] = [];
  for (let t = 0; t < TRACKS; t++) {
    let seed = (0x9e3779b9 * (t + 1)) >>> 0;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let x = seed;
      x = Math.imul(x ^ (x >>> 15), x | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const freq = 55 * Math.pow(2, (t * 5) / 12); // 55 Hz up to ~4 kHz
    const w = (2 * Math.PI * freq) / RATE;
    const [c, s] = [Math.cos(w), Math.sin(w)];
    let x = 1;
    let y = 0;
    const note = Math.round(0.3 * RATE); // a note every 300 ms (100 BPM 8ths)
    let burst = 0; // samples left in the current noise burst
    let burstLen = 1;
    for (let i = 0; i < frames; i++) {
      const nx = x * c - y * s; // rotating phasor: a sine without Math.sin
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
      scratch[i] = tone + noise;
    }
    const buffer = new NativeAudioBuffer({ length: frames, numberOfChannels: 1, sampleRate: RATE });
    buffer.copyToChannel(scratch, 0);
    sources.push(buffer);
  }
  return sources;
}

/** The 16-track session: 8 tracks on each of two buses, buses into the master. */
function renderSession(): SessionDoc {
  const doc = emptySession('bench 16 tracks');
  doc.nodes.push(node('master', 'master', {}, 1000, 0));
  for (const b of [0, 1]) {
    doc.nodes.push(node(`bus${b}`, 'bus', {}, 750, b * 400));
    doc.edges.push(edge(`bus${b}`, 'master'));
  }
  for (let i = 0; i < TRACKS; i++) {
    doc.nodes.push(node(`track${i}`, 'track', { source: `src${i}`, gain: TRACK_GAIN_DB, pan: panFor(i, TRACKS) }, 0, i * 100));
    doc.nodes.push(node(`eq${i}`, 'eq', { bands: bandsFor(i) as unknown as Params['bands'] }, 250, i * 100));
    doc.nodes.push(node(`comp${i}`, 'compressor', COMPRESSOR, 500, i * 100));
    doc.edges.push(edge(`track${i}`, `eq${i}`), edge(`eq${i}`, `comp${i}`), edge(`comp${i}`, `bus${i < TRACKS / 2 ? 0 : 1}`));
  }
  return doc;
}

interface Rendered {
  ms: number;
  /** Everything before rendering: Mixgraph compile + offlineEngine + engine.update; hand: context + addModule + wiring. */
  setupMs: number;
  output: Float32Array[];
  /** AudioNodes in the context (not counting sources and the destination). */
  nodes: number;
}

async function renderMixgraph(sources: AudioBuffer[], frames: number, keep: boolean): Promise<Rendered> {
  const t0 = performance.now();
  const plan = compiled(renderSession());
  const { ctx, engine } = await offlineEngine({ sampleRate: RATE, length: frames, channels: 2, getBuffer: (s) => sources[Number(s.slice(3))] });
  engine.update(plan);
  engine.start(0, 0);
  const setupMs = performance.now() - t0;
  const buffer = await render(ctx);
  const ms = performance.now() - t0;
  // Per track: fader, the panner's nodes, crossfader in/gen/out + 4 biquads, compressor, 2×4 bypass gains; buses 1+4; master 2.
  const pannerNodes = new Panner(ctx as unknown as BaseAudioContext, 0).nodes.length;
  const nodes = TRACKS * (1 + pannerNodes + 3 + 4 + 1 + 8) + 2 * 5 + 2;
  return { ms, setupMs, output: keep ? channels(buffer) : [], nodes };
}

interface HandOptions {
  /** Add the GainNodes Mixgraph's EQ crossfader and bypass wrapping add, in the same places. */
  wrappers: boolean;
  /** Include the compressor worklets (off: a diagnostic of what the worklets cost). */
  compressors: boolean;
  /** Include the master's guard worklet. */
  guard: boolean;
}

async function renderHand(sources: AudioBuffer[], frames: number, opts: HandOptions, keep: boolean): Promise<Rendered> {
  const t0 = performance.now();
  const ctx = new OfflineAudioContext(2, frames, RATE);
  // No worklet module without worklets: node-web-audio-api starts the worklet thread on addModule.
  if (opts.compressors || opts.guard) await ctx.audioWorklet.addModule(await workletModuleUrl());
  let nodes = 0;
  const gain = (value = 1) => {
    const g = ctx.createGain();
    g.gain.value = value;
    nodes++;
    return g;
  };
  /** Mixgraph's bypass wrapping: in -> first..last -> wet -> out, in -> dry(0) -> out. */
  const wrap = (first: AudioNode, last: AudioNode): [AudioNode, AudioNode] => {
    if (!opts.wrappers) return [first, last];
    const inBus = gain(1);
    const wet = gain(1);
    inBus.connect(first);
    last.connect(wet);
    const dry = gain(0);
    const outBus = gain(1);
    inBus.connect(dry);
    dry.connect(outBus);
    wet.connect(outBus);
    return [inBus, outBus];
  };

  const masterFader = gain(1);
  if (opts.guard) {
    const guard = new AudioWorkletNode(ctx, GUARD_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2] });
    nodes++;
    masterFader.connect(guard).connect(ctx.destination);
  } else masterFader.connect(ctx.destination);
  const buses = [0, 1].map(() => {
    const bus = gain(1);
    const [input, output] = wrap(bus, bus);
    output.connect(masterFader);
    return input;
  });
  for (let i = 0; i < TRACKS; i++) {
    const player = ctx.createBufferSource();
    player.buffer = sources[i];
    const fader = gain(Math.pow(10, TRACK_GAIN_DB / 20));
    // The track's panner as Mixgraph builds it (nodes/shared.ts: the spec's laws from gains, since
    // the browser's StereoPannerNode up-mixes mono), so the two outputs can be compared exactly.
    const panner = new Panner(ctx as unknown as BaseAudioContext, panFor(i, TRACKS));
    nodes += panner.nodes.length;
    player.connect(fader).connect(panner.input);
    // EQ: the same filters Mixgraph builds (natives for highpass/peaking, IIR for shelves).
    const chain: AudioNode[] = bandsFor(i).map((band) => {
      nodes++;
      if (band.type === 'highpass' || band.type === 'peaking') {
        const f = ctx.createBiquadFilter();
        f.type = band.type;
        f.frequency.value = band.frequency;
        f.Q.value = webAudioQ(band.type, band.q);
        f.gain.value = band.gain;
        return f;
      }
      const c = cookbook(band.type, band.frequency, band.q, band.gain, RATE);
      return ctx.createIIRFilter(c.b, c.a);
    });
    for (let k = 1; k < chain.length; k++) chain[k - 1].connect(chain[k]);
    let eqIn: AudioNode = chain[0];
    let eqOut: AudioNode = chain[chain.length - 1];
    if (opts.wrappers) {
      // The EQ's crossfader: input -> chain -> generation fader -> output.
      const xin = gain(1);
      const generation = gain(1);
      const xout = gain(1);
      xin.connect(eqIn);
      eqOut.connect(generation).connect(xout);
      [eqIn, eqOut] = [xin, xout];
    }
    const [eqInput, eqOutput] = wrap(eqIn, eqOut);
    panner.output.connect(eqInput);
    // Without worklets a unity GainNode stands in for the compressor (so its wrapping can be measured).
    let comp: AudioNode;
    if (opts.compressors) {
      const worklet = new AudioWorkletNode(ctx, COMPRESSOR_PROCESSOR, { numberOfInputs: 2, numberOfOutputs: 1, outputChannelCount: [2] });
      nodes++;
      for (const [name, value] of Object.entries(COMPRESSOR)) (worklet.parameters.get(name) as AudioParam).value = value;
      comp = worklet;
    } else comp = gain(1);
    const [compIn, compOut] = wrap(comp, comp);
    eqOutput.connect(compIn);
    compOut.connect(buses[i < TRACKS / 2 ? 0 : 1]);
    player.start(0);
  }
  const setupMs = performance.now() - t0;
  const buffer = await ctx.startRendering();
  const ms = performance.now() - t0;
  return { ms, setupMs, output: keep ? channels(buffer) : [], nodes };
}

function channels(buffer: AudioBuffer): Float32Array[] {
  return Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice());
}

function compare(a: Float32Array[], b: Float32Array[]): { maxDiff: number; peak: number } {
  let maxDiff = 0;
  let peak = 0;
  for (let c = 0; c < a.length; c++) {
    for (let i = 0; i < a[c].length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[c][i] - b[c][i]));
      peak = Math.max(peak, Math.abs(a[c][i]));
    }
  }
  return { maxDiff, peak };
}

interface Variant {
  name: string;
  run: (sources: AudioBuffer[], frames: number, keep: boolean) => Promise<Rendered>;
  times: number[];
  /** Time before rendering starts (see Rendered.setupMs). */
  setup: number[];
  nodes: number;
  output?: Float32Array[];
}

const variant = (name: string, run: Variant['run']): Variant => ({ name, run, times: [], setup: [], nodes: 0 });

/**
 * Seconds of audio to render per variant: the requested length, or less if the calibrated
 * speed says the runs would not fit in what is left of the time budget.
 */
function plannedSeconds(speed: number, remaining: number): number {
  if (FORCED_MINUTES) return FORCED_MINUTES * 60;
  // Per audio second: two worklet variants × runs, the two native-only variants (about a
  // tenth as dear, counted generously), and synthesising the 16 sources.
  const costPerSecond = (2 * RENDER_RUNS * 1.1) / speed + (2 * RENDER_RUNS * 0.15) / speed + 0.05;
  return Math.max(2, Math.min(RENDER_MINUTES * 60, Math.floor(remaining / costPerSecond)));
}

async function benchRender(budgetLeft: () => number) {
  await workletModuleUrl(); // bundle the worklets once, outside every timing
  // Calibrate (and warm up both code paths) on a few seconds of audio.
  const calFrames = CALIBRATION_SECONDS * RATE;
  const calSources = makeSources(calFrames);
  await renderMixgraph(calSources, calFrames, false);
  const calibration = await renderHand(calSources, calFrames, { wrappers: false, compressors: true, guard: true }, false);
  // Rendering speed without the fixed setup (context, worklet thread), which a short render exaggerates.
  const speed = CALIBRATION_SECONDS / ((calibration.ms - calibration.setupMs) / 1000);
  const seconds = plannedSeconds(speed, budgetLeft() - 10 - (4 * RENDER_RUNS * calibration.setupMs) / 1000);
  const shortened = seconds < RENDER_MINUTES * 60;
  log(`render: calibration ${CALIBRATION_SECONDS} s in ${(calibration.ms / 1000).toFixed(2)} s (${speed.toFixed(1)}x real time); rendering ${seconds} s per run${shortened ? ` (not ${RENDER_MINUTES * 60} s: it would not fit in the time budget)` : ''}`);
  const frames = Math.round(seconds * RATE);
  let t0 = performance.now();
  const sources = makeSources(frames);
  log(`render: ${TRACKS} sources of ${seconds} s synthesised in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const mixgraph = variant('Mixgraph (compile + engine + offlineEngine)', renderMixgraph);
  const hand = variant('hand-wired node-web-audio-api', (s, f, k) => renderHand(s, f, { wrappers: false, compressors: true, guard: true }, k));
  const native = variant('diagnostic: hand-wired, no worklets (unity gain for each compressor, no guard)', (s, f, k) => renderHand(s, f, { wrappers: false, compressors: false, guard: false }, k));
  const nativeWrapped = variant('diagnostic: the same + Mixgraph wrapper GainNodes', (s, f, k) => renderHand(s, f, { wrappers: true, compressors: false, guard: false }, k));
  const variants = [mixgraph, hand, native, nativeWrapped];
  // A busy machine can make one render take many times the calibrated length: past 1.5 times
  // the budget, stop after the current pair rather than run for an hour (reported as incomplete).
  let incomplete = false;
  runs: for (let r = 0; r < RENDER_RUNS; r++) {
    // Alternate the order too, so neither of a pair always runs right after the other.
    const pairs = r % 2 ? [[hand, mixgraph], [nativeWrapped, native]] : [[mixgraph, hand], [native, nativeWrapped]];
    for (const v of pairs.flat()) {
      t0 = performance.now();
      const result = await v.run(sources, frames, r === 0);
      v.times.push(result.ms);
      v.setup.push(result.setupMs);
      v.nodes = result.nodes;
      if (r === 0) v.output = result.output;
      log(`render: ${v.name}, run ${r + 1}: ${(result.ms / 1000).toFixed(2)} s (${(seconds / (result.ms / 1000)).toFixed(1)}x real time)`);
      if (budgetLeft() < -BUDGET_SECONDS / 2 && variants.every((x) => x.times.length > 0) && r + 1 < RENDER_RUNS) {
        log(`render: over the time budget (machine busy?); stopping after ${r + 1} run(s) of each variant`);
        incomplete = true;
        break runs;
      }
    }
  }
  const same = compare(mixgraph.output!, hand.output!);
  const sameWrapped = compare(nativeWrapped.output!, native.output!);
  const best = (v: Variant) => Math.min(...v.times);
  const rows = variants.map((v) => ({
    variant: v.name,
    audioNodes: v.nodes,
    timesS: v.times.map((t) => round(t / 1000, 2)),
    bestS: round(best(v) / 1000, 2),
    realTime: round(seconds / (best(v) / 1000), 1),
    bestSetupMs: round(Math.min(...v.setup), 1),
  }));
  return {
    seconds,
    requestedSeconds: FORCED_MINUTES ? FORCED_MINUTES * 60 : RENDER_MINUTES * 60,
    shortened,
    incomplete,
    calibrationRealTime: round(speed, 2),
    sampleRate: RATE,
    tracks: TRACKS,
    runs: RENDER_RUNS,
    rows,
    ratio: round(best(mixgraph) / best(hand), 3),
    setupMs: { mixgraph: round(Math.min(...mixgraph.setup), 1), hand: round(Math.min(...hand.setup), 1) },
    wrapperRatio: round(best(nativeWrapped) / best(native), 3),
    wrapperNodes: nativeWrapped.nodes - native.nodes,
    wrapperCostMs: round(best(nativeWrapped) - best(native), 0),
    workletShare: round(1 - best(native) / best(hand), 3),
    outputCheck: {
      mixgraphVsHandMaxDiff: same.maxDiff,
      wrappedVsNativeMaxDiff: sameWrapped.maxDiff,
      peakDbfs: round(20 * Math.log10(same.peak || 1e-12), 1),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Main

const started = performance.now();
const loadBefore = os.loadavg()[0];
log(`bench: ${os.cpus().length} CPUs, load ${loadBefore.toFixed(2)}, node ${process.version}`);
if (loadBefore > os.cpus().length) log(`bench: warning: the machine is busy (load ${loadBefore.toFixed(1)} on ${os.cpus().length} CPUs); render times will be noisy`);

const compileFigures = [benchCompile(100), benchCompile(1000)];
log(`compile: ${compileFigures.map((c) => `${c.nodes} nodes ${c.coldMedianMs} ms`).join(', ')}`);
const opsFigures = benchOps();
log(`ops: ${opsFigures.map((o) => `${o.edit}: ${o.ops}`).join(', ')}`);
const renderFigures = await benchRender(() => BUDGET_SECONDS - (performance.now() - started) / 1000);
const loadAfter = os.loadavg()[0];

const compile1000 = compileFigures.find((c) => c.nodes === 1000)!;
const goals = [
  { goal: `compile 1,000 nodes < ${GOALS.compileMs} ms (cold median)`, measured: `${compile1000.coldMedianMs} ms`, pass: compile1000.coldMedianMs < GOALS.compileMs },
  ...opsFigures.map((o) => ({ goal: `${o.edit}: exactly ${GOALS.ops} operation`, measured: `${o.ops} (${o.kinds})`, pass: o.ops === GOALS.ops })),
  { goal: `render time Mixgraph / hand <= ${GOALS.renderRatio.toFixed(2)}`, measured: `${renderFigures.ratio.toFixed(3)}`, pass: renderFigures.ratio <= GOALS.renderRatio },
];

const md: string[] = [];
md.push(`## Mixgraph bench — ${new Date().toISOString()}`);
md.push('');
md.push(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, node ${process.version}, load average ${loadBefore.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end`);
md.push('');
md.push(`### Compile (median of ${COMPILE_RUNS} runs after ${COMPILE_WARMUP} warm-up)`);
md.push('');
md.push('| graph | nodes | edges | cold median (ms) | cold min (ms) | after one edit, median (ms) |');
md.push('|---|---:|---:|---:|---:|---:|');
for (const c of compileFigures) md.push(`| track→eq→comp chains → buses → master | ${c.nodes} | ${c.edges} | ${c.coldMedianMs} | ${c.coldMinMs} | ${c.editMedianMs} |`);
md.push('');
md.push('### Operations per edit (1,000-node graph, diff of the plans before and after)');
md.push('');
md.push('| edit | operations | kinds | compile + diff, median (ms) |');
md.push('|---|---:|---|---:|');
for (const o of opsFigures) md.push(`| ${o.edit} | ${o.ops} | ${o.kinds} | ${o.editToOpsMs} |`);
md.push('');
md.push(`### Render: ${TRACKS} tracks (4-band EQ + compressor each), 2 buses, master; ${renderFigures.seconds} s at ${RATE} Hz stereo, best of ${RENDER_RUNS} alternating runs`);
md.push('');
if (renderFigures.shortened) {
  md.push(`Rendered ${renderFigures.seconds} s, not ${renderFigures.requestedSeconds} s: the calibration render ran at ${renderFigures.calibrationRealTime}× real time, so ${renderFigures.requestedSeconds} s would not fit in the ${BUDGET_SECONDS} s budget (\`--minutes 3\` forces it).`);
  md.push('');
}
md.push('| variant | audio nodes | run times (s) | best (s) | × real time | setup before rendering, best (ms) |');
md.push('|---|---:|---|---:|---:|---:|');
for (const r of renderFigures.rows) md.push(`| ${r.variant} | ${r.audioNodes} | ${r.timesS.map((t) => t.toFixed(2)).join(', ')} | ${r.bestS.toFixed(2)} | ${r.realTime.toFixed(1)} | ${r.bestSetupMs.toFixed(1)} |`);
md.push('');
if (renderFigures.incomplete) {
  md.push(`**Incomplete**: stopped after one run of each variant, far over the time budget; the machine was busy and these times are not comparable.`);
  md.push('');
}
md.push(`Mixgraph / hand: **${renderFigures.ratio.toFixed(3)}**. Setup before rendering (both include the context and addModule, which starts the worklet thread): Mixgraph ${renderFigures.setupMs.mixgraph} ms, hand ${renderFigures.setupMs.hand} ms.`);
md.push(
  `Wrapper GainNodes (EQ crossfader + bypass wrapping, ${renderFigures.wrapperNodes} more nodes): worklet-free graph with / without them = ` +
    `${renderFigures.wrapperRatio.toFixed(3)} (${renderFigures.wrapperCostMs} ms for ${renderFigures.seconds} s of audio). ` +
    `The 17 worklets (16 compressors + guard) take ${(renderFigures.workletShare * 100).toFixed(0)} % of the hand-wired render.`,
);
md.push(
  `Output check: max |Mixgraph − hand| = ${renderFigures.outputCheck.mixgraphVsHandMaxDiff.toExponential(2)}, ` +
    `max |native + wrappers − native| = ${renderFigures.outputCheck.wrappedVsNativeMaxDiff.toExponential(2)}, mix peak ${renderFigures.outputCheck.peakDbfs} dBFS.`,
);
md.push('');
md.push('### Goals');
md.push('');
md.push('| goal | measured | result |');
md.push('|---|---|---|');
for (const g of goals) md.push(`| ${g.goal} | ${g.measured} | ${g.pass ? 'pass' : 'FAIL'} |`);
md.push('');
md.push(`Total bench time ${((performance.now() - started) / 1000).toFixed(0)} s.`);
const table = md.join('\n');
console.log(table);

mkdirSync(RESULTS, { recursive: true });
const json = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, loadAverage: { start: round(loadBefore), end: round(loadAfter) } },
  options: { renderMinutes: RENDER_MINUTES, forced: FORCED_MINUTES > 0, budgetSeconds: BUDGET_SECONDS, renderRuns: RENDER_RUNS, compileRuns: COMPILE_RUNS, compileWarmup: COMPILE_WARMUP },
  compile: compileFigures,
  ops: opsFigures,
  render: renderFigures,
  goals,
  totalSeconds: round((performance.now() - started) / 1000, 1),
  markdown: table,
};
writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
log(`bench: wrote ${join(RESULTS, 'latest.json')}`);
