// Every edit to a session is a command: a pure function of the document, run through
// immer so that it yields patches (for undo) as well as the new document.
import { produceWithPatches, enablePatches, type Draft, type Patch } from 'immer';
import type { ParamValue, Params } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { edgeKey, type DocEdge, type DocNode, type Position, type SessionDoc } from './document.ts';
import { fillParams } from './params.ts';

enablePatches();

export interface Command {
  label: string;
  /** Consecutive commands with the same key merge into one undo step (one knob, one field). */
  mergeKey?: string;
  run(draft: Draft<SessionDoc>): void;
}

export interface Applied {
  doc: SessionDoc;
  patches: Patch[];
  inversePatches: Patch[];
}

export function apply(doc: SessionDoc, command: Command): Applied {
  const [next, patches, inversePatches] = produceWithPatches(doc, (d) => command.run(d));
  return { doc: next, patches, inversePatches };
}

function findNode(d: Draft<SessionDoc>, id: string): Draft<DocNode> {
  const node = d.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node with id "${id}"`);
  return node;
}

/** An id not used yet, from a base like "eq" -> "eq", "eq2", "eq3"... */
export function freshId(doc: SessionDoc, base: string): string {
  const used = new Set(doc.nodes.map((n) => n.id));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

export function addNode(node: { id: string; type: string; label?: string; position?: Position; params?: Params; bypass?: boolean }): Command {
  const def = getDefinition(node.type);
  if (!def) throw new Error(`unknown node type "${node.type}"`);
  const full: DocNode = { ...node, params: fillParams(def, node.params) };
  return {
    label: `Add ${def.title}`,
    run(d) {
      if (d.nodes.some((n) => n.id === node.id)) throw new Error(`a node with id "${node.id}" exists already`);
      d.nodes.push(full as Draft<DocNode>);
    },
  };
}

/** Removes the nodes and every edge touching them. */
export function removeNodes(ids: readonly string[]): Command {
  const gone = new Set(ids);
  return {
    label: ids.length === 1 ? `Delete ${ids[0]}` : `Delete ${ids.length} nodes`,
    run(d) {
      // Fix: assign only when something goes. A new (equal) array still counts as a change
      // for immer, so deleting a missing id used to make an empty undo step and a new document.
      const edges = d.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to));
      if (edges.length !== d.edges.length) d.edges = edges;
      const nodes = d.nodes.filter((n) => !gone.has(n.id));
      if (nodes.length !== d.nodes.length) d.nodes = nodes;
    },
  };
}

export function connect(edge: { from: string; fromPort?: string; to: string; toPort?: string }): Command {
  const full: DocEdge = { from: edge.from, fromPort: edge.fromPort ?? 'out', to: edge.to, toPort: edge.toPort ?? 'in' };
  return {
    label: `Connect ${full.from} to ${full.to}`,
    run(d) {
      if (d.edges.some((e) => edgeKey(e) === edgeKey(full))) return;
      d.edges.push(full);
    },
  };
}

export function disconnect(edge: DocEdge): Command {
  return {
    label: `Disconnect ${edge.from} from ${edge.to}`,
    run(d) {
      // Fix: as in removeNodes, an edge that is not there is no change (no empty undo step).
      const edges = d.edges.filter((e) => edgeKey(e) !== edgeKey(edge));
      if (edges.length !== d.edges.length) d.edges = edges;
    },
  };
}

export function setParam(id: string, name: string, value: ParamValue): Command {
  return {
    label: `Set ${id} ${name}`,
    mergeKey: `param:${id}:${name}`,
    run(d) {
      findNode(d, id).params[name] = value as Draft<ParamValue>;
    },
  };
}

export function setBypass(id: string, bypass: boolean): Command {
  return {
    label: `${bypass ? 'Bypass' : 'Enable'} ${id}`,
    run(d) {
      findNode(d, id).bypass = bypass;
    },
  };
}

export function rename(id: string, label: string): Command {
  return {
    label: `Rename ${id}`,
    mergeKey: `label:${id}`,
    run(d) {
      findNode(d, id).label = label;
    },
  };
}

export function moveNodes(moves: readonly { id: string; position: Position }[]): Command {
  return {
    label: moves.length === 1 ? `Move ${moves[0].id}` : `Move ${moves.length} nodes`,
    mergeKey: `move:${moves.map((m) => m.id).join(',')}`,
    run(d) {
      for (const m of moves) findNode(d, m.id).position = { x: m.position.x, y: m.position.y };
    },
  };
}

/** Several commands as one undo step (paste, duplicate, insert-between). */
export function batch(label: string, commands: readonly Command[]): Command {
  return { label, run: (d) => commands.forEach((c) => c.run(d)) };
}
