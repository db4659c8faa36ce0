// "Align to…": each track's time offset and polarity against a reference track, by GCC-PHAT over
// the whole of both (src/dsp/gcc.ts), within ±200 ms, to the sample and to a fraction of one. The
// tracks are heard as they play now (their file, offset, polarity and fader, mono: L + R), all in
// one offline render through the runtime. A track is late by `delay` when positive, so the fix
// is its offset minus the delay (offsets play to the whole sample) and its polarity flipped when
// the correlation peak is negative. Tracks whose peak does not stand out (confidence under 0.5:
// no shared material, or a steady tone whose offset is ambiguous) are left alone.
import type { Plan, PlanNode } from '../compiler/plan.ts';
import type { Command } from '../model/commands.ts';
import { nodeAt, type Graph, type SessionDoc } from '../model/document.ts';
import { DelayEstimator } from '../dsp/gcc.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { planOrThrow, unmuted } from './graph.ts';
import { streamPlan, type AnalysisAudio } from './render.ts';
import { effectiveCategory } from './categories.ts';

export const MAX_LAG_MS = 200;
export const MIN_CONFIDENCE = 0.5;

export type AlignStatus = 'aligned' | 'unchanged' | 'low-confidence' | 'silent' | 'no-audio' | 'reference' | 'clamped';

export interface AlignTrack {
  path: string;
  label: string;
  status: AlignStatus;
  /** ms by which the track is late against the reference (negative: early), to a fraction of a sample; null when not measured. */
  delayMs: number | null;
  /** The same in samples at the analysis rate. */
  delaySamples: number | null;
  /** Its polarity is opposite to the reference's. */
  inverted: boolean;
  /** 0 to 1: how clearly the correlation peak stands out (see src/dsp/gcc.ts). */
  confidence: number;
  /** 0 to 1: how much material it shares with the reference. */
  coherence: number;
  offsetBefore: number;
  offsetAfter: number;
  invertBefore: boolean;
  invertAfter: boolean;
}

export interface AlignResult {
  reference: string;
  sampleRate: number;
  tracks: AlignTrack[];
  /** One undo step with every accepted offset and polarity; null when nothing moves. */
  command: Command | null;
}

export interface AlignOptions {
  /** The reference track's path. */
  reference: string;
  audio: AnalysisAudio;
  maxLagMs?: number;
  minConfidence?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

const OFFSET = getDefinition('track')!.params.offset as { min: number; max: number };

export async function alignTracks(doc: SessionDoc, options: AlignOptions): Promise<AlignResult> {
  const sr = options.audio.sampleRate;
  const maxLagMs = options.maxLagMs ?? MAX_LAG_MS;
  const minConfidence = options.minConfidence ?? MIN_CONFIDENCE;
  const refNode = nodeAt(doc, options.reference);
  if (!refNode || refNode.type !== 'track') throw new Error(`no track "${options.reference}" to align to`);
  // Every track as it plays, unmuted, on its own: a plan of the track nodes alone, no edges
  const full = planOrThrow(unmuted(doc));
  const trackNodes: PlanNode[] = full.nodes.filter((n) => n.type === 'track');
  const others = trackNodes.filter((n) => n.id !== options.reference);
  const lengthOf = (n: PlanNode) => {
    const f = n.params.source ? options.audio.frames(String(n.params.source)) : undefined;
    return f === undefined ? 0 : Math.max(0, f + Math.round(((n.params.offset as number) / 1000) * sr));
  };
  const ref = trackNodes.find((n) => n.id === options.reference)!;
  const report = (n: PlanNode, status: AlignStatus, extra: Partial<AlignTrack> = {}): AlignTrack => {
    const node = nodeAt(doc, n.id)!;
    return {
      path: n.id,
      label: node.label || n.id,
      status,
      delayMs: null,
      delaySamples: null,
      inverted: false,
      confidence: 0,
      coherence: 0,
      offsetBefore: node.params.offset as number,
      offsetAfter: node.params.offset as number,
      invertBefore: node.params.invert === true,
      invertAfter: node.params.invert === true,
      ...extra,
    };
  };
  const refLength = lengthOf(ref);
  const measured = others.filter((n) => lengthOf(n) > 0);
  const results = new Map<string, AlignTrack>();
  results.set(ref.id, report(ref, refLength > 0 ? 'reference' : 'no-audio'));
  for (const n of others) if (lengthOf(n) === 0) results.set(n.id, report(n, 'no-audio'));

  if (refLength > 0 && measured.length > 0) {
    const plan: Plan = { nodes: [ref, ...measured], edges: [] };
    const frames = Math.max(refLength, ...measured.map(lengthOf));
    const maxLag = Math.round((maxLagMs / 1000) * sr);
    const estimator = new DelayEstimator(sr, maxLag, measured.length);
    const refMono = new Float32Array(128);
    const monos = measured.map(() => new Float32Array(128));
    const mono = (bus: { channels: number; data: readonly [Float32Array, Float32Array] }, into: Float32Array, n: number) => {
      const l = bus.data[0];
      if (bus.channels > 1) {
        const r = bus.data[1];
        for (let i = 0; i < n; i++) into[i] = 0.5 * (l[i] + r[i]);
      } else for (let i = 0; i < n; i++) into[i] = l[i];
    };
    const taps = [ref, ...measured].map((n) => ({ id: n.id, port: 'out' }));
    await streamPlan(plan, taps, { audio: options.audio, frames, signal: options.signal, onProgress: options.onProgress }, (block) => {
      const n = block.frames;
      mono(block.taps[0], refMono, n);
      for (let t = 0; t < measured.length; t++) mono(block.taps[t + 1], monos[t], n);
      estimator.push(refMono, monos, n);
    });
    estimator.finish();
    measured.forEach((n, t) => {
      const e = estimator.estimate(t);
      if (!e) {
        results.set(n.id, report(n, 'silent'));
        return;
      }
      const figures = { delaySamples: e.lag, delayMs: (e.lag / sr) * 1000, inverted: e.inverted, confidence: e.confidence, coherence: e.coherence };
      if (e.confidence < minConfidence) {
        results.set(n.id, report(n, 'low-confidence', figures));
        return;
      }
      const node = nodeAt(doc, n.id)!;
      const before = node.params.offset as number;
      // Offsets play to the whole sample: move by the whole-sample delay, exactly in ms
      const beforeSamples = Math.round((before / 1000) * sr);
      let after = Number((((beforeSamples - e.whole) / sr) * 1000).toFixed(6));
      let status: AlignStatus = e.whole === 0 && !e.inverted ? 'unchanged' : 'aligned';
      if (after < OFFSET.min || after > OFFSET.max) {
        after = Math.min(OFFSET.max, Math.max(OFFSET.min, after));
        status = 'clamped';
      }
      const invertBefore = node.params.invert === true;
      results.set(n.id, report(n, status, { ...figures, offsetAfter: e.whole === 0 ? before : after, invertAfter: e.inverted ? !invertBefore : invertBefore }));
    });
  }
  const tracks = trackNodes.map((n) => results.get(n.id)!);
  const moves = tracks.filter((t) => t.offsetAfter !== t.offsetBefore || t.invertAfter !== t.invertBefore);
  const refLabel = refNode.label || options.reference;
  const command: Command | null = moves.length
    ? {
        label: `Align to ${refLabel}`,
        run(d) {
          for (const m of moves) {
            const node = nodeAt(d as Graph, m.path);
            if (!node || node.type !== 'track') throw new Error(`no track "${m.path}"`);
            node.params.offset = m.offsetAfter;
            node.params.invert = m.invertAfter;
          }
        },
      }
    : null;
  return { reference: options.reference, sampleRate: sr, tracks, command };
}

/** Tracks a reference could be: drums first (overheads and kits carry every hit), then the rest. */
export function referenceCandidates(doc: SessionDoc): string[] {
  const tracks = planOrThrow(unmuted(doc)).nodes.filter((n) => n.type === 'track');
  const score = (id: string) => (effectiveCategory(nodeAt(doc, id)!) === 'drums' ? 0 : 1);
  return tracks.map((n) => n.id).sort((a, b) => score(a) - score(b));
}

