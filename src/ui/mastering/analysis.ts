// Whole-signal measurements for A/B and the comparison panel: the mix (an offline bounce of the
// session, as Export WAV renders it) and the reference (its decoded file), each measured with the
// same DSP cores the CLI uses (src/dsp/loudness.ts, src/dsp/spectrum.ts), so the editor and
// `mixgraph analyze` agree. Results are cached: the mix until the sound-relevant part of the
// document changes, a reference per file.
import { analyze, type LoudnessReport } from '../../dsp/loudness.ts';
import { thirdOctaveSpectrum, type ThirdOctaveBand } from '../../dsp/spectrum.ts';
import { decodeAudioBytes } from '../../engine/browser.ts';
import type { SessionDoc } from '../../model/document.ts';
import type { LiveAudio } from '../audio.ts';

export const ANALYSIS_RATE = 48000;

export interface Measurement {
  loudness: LoudnessReport;
  spectrum: ThirdOctaveBand[];
}

export function measure(channels: Float32Array[], sampleRate: number): Measurement {
  return { loudness: analyze(channels, sampleRate), spectrum: thirdOctaveSpectrum(channels, sampleRate) };
}

let worker: Worker | null | undefined;
let jobs = 0;
const pending = new Map<number, { resolve(m: Measurement): void; reject(e: Error): void }>();

/**
 * measure() in a Web Worker (measure.worker.ts), so the editor stays responsive; on the main
 * thread where workers are unavailable. `transfer` hands the channels' memory to the worker
 * (the caller must not use them afterwards); otherwise they are copied.
 */
export function measureOffThread(channels: Float32Array[], sampleRate: number, transfer = false): Promise<Measurement> {
  if (worker === undefined) {
    try {
      worker = new Worker(new URL('./measure.worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (e: MessageEvent<{ id: number; result?: Measurement; error?: string }>) => {
        const job = pending.get(e.data.id);
        pending.delete(e.data.id);
        if (e.data.result) job?.resolve(e.data.result);
        else job?.reject(new Error(e.data.error ?? 'measurement failed'));
      };
    } catch {
      worker = null;
    }
  }
  if (!worker) return Promise.resolve(measure(channels, sampleRate));
  const id = ++jobs;
  const w = worker;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, channels, sampleRate }, transfer ? channels.map((c) => c.buffer as ArrayBuffer) : []);
  });
}

/** The session's (first) reference node, if it has one with a file. */
export function referenceOf(doc: SessionDoc): { id: string; source: string; gain: number } | null {
  const node = doc.nodes.find((n) => n.type === 'reference');
  if (!node) return null;
  return { id: node.id, source: String(node.params.source ?? ''), gain: Number(node.params.gain ?? 0) };
}

/**
 * What the bounce depends on: nodes (but not positions, labels or the reference, which never
 * reaches a render) and edges. Moving a node or renaming it keeps the cached measurement.
 */
export function mixKey(doc: SessionDoc): string {
  const nodes = doc.nodes.filter((n) => n.type !== 'reference').map((n) => [n.id, n.type, n.params, n.bypass ?? false]);
  return JSON.stringify([nodes, doc.edges]);
}

/** Cached measurements of the mix and of reference files, for one LiveAudio. */
export class MasteringAnalysis {
  private mix: { key: string; result: Promise<Measurement> } | null = null;
  private references = new Map<string, Promise<Measurement>>();

  constructor(private readonly audio: LiveAudio) {}

  /** The mix, bounced offline at 48 kHz and measured; the same promise while the document's sound is unchanged. */
  measureMix(doc: SessionDoc): Promise<Measurement> {
    const key = mixKey(doc);
    if (this.mix?.key !== key) {
      const result = this.audio.render(doc, () => {}, ANALYSIS_RATE).then((channels) => measureOffThread(channels, ANALYSIS_RATE, true));
      this.mix = { key, result };
      // A failed render is not cached: the next try renders again.
      result.catch(() => {
        if (this.mix?.result === result) this.mix = null;
      });
    }
    return this.mix.result;
  }

  /** A reference file, decoded at 48 kHz and measured. */
  measureReference(source: string): Promise<Measurement> {
    let result = this.references.get(source);
    if (!result) {
      result = (async () => {
        const bytes = await this.audio.sources.get(source);
        if (!bytes) throw new Error(`no audio loaded for the reference "${source}"`);
        const audio = await decodeAudioBytes(bytes, ANALYSIS_RATE);
        const channels = audio.channels.slice(0, 2);
        // A mono file plays on both speakers: measure it as two equal channels, as it is heard.
        return measureOffThread(channels.length === 1 ? [channels[0], channels[0]] : channels, ANALYSIS_RATE);
      })();
      this.references.set(source, result);
      result.catch(() => this.references.delete(source));
    }
    return result;
  }
}

const instances = new WeakMap<LiveAudio, MasteringAnalysis>();

/** One analysis cache per LiveAudio, shared by the A/B switch and the comparison panel. */
export function analysisFor(audio: LiveAudio): MasteringAnalysis {
  let a = instances.get(audio);
  if (!a) instances.set(audio, (a = new MasteringAnalysis(audio)));
  return a;
}

/** The trim that plays the reference at the mix's loudness: mix LUFS − reference LUFS (0 if either is silent). */
export function matchTrim(mix: LoudnessReport, reference: LoudnessReport): number {
  const t = mix.integrated - reference.integrated;
  return Number.isFinite(t) ? t : 0;
}

export const formatLufs = (v: number, unit = 'LUFS'): string => (Number.isFinite(v) ? `${v.toFixed(1)} ${unit}` : `–∞ ${unit}`);
