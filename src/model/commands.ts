// Every edit to a session is a command: a pure function of the document, run through
// immer so that it yields patches (for undo) as well as the new document.
import { produceWithPatches, enablePatches, current, type Draft, type Patch } from 'immer';
import type { ParamValue, Params } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { CHAIN_INPUT, CHAIN_OUTPUT, edgeKey, type ChainDoc, type DocEdge, type DocNode, type Position, type SessionDoc } from './document.ts';
import { fillParams } from './params.ts';
import { validate } from './validate.ts';

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

/** Horizontal distance between inserted chain nodes, and the least gap that fits one between two nodes. */
const CHAIN_STEP = 240;
const CHAIN_MIN_GAP = 200;

/** Each chain node's column: its distance in edges from `input` (unreached nodes go last). */
function chainColumns(chain: ChainDoc): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const e of chain.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const depth = new Map<string, number>([[CHAIN_INPUT, 0]]);
  const queue = [CHAIN_INPUT];
  for (let i = 0; i < queue.length; i++) {
    for (const w of next.get(queue[i]) ?? []) {
      if (depth.has(w)) continue;
      depth.set(w, depth.get(queue[i])! + 1);
      queue.push(w);
    }
  }
  const last = Math.max(0, ...chain.nodes.map((n) => depth.get(n.id) ?? 0));
  return new Map(chain.nodes.map((n) => [n.id, depth.get(n.id) ?? last + 1]));
}

/**
 * Put a chain (input -> ... -> output) in place of `edge`: its nodes get fresh ids, its edges from
 * `input` start where `edge` started, its edges to `output` end where `edge` ended, and `edge`
 * goes. The nodes are laid out left to right between the edge's two nodes (or from `at`). One
 * undo step. Refuses, changing nothing, if the edge is not there or the session would become
 * invalid (a problem it did not have before, e.g. a second master or a loop without a delay).
 */
export function insertChain(chain: ChainDoc, edge: DocEdge, at?: Position): Command {
  const name = chain.name || 'chain';
  return {
    label: `Insert ${name}`,
    run(d) {
      const where = `${edge.from}.${edge.fromPort} -> ${edge.to}.${edge.toPort}`;
      const index = d.edges.findIndex((e) => edgeKey(e) === edgeKey(edge));
      if (index < 0) throw new Error(`Cannot insert "${name}": there is no edge ${where}`);
      const before = new Set(validate(current(d) as SessionDoc).map((p) => p.message));

      // Fresh ids, taken one by one so two chain nodes never get the same one.
      const ids = new Map<string, string>();
      for (const n of chain.nodes) {
        const def = getDefinition(n.type);
        if (!def) throw new Error(`Cannot insert "${name}": unknown node type "${n.type}" (node "${n.id}")`);
        const id = freshId(d as SessionDoc, n.id);
        ids.set(n.id, id);
        d.nodes.push({ ...n, id, params: fillParams(def, n.params) } as Draft<DocNode>);
      }

      // Left to right between the two ends; below them when they are too close to fit the chain.
      const columns = chainColumns(chain);
      const count = Math.max(1, ...columns.values());
      const a = d.nodes.find((n) => n.id === edge.from)?.position ?? { x: 0, y: 0 };
      const b = d.nodes.find((n) => n.id === edge.to)?.position ?? { x: a.x + CHAIN_STEP * (count + 1), y: a.y };
      const gap = (b.x - a.x) / (count + 1);
      const rows = new Map<number, number>();
      for (const n of chain.nodes) {
        const col = columns.get(n.id)!;
        const row = rows.get(col) ?? 0;
        rows.set(col, row + 1);
        let x: number;
        let y: number;
        if (at) [x, y] = [at.x + (col - 1) * CHAIN_STEP, at.y];
        else if (gap >= CHAIN_MIN_GAP) [x, y] = [a.x + gap * col, a.y + ((b.y - a.y) * col) / (count + 1)];
        else [x, y] = [a.x + CHAIN_STEP * col, Math.max(a.y, b.y) + 180];
        findNode(d, ids.get(n.id)!).position = { x: Math.round(x), y: Math.round(y + row * 140) };
      }

      const end = (id: string, port: string, side: 'from' | 'to'): [string, string] => {
        if (side === 'from' && id === CHAIN_INPUT) return [edge.from, edge.fromPort];
        if (side === 'to' && id === CHAIN_OUTPUT) return [edge.to, edge.toPort];
        const mapped = ids.get(id);
        if (!mapped) throw new Error(`Cannot insert "${name}": its edge names a node "${id}" it does not have`);
        return [mapped, port];
      };
      d.edges.splice(index, 1);
      for (const e of chain.edges) {
        const [from, fromPort] = end(e.from, e.fromPort ?? 'out', 'from');
        const [to, toPort] = end(e.to, e.toPort ?? 'in', 'to');
        d.edges.push({ from, fromPort, to, toPort });
      }

      const added = validate(current(d) as SessionDoc).filter((p) => !before.has(p.message));
      if (added.length) {
        throw new Error(`Cannot insert "${name}" at ${where}: the session would become invalid: ${added.map((p) => p.message).join('; ')}`);
      }
    },
  };
}
