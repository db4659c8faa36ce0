// Mastering a file through a chain, with auto-gain to a loudness target.
//
// Auto-gain has to find the gain before the limiter that lands the *limited* master on the target,
// and a limiter is not linear, so it takes a few tries. Rendering the whole chain per try through
// Web Audio would cost a full render each time; instead the chain is split at its final limiter:
// everything before it is rendered once through the engine, and each try runs only the gain and
// the limiter's own DSP core (src/dsp/limiter.ts, the code the limiter's worklet runs) on that
// audio. The result is the same audio a full render gives, at a fraction of the cost. That part has
// no Web Audio in it and lives in autogain.ts, which the editor uses too; this file adds the renders.
import { getDefinition } from '../../nodes/registry.ts';
import { compile } from '../compiler/compile.ts';
import { sessionLength } from '../compiler/duration.ts';
import { analyze, type LoudnessReport } from '../dsp/loudness.ts';
import { bounce, decodingContext } from '../engine/node.ts';
import type { ChainDoc } from '../model/document.ts';
import { fillParams } from '../model/params.ts';
import { plainGraph } from '../model/flatten.ts';
import { formatProblem } from '../model/validate.ts';
import { chainToSession } from '../presets/chain.ts';
import { limitWithGain, MasteringError, MAX_GAIN, searchGain, SILENT, splitAtLimiter, type Audio, type AutoGainResult } from './autogain.ts';

export { limitWithGain, MasteringError, searchGain, SILENT, splitAtLimiter, type Audio, type AutoGainResult, type SplitChain } from './autogain.ts';

const SOURCE = 'mixgraph:chain-input';

/** Render `input` through `chain` offline; the output is as long as the input plus the chain's tails. */
export async function runChain(chain: ChainDoc, input: Audio, onProgress?: (fraction: number) => void): Promise<Audio> {
  const doc = chainToSession(chain, SOURCE);
  const compiled = compile(doc);
  if (!compiled.ok) throw new MasteringError(compiled.problems.map(formatProblem).join('\n'));
  const { sampleRate } = input;
  const frames = input.channels[0]?.length ?? 0;
  const inputSeconds = frames / sampleRate;
  const fake = { duration: inputSeconds } as AudioBuffer;
  const seconds = Math.max(inputSeconds, sessionLength(compiled.plan, (s) => (s === SOURCE ? fake : undefined)).seconds);
  // bounce() renders the chain's latency (a limiter's lookahead) longer and cuts it from the
  // start, and aligns parallel paths of different latency: the output lines up with the input.
  let buffer: AudioBuffer | undefined;
  const channels = await bounce(compiled.plan, {
    sampleRate,
    frames: Math.max(1, Math.ceil(seconds * sampleRate - 1e-6)),
    channels: 2,
    onProgress,
    every: Math.max(5, seconds / 10),
    getBuffer: (s) => {
      if (s !== SOURCE) return undefined;
      if (!buffer) {
        // Made on a decoding context: node-web-audio-api buffers are not tied to one context.
        buffer = decodingContext(sampleRate).createBuffer(input.channels.length, Math.max(1, frames), sampleRate);
        input.channels.forEach((c, i) => buffer!.copyToChannel(c as Float32Array<ArrayBuffer>, i));
      }
      return buffer;
    },
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
  /** Integrated loudness at 0 dB, for the first guess. */
  loudness: number;
  range: readonly [number, number];
  addedLimiter: boolean;
}

export async function gainStage(chainIn: ChainDoc, input: Audio, ceiling: number | null, onProgress?: (fraction: number) => void): Promise<GainStage> {
  const chain = withCeiling(chainIn, ceiling);
  const split = splitAtLimiter(chain);
  if (split) {
    const pre = await runChain(split.pre, input, onProgress);
    // A limiter added to a chain without one takes the ceiling asked for.
    const limiter = split.added && ceiling !== null ? { ...split.limiter, ceiling } : split.limiter;
    return {
      at: async (g) => limitWithGain(pre, g, limiter),
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
  const base = await runChain(chain, input, onProgress);
  return { at: (g) => runChain(withGain(g), input), loudness: analyze(base.channels, base.sampleRate).integrated, range: [spec.min, spec.max], addedLimiter: false };
}

/** Master one file: the chain, then (with a target) auto-gain before the final limiter. */
export async function master(chainIn: ChainDoc, input: Audio, s: MasterSettings): Promise<MasterResult> {
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
