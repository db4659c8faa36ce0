// Test helpers: build sessions, render them through the runtime (src/runtime), measure the result.
// Every measurement works on plain Float32Arrays so a failing test can print the numbers.
import type { Params, SourceAudio } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { compile } from '../../src/compiler/compile.ts';
import type { Plan } from '../../src/compiler/plan.ts';
import { Runtime } from '../../src/runtime/runtime.ts';
import { memorySource } from '../../src/runtime/source.ts';
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

/** Makes a source's channels for the render's sample rate (called before the runtime starts). */
export type SourceMaker = (sampleRate: number) => Float32Array[];

export interface RenderOptions {
  seconds: number;
  sampleRate?: number;
  /** source name -> its channels. */
  buffers?: Record<string, SourceMaker>;
  /**
   * Live edits: at `at` seconds (rounded to a frame) rendering stops and `apply` runs between two
   * blocks, e.g. `runtime.update(nextPlan)`.
   */
  edits?: { at: number; apply: (runtime: Runtime) => void }[];
  /** Runs after the plan is in and before the sources start (A/B, readings). */
  before?: (runtime: Runtime) => void;
  /** The runtime's block length (128 by default). */
  blockSize?: number;
}

export interface Rendered {
  left: Float32Array;
  right: Float32Array;
  sampleRate: number;
  length: number;
}

/** Render a session through the runtime; the runtime comes back too, for its readings and meters. */
export function renderWith(doc: SessionDoc, options: RenderOptions): Rendered & { runtime: Runtime } {
  const sampleRate = options.sampleRate ?? 48000;
  const length = Math.round(options.seconds * sampleRate);
  const sources = new Map<string, SourceAudio>();
  for (const [name, make] of Object.entries(options.buffers ?? {})) sources.set(name, memorySource(make(sampleRate), sampleRate));
  const runtime = new Runtime({ sampleRate, blockSize: options.blockSize, sources: (name) => sources.get(name) });
  runtime.update(planOf(doc));
  options.before?.(runtime);
  runtime.start(0);
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  const edits = [...(options.edits ?? [])].sort((a, b) => a.at - b.at);
  let done = 0;
  for (const edit of edits) {
    const at = Math.min(length, Math.round(edit.at * sampleRate));
    runtime.render([left, right], at - done, done);
    done = at;
    edit.apply(runtime);
  }
  runtime.render([left, right], length - done, done);
  return { left, right, sampleRate, length, runtime };
}

export async function renderSession(doc: SessionDoc, options: RenderOptions): Promise<Rendered> {
  const { runtime, ...rendered } = renderWith(doc, options);
  runtime.dispose();
  return rendered;
}

// ---------------------------------------------------------------- test signals

/** Channels (mono by default; stereo with the same fill per channel index) from a sample function. */
export function bufferFrom(length: number, fill: (i: number, channel: number) => number, channels = 1): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const d = new Float32Array(length);
    for (let i = 0; i < length; i++) d[i] = fill(i, c);
    return d;
  });
}

/** A unit impulse at `at` samples in a mono buffer `length` samples long. */
export const impulse = (at: number, length: number, amplitude = 1): SourceMaker => () => bufferFrom(length, (i) => (i === at ? amplitude : 0));

/** A sine of peak `amplitude` at `frequency` Hz, `seconds` long, `channels` channels. */
export const sine = (frequency: number, amplitude: number, seconds: number, channels = 1): SourceMaker => (sampleRate) =>
  bufferFrom(Math.round(seconds * sampleRate), (i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate), channels);

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
