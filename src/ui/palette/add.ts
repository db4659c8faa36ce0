import { getDefinition } from '../../../nodes/registry.ts';
import { addNode, freshId } from '../../model/commands.ts';
import type { Position } from '../../model/document.ts';
import type { EditorStore } from '../store.ts';

/** MIME type of a palette entry being dragged onto the canvas. */
export const PALETTE_MIME = 'application/x-mixgraph-node';

/** Add a node of `type` at `at` (flow coordinates), select it, and return its id. */
export function addNodeOfType(store: EditorStore, type: string, at: Position): string | null {
  const def = getDefinition(type);
  if (!def) return null;
  const { doc, scope } = store.getState();
  if (type === 'master' && scope) {
    store.notify('error', 'The master stays outside groups: it is the session’s one output.');
    return null;
  }
  if (type === 'master' && doc.nodes.some((n) => n.type === 'master')) {
    store.notify('error', 'A session has exactly one master; this one has it already.');
    return null;
  }
  // Into the open group, when one is open.
  const id = freshId(doc, type, scope || undefined);
  if (!store.run(addNode({ id, type, label: def.title, position: { x: Math.round(at.x), y: Math.round(at.y) } }, scope || undefined))) return null;
  store.select([id]);
  return id;
}
