// Can this edge be added? The editor asks while a connection is being dragged, so the user
// sees why a connection is refused before letting go.
import { getDefinition } from '../../nodes/registry.ts';
import { edgeKey, type DocEdge, type SessionDoc } from './document.ts';
import { wouldCloseSilentLoop } from './validate.ts';

/** Null if the edge may be added, otherwise a sentence saying why not. */
export function connectionProblem(doc: SessionDoc, edge: DocEdge): string | null {
  const from = doc.nodes.find((n) => n.id === edge.from);
  const to = doc.nodes.find((n) => n.id === edge.to);
  if (!from || !to) return 'both ends must be nodes';
  if (edge.from === edge.to) return 'a node cannot feed itself; put a delay in the loop';
  const fromDef = getDefinition(from.type);
  const toDef = getDefinition(to.type);
  if (!fromDef || !toDef) return 'unknown node type';
  if (!fromDef.ports.outputs.some((p) => p.id === edge.fromPort)) return `"${edge.fromPort}" is not an output of ${from.label ?? from.id}`;
  if (!toDef.ports.inputs.some((p) => p.id === edge.toPort)) {
    return toDef.ports.outputs.some((p) => p.id === edge.toPort) ? 'an output cannot be connected to an output' : `"${edge.toPort}" is not an input of ${to.label ?? to.id}`;
  }
  const key = edgeKey(edge);
  if (doc.edges.some((e) => edgeKey(e) === key)) return 'these two ports are connected already';
  const loop = wouldCloseSilentLoop(doc, edge);
  if (loop) return `this would close a feedback loop without a delay (${[...loop, loop[0]].join(' → ')}); Web Audio would silence it`;
  return null;
}
