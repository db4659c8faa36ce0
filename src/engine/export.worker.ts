// Export in a Web Worker: the runtime's OfflineRender (src/runtime is host-free) renders the plan
// the main thread sends, with the sources it decoded, chunk by chunk, posting the progress; the
// result goes back transferred. Cancel is the main thread terminating this worker.
import { OfflineRender } from '../runtime/render.ts';
import { MemorySource } from '../runtime/source.ts';
import type { ExportJob, ExportMessage } from './export.ts';

const scope = self as unknown as { onmessage: ((e: MessageEvent<ExportJob>) => void) | null; postMessage(m: ExportMessage, transfer?: Transferable[]): void };

/** Frames per chunk between two progress posts: 8192, as the CLI hands its chunks on. */
const CHUNK = 8192;

scope.onmessage = (e) => {
  const job = e.data;
  try {
    const sources = new Map(job.sources.map(([name, channels]) => [name, new MemorySource(channels, job.sampleRate)]));
    const render = new OfflineRender(job.plan, { sampleRate: job.sampleRate, frames: job.frames, sources: (name) => sources.get(name) });
    const out = [new Float32Array(job.frames), new Float32Array(job.frames)];
    let lastPost = 0;
    for (let at = 0; at < job.frames; ) {
      const n = render.next(out, Math.min(CHUNK, job.frames - at), at);
      if (n === 0) break;
      at += n;
      // About a hundred posts in a long export, and none closer than 1 % apart.
      if (at - lastPost >= job.frames / 100 || at === job.frames) {
        lastPost = at;
        scope.postMessage({ type: 'progress', fraction: at / job.frames });
      }
    }
    render.dispose();
    scope.postMessage({ type: 'done', channels: out }, out.map((c) => c.buffer));
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
