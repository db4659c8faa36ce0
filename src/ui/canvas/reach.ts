// Which sources are heard: those whose sound reaches the master (the model's reachingMaster walks
// the flat graph, groups seen through). The canvas marks the others, and Play names them.
import { getDefinition } from '../../../nodes/registry.ts';
import type { SessionDoc } from '../../model/document.ts';
import { flatten, reachingMaster } from '../../model/flatten.ts';

/** A node that makes sound of its own: outputs and no inputs (a track, a test signal). */
export function isSource(type: string): boolean {
  const def = getDefinition(type);
  return Boolean(def && def.ports.outputs.length > 0 && def.ports.inputs.length === 0);
}

/**
 * The sources whose sound reaches no master: by their top-level id (an inner one by its group's, as
 * the canvas shows it), or with `paths` by their full path.
 */
export function unheardSources(doc: SessionDoc, paths = false): Set<string> {
  const reached = reachingMaster(doc);
  const out = new Set<string>();
  for (const n of flatten(doc).nodes) if (isSource(n.type) && !reached.has(n.id)) out.add(paths ? n.id : n.id.split('/')[0]);
  return out;
}
