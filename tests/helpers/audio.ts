// Test helpers: build sessions, render them offline through the real engine, measure the result.
// Every measurement works on plain Float32Arrays so a failing test can print the numbers.
import type { Params } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { compile } from '../../src/compiler/compile.ts';
import type { Plan } from '../../src/compiler/plan.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { offlineEngine, render } from '../../src/engine/node.ts';
import type { DocEdge, DocNode, SessionDoc } from '../../src/model/document.ts';
import { fillParams } from '../../src/model/params.ts';

// ---------------------------------------------------------------- sessions

/** A node with its params completed from the definition's defaults. */
export function node(id: string, type: string, params: Params = {}, bypass?: boolean): DocNode {
  const def = getDefinition(type);
  if (!def) throw new Error(`unknown node type ${type}`);
  const n: DocNode = { id, type, params: fillParams(def, params) };
  if (bypass !== undefined) n.bypass = bypass;
  return n;
}

/** An edge from `id` or `id.port` to `id` or `id.port` (ports default to out -> in; ids without dots). */
export function edge(from: string, to: string): DocEdge {
  const [f, fp = 'out'] = from.split('.');
  const [t, tp = 'in'] = to.split('.');
  return { from: f, fromPort: fp, to: t, toPort: tp };
}

export function session(nodes: DocNode[], edges: DocEdge[], name = 'test'): SessionDoc {
  return { format: 'mixgraph', version: 2, kind: 'session', name, meta: { author: '', description: '', tags: [] }, nodes, edges };
}

/** A linear chain: `chain(['gen', 'eq', 'master'])` connects each to the next. */
export function chain(ids: string[]): DocEdge[] {
  const out: DocEdge[] = [];
  for (let i = 1; i < ids.length; i++) out.push(edge(ids[i - 1], ids[i]));
  return out;
}

export function planOf(doc: SessionDoc): Plan {
  const r = compile(doc);
  if (!r.ok) throw new Error(`session does not compile:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return r.plan;
}

// ---------------------------------------------------------------- rendering

/** Makes a source buffer on the render's own context (called before the engine starts). */
export type BufferMaker = (ctx: BaseAudioContext) => AudioBuffer;

export interface RenderOptions {
  seconds: number;
  sampleRate?: number;
  /** source name -> buffer maker (buffers must belong to the rendering context). */
  buffers?: Record<string, BufferMaker>;
  /**
   * Live edits: at context time `at` (rounded by the context to a 128-frame render quantum)
   * rendering pauses and `apply` runs, e.g. `engine.update(nextPlan)`.
   */
  edits?: { at: number; apply: (engine: Engine) => void }[];
}

export interface Rendered {
  left: Float32Array;
  right: Float32Array;
  sampleRate: number;
  length: number;
}

export async function renderSession(doc: SessionDoc, options: RenderOptions): Promise<Rendered> {
  // node-web-audio-api 1.0.9 registers a suspend point asynchronously; under heavy CPU load the
  // render can get past the suspend time first, and then suspend() rejects ("Panic in async
  // function") and the edit never happens. Such a render is thrown away and done again.
  for (let attempt = 1; ; attempt++) {
    const result = await renderOnce(doc, options);
    if (result) return result;
    if (attempt === 3) throw new Error('live edits could not be scheduled: OfflineAudioContext.suspend() failed three times');
  }
}

async function renderOnce(doc: SessionDoc, options: RenderOptions): Promise<Rendered | null> {
  const sampleRate = options.sampleRate ?? 48000;
  const length = Math.round(options.seconds * sampleRate);
  const buffers = new Map<string, AudioBuffer>();
  const { ctx, engine } = await offlineEngine({ sampleRate, length, getBuffer: (src) => buffers.get(src) });
  const web = ctx as unknown as BaseAudioContext;
  for (const [name, make] of Object.entries(options.buffers ?? {})) buffers.set(name, make(web));
  engine.update(planOf(doc));
  engine.start(0, 0);
  let missed = false;
  const suspends = (options.edits ?? []).map((edit) =>
    ctx.suspend(edit.at).then(
      () => {
        edit.apply(engine);
        void ctx.resume();
      },
      () => {
        missed = true;
      },
    ),
  );
  // Give the suspend points a head start on the render
  if (suspends.length) await new Promise((resolve) => setTimeout(resolve, 10));
  const out = await render(ctx);
  await Promise.allSettled(suspends);
  engine.dispose();
  if (missed) return null;
  return { left: out.getChannelData(0).slice(), right: out.getChannelData(1).slice(), sampleRate, length };
}

// ---------------------------------------------------------------- test signals

/** A mono (or stereo, same content) buffer from a sample function. */
export function bufferFrom(ctx: BaseAudioContext, length: number, fill: (i: number, channel: number) => number, channels = 1): AudioBuffer {
  const b = ctx.createBuffer(channels, length, ctx.sampleRate);
  for (let c = 0; c < channels; c++) {
    const d = b.getChannelData(c);
    for (let i = 0; i < length; i++) d[i] = fill(i, c);
  }
  return b;
}

/** A unit impulse at `at` samples in a mono buffer `length` samples long. */
export const impulse = (at: number, length: number, amplitude = 1): BufferMaker => (ctx) =>
  bufferFrom(ctx, length, (i) => (i === at ? amplitude : 0));

/** A sine of peak `amplitude` at `frequency` Hz, `seconds` long, `channels` channels. */
export const sine = (frequency: number, amplitude: number, seconds: number, channels = 1): BufferMaker => (ctx) =>
  bufferFrom(ctx, Math.round(seconds * ctx.sampleRate), (i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / ctx.sampleRate), channels);

// ---------------------------------------------------------------- measurements

export const db = (x: number): number => 20 * Math.log10(x);
export const fromDb = (d: number): number => Math.pow(10, d / 20);

export function peak(x: Float32Array, start = 0, end = x.length): number {
  let p = 0;
  for (let i = start; i < end; i++) {
    const v = Math.abs(x[i]);
    if (v > p) p = v;
  }
  return p;
}
export const peakDb = (x: Float32Array, start?: number, end?: number): number => db(peak(x, start, end));

export function rms(x: Float32Array, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, end - start));
}
export const rmsDb = (x: Float32Array, start?: number, end?: number): number => db(rms(x, start, end));

/**
 * Peak amplitude of the `frequency` Hz component in x[start, start + n): correlation with
 * sin and cos over a whole number of periods (n is rounded down to one), so other
 * harmonics of the same fundamental and DC cancel exactly and the result is the sine's peak.
 */
export function toneAmplitude(x: Float32Array, frequency: number, sampleRate: number, start: number, maxLength: number): number {
  const period = sampleRate / frequency;
  const periods = Math.floor(maxLength / period);
  if (periods < 1) throw new Error(`window of ${maxLength} samples holds no full period of ${frequency} Hz`);
  // Integer-sample windows only approximate a whole number of periods; the leak is at most
  // ~1/periods of a sample's worth of phase, small once the window holds many periods.
  const n = Math.round(periods * period);
  let s = 0;
  let c = 0;
  const w = (2 * Math.PI * frequency) / sampleRate;
  for (let i = 0; i < n; i++) {
    const v = x[start + i];
    s += v * Math.sin(w * i);
    c += v * Math.cos(w * i);
  }
  return (2 / n) * Math.hypot(s, c);
}
export const toneDb = (x: Float32Array, frequency: number, sampleRate: number, start: number, maxLength: number): number =>
  db(toneAmplitude(x, frequency, sampleRate, start, maxLength));

/** Index of the first sample with |x| > threshold, or -1. */
export function firstNonZero(x: Float32Array, threshold = 0, start = 0): number {
  for (let i = start; i < x.length; i++) if (Math.abs(x[i]) > threshold) return i;
  return -1;
}

/** Largest |a[i] - b[i]| over [start, end). */
export function maxDiff(a: Float32Array, b: Float32Array, start = 0, end = Math.min(a.length, b.length)): number {
  let m = 0;
  for (let i = start; i < end; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN wins
  }
  return m;
}

export function allFinite(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/** Energy (sum of squares) of x in [start, end). */
export function energy(x: Float32Array, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i] * x[i];
  return s;
}

/** In-place radix-2 FFT (re, im of length 2^k). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const step = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(step * k);
        const wi = Math.sin(step * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/**
 * Welch power spectrum of x: Hann frames of `n` samples, half overlapping, averaged.
 * Returns power per bin (bin k is k·sampleRate/n Hz), bins 0..n/2.
 */
export function powerSpectrum(x: Float32Array, n = 4096, start = 0, end = x.length): Float64Array {
  const out = new Float64Array(n / 2 + 1);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  let frames = 0;
  for (let at = start; at + n <= end; at += n / 2) {
    for (let i = 0; i < n; i++) {
      re[i] = x[at + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k <= n / 2; k++) out[k] += re[k] * re[k] + im[k] * im[k];
    frames++;
  }
  for (let k = 0; k <= n / 2; k++) out[k] /= Math.max(1, frames);
  return out;
}

/** Sum of a power spectrum's bins in [lo, hi) Hz (bins `sampleRate / n` Hz apart). */
export function bandPower(spectrum: Float64Array, sampleRate: number, lo: number, hi: number): number {
  const n = (spectrum.length - 1) * 2;
  const binHz = sampleRate / n;
  let p = 0;
  for (let k = Math.ceil(lo / binHz); k < hi / binHz && k < spectrum.length; k++) p += spectrum[k];
  return p;
}

/** Number of bins a band [lo, hi) Hz covers (to turn band power into power per Hz). */
export function bandBins(spectrum: Float64Array, sampleRate: number, lo: number, hi: number): number {
  const n = (spectrum.length - 1) * 2;
  const binHz = sampleRate / n;
  let count = 0;
  for (let k = Math.ceil(lo / binHz); k < hi / binHz && k < spectrum.length; k++) count++;
  return count;
}

// ---------------------------------------------------------------- assertions
// AUDIO_REPORT=1 npx vitest run tests/audio prints every measured figure next to its expectation.

/** Fails with the measured and expected figures when |actual - expected| > tolerance. */
export function expectWithin(actual: number, expected: number, tolerance: number, what = 'value'): void {
  if (process.env.AUDIO_REPORT) console.log(`[measured] ${what}: ${actual.toFixed(4)} (expected ${expected.toFixed(4)} ± ${tolerance})`);
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what}: measured ${actual}, expected ${expected} ± ${tolerance} (off by ${actual - expected})`);
  }
}

/** Fails unless actual < limit (NaN fails too). */
export function expectBelow(actual: number, limit: number, what = 'value'): void {
  if (process.env.AUDIO_REPORT) console.log(`[measured] ${what}: ${actual} (limit ${limit})`);
  if (!(actual < limit)) throw new Error(`${what}: measured ${actual}, expected below ${limit}`);
}
