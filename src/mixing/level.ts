// "Level tracks" (gain staging): every track's fader set so that what the track gives to the mix
// sits at one loudness, by default -18 LUFS. Each track is measured through its own chain up to
// the first shared node (the subgraph the parallel render cuts: src/runtime/split.ts), rendered
// offline by the runtime, as BS.1770-4 integrated loudness: K-weighted, 400 ms blocks gated at
// -70 LUFS and 10 LU under the ungated level, so only the sounding part counts (a vocal's
// silences between phrases do not pull it down). Muted and soloed tracks are measured as if heard.
//
// A chain of linear nodes (EQ, gain, pan, send, delay, reverb) moves by exactly the fader's change,
// so one measurement gives the gain. A chain with a compressor, gate, saturator or limiter does
// not: after the first guess its chain is measured again and the gain corrected by the secant
// through the tries, until it lands within `tolerance` (at most 5 renders).
//
// Silent and near-silent tracks (no gated block, or under -70 LUFS: nothing BS.1770 would count)
// are left alone and named, as are tracks that reach nothing and tracks with no audio. The result
// is a report and one command (one undo step) setting every fader that moves.
import type { Plan } from '../compiler/plan.ts';
import type { Command } from '../model/commands.ts';
import type { SessionDoc } from '../model/document.ts';
import { LoudnessMeter } from '../dsp/loudness.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { round2, setTrackGains, trackChains, type TrackChain } from './graph.ts';
import { streamPlan, type AnalysisAudio, type Tap } from './render.ts';

export const DEFAULT_LEVEL_TARGET = -18;
/** Below this a track is near-silent and left alone (BS.1770's absolute gate). */
export const SILENT_LUFS = -70;
/** Node types whose output does not follow their input's level one to one. */
const NONLINEAR: ReadonlySet<string> = new Set(['compressor', 'gate', 'deesser', 'saturator', 'limiter', 'multiband']);

export type LevelStatus = 'levelled' | 'unchanged' | 'clamped' | 'silent' | 'no-audio' | 'unreached';

export interface LevelTrack {
  path: string;
  label: string;
  status: LevelStatus;
  /** Integrated loudness (LUFS) of the track through its chain at its current gain; null when silent or not measured. */
  loudness: number | null;
  gainBefore: number;
  gainAfter: number;
  /** The loudness at the new gain: measured again for non-linear chains, else the measurement moved by the gain change. */
  loudnessAfter: number | null;
  /** Renders of its chain this took. */
  renders: number;
  /** Why it was left alone, for the report. */
  note?: string;
}

export interface LevelResult {
  target: number;
  tracks: LevelTrack[];
  /** Tracks left alone because they are silent or near-silent (paths). */
  silent: string[];
  /** One undo step setting every fader that moves; null when none does. */
  command: Command | null;
}

export interface LevelOptions {
  /** LUFS, -60 to 0 (default -18). */
  target?: number;
  audio: AnalysisAudio;
  /** How close a non-linear chain must land (LU), 0.1 by default. */
  tolerance?: number;
  signal?: AbortSignal;
  /** Progress over the whole job (0..1) and what is being measured. */
  onProgress?: (fraction: number, what: string) => void;
}

const GAIN = getDefinition('track')!.params.gain as { min: number; max: number };

/** Seconds a chain sounds: its source with its offset, plus the tails of the nodes after it. */
function chainFrames(chain: TrackChain, plan: Plan, audio: AnalysisAudio): number {
  const sampleRate = audio.sampleRate;
  const source = String(chain.node.params.source ?? '');
  const length = source ? audio.frames(source) : undefined;
  if (length === undefined) return 0;
  const offset = Math.round(((chain.node.params.offset as number) / 1000) * sampleRate);
  let tail = 0;
  for (const n of plan.nodes) tail += getDefinition(n.type)?.tail?.(n.params) ?? 0;
  return Math.max(0, length + offset) + Math.round(Math.min(tail, 30) * sampleRate);
}

/** The chain's plan with the track's fader at `gain`. */
const withGain = (plan: Plan, track: string, gain: number): Plan => ({
  nodes: plan.nodes.map((n) => (n.id === track ? { ...n, params: { ...n.params, gain } } : n)),
  edges: plan.edges,
});

/** Integrated loudness of the chain's main exits (summed, as the mix would hear them), LUFS. */
async function measureChain(chain: TrackChain, plan: Plan, frames: number, options: LevelOptions): Promise<number> {
  const taps: Tap[] = chain.exits.slice(0, Math.max(1, chain.mainExits));
  const meter = new LoudnessMeter(options.audio.sampleRate, 2, { truePeak: false });
  const l = new Float32Array(128);
  const r = new Float32Array(128);
  const pair = [l, r];
  await streamPlan(plan, taps, { audio: options.audio, frames, signal: options.signal }, (block) => {
    const n = block.frames;
    if (l.length < n) throw new Error('blocks longer than 128 frames');
    l.fill(0, 0, n);
    r.fill(0, 0, n);
    for (const bus of block.taps) {
      const a = bus.data[0];
      const b = bus.channels > 1 ? bus.data[1] : a;
      for (let i = 0; i < n; i++) {
        l[i] += a[i];
        r[i] += b[i];
      }
    }
    meter.process(pair, n);
  });
  return meter.integrated();
}

/** Measure every track through its chain and work out the fader that puts it at `target`. */
export async function levelTracks(doc: SessionDoc, options: LevelOptions): Promise<LevelResult> {
  const target = options.target ?? DEFAULT_LEVEL_TARGET;
  if (!(target >= -60 && target <= 0)) throw new RangeError(`the level target must be from -60 to 0 LUFS, got ${target}`);
  const tolerance = options.tolerance ?? 0.1;
  const chains = trackChains(doc);
  const tracks: LevelTrack[] = [];
  for (let k = 0; k < chains.length; k++) {
    const chain = chains[k];
    options.onProgress?.(k / chains.length, chain.label);
    const gainBefore = chain.node.params.gain as number;
    const base = { path: chain.path, label: chain.label, gainBefore, gainAfter: gainBefore, loudness: null, loudnessAfter: null, renders: 0 };
    if (!chain.plan || chain.exits.length === 0) {
      tracks.push({ ...base, status: 'unreached', note: 'its sound reaches nothing' });
      continue;
    }
    const frames = chainFrames(chain, chain.plan, options.audio);
    if (frames === 0 || !chain.node.params.source) {
      tracks.push({ ...base, status: 'no-audio', note: chain.node.params.source ? 'its file has no audio' : 'it has no file' });
      continue;
    }
    const measured = await measureChain(chain, chain.plan, frames, options);
    let renders = 1;
    if (!(measured > SILENT_LUFS)) {
      tracks.push({ ...base, renders, status: 'silent', loudness: Number.isFinite(measured) ? measured : null, note: Number.isFinite(measured) ? `near-silent (${measured.toFixed(1)} LUFS)` : 'silent (no block over -70 LUFS)' });
      continue;
    }
    const clamp = (g: number) => Math.min(GAIN.max, Math.max(GAIN.min, g));
    let gain = clamp(gainBefore + (target - measured));
    let after = measured + (gain - gainBefore);
    const nonlinear = chain.plan.nodes.some((n) => NONLINEAR.has(n.type) && !n.bypass);
    if (nonlinear && Math.abs(gain - gainBefore) > 1e-9) {
      // Secant through (gain, loudness) pairs: a compressor makes the slope less than 1
      let g0 = gainBefore;
      let l0 = measured;
      let g1 = gain;
      let l1 = await measureChain(chain, withGain(chain.plan, chain.path, g1), frames, options);
      renders++;
      while (renders < 5 && Math.abs(l1 - target) > tolerance && Number.isFinite(l1)) {
        const slope = Math.abs(l1 - l0) > 1e-6 && Math.abs(g1 - g0) > 1e-9 ? (l1 - l0) / (g1 - g0) : 1;
        const next = clamp(g1 + (target - l1) / Math.max(0.05, slope));
        if (Math.abs(next - g1) < 1e-6) break;
        g0 = g1;
        l0 = l1;
        g1 = next;
        l1 = await measureChain(chain, withGain(chain.plan, chain.path, g1), frames, options);
        renders++;
      }
      gain = g1;
      after = l1;
    }
    gain = round2(gain);
    const clamped = gain <= GAIN.min + 1e-9 || gain >= GAIN.max - 1e-9;
    const moved = Math.abs(gain - gainBefore) >= 0.01;
    const status: LevelStatus = !moved ? 'unchanged' : clamped && Math.abs(after - target) > tolerance ? 'clamped' : 'levelled';
    tracks.push({ ...base, renders, status, loudness: measured, gainAfter: moved ? gain : gainBefore, loudnessAfter: moved ? after : measured, note: status === 'clamped' ? `the fader stops at ${gain > 0 ? GAIN.max : GAIN.min} dB` : undefined });
  }
  options.onProgress?.(1, '');
  const changes = tracks.filter((t) => t.gainAfter !== t.gainBefore).map((t) => ({ path: t.path, gain: t.gainAfter }));
  const label = `Level tracks to ${target} LUFS`;
  return {
    target,
    tracks,
    silent: tracks.filter((t) => t.status === 'silent').map((t) => t.path),
    command: changes.length ? setTrackGains(changes, label) : null,
  };
}
