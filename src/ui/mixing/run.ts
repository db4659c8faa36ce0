// Runs a mixing analysis in a Web Worker (analysis.worker.ts), one worker per job, ended on abort
// or when it answers. The report comes back as data; its commands are rebuilt here from the
// report, for the document it was computed on (the same edits src/mixing builds).
import type { AlignResult } from '../../mixing/align.ts';
import type { MeasurementNeeds, MixReading, PortReading, TrackReading } from '../../lessons/checks.ts';
import { addPeakingCut, duckUnder, setTrackGains } from '../../mixing/graph.ts';
import type { LevelResult } from '../../mixing/level.ts';
import { AnalysisAborted } from '../../mixing/render.ts';
import type { Edit, MixCheckResult, Suggestion } from '../../mixing/mixcheck.ts';
import type { Command } from '../../model/commands.ts';
import type { SessionDoc } from '../../model/document.ts';
import type { SourceLibrary } from '../audio.ts';
import { analysisBuffers, ANALYSIS_RATE } from './sources.ts';

export interface AnalysisJob {
  kind: 'level' | 'align' | 'check' | 'lesson';
  doc: SessionDoc;
  buffers: [string, Float32Array[]][];
  sampleRate: number;
  target?: number;
  reference?: string;
  /** For 'lesson': what the checks read, and the seconds to render when no file sets the length. */
  needs?: MeasurementNeeds;
  fallbackSeconds?: number;
}

/** A lesson's measurements from the worker (src/lessons/offline.ts), as data. */
export interface LessonMeasured {
  levels: { node: string; port?: string; reading: PortReading | null }[];
  mix: MixReading | null;
  tracks: TrackReading[] | null;
}

interface RunOptions {
  signal: AbortSignal;
  onProgress: (fraction: number, what: string) => void;
  /** Problems with the audio (files missing or undecodable), known before the analysis starts. */
  onProblems: (problems: string[]) => void;
}

async function run<T>(job: Omit<AnalysisJob, 'buffers' | 'sampleRate'>, sources: SourceLibrary, options: RunOptions): Promise<T> {
  const { buffers, problems } = await analysisBuffers(job.doc, sources);
  options.onProblems(problems);
  if (options.signal.aborted) throw new AnalysisAborted();
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<T>((resolve, reject) => {
      options.signal.addEventListener('abort', () => reject(new AnalysisAborted()), { once: true });
      worker.onmessage = (e: MessageEvent<{ progress?: number; what?: string; result?: T; error?: string }>) => {
        if (e.data.error !== undefined) reject(new Error(e.data.error));
        else if (e.data.result !== undefined) resolve(e.data.result);
        else if (e.data.progress !== undefined) options.onProgress(e.data.progress, e.data.what ?? '');
      };
      worker.onerror = (e) => reject(new Error(e.message || 'the analysis worker failed'));
      worker.postMessage({ ...job, buffers: [...buffers], sampleRate: ANALYSIS_RATE } satisfies AnalysisJob);
    });
  } finally {
    worker.terminate();
  }
}

export async function runLevel(doc: SessionDoc, target: number, sources: SourceLibrary, options: RunOptions): Promise<LevelResult> {
  const report = await run<Omit<LevelResult, 'command'>>({ kind: 'level', doc, target }, sources, options);
  const changes = report.tracks.filter((t) => t.gainAfter !== t.gainBefore).map((t) => ({ path: t.path, gain: t.gainAfter }));
  return { ...report, command: changes.length ? setTrackGains(changes, `Level tracks to ${report.target} LUFS`) : null };
}

export async function runAlign(doc: SessionDoc, reference: string, sources: SourceLibrary, options: RunOptions): Promise<AlignResult> {
  // The dialog builds its command from the ticked proposals (AlignDialog alignCommand).
  const report = await run<Omit<AlignResult, 'command'>>({ kind: 'align', doc, reference }, sources, options);
  return { ...report, command: null };
}

/** A fix's command from its edit, for `doc` (the checked document). */
export function commandOf(doc: SessionDoc, edit: Edit, text: string): Command {
  if (edit.type === 'gain') return setTrackGains([{ path: edit.track, gain: edit.gain }], text.replace(/ \(fader .*\)$/, ''));
  if (edit.type === 'duck') return duckUnder(doc, { key: edit.key, target: edit.target });
  return addPeakingCut(doc, { track: edit.track, frequency: edit.frequency, gain: edit.gain, q: edit.q });
}

export async function runMixCheck(doc: SessionDoc, sources: SourceLibrary, options: RunOptions): Promise<MixCheckResult> {
  type Plain = Omit<MixCheckResult, 'findings'> & { findings: (Omit<MixCheckResult['findings'][number], 'suggestion'> & { suggestion: Omit<Suggestion, 'command'> | null })[] };
  const report = await run<Plain>({ kind: 'check', doc }, sources, options);
  return { ...report, findings: report.findings.map((f) => ({ ...f, suggestion: f.suggestion && { ...f.suggestion, command: commandOf(doc, f.suggestion.edit, f.suggestion.text) } })) };
}

/** Measure what a lesson's checks read, offline in the worker: the same numbers as `mixgraph check`. */
export function runLessonMeasure(doc: SessionDoc, needs: MeasurementNeeds, fallbackSeconds: number, sources: SourceLibrary, options: RunOptions): Promise<LessonMeasured> {
  return run<LessonMeasured>({ kind: 'lesson', doc, needs, fallbackSeconds }, sources, options);
}
