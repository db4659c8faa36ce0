// Mixgraph benchmark, first part: npm run bench [-- --compile-runs 20]
//   1. compile() time for 100- and 1,000-node graphs (cold: fresh documents; edit: after one
//      parameter edit, when immer has kept every other node and the compiler's cache hits);
//   2. engine operations produced by one edit (param, bypass, edge add, edge remove) in the
//      1,000-node graph.
// Prints markdown tables and writes them to bench/results/latest.json. Renders are measured by
// bench/render.ts (whole processes beside ffmpeg and a hand-wired native graph) and
// bench/mastering.ts (analyze, master, album).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import type { Params } from '../nodes/define.ts';
import { getDefinition } from '../nodes/registry.ts';
import { compile } from '../src/compiler/compile.ts';
import { diff } from '../src/compiler/diff.ts';
import type { Operation, Plan } from '../src/compiler/plan.ts';
import type { BiquadType } from '../src/dsp/biquad.ts';
import { apply, connect, disconnect, setBypass, setParam, type Command } from '../src/model/commands.ts';
import { emptySession, type DocEdge, type DocNode, type SessionDoc } from '../src/model/document.ts';
import { fillParams } from '../src/model/params.ts';
import { option } from './options.ts';

// ---------------------------------------------------------------------------------------------
// Options

const COMPILE_RUNS = Math.round(option('compile-runs', 20));
const COMPILE_WARMUP = 5;
const GOALS = { compileMs: 20, ops: 1 };
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
// Main

const started = performance.now();
const loadBefore = os.loadavg()[0];
log(`bench: ${os.cpus().length} CPUs, load ${loadBefore.toFixed(2)}, node ${process.version}`);
if (loadBefore > os.cpus().length) log(`bench: warning: the machine is busy (load ${loadBefore.toFixed(1)} on ${os.cpus().length} CPUs); times will be noisy`);

const compileFigures = [benchCompile(100), benchCompile(1000)];
log(`compile: ${compileFigures.map((c) => `${c.nodes} nodes ${c.coldMedianMs} ms`).join(', ')}`);
const opsFigures = benchOps();
log(`ops: ${opsFigures.map((o) => `${o.edit}: ${o.ops}`).join(', ')}`);
const loadAfter = os.loadavg()[0];

const compile1000 = compileFigures.find((c) => c.nodes === 1000)!;
const goals = [
  { goal: `compile 1,000 nodes < ${GOALS.compileMs} ms (cold median)`, measured: `${compile1000.coldMedianMs} ms`, pass: compile1000.coldMedianMs < GOALS.compileMs },
  ...opsFigures.map((o) => ({ goal: `${o.edit}: exactly ${GOALS.ops} operation`, measured: `${o.ops} (${o.kinds})`, pass: o.ops === GOALS.ops })),
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
  options: { compileRuns: COMPILE_RUNS, compileWarmup: COMPILE_WARMUP },
  compile: compileFigures,
  ops: opsFigures,
  goals,
  totalSeconds: round((performance.now() - started) / 1000, 1),
  markdown: table,
};
writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
log(`bench: wrote ${join(RESULTS, 'latest.json')}`);
