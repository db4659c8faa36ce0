// A render thread (worker_threads) of src/engine/node.ts: it renders a group of chains on the
// timeline's block grid into its ring in shared memory, chunk by chunk, waiting (Atomics.wait) while
// every slot holds a chunk the main thread has not played yet.
import { parentPort, workerData } from 'node:worker_threads';

import { ChainRender } from '../runtime/render.ts';
import { CONSUMED, openSources, PRODUCED, Ring, STOP, type ThreadData, type ThreadMessage } from './node.ts';

const port = parentPort!;
const data = workerData as ThreadData;
const post = (m: ThreadMessage) => port.postMessage(m);

function fail(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', name: e.name, message: e.message, stack: e.stack });
}

try {
  const sources = await openSources(new Map(data.sources), data.plan);
  const render = new ChainRender(data.plan, data.exits, { sampleRate: data.sampleRate, totalFrames: data.totalFrames, sources: sources.lookup, blockSize: data.blockSize });
  const ring = new Ring(data.ring, data.exits.length, data.chunkBlocks * data.blockSize, data.chunkBlocks, data.slots);
  const control = ring.control;
  post({ type: 'ready' });
  for (let c = 0; !render.done; c++) {
    // Wait for the slot of chunk c - slots to be played (a timeout to see a stop).
    for (;;) {
      if (Atomics.load(control, STOP)) process.exit(0);
      const consumed = Atomics.load(control, CONSUMED);
      if (Atomics.load(control, PRODUCED) - consumed < data.slots) break;
      Atomics.wait(control, CONSUMED, consumed, 100);
    }
    const chunk = render.next(data.chunkBlocks, ring.chunks[c % data.slots])!;
    ring.publish(c, chunk.frames);
  }
  sources.dispose();
} catch (err) {
  fail(err);
}
