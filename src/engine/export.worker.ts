// Export in a Web Worker: the runtime's OfflineRender (src/runtime is host-free) renders the plan
// the main thread sends, with the sources it decoded (src/runtime/render.ts bounce), posting the progress; the
// result goes back transferred. Cancel is the main thread terminating this worker.
import { bounce } from '../runtime/render.ts';
import { MemorySource } from '../runtime/source.ts';
import type { ExportJob, ExportMessage } from './export.ts';

const scope = self as unknown as { onmessage: ((e: MessageEvent<ExportJob>) => void) | null; postMessage(m: ExportMessage, transfer?: Transferable[]): void };

scope.onmessage = (e) => {
  const job = e.data;
  try {
    const sources = new Map(job.sources.map(([name, channels]) => [name, new MemorySource(channels, job.sampleRate)]));
    // About a hundred progress posts in a long export, none closer than 8192 frames (the CLI's chunk).
    const out = bounce(job.plan, {
      sampleRate: job.sampleRate,
      frames: job.frames,
      sources: (name) => sources.get(name),
      every: Math.max(8192, Math.ceil(job.frames / 100)),
      onProgress: (fraction) => scope.postMessage({ type: 'progress', fraction }),
    });
    scope.postMessage({ type: 'done', channels: out }, out.map((c) => c.buffer));
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
