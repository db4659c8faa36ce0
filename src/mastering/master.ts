// Mastering a file through a chain, with auto-gain to a loudness target.
//
// Auto-gain has to find the gain before the limiter that lands the *limited* master on the target,
// and a limiter is not linear, so it takes a few tries. Rendering the whole chain per try would cost
// a full render each time; instead the chain is split at its final limiter: everything before it is
// rendered once through the runtime, and each try runs only the gain and the limiter's own DSP core
// (src/dsp/limiter.ts, the code the limiter's processor runs) on that audio. The result is the same
// audio a full render gives, at a fraction of the cost. That part lives in autogain.ts, which the
// editor uses too; this file adds the renders (the runtime, on this thread: a chain is one path).
import { getDefinition } from '../../nodes/registry.ts';
import { compile } from '../compiler/compile.ts';
import { sessionLength } from '../compiler/duration.ts';
import { analyze, type LoudnessReport } from '../dsp/loudness.ts';
import { bounce } from '../runtime/render.ts';
import { MemorySource } from '../runtime/source.ts';
import type { SourceAudio } from '../../nodes/define.ts';
import type { ChainDoc } from '../model/document.ts';
import { fillParams } from '../model/params.ts';
import { plainGraph } from '../model/flatten.ts';
import { formatProblem } from '../model/validate.ts';
import { chainToSession } from '../presets/chain.ts';
import { LimitedStream, limitWithGain, MasteringError, MAX_GAIN, searchGain, SILENT, splitAtLimiter, type Audio, type AutoGainResult } from './autogain.ts';

export { limitWithGain, MasteringError, searchGain, SILENT, splitAtLimiter, type Audio, type AutoGainResult, type SplitChain } from './autogain.ts';

const SOURCE = 'mixgraph:chain-input';

/** Audio read as the chain renders it (a WAV file streamed from disk): one pass, in order. */
export interface StreamedInput {
  source: SourceAudio;
  sampleRate: number;
}

/** What a chain renders: audio in memory, or a source read while it renders. */
export type ChainInput = Audio | StreamedInput;

const isStreamed = (input: ChainInput): input is StreamedInput => 'source' in input;

/** A streamed input read whole into memory (for chains that render it more than once). */
export function inMemory(input: ChainInput): Audio {
  if (!isStreamed(input)) return input;
  const { source } = input;
  const channels = Array.from({ length: source.channels }, () => new Float32Array(source.frames));
  const block = 65536;
  const views = channels.map((c) => c.subarray(0));
  for (let at = 0; at < source.frames; at += block) {
    const n = Math.min(block, source.frames - at);
    for (let c = 0; c < channels.length; c++) views[c] = channels[c].subarray(at, at + n);
    source.read(at, n, views);
  }
  return { channels, sampleRate: input.sampleRate };
}

/** Render `input` through `chain` offline; the output is as long as the input plus the chain's tails. */
export async function runChain(chain: ChainDoc, input: ChainInput, onProgress?: (fraction: number) => void): Promise<Audio> {
  const doc = chainToSession(chain, SOURCE);
  const compiled = compile(doc);
  if (!compiled.ok) throw new MasteringError(compiled.problems.map(formatProblem).join('\n'));
  const { sampleRate } = input;
  const frames = isStreamed(input) ? input.source.frames : (input.channels[0]?.length ?? 0);
  const inputSeconds = frames / sampleRate;
  const fake = { duration: inputSeconds } as AudioBuffer;
  const seconds = Math.max(inputSeconds, sessionLength(compiled.plan, (s) => (s === SOURCE ? fake : undefined)).seconds);
  // bounce() renders the chain's latency (a limiter's lookahead) longer and cuts it from the
  // start, and aligns parallel paths of different latency: the output lines up with the input.
  const source = frames === 0 ? undefined : isStreamed(input) ? input.source : new MemorySource(input.channels, sampleRate);
  const channels = bounce(compiled.plan, {
    sampleRate,
    frames: Math.max(1, Math.ceil(seconds * sampleRate - 1e-6)),
    onProgress,
    every: Math.round(Math.max(5, seconds / 10) * sampleRate),
    sources: (s) => (s === SOURCE ? source : undefined),
  });
  return { channels, sampleRate };
}

export interface MasterResult extends AutoGainResult {
  /** The limiter was added at the end because the chain had none. */
  addedLimiter: boolean;
}

export interface MasterSettings {
  /** Integrated loudness target, LUFS; null keeps the chain's own level (no auto-gain). */
  target: number | null;
  /** Overrides every limiter's ceiling, dBTP. */
  ceiling: number | null;
  onProgress?: (fraction: number) => void;
  onTry?: (gainDb: number, loudness: number) => void;
}

/** The chain's `loudness` node target, if it has one: a chain preset carries its own target. */
export function chainTarget(chain: ChainDoc): number | null {
  const meter = plainGraph(chain).graph.nodes.find((n) => n.type === 'loudness' && !n.bypass);
  return meter ? (meter.params.target as number) : null;
}

/** The chain with groups dissolved (auto-gain sees a limiter inside a group) and every limiter's ceiling set. */
export function withCeiling(chainIn: ChainDoc, ceiling: number | null): ChainDoc {
  const chain = plainGraph(chainIn).graph;
  if (ceiling === null) return chain;
  return { ...chain, nodes: chain.nodes.map((n) => (n.type === 'limiter' ? { ...n, params: { ...n.params, ceiling } } : n)) };
}

/**
 * A chain made ready for auto-gain on one input: `at(g)` is the chain's output with g dB in front
 * of its final limiter. Split chains render their first part once; others render whole per call.
 */
export interface GainStage {
  at(gainDb: number): Promise<Audio>;
  /** at(g) handed out in blocks, without holding the result (split chains; others render it whole first). */
  stream(gainDb: number, onBlock: (channels: readonly Float32Array[], frames: number) => Promise<void> | void): Promise<void>;
  /** Frames of the chain's output (what at() and stream() give). */
  frames: number;
  /** Integrated loudness at 0 dB, for the first guess. */
  loudness: number;
  range: readonly [number, number];
  addedLimiter: boolean;
}

export async function gainStage(chainIn: ChainDoc, input: ChainInput, ceiling: number | null, onProgress?: (fraction: number) => void): Promise<GainStage> {
  const chain = withCeiling(chainIn, ceiling);
  const split = splitAtLimiter(chain);
  if (split) {
    const pre = await runChain(split.pre, input, onProgress);
    // A limiter added to a chain without one takes the ceiling asked for.
    const limiter = split.added && ceiling !== null ? { ...split.limiter, ceiling } : split.limiter;
    return {
      at: async (g) => limitWithGain(pre, g, limiter),
      stream: async (g, onBlock) => {
        const stream = new LimitedStream(pre, g, limiter, 16384);
        for (let b = stream.next(); b; b = stream.next()) await onBlock(b.channels, b.frames);
      },
      frames: pre.channels[0].length,
      loudness: analyze(pre.channels, pre.sampleRate).integrated,
      range: [-MAX_GAIN, MAX_GAIN],
      addedLimiter: split.added,
    };
  }
  // A limiter followed by more processing: a gain node in front of the first limiter, and the whole
  // chain rendered per call (slower, same result).
  const first = chain.nodes.find((n) => n.type === 'limiter')!;
  const gainId = 'mixgraph-autogain';
  const gainDef = getDefinition('gain')!;
  const spec = gainDef.params.gain as { min: number; max: number };
  const withGain = (g: number): ChainDoc => ({
    ...chain,
    nodes: [...chain.nodes, { id: gainId, type: 'gain', params: fillParams(gainDef, { gain: g }) }],
    edges: [...chain.edges.map((e) => (e.to === first.id && e.toPort === 'in' ? { ...e, to: gainId } : e)), { from: gainId, fromPort: 'out', to: first.id, toPort: 'in' }],
  });
  // Rendered once per try: a streamed input is read into memory first.
  const whole = inMemory(input);
  const base = await runChain(chain, whole, onProgress);
  return {
    at: (g) => runChain(withGain(g), whole),
    stream: async (g, onBlock) => {
      const audio = await runChain(withGain(g), whole);
      await emitBlocks(audio, onBlock);
    },
    frames: base.channels[0].length,
    loudness: analyze(base.channels, base.sampleRate).integrated,
    range: [spec.min, spec.max],
    addedLimiter: false,
  };
}

/** Audio in memory handed out in blocks (views). */
export async function emitBlocks(audio: Audio, onBlock: (channels: readonly Float32Array[], frames: number) => Promise<void> | void, block = 16384): Promise<void> {
  const frames = audio.channels[0]?.length ?? 0;
  for (let at = 0; at < frames; at += block) {
    const n = Math.min(block, frames - at);
    await onBlock(audio.channels.map((c) => c.subarray(at, at + n)), n);
  }
}

/** Master one file: the chain, then (with a target) auto-gain before the final limiter. */
export async function master(chainIn: ChainDoc, input: ChainInput, s: MasterSettings): Promise<MasterResult> {
  if (s.target === null) {
    const audio = await runChain(withCeiling(chainIn, s.ceiling), input, s.onProgress);
    return { audio, gainDb: 0, report: analyze(audio.channels, audio.sampleRate), tries: 1, addedLimiter: false };
  }
  const target = s.target;
  const stage = await gainStage(chainIn, input, s.ceiling, s.onProgress);
  if (!Number.isFinite(stage.loudness)) throw new MasteringError(SILENT);
  const result = await searchGain(target, target - stage.loudness, async (g) => {
    const audio = await stage.at(g);
    return { audio, report: analyze(audio.channels, audio.sampleRate) };
  }, s.onTry, stage.range);
  return { ...result, addedLimiter: stage.addedLimiter };
}
