// The key of an edge, apart from document.ts so that the compiler's diff (and with it the runtime in
// its AudioWorklet) does not pull the file format's zod schema in with it.
import type { DocEdge } from '../presets/schema.ts';

/** One key per edge: an edge is identified by its two ends. */
export function edgeKey(e: DocEdge): string {
  return `${e.from}:${e.fromPort}->${e.to}:${e.toPort}`;
}
