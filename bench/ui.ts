// Mixgraph UI benchmark: npx tsx bench/ui.ts [-- --runs 5 --drag-seconds 2 --no-profile --drag-only]
//   1. frame times while dragging one node with the mouse in graphs of 200 and 1,000 nodes
//      (requestAnimationFrame deltas in the page; p50/p95), with where the main thread's time
//      goes per drag frame: the immer command, the store's subscribers (React), audio.sync
//      (compile), measured by wrapping those methods in the page; then a second, traced stretch
//      of the same drag gives the renderer's CPU time per frame by stage (script, hit testing,
//      layout, pre-paint, paint, layerize), in thread time so other processes do not inflate it;
//   2. time from navigation start to a playable demo (Play enabled, every demo node drawn) and
//      until Play gives audio (the master meter above -60 dBFS);
//   3. size of the production bundle (vite build; JS + CSS, gzip via node:zlib, level 6 and 9).
// With --profile (or when the 1,000-node p95 misses 16.7 ms) a second, unminified build is
// profiled with the Chrome DevTools Protocol's CPU profiler during the same drag, and the
// self time is grouped by where it is spent (React, React Flow, immer, compiler, ...).
// Prints markdown tables and writes bench/results/ui.json.
//
// Headless Chromium (Debian's, software rendering) draws at 60 Hz, so rAF deltas come in
// multiples of ~16.7 ms: p95 <= 16.7 ms means no dropped frame at the 95th percentile. The
// machine load is printed with the results; compare runs only on an idle machine.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

import type { Params } from '../nodes/define.ts';
import { getDefinition } from '../nodes/registry.ts';
import { emptySession, type DocEdge, type DocNode, type SessionDoc } from '../src/model/document.ts';
import { fillParams } from '../src/model/params.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, previewBuild, ROOT, VIEWPORT } from '../tests/browser/harness.ts';
import { option } from './options.ts';

// ---------------------------------------------------------------------------------------------
// Options and helpers

const LOAD_RUNS = Math.round(option('runs', 5));
const DRAG_SECONDS = option('drag-seconds', 2);
const SIZES = [200, 1000];
type View = 'fit' | 'zoom 1';
/** The whole graph in view (every node in the DOM: the worst case), and a working view at zoom 1. */
const SCENARIOS: { nodes: number; view: View }[] = [
  { nodes: 200, view: 'fit' },
  { nodes: 1000, view: 'fit' },
  { nodes: 1000, view: 'zoom 1' },
];
const FRAME_BUDGET_MS = 16.7;
/** rAF deltas of undropped frames jitter around 16.7 ms by ±0.2 ms; a dropped frame adds 16.7. */
const withinBudget = (p95: number) => p95 <= FRAME_BUDGET_MS + 1;
const FORCE_PROFILE = process.argv.includes('--profile');
const NO_PROFILE = process.argv.includes('--no-profile');
/** Only the drag scenarios (no load runs, no bundle table): for quick before/after comparisons. */
const DRAG_ONLY = process.argv.includes('--drag-only');
const TRACE_SECONDS = 1.5;
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (v: number, digits = 1) => Number(v.toFixed(digits));
function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
const median = (xs: number[]) => quantile(xs, 0.5);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function build(outDir: string, minify: boolean): Promise<void> {
  const args = [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'];
  if (!minify) args.push('--minify', 'false');
  await promisify(execFile)(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 16 << 20 });
}

async function serve(outDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await previewBuild(outDir);
  const port = (server.httpServer.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

// ---------------------------------------------------------------------------------------------
// Graphs: chains generator -> eq -> compressor, about 8 chains per bus, buses into the master.

function node(id: string, type: string, x: number, y: number, params: Params = {}): DocNode {
  return { id, type, label: id, position: { x, y }, params: fillParams(getDefinition(type)!, params) };
}
const edge = (from: string, to: string): DocEdge => ({ from, fromPort: 'out', to, toPort: 'in' });

/** Exactly `total` nodes (3·chains + buses + master) on a grid of blocks, one block per bus. */
export function graph(total: number): { doc: SessionDoc; chains: number; buses: number; dragId: string } {
  const chains = Math.floor((8 * (total - 1)) / 25);
  const buses = total - 1 - 3 * chains;
  const perRow = Math.ceil(Math.sqrt(buses));
  const BLOCK_W = 1100;
  const ROW_H = 130;
  const perBus = Math.ceil(chains / buses);
  const BLOCK_H = perBus * ROW_H + 80;
  const origin = (b: number) => ({ x: (b % perRow) * BLOCK_W, y: Math.floor(b / perRow) * BLOCK_H });
  const doc = emptySession(`UI bench, ${total} nodes`);
  const rows = Math.ceil(buses / perRow);
  doc.nodes.push(node('master', 'master', perRow * BLOCK_W + 200, (rows * BLOCK_H) / 2));
  const slot = new Array<number>(buses).fill(0);
  for (let b = 0; b < buses; b++) {
    const o = origin(b);
    doc.nodes.push(node(`bus${b}`, 'bus', o.x + 780, o.y + (perBus * ROW_H) / 2 - 60));
    doc.edges.push(edge(`bus${b}`, 'master'));
  }
  for (let i = 0; i < chains; i++) {
    const b = i % buses;
    const o = origin(b);
    const y = o.y + slot[b]++ * ROW_H;
    doc.nodes.push(node(`gen${i}`, 'generator', o.x, y, { frequency: 110 * (1 + (i % 12)), level: -40 }));
    doc.nodes.push(node(`eq${i}`, 'eq', o.x + 260, y, { bands: [{ type: 'peaking', frequency: 1000, gain: -3, q: 1 }] as unknown as Params['bands'] }));
    doc.nodes.push(node(`comp${i}`, 'compressor', o.x + 520, y));
    doc.edges.push(edge(`gen${i}`, `eq${i}`), edge(`eq${i}`, `comp${i}`), edge(`comp${i}`, `bus${b}`));
  }
  if (doc.nodes.length !== total) throw new Error(`built ${doc.nodes.length} nodes, wanted ${total}`);
  // Drag an EQ near the middle of the graph.
  const middleBus = Math.floor(rows / 2) * perRow + Math.floor(perRow / 2);
  const dragChain = Math.min(chains - 1, middleBus + buses * Math.floor(perBus / 2));
  return { doc, chains, buses, dragId: `eq${dragChain}` };
}

// ---------------------------------------------------------------------------------------------
// In-page instrumentation

/** Installed in the page: rAF deltas, long animation frames, and time spent in the editor's hot paths. */
function instrument(): void {
  interface Probe {
    frames: number[];
    running: boolean;
    loaf: number[];
    calls: Record<string, { n: number; ms: number }>;
  }
  const w = window as unknown as { __bench: Probe; mixgraph: { store: Record<string, unknown> & { history: Record<string, unknown> }; audio: Record<string, unknown> } };
  const probe: Probe = { frames: [], running: false, loaf: [], calls: {} };
  w.__bench = probe;
  const wrap = (owner: Record<string, unknown>, name: string, label: string) => {
    const original = owner[name] as (...args: unknown[]) => unknown;
    owner[name] = function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const c = (probe.calls[label] ??= { n: 0, ms: 0 });
        c.n++;
        c.ms += performance.now() - t0;
      }
    };
  };
  const { store, audio } = w.mixgraph;
  // history.run: the immer command; publish: store state + every subscriber (React schedules
  // its render there; the render itself runs later and is in neither); audio.sync: compile.
  wrap(store.history, 'run', 'history.run (immer command)');
  wrap(store, 'publish', 'store.publish (subscribers)');
  wrap(audio, 'sync', 'audio.sync (compile + diff)');
  try {
    new PerformanceObserver((list) => {
      if (probe.running) for (const e of list.getEntries()) probe.loaf.push(e.duration);
    }).observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    // no Long Animation Frames API
  }
}

function startFrames(page: Page): Promise<void> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __bench: { frames: number[]; running: boolean; loaf: number[]; calls: Record<string, unknown> } }).__bench;
    probe.frames = [];
    probe.loaf = [];
    probe.calls = {};
    probe.running = true;
    let last = -1;
    const tick = (t: number) => {
      if (last >= 0) probe.frames.push(t - last);
      last = t;
      if (probe.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

function stopFrames(page: Page): Promise<{ frames: number[]; loaf: number[]; calls: Record<string, { n: number; ms: number }> }> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __bench: { frames: number[]; running: boolean; loaf: number[]; calls: Record<string, { n: number; ms: number }> } }).__bench;
    probe.running = false;
    return { frames: probe.frames, loaf: probe.loaf, calls: probe.calls };
  });
}

/** Move the mouse along a Lissajous path around `at` at ~60 moves a second for `seconds`. */
async function wiggle(page: Page, at: { x: number; y: number }, seconds: number): Promise<number> {
  const t0 = Date.now();
  let moves = 0;
  for (;;) {
    const t = (Date.now() - t0) / 1000;
    if (t > seconds) break;
    await page.mouse.move(at.x + 160 * Math.sin(2 * Math.PI * 0.5 * t), at.y + 90 * Math.sin(2 * Math.PI * 0.8 * t));
    moves++;
    const next = t0 + moves * 16;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return moves;
}

interface DragResult {
  view: View;
  nodes: number;
  edges: number;
  zoom: number;
  renderedNodes: number;
  moves: number;
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  over20ms: number;
  longFrames: number;
  idleP50: number;
  idleP95: number;
  perMove: Record<string, { calls: number; msPerCall: number; msTotal: number }>;
  /** Renderer main-thread CPU ms per frame while dragging, by stage (TRACE_EVENTS), from a traced stretch. */
  cpuPerFrame: Record<string, number>;
  positionChanged: boolean;
}

async function openGraph(page: Page, url: string, total: number) {
  const g = graph(total);
  await page.goto(url);
  await page.getByTestId('node-master').waitFor();
  await page.evaluate((doc) => (window as unknown as { mixgraph: { store: { open(d: unknown): void } } }).mixgraph.store.open(doc), g.doc as unknown);
  await page.getByRole('button', { name: 'Fit view', exact: true }).click();
  // Fit view of a big graph lands below zoom 0.2, where the canvas overview replaces the node DOM.
  await page.locator(`[data-testid="node-${g.dragId}"], [data-testid="overview"]`).first().waitFor();
  // Let React Flow measure every node and settle.
  await page.waitForTimeout(1500);
  return g;
}

/** tsx compiles with keepNames: functions handed to page.evaluate call its `__name` helper. */
async function newContext(browser: Browser) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return context;
}

const zoomOf = (page: Page) => page.locator('.react-flow__viewport').evaluate((e) => Number(/scale\(([\d.e-]+)\)/.exec((e as HTMLElement).style.transform)?.[1] ?? NaN));

/** The node's box on screen: its DOM box, or in the overview (no node DOM) its drawn box. */
async function screenBox(page: Page, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const dom = page.getByTestId(`node-${id}`);
  if (await dom.count()) return (await dom.boundingBox())!;
  return page.evaluate((id) => {
    const { doc } = (window as unknown as { mixgraph: { store: { getState(): { doc: SessionDoc } } } }).mixgraph.store.getState();
    const p = doc.nodes.find((n) => n.id === id)!.position!;
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const m = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    return { x: pane.left + m.e + p.x * m.a, y: pane.top + m.f + p.y * m.a, width: 180 * m.a, height: 80 * m.a };
  }, id);
}

/** Wheel-zoom at the node `id` until the zoom reaches about `target`. */
async function zoomAt(page: Page, id: string, target: number): Promise<void> {
  for (let i = 0; i < 40 && (await zoomOf(page)) < target * 0.97; i++) {
    const box = await screenBox(page, id);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, (await zoomOf(page)) < target * 0.7 ? -200 : -40);
    await page.waitForTimeout(80);
  }
  await page.waitForTimeout(800);
}

async function dragBench(browser: Browser, url: string, total: number, view: View, profile?: (page: Page) => Promise<() => Promise<unknown>>): Promise<{ result: DragResult; profile?: unknown }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  try {
    const g = await openGraph(page, url, total);
    if (view === 'zoom 1') await zoomAt(page, g.dragId, 1);
    await page.evaluate(instrument);
    const zoom = await zoomOf(page);
    const renderedNodes = await page.locator('.react-flow__node').count();

    // Baseline: the same page, nothing moving.
    await startFrames(page);
    await page.waitForTimeout(1000);
    const idle = await stopFrames(page);

    const box = await screenBox(page, g.dragId);
    const grab = { x: box.x + box.width / 2, y: box.y + Math.min(6, box.height / 4) };
    const before = await page.evaluate((id) => (window as unknown as { mixgraph: { store: { getState(): { doc: SessionDoc } } } }).mixgraph.store.getState().doc.nodes.find((n) => n.id === id)?.position, g.dragId);
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(grab.x + 5, grab.y + 5, { steps: 5 }); // past the drag threshold
    const stopProfile = profile ? await profile(page) : undefined;
    await startFrames(page);
    const moves = await wiggle(page, grab, DRAG_SECONDS);
    const run = await stopFrames(page);
    const profiled = stopProfile ? await stopProfile() : undefined;
    // A separate traced stretch: tracing costs time itself, so it stays out of the frame times.
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await startFrames(page);
    await wiggle(page, grab, TRACE_SECONDS);
    const traced = await stopFrames(page);
    const totals = traceTotals((JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents);
    const tracedFrames = Math.max(1, traced.frames.length - 1);
    await page.mouse.up();
    const after = await page.evaluate((id) => (window as unknown as { mixgraph: { store: { getState(): { doc: SessionDoc } } } }).mixgraph.store.getState().doc.nodes.find((n) => n.id === id)?.position, g.dragId);

    const frames = run.frames.slice(1); // the first delta spans the start of the drag
    const perMove: DragResult['perMove'] = {};
    for (const [name, c] of Object.entries(run.calls)) perMove[name] = { calls: c.n, msPerCall: round(c.ms / Math.max(1, c.n), 2), msTotal: round(c.ms) };
    return {
      result: {
        view,
        nodes: g.doc.nodes.length,
        edges: g.doc.edges.length,
        zoom: round(zoom, 3),
        renderedNodes,
        moves,
        frames: frames.length,
        p50: round(median(frames)),
        p95: round(quantile(frames, 0.95)),
        p99: round(quantile(frames, 0.99)),
        max: round(Math.max(...frames)),
        over20ms: frames.filter((f) => f > 20).length,
        longFrames: run.loaf.length,
        idleP50: round(median(idle.frames.slice(1))),
        idleP95: round(quantile(idle.frames.slice(1), 0.95)),
        perMove,
        cpuPerFrame: Object.fromEntries(Object.keys(TRACE_EVENTS).map((k) => [k, round((totals[k] ?? 0) / tracedFrames)])),
        positionChanged: JSON.stringify(before) !== JSON.stringify(after),
      },
      profile: profiled,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU profile (unminified build): self time grouped by where it is spent

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, when the trace records it. */
  tdur?: number;
  args?: { name?: string };
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

/** Renderer main-thread time by trace event (they nest: Paint and Layerize are inside RunTask). */
const TRACE_EVENTS: Record<string, string> = {
  RunTask: 'main thread busy (all tasks)',
  FunctionCall: 'JavaScript callbacks (events, rAF, timers)',
  UpdateLayoutTree: 'style recalculation',
  Layout: 'layout',
  PrePaint: 'pre-paint',
  Paint: 'paint (display list recording)',
  Layerize: 'layerize (paint chunks to layers)',
  HitTest: 'hit testing',
};

/**
 * CPU ms on the renderer's main thread by event name. Thread time, not wall time: on a shared
 * machine wall time includes the slices other processes took. An event inside another of the
 * same name (Paint nests per layer: #document > renderer > minimap) counts once.
 */
function traceTotals(events: TraceEvent[]): Record<string, number> {
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const totals: Record<string, number> = {};
  const openUntil = new Map<string, number>();
  const timed = events.filter((e) => e.ph === 'X' && e.dur && e.name in TRACE_EVENTS && main.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts);
  for (const e of timed) {
    const key = `${e.pid}:${e.tid}:${e.name}`;
    if (e.ts < (openUntil.get(key) ?? -Infinity)) continue; // nested in one already counted
    openUntil.set(key, e.ts + e.dur!);
    totals[e.name] = (totals[e.name] ?? 0) + (e.tdur ?? e.dur!) / 1000;
  }
  return totals;
}

/** Starts the CPU profiler and a timeline trace; the returned function stops both. */
async function cpuProfiler(page: Page): Promise<() => Promise<{ cpu: CpuProfile; trace: Record<string, number> }>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
    await cdp.detach();
    return { cpu: profile, trace: traceTotals(trace.traceEvents) };
  };
}

/**
 * Attribute each sample to a category by walking up its stack to the innermost frame that
 * names something we know (our hot paths first, then libraries).
 */
function summarise(profile: CpuProfile, sources: Map<string, string>): { categories: { name: string; ms: number; share: number }[]; topSelf: { fn: string; ms: number }[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Which module a line of a bundle file belongs to: an unminified build starts every module
  // with a comment naming its path ("// node_modules/react-dom/...", "// src/ui/...").
  const regions = new Map<string, string[]>();
  for (const [file, source] of sources) {
    const regionAt: string[] = [];
    let region = 'app';
    for (const line of source.split('\n')) {
      const m = /^\/\/ (\S+\.(?:m?[jt]sx?|cjs|json))(?:\?\S*)?$/.exec(line);
      if (m) region = m[1];
      regionAt.push(region);
    }
    regions.set(file, regionAt);
  }
  const libraryOf = (f: ProfileNode['callFrame']): string => {
    if (!f.url) return f.functionName === '(garbage collector)' ? 'GC' : f.functionName === '(idle)' || f.functionName === '(program)' ? f.functionName : 'native';
    const r = regions.get(f.url.split('/').pop() ?? '')?.[f.lineNumber] ?? 'app';
    if (r.includes('react-dom') || r.includes('scheduler') || r.includes('node_modules/react/')) return 'React (render, commit, scheduler)';
    if (r.includes('@xyflow') || r.includes('d3-') || r.includes('zustand') || r.includes('classcat') || r.includes('use-sync-external-store')) return 'React Flow (xyflow, d3, zustand)';
    if (r.includes('immer')) return 'immer';
    if (r.includes('src/compiler') || r.includes('src/model/validate')) return 'compiler + validate';
    if (r.includes('src/ui/canvas')) return 'Canvas.tsx / MixNode.tsx';
    if (r.includes('src/ui') || r.includes('nodes/')) return 'other editor code';
    if (r.includes('src/model')) return 'model (commands, history)';
    if (r.includes('standardized-audio-context') || r.includes('src/engine')) return 'audio (engine, standardized-audio-context)';
    return r === 'app' ? 'unattributed bundle code' : r.replace(/^.*node_modules\//, '').split('/')[0];
  };
  const label = (cat: string) => (cat === '(program)' ? "(program): Chromium's own work outside JavaScript (style, layout, paint, layerize, hit testing)" : cat);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + profile.timeDeltas[i] / 1000);
  const categories = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const cat = label(libraryOf(n.callFrame));
    if (cat === '(idle)') continue;
    total += ms;
    categories.set(cat, (categories.get(cat) ?? 0) + ms);
    const fn = `${n.callFrame.functionName || '(anonymous)'} [${cat}]`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
  }
  return {
    totalMs: round(total),
    categories: [...categories].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms: round(ms), share: round((100 * ms) / total) })),
    topSelf: [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([fn, ms]) => ({ fn, ms: round(ms) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Load time

async function loadBench(browser: Browser, url: string, demoNodes: number): Promise<{ playableMs: number; audioMs: number; playToAudioMs: number }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    // Polled every animation frame: resolution one frame.
    const playable = await page.waitForFunction(
      (count) => {
        const play = document.querySelector<HTMLButtonElement>('button[aria-label="Play"]');
        const drawn = document.querySelectorAll('.react-flow__node [data-testid^="node-"]').length;
        return play && !play.disabled && drawn >= count ? performance.now() : false;
      },
      demoNodes,
      { polling: 'raf' },
    );
    const playableMs = (await playable.jsonValue()) as number;
    await page.evaluate(() => {
      const w = window as unknown as { __audioAt?: number; __clickAt?: number };
      const meter = document.querySelector('[role="meter"][aria-label="Master level"]')!;
      document.addEventListener('click', (e) => (w.__clickAt ??= e.timeStamp), { capture: true });
      new MutationObserver(() => {
        if (w.__audioAt === undefined && Number(meter.getAttribute('aria-valuenow')) > -60) w.__audioAt = performance.now();
      }).observe(meter, { attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await page.getByRole('button', { name: 'Play' }).click();
    const audio = await page.waitForFunction(() => {
      const w = window as unknown as { __audioAt?: number; __clickAt?: number };
      return w.__audioAt !== undefined && w.__clickAt !== undefined ? [w.__audioAt, w.__clickAt] : false;
    }, undefined, { timeout: 15_000 });
    const [audioAt, clickAt] = (await audio.jsonValue()) as [number, number];
    return { playableMs: round(playableMs), audioMs: round(audioAt), playToAudioMs: round(audioAt - clickAt) };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Bundle size

function bundleSize(outDir: string) {
  const assets = join(outDir, 'assets');
  // What the page loads up front: the files index.html names (the rest are lazy chunks).
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initialNames = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]));
  const files = readdirSync(assets)
    .filter((f) => ['.js', '.css'].includes(extname(f)))
    .map((f) => {
      const bytes = readFileSync(join(assets, f));
      return { file: f, initial: initialNames.has(f), bytes: bytes.length, gzip6: gzipSync(bytes).length, gzip9: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.bytes - a.bytes);
  const totalOf = (fs: typeof files) => ({ bytes: sum(fs.map((f) => f.bytes)), gzip6: sum(fs.map((f) => f.gzip6)), gzip9: sum(fs.map((f) => f.gzip9)) });
  return { files, initial: totalOf(files.filter((f) => f.initial)), total: totalOf(files) };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const loadStart = os.loadavg()[0];
  const started = Date.now();
  const work = mkdtempSync(join(os.tmpdir(), 'mixgraph-ui-bench-'));
  const outDir = join(work, 'min');
  let browser: Browser | undefined;
  const servers: { close(): Promise<void> }[] = [];
  try {
    log('building (production, minified)...');
    const t0 = Date.now();
    await build(outDir, true);
    const buildSeconds = (Date.now() - t0) / 1000;
    const bundle = bundleSize(outDir);

    const server = await serve(outDir);
    servers.push(server);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });

    const demoNodes = (JSON.parse(readFileSync(join(ROOT, 'presets/demo/demo.json'), 'utf8')) as SessionDoc).nodes.length;
    if (!DRAG_ONLY) log(`load: ${LOAD_RUNS} runs...`);
    const loads = [];
    for (let i = 0; i < (DRAG_ONLY ? 0 : LOAD_RUNS); i++) loads.push(await loadBench(browser, server.url, demoNodes));

    const drags: DragResult[] = [];
    for (const { nodes, view } of SCENARIOS) {
      log(`drag: ${nodes} nodes, ${view}...`);
      drags.push((await dragBench(browser, server.url, nodes, view)).result);
    }

    // The goal is judged on the worst case: 1,000 nodes, all in view.
    const big = drags.find((d) => d.view === 'fit' && d.nodes === SIZES[SIZES.length - 1])!;
    let profile: (ReturnType<typeof summarise> & { frames: number; tracePerFrameMs: Record<string, number> }) | undefined;
    if (FORCE_PROFILE || (!NO_PROFILE && !withinBudget(big.p95))) {
      log('profiling the 1,000-node drag (unminified build)...');
      const plainDir = join(work, 'plain');
      await build(plainDir, false);
      const sources = new Map(
        readdirSync(join(plainDir, 'assets'))
          .filter((f) => f.endsWith('.js'))
          .map((f) => [f, readFileSync(join(plainDir, 'assets', f), 'utf8')] as const),
      );
      const plain = await serve(plainDir);
      servers.push(plain);
      const { result, profile: raw } = await dragBench(browser, plain.url, SIZES[SIZES.length - 1], 'fit', cpuProfiler);
      const { cpu, trace } = raw as { cpu: CpuProfile; trace: Record<string, number> };
      const frames = Math.max(1, result.frames);
      const tracePerFrameMs = Object.fromEntries(Object.keys(TRACE_EVENTS).map((k) => [k, round((trace[k] ?? 0) / frames)]));
      profile = { ...summarise(cpu, sources), frames, tracePerFrameMs };
    }

    const loadAvg = { start: round(loadStart, 2), end: round(os.loadavg()[0], 2) };
    const summary = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, chromium: browser.version(), loadAverage: loadAvg },
      options: { loadRuns: LOAD_RUNS, dragSeconds: DRAG_SECONDS, viewport: VIEWPORT, frameBudgetMs: FRAME_BUDGET_MS },
      drag: drags,
      goal: { p95AtMostMs: FRAME_BUDGET_MS, nodes: SIZES[SIZES.length - 1], view: 'fit', met: withinBudget(big.p95) },
      load: {
        runs: loads,
        median: { playableMs: round(median(loads.map((l) => l.playableMs))), audioMs: round(median(loads.map((l) => l.audioMs))), playToAudioMs: round(median(loads.map((l) => l.playToAudioMs))) },
      },
      bundle: { ...bundle, buildSeconds: round(buildSeconds) },
      profile,
      seconds: round((Date.now() - started) / 1000),
    };

    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'ui.json'), `${JSON.stringify(summary, null, 2)}\n`);

    const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    const out: string[] = [];
    out.push(`## Mixgraph UI bench (${summary.machine.cpus} CPUs, load ${loadAvg.start} → ${loadAvg.end}, Chromium ${summary.machine.chromium}, ${VIEWPORT.width}×${VIEWPORT.height})`, '');
    out.push('### Dragging one node (rAF frame deltas, ms)', '');
    out.push('| nodes | view | zoom | nodes in DOM | pointer moves | frames | p50 | p95 | p99 | max | frames > 20 ms | long frames (>50 ms) | idle p50 / p95 | p95 ≤ 16.7 |');
    out.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
    for (const d of drags) {
      out.push(`| ${d.nodes} | ${d.view} | ${d.zoom} | ${d.renderedNodes} | ${d.moves} | ${d.frames} | ${d.p50} | ${d.p95} | ${d.p99} | ${d.max} | ${d.over20ms} | ${d.longFrames} | ${d.idleP50} / ${d.idleP95} | ${withinBudget(d.p95) ? 'yes' : 'no'} |`);
    }
    out.push('', '### Renderer main-thread CPU time per frame while dragging, by stage (traced stretch; ms)', '');
    out.push(`| nodes | view | ${Object.keys(TRACE_EVENTS).join(' | ')} |`, `|---:|---|${Object.keys(TRACE_EVENTS).map(() => '---:|').join('')}`);
    for (const d of drags) out.push(`| ${d.nodes} | ${d.view} | ${Object.keys(TRACE_EVENTS).map((k) => d.cpuPerFrame[k] ?? 0).join(' | ')} |`);
    out.push('', '### Main-thread time in the editor hot paths while dragging (wrapped in the page)', '');
    out.push('| nodes | view | path | calls | ms / call | ms total |', '|---:|---|---|---:|---:|---:|');
    for (const d of drags) for (const [name, c] of Object.entries(d.perMove)) out.push(`| ${d.nodes} | ${d.view} | ${name} | ${c.calls} | ${c.msPerCall} | ${c.msTotal} |`);
    if (profile) {
      out.push('', `### CPU profile of the ${SIZES[SIZES.length - 1]}-node drag (unminified build; self time, ${profile.totalMs} ms busy)`, '');
      out.push('| where | ms | share |', '|---|---:|---:|');
      for (const c of profile.categories) out.push(`| ${c.name} | ${c.ms} | ${c.share}% |`);
      out.push('', `| renderer main thread, per frame while dragging (${profile.frames} frames; timeline trace) | ms / frame |`, '|---|---:|');
      for (const [k, ms] of Object.entries(profile.tracePerFrameMs)) out.push(`| ${TRACE_EVENTS[k]} (${k}) | ${ms} |`);
      out.push('', '| hottest functions (self) | ms |', '|---|---:|');
      for (const f of profile.topSelf) out.push(`| ${f.fn.replace(/\|/g, '\\|')} | ${f.ms} |`);
    }
    if (!DRAG_ONLY) {
      out.push('', `### Demo load (median of ${LOAD_RUNS}; ms from navigation start)`, '');
      out.push('| playable (Play enabled, demo drawn) | audio (master meter > -60 dBFS) | Play click → audio |', '|---:|---:|---:|');
      out.push(`| ${summary.load.median.playableMs} | ${summary.load.median.audioMs} | ${summary.load.median.playToAudioMs} |`);
      out.push('', '### Production bundle (vite build)', '');
      out.push('| file | raw | gzip -6 | gzip -9 |', '|---|---:|---:|---:|');
      for (const f of bundle.files) out.push(`| ${f.file}${f.initial ? '' : ' (lazy)'} | ${kb(f.bytes)} | ${kb(f.gzip6)} | ${kb(f.gzip9)} |`);
      out.push(`| **loaded with the page (JS + CSS)** | **${kb(bundle.initial.bytes)}** | **${kb(bundle.initial.gzip6)}** | **${kb(bundle.initial.gzip9)}** |`);
      out.push(`| **all JS + CSS** | **${kb(bundle.total.bytes)}** | **${kb(bundle.total.gzip6)}** | **${kb(bundle.total.gzip9)}** |`);
    }
    out.push('', `Goal (p95 ≤ ${FRAME_BUDGET_MS} ms with ${SIZES[SIZES.length - 1]} nodes, all in view): ${summary.goal.met ? 'met' : 'missed'}. Results in bench/results/ui.json (${summary.seconds} s).`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await browser?.close().catch(() => {});
    for (const s of servers) await s.close().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

// Run when started as a script (other tools may import graph()).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
