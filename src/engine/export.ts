// The main thread's side of the export worker (export.worker.ts): the plan and the decoded
// sources go in, progress and the rendered channels come out. Host-free apart from Worker.
import type { Plan } from '../compiler/plan.ts';

export interface ExportJob {
  plan: Plan;
  sampleRate: number;
  frames: number;
  /** Decoded sources at `sampleRate` (transferred: the caller gives them up). */
  sources: [string, Float32Array[]][];
}

export type ExportMessage = { type: 'progress'; fraction: number } | { type: 'done'; channels: Float32Array[] } | { type: 'error'; message: string };

export class ExportCancelled extends Error {
  override name = 'ExportCancelled';
  constructor() {
    super('the export was cancelled');
  }
}

/**
 * Render `job` in a Worker: `frames` frames of stereo, latency compensated as the CLI renders.
 * Aborting `signal` terminates the worker at once (nothing of the render is left) and rejects
 * with ExportCancelled.
 */
export function renderInWorker(job: ExportJob, onProgress: (fraction: number) => void = () => {}, signal?: AbortSignal): Promise<Float32Array[]> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ExportCancelled());
    const worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module' });
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new ExportCancelled());
    };
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (e: MessageEvent<ExportMessage>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.fraction);
      else if (m.type === 'done') {
        finish();
        resolve(m.channels);
      } else {
        finish();
        reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      finish();
      reject(new Error(e.message || 'the export worker failed'));
    };
    worker.postMessage(job, job.sources.flatMap(([, channels]) => channels.map((c) => c.buffer as ArrayBuffer)));
  });
}
