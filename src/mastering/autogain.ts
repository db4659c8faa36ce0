// Auto-gain's engine-free half: split a chain at its final limiter, run gain + the limiter's DSP core
// on audio, and search the gain that lands the result on a loudness target. No Web Audio here, so
// the editor (src/mastering/session.ts, in the browser) and the CLI (master.ts) share it.
import { getDefinition } from '../../nodes/registry.ts';
import { LimiterCore } from '../dsp/limiter.ts';
import type { LoudnessReport } from '../dsp/loudness.ts';
import { CHAIN_OUTPUT, edgeKey, type ChainDoc, type DocEdge, type DocNode } from '../model/document.ts';
import { fillParams } from '../model/params.ts';
import { reachable } from '../presets/chain.ts';

export interface Audio {
  channels: Float32Array[];
  sampleRate: number;
}

/** Node types that pass audio through untouched (meters): a limiter followed only by these is final. */
export const PASS_THROUGH = new Set(['loudness']);
export class MasteringError extends Error {}

export interface SplitChain {
  /** The chain up to the final limiter, ending at `output` where the limiter was. */
  pre: ChainDoc;
  /** The final limiter's params (filled). */
  limiter: DocNode['params'];
  /** Whether the limiter was added because the chain had none. */
  added: boolean;
}

/**
 * Split a chain at its final limiter: the one whose output reaches `output` through pass-through
 * nodes only. A chain without a limiter gets one (the default ceiling) so the target can be met
 * without clipping. Returns null when a limiter is followed by processing (then auto-gain renders
 * the whole chain per try).
 */
export function splitAtLimiter(chain: ChainDoc): SplitChain | null {
  const limiters = chain.nodes.filter((n) => n.type === 'limiter');
  // What a node feeds on the way to the output (the output itself left out).
  const downstreamOf = (id: string) => reachable(chain.edges, id, CHAIN_OUTPUT);
  const typeOf = (id: string) => chain.nodes.find((n) => n.id === id)?.type ?? '';
  const isFinal = (id: string) => [...downstreamOf(id)].every((d) => PASS_THROUGH.has(typeOf(d)));
  const finals = limiters.filter((l) => !l.bypass && isFinal(l.id));
  if (limiters.length === 0) {
    return { pre: chain, limiter: fillParams(getDefinition('limiter')!, {}), added: true };
  }
  if (finals.length !== 1) return null;
  const lim = finals[0];
  // Everything that fed the limiter now goes straight to the output; what came after it is dropped
  // (pass-through meters only).
  const downstream = downstreamOf(lim.id);
  const edges: DocEdge[] = [];
  for (const e of chain.edges) {
    if (e.from === lim.id || downstream.has(e.from) || downstream.has(e.to)) continue;
    edges.push(e.to === lim.id ? { ...e, to: CHAIN_OUTPUT, toPort: 'in' } : e);
  }
  const unique = new Map(edges.map((e) => [edgeKey(e), e]));
  const nodes = chain.nodes.filter((n) => n.id !== lim.id && !downstream.has(n.id));
  return { pre: { ...chain, nodes, edges: [...unique.values()] }, limiter: lim.params, added: false };
}

/**
 * Gain (dB) then the limiter core, latency removed: what the final limiter does to `pre`, pulled
 * block by block (at most `block` frames each; the arrays are reused from one block to the next).
 */
export class LimitedStream {
  private readonly core: LimiterCore;
  private readonly g: number;
  private readonly frames: number;
  private readonly latency: number;
  private readonly inBlock: Float32Array[];
  private readonly outBlock: Float32Array[];
  private readonly views: Float32Array[];
  private start = 0;

  constructor(
    private readonly pre: Audio,
    gainDb: number,
    limiter: DocNode['params'],
    private readonly block = 4096,
  ) {
    this.g = Math.pow(10, gainDb / 20);
    this.frames = pre.channels[0].length;
    this.core = new LimiterCore(pre.sampleRate, pre.channels.length);
    this.core.configure({ ceiling: limiter.ceiling as number, release: limiter.release as number, lookahead: limiter.lookahead as number });
    this.latency = this.core.latency;
    this.inBlock = pre.channels.map(() => new Float32Array(block));
    this.outBlock = pre.channels.map(() => new Float32Array(block));
    this.views = this.outBlock.map((b) => b.subarray(0));
  }

  /** The next block of output, or null at the end. */
  next(): { channels: readonly Float32Array[]; frames: number } | null {
    const { frames, latency, block, g } = this;
    // The input, then `latency` samples of silence; the output from `latency` on.
    const total = frames + latency;
    while (this.start < total) {
      const start = this.start;
      const n = Math.min(block, total - start);
      this.start += n;
      for (let c = 0; c < this.inBlock.length; c++) {
        const src = this.pre.channels[c];
        const dst = this.inBlock[c];
        for (let i = 0; i < n; i++) {
          const k = start + i;
          dst[i] = k < frames ? src[k] * g : 0;
        }
      }
      this.core.process(this.inBlock, this.outBlock, n);
      const from = Math.max(0, latency - start);
      const to = Math.min(n, frames + latency - start);
      if (to <= from) continue;
      for (let c = 0; c < this.outBlock.length; c++) this.views[c] = from === 0 && to === block ? this.outBlock[c] : this.outBlock[c].subarray(from, to);
      return { channels: this.views, frames: to - from };
    }
    return null;
  }
}

/** LimitedStream collected into new arrays. */
export function limitWithGain(pre: Audio, gainDb: number, limiter: DocNode['params']): Audio {
  const frames = pre.channels[0].length;
  const out = pre.channels.map(() => new Float32Array(frames));
  const stream = new LimitedStream(pre, gainDb, limiter);
  let at = 0;
  for (let b = stream.next(); b; b = stream.next()) {
    b.channels.forEach((c, i) => out[i].set(c.subarray(0, b.frames), at));
    at += b.frames;
  }
  return { channels: out, sampleRate: pre.sampleRate };
}

/** The search's best try: `audio` is whatever `measure` returned with it (an album passes none). */
export interface AutoGainResult<A = Audio> {
  audio: A;
  gainDb: number;
  report: LoudnessReport;
  tries: number;
}

/** Integrated loudness within this of the target ends the search (the promise is ±0.5 LU). */
const TOLERANCE = 0.1;
const MAX_TRIES = 12;
/** The widest gain auto-gain tries, dB either way. */
export const MAX_GAIN = 48;

/**
 * Find the gain before the limiter that puts the limited result's integrated loudness on `target`.
 * `measure(g)` returns the limited audio and its report for a gain g (dB). Loudness rises
 * monotonically with gain but less than 1:1 once the limiter works, so secant steps, kept inside a
 * bracket, converge in a few tries.
 */
export async function searchGain<A = Audio>(
  target: number,
  start: number,
  measure: (gainDb: number) => Promise<{ audio: A; report: LoudnessReport }> | { audio: A; report: LoudnessReport },
  onTry?: (gainDb: number, loudness: number) => void,
  range: readonly [number, number] = [-MAX_GAIN, MAX_GAIN],
): Promise<AutoGainResult<A>> {
  const [MIN, MAX] = range;
  let lo = MIN; // gains known to be too quiet / too loud
  let hi = MAX;
  let g = Math.max(MIN, Math.min(MAX, start));
  let prev: { g: number; l: number } | null = null;
  let best: AutoGainResult<A> | null = null;
  for (let tries = 1; tries <= MAX_TRIES; tries++) {
    const { audio, report } = await measure(g);
    const l = report.integrated;
    onTry?.(g, l);
    if (!Number.isFinite(l)) throw new MasteringError(SILENT);
    const err = l - target;
    if (!best || Math.abs(err) < Math.abs(best.report.integrated - target)) best = { audio, gainDb: g, report, tries };
    if (Math.abs(err) <= TOLERANCE) return { ...best, tries };
    if (err < 0) lo = Math.max(lo, g);
    else hi = Math.min(hi, g);
    let next: number;
    if (prev && Math.abs(l - prev.l) > 1e-3) next = g + ((target - l) * (g - prev.g)) / (l - prev.l);
    else next = g - err;
    // Stay inside the bracket; bisect when the secant step leaves it.
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    prev = { g, l };
    if (Math.abs(next - g) < 1e-4) break;
    g = next;
  }
  const reached = best!.report.integrated;
  if (Math.abs(reached - target) <= 0.5) return best!;
  throw new MasteringError(
    reached < target
      ? `cannot reach ${target} LUFS: with +${MAX} dB into the limiter the master reaches only ${reached.toFixed(1)} LUFS; lower --target or raise the ceiling`
      : `cannot reach ${target} LUFS: the master stays at ${reached.toFixed(1)} LUFS; lower the chain's gain before the limiter`,
  );
}

export const SILENT = "the chain's output is silent (below -70 LUFS): there is nothing to bring to the target";
