// A render thread (worker_threads) of src/engine/node.ts: it renders a group of chains on the
// timeline's block grid and posts their exits' output, chunk by chunk, at most `ahead` chunks
// ahead of the main thread (each chunk the main thread has played comes back, buffers and all).
import { parentPort, workerData } from 'node:worker_threads';

import { ChainRender } from '../runtime/render.ts';
import type { ExitChunk } from '../runtime/split.ts';
import { openSources, type ThreadData, type ThreadMessage } from './node.ts';

const port = parentPort!;
const data = workerData as ThreadData;
const post = (m: ThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

function fail(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', name: e.name, message: e.message, stack: e.stack });
}

try {
  const sources = await openSources(new Map(data.sources), data.plan);
  const render = new ChainRender(data.plan, data.exits, { sampleRate: data.sampleRate, totalFrames: data.totalFrames, sources: sources.lookup, blockSize: data.blockSize });
  let credit = data.ahead;
  const spare: ExitChunk[] = [];
  const pump = () => {
    try {
      while (credit > 0 && !render.done) {
        const chunk = render.next(data.chunkBlocks, spare.pop())!;
        credit--;
        post({ type: 'chunk', chunk }, [...chunk.data.map((d) => d.buffer as ArrayBuffer), chunk.channels.buffer as ArrayBuffer]);
      }
    } catch (err) {
      fail(err);
    }
  };
  port.on('message', (m: { type: 'more'; chunk?: ExitChunk }) => {
    if (m.type !== 'more') return;
    credit++;
    if (m.chunk) spare.push(m.chunk);
    pump();
  });
  post({ type: 'ready' });
  pump();
} catch (err) {
  fail(err);
}
