// Before Play: which sources will not be heard, and why, in words a person can act on. Play says
// it once for each new set of reasons (not on every press).
import type { SessionDoc } from '../../model/document.ts';
import type { SourceLibrary } from '../audio.ts';
import { isSource, unheardSources } from '../canvas/reach.ts';

export interface Silent {
  id: string;
  name: string;
  why: string;
}

export function silentSources(doc: SessionDoc, sources: SourceLibrary): Silent[] {
  const unheard = unheardSources(doc);
  const lines: Silent[] = [];
  for (const n of doc.nodes) {
    if (!isSource(n.type)) continue;
    const name = n.label || n.id;
    const file = typeof n.params.source === 'string' ? n.params.source : '';
    if (file && !sources.has(file)) lines.push({ id: n.id, name, why: `its file ${file} is not loaded (Relink it on the track, or drop the file on it)` });
    else if (n.type === 'track' && !file) lines.push({ id: n.id, name, why: 'it has no audio file (drop one on the canvas)' });
    if (unheard.has(n.id)) lines.push({ id: n.id, name, why: 'nothing connects it to the master (connect its output to a bus or the master)' });
  }
  return lines;
}
