// Can this edge be added? The editor asks while a connection is being dragged, so the user
// sees why a connection is refused before letting go. Inside a group (`scope`, its path) the
// group's own ports are the ends `input` and `output`.
import { edgeKey, GROUP_INPUT, GROUP_OUTPUT, graphAt, nodePorts, type DocEdge, type SessionDoc } from './document.ts';
import { wouldCloseSilentLoop } from './validate.ts';

/** Null if the edge may be added, otherwise a sentence saying why not. */
export function connectionProblem(doc: SessionDoc, edge: DocEdge, scope?: string): string | null {
  const graph = graphAt(doc, scope);
  if (!graph) return `there is no group at "${scope}"`;
  const body = scope && 'inputs' in graph ? graph : undefined;
  const from = graph.nodes.find((n) => n.id === edge.from);
  const to = graph.nodes.find((n) => n.id === edge.to);
  const fromGroupPort = body && edge.from === GROUP_INPUT;
  const toGroupPort = body && edge.to === GROUP_OUTPUT;
  if ((!from && !fromGroupPort) || (!to && !toGroupPort)) return 'both ends must be nodes';
  if (edge.from === edge.to) return 'a node cannot feed itself; put a delay in the loop';
  const outs = fromGroupPort ? body!.inputs : nodePorts(from!).outputs;
  const ins = toGroupPort ? body!.outputs : nodePorts(to!).inputs;
  const fromName = fromGroupPort ? "the group's inputs" : (from!.label ?? from!.id);
  const toName = toGroupPort ? "the group's outputs" : (to!.label ?? to!.id);
  if (!outs.some((p) => p.id === edge.fromPort)) return `"${edge.fromPort}" is not an output of ${fromName}`;
  if (!ins.some((p) => p.id === edge.toPort)) {
    const theirOuts = toGroupPort ? [] : nodePorts(to!).outputs;
    return theirOuts.some((p) => p.id === edge.toPort) ? 'an output cannot be connected to an output' : `"${edge.toPort}" is not an input of ${toName}`;
  }
  const key = edgeKey(edge);
  if (graph.edges.some((e) => edgeKey(e) === key)) return 'these two ports are connected already';
  const loop = wouldCloseSilentLoop(doc, edge, scope);
  if (loop) return `this would close a feedback loop without a delay (${[...loop, loop[0]].join(' → ')}); Web Audio would silence it`;
  return null;
}
