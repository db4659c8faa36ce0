// Before Play: which sources will not be heard, and why, in words a person can act on (tracks
// inside groups too). Play says it once for each new set of reasons (not on every press).
import { fileParams, walkNodes, type SessionDoc } from '../../model/document.ts';
import type { SourceLibrary } from '../audio.ts';
import { isSource, unheardSources } from '../canvas/reach.ts';

export interface Silent {
  /** The node's path. */
  id: string;
  name: string;
  why: string;
}

export function silentSources(doc: SessionDoc, sources: SourceLibrary): Silent[] {
  const nodes = new Map([...walkNodes(doc)].map((w) => [w.path, w.node]));
  const names = new Map([...nodes].map(([path, n]) => [path, n.label || n.id]));
  const lines: Silent[] = [];
  for (const ref of fileParams(doc)) {
    // A reference is heard only through the A/B switch, which says so itself.
    if (sources.has(ref.value) || !isSource(nodes.get(ref.node)?.type ?? '')) continue;
    lines.push({ id: ref.node, name: names.get(ref.node) ?? ref.node, why: `its file ${ref.value} is not loaded (Relink it on the track, or drop the file on it)` });
  }
  for (const [path, node] of nodes) {
    if (node.type === 'track' && !node.params.source) lines.push({ id: path, name: names.get(path)!, why: 'it has no audio file (drop one on the canvas)' });
  }
  for (const path of unheardSources(doc, true)) lines.push({ id: path, name: names.get(path) ?? path, why: 'nothing connects it to the master (connect its output to a bus or the master)' });
  return lines;
}
