// Cable solo: what a connection carries, as ports the runtime has. An edge carries exactly its
// source port's signal; in the document that end may be a group (whose output is whatever its body
// wires to that port) or, inside a group, the group's own input (whatever feeds the group there).
// The compiler flattens groups away (src/model/flatten.ts), so those ends are followed here to the
// real nodes' output ports under their flat paths (`drums/comp`), which Runtime.monitorPorts plays.
// A cable fed by several connections (a group's input with two cables into it) carries their sum:
// it resolves to all of them.
import { getDefinition } from '../../nodes/registry.ts';
import { edgeKey, graphAt, GROUP_INPUT, GROUP_OUTPUT, joinPath, PATH_SEPARATOR, type DocEdge, type DocNode, type Graph, type GroupBody } from './document.ts';

/** An output port as the runtime names it: the node's flat path and the port id. */
export interface CablePort {
  id: string;
  port: string;
}

/** A connection on the canvas: the group it is drawn in ('' at the top) and the edge there. */
export interface Cable {
  scope: string;
  edge: DocEdge;
}

const parentOf = (scope: string): { parent: string; id: string } => {
  const at = scope.lastIndexOf(PATH_SEPARATOR);
  return at < 0 ? { parent: '', id: scope } : { parent: scope.slice(0, at), id: scope.slice(at + 1) };
};

/** Whether the cable is still in the document (the same two ends in the same group). */
export function cableExists(doc: Graph, cable: Cable): boolean {
  const key = edgeKey(cable.edge);
  return graphAt(doc, cable.scope)?.edges.some((e) => edgeKey(e) === key) ?? false;
}

/**
 * The output ports whose sum the cable carries, by flat path, in a stable order; empty when it
 * carries nothing (a group output nothing inside feeds, a bypassed group's inner input). Undefined
 * when the cable is not in the document.
 */
export function cablePorts(doc: Graph, cable: Cable): CablePort[] | undefined {
  if (!cableExists(doc, cable)) return undefined;
  const out = new Map<string, CablePort>();
  const seen = new Set<string>();
  const walk = (scope: string, from: string, fromPort: string): void => {
    const key = `${scope}\u0000${from}\u0000${fromPort}`;
    if (seen.has(key)) return; // group ports wired in a ring carry nothing of their own
    seen.add(key);
    if (scope && from === GROUP_INPUT) {
      // Inside a group, from its own input: what feeds the group node at that port outside.
      const { parent, id } = parentOf(scope);
      const outer = graphAt(doc, parent);
      const group = outer?.nodes.find((n) => n.id === id);
      if (!outer || !group || group.bypass) return; // a bypassed group lets nothing in
      for (const e of outer.edges) if (e.to === id && e.toPort === fromPort) walk(parent, e.from, e.fromPort);
      return;
    }
    const graph = graphAt(doc, scope);
    const node: DocNode | undefined = graph?.nodes.find((n) => n.id === from);
    if (!graph || !node) return;
    const path = joinPath(scope, from);
    if (node.group) {
      if (node.bypass) {
        // A bypassed group passes its audio inputs to its outputs, the first to the first (flatten.ts).
        const k = node.group.outputs.findIndex((p) => p.id === fromPort);
        const input = node.group.inputs.filter((p) => p.role !== 'sidechain')[k];
        if (input) for (const e of graph.edges) if (e.to === from && e.toPort === input.id) walk(scope, e.from, e.fromPort);
        return;
      }
      for (const e of (node.group as GroupBody).edges) if (e.to === GROUP_OUTPUT && e.toPort === fromPort) walk(path, e.from, e.fromPort);
      return;
    }
    out.set(`${path}\u0000${fromPort}`, { id: path, port: fromPort });
  };
  walk(cable.scope, cable.edge.from, cable.edge.fromPort);
  return [...out.values()].sort((a, b) => (a.id === b.id ? (a.port < b.port ? -1 : 1) : a.id < b.id ? -1 : 1));
}

/** A node's name for people: its label, else its type's title, else its id. */
function nodeName(graph: Graph | GroupBody | undefined, id: string): string {
  const n = graph?.nodes.find((x) => x.id === id);
  if (!n) return id;
  return n.label || (n.group ? 'Group' : getDefinition(n.type)?.title) || n.id;
}

/**
 * The cable's name: "Kick EQ → Drum bus", with the port when it is not the node's first
 * ("Vox send (Send) → Reverb", "Bass → Comp (Sidechain)"), inside a group prefixed by the group's name ("Drums: Kick → Comp");
 * a group's own ports are "Drums in" and "Drums out".
 */
export function cableName(doc: Graph, cable: Cable): string {
  const { scope, edge } = cable;
  const graph = graphAt(doc, scope);
  const groupName = scope ? nodeName(graphAt(doc, parentOf(scope).parent), parentOf(scope).id) : '';
  const end = (id: string, port: string, side: 'from' | 'to'): string => {
    if (scope && id === (side === 'from' ? GROUP_INPUT : GROUP_OUTPUT)) return `${groupName} ${side === 'from' ? 'in' : 'out'}`;
    const name = nodeName(graph, id);
    const n = graph?.nodes.find((x) => x.id === id);
    const ports = n ? (n.group ? (side === 'from' ? n.group.outputs : n.group.inputs) : side === 'from' ? getDefinition(n.type)?.ports.outputs : getDefinition(n.type)?.ports.inputs) : undefined;
    // The first port goes without saying; another is named (a send's Send, a compressor's Sidechain).
    const k = ports ? ports.findIndex((x) => x.id === port) : -1;
    if (!ports || k <= 0) return name;
    return `${name} (${ports[k].label ?? port})`;
  };
  const text = `${end(edge.from, edge.fromPort, 'from')} → ${end(edge.to, edge.toPort, 'to')}`;
  return scope ? `${groupName}: ${text}` : text;
}
