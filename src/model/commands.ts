// Every edit to a session is a command: a pure function of the document, run through
// immer so that it yields patches (for undo) as well as the new document. Commands that work on
// a graph take a `scope`: the path of the group whose inside they edit (the top when absent);
// commands on one node take its path (`drums/comp` is node comp inside group drums).
import { produceWithPatches, enablePatches, current, type Draft, type Patch } from 'immer';
import type { ParamValue, Params } from '../../nodes/define.ts';
import { getDefinition, isProgramOutput } from '../../nodes/registry.ts';
import { CHAIN_INPUT, CHAIN_OUTPUT, edgeKey, joinPath, nodeAt, type ChainDoc, type DocEdge, type DocNode, type Graph, type GroupBody, type Position, type SessionDoc } from './document.ts';
import { copy, findNode, freshIdIn, graphOf, idFromName, repairReferences } from './draft.ts';
import { chainToGroupBody, resolveKnob } from './groups.ts';
import { fillParams } from './params.ts';
import { validate } from './validate.ts';
import { distances, endpoints, indexGraph } from '../graph/walk.ts';

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

/** An id not used yet in the graph at `scope`, from a base like "eq" -> "eq", "eq2", "eq3"... */
export function freshId(doc: SessionDoc, base: string, scope?: string): string {
  return freshIdIn(graphOf(doc as Draft<SessionDoc>, scope), base);
}

export interface NewNode {
  id: string;
  type: string;
  label?: string;
  position?: Position;
  params?: Params;
  bypass?: boolean;
  /** A group's body (type "group"). */
  group?: GroupBody;
}

export function addNode(node: NewNode, scope?: string): Command {
  const def = getDefinition(node.type);
  if (!def) throw new Error(`unknown node type "${node.type}"`);
  const full: DocNode = { ...node, params: fillParams(def, node.params) };
  return {
    label: `Add ${def.title}`,
    run(d) {
      const graph = graphOf(d, scope);
      if (graph.nodes.some((n) => n.id === node.id)) throw new Error(`a node with id "${node.id}" exists already`);
      graph.nodes.push(structuredClone(full) as Draft<DocNode>);
    },
  };
}

/** Removes the nodes and every edge touching them (and knobs and snapshot entries for them). */
export function removeNodes(ids: readonly string[], scope?: string): Command {
  const gone = new Set(ids);
  return {
    label: ids.length === 1 ? `Delete ${ids[0]}` : `Delete ${ids.length} nodes`,
    run(d) {
      const graph = graphOf(d, scope);
      // Fix: assign only when something goes. A new (equal) array still counts as a change
      // for immer, so deleting a missing id used to make an empty undo step and a new document.
      const edges = graph.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to));
      if (edges.length !== graph.edges.length) graph.edges = edges;
      const nodes = graph.nodes.filter((n) => !gone.has(n.id));
      if (nodes.length !== graph.nodes.length) {
        graph.nodes = nodes;
        repairReferences(d);
      }
    },
  };
}

export function connect(edge: { from: string; fromPort?: string; to: string; toPort?: string }, scope?: string): Command {
  const full: DocEdge = { from: edge.from, fromPort: edge.fromPort ?? 'out', to: edge.to, toPort: edge.toPort ?? 'in' };
  return {
    label: `Connect ${full.from} to ${full.to}`,
    run(d) {
      const graph = graphOf(d, scope);
      if (graph.edges.some((e) => edgeKey(e) === edgeKey(full))) return;
      graph.edges.push(full);
    },
  };
}

// `scope` may be a number when the command is passed to Array.map (`edges.map(disconnect)`): an index, not a group.
export function disconnect(edge: DocEdge, scope?: string | number): Command {
  const at = typeof scope === 'string' ? scope : undefined;
  return {
    label: `Disconnect ${edge.from} from ${edge.to}`,
    run(d) {
      // Fix: as in removeNodes, an edge that is not there is no change (no empty undo step).
      const graph = graphOf(d, at);
      const edges = graph.edges.filter((e) => edgeKey(e) !== edgeKey(edge));
      if (edges.length !== graph.edges.length) graph.edges = edges;
    },
  };
}

/**
 * Set one param of the node at `path`. On a group, `name` may be one of its knobs: the value goes to
 * the inner node the knob shows (a knob is a view, never a copy).
 */
export function setParam(path: string, name: string, value: ParamValue): Command {
  return {
    label: `Set ${path} ${name}`,
    mergeKey: `param:${path}:${name}`,
    run(d) {
      let target = path;
      let param = name;
      const node = findNode(d, path);
      if (node.group) ({ path: target, param } = resolveKnob(d as SessionDoc, path, name));
      findNode(d, target).params[param] = value as Draft<ParamValue>;
    },
  };
}

/**
 * Bypass a node or enable it again. Bypassing a group joins its input to its output, which can close
 * a loop the group's inside did not (an edge from its output back to its input): then it refuses,
 * changing nothing, and says which loop.
 */
export function setBypass(path: string, bypass: boolean): Command {
  return {
    label: `${bypass ? 'Bypass' : 'Enable'} ${path}`,
    run(d) {
      const node = findNode(d, path);
      if (!node.group || !bypass) {
        node.bypass = bypass;
        return;
      }
      const loops = (doc: SessionDoc) => new Set(validate(doc).filter((p) => p.message.startsWith('feedback loop')).map((p) => p.message));
      const before = loops(current(d) as SessionDoc);
      node.bypass = bypass;
      const added = [...loops(current(d) as SessionDoc)].filter((m) => !before.has(m));
      if (added.length) throw new Error(`Cannot bypass "${path}": its input would reach its output directly and close a ${added[0]}`);
    },
  };
}

export function rename(path: string, label: string): Command {
  return {
    label: `Rename ${path}`,
    mergeKey: `label:${path}`,
    run(d) {
      findNode(d, path).label = label;
    },
  };
}

export function moveNodes(moves: readonly { id: string; position: Position }[], scope?: string): Command {
  return {
    label: moves.length === 1 ? `Move ${moves[0].id}` : `Move ${moves.length} nodes`,
    mergeKey: `move:${scope ?? ''}:${moves.map((m) => m.id).join(',')}`,
    run(d) {
      for (const m of moves) findNode(d, joinPath(scope, m.id)).position = { x: m.position.x, y: m.position.y };
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
  const ids = endpoints(chain.edges, [CHAIN_INPUT, ...chain.nodes.map((n) => n.id)]);
  const { next, indexOf } = indexGraph(ids, chain.edges);
  const depth = distances(next, 0);
  const column = (id: string) => depth[indexOf.get(id)!];
  const last = Math.max(0, ...chain.nodes.map((n) => Math.max(0, column(n.id))));
  return new Map(chain.nodes.map((n) => [n.id, column(n.id) >= 0 ? column(n.id) : last + 1]));
}

export interface InsertOptions {
  /** The group whose inside holds `edge` (the top when absent). */
  scope?: string;
  /** Insert the chain as one group node (its knobs from the chain's `exposed`) instead of its nodes. */
  asGroup?: boolean;
}

/**
 * Put a chain (input -> ... -> output) in place of `edge`: its nodes get fresh ids, its edges from
 * `input` start where `edge` started, its edges to `output` end where `edge` ended, and `edge`
 * goes. The nodes are laid out left to right between the edge's two nodes (or from `at`). With
 * `asGroup` the chain goes in as one group node instead. One undo step. Refuses, changing nothing,
 * if the edge is not there or the session would become invalid (a problem it did not have before,
 * e.g. a second master or a loop without a delay).
 */
export function insertChain(chain: ChainDoc, edge: DocEdge, at?: Position, options: InsertOptions = {}): Command {
  const name = chain.name || 'chain';
  return {
    label: `Insert ${name}`,
    run(d) {
      const where = `${edge.from}.${edge.fromPort} -> ${edge.to}.${edge.toPort}`;
      const graph = graphOf(d, options.scope);
      const index = graph.edges.findIndex((e) => edgeKey(e) === edgeKey(edge));
      if (index < 0) throw new Error(`Cannot insert "${name}": there is no edge ${where}`);
      const before = new Set(validate(current(d) as SessionDoc).map((p) => p.message));
      if (options.asGroup) placeGroup(graph, chain, edge, index, at);
      else placeNodes(graph, chain, edge, index, name, at);
      const added = validate(current(d) as SessionDoc).filter((p) => !before.has(p.message));
      if (added.length) {
        throw new Error(`Cannot insert "${name}" at ${where}: the session would become invalid: ${added.map((p) => p.message).join('; ')}`);
      }
    },
  };
}

function placeNodes(graph: Draft<Graph> | Draft<GroupBody>, chain: ChainDoc, edge: DocEdge, index: number, name: string, at?: Position): void {
  // Fresh ids, taken one by one so two chain nodes never get the same one.
  const ids = new Map<string, string>();
  for (const n of chain.nodes) {
    const def = getDefinition(n.type);
    if (!def) throw new Error(`Cannot insert "${name}": unknown node type "${n.type}" (node "${n.id}")`);
    const id = freshIdIn(graph, n.id);
    ids.set(n.id, id);
    graph.nodes.push(copy({ ...n, id, params: def.container ? {} : fillParams(def, n.params) }) as Draft<DocNode>);
  }

  // Left to right between the two ends; below them when they are too close to fit the chain.
  const columns = chainColumns(chain);
  const count = Math.max(1, ...columns.values());
  const a = graph.nodes.find((n) => n.id === edge.from)?.position ?? { x: 0, y: 0 };
  const b = graph.nodes.find((n) => n.id === edge.to)?.position ?? { x: a.x + CHAIN_STEP * (count + 1), y: a.y };
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
    graph.nodes.find((m) => m.id === ids.get(n.id))!.position = { x: Math.round(x), y: Math.round(y + row * 140) };
  }

  const end = (id: string, port: string, side: 'from' | 'to'): [string, string] => {
    if (side === 'from' && id === CHAIN_INPUT) return [edge.from, edge.fromPort];
    if (side === 'to' && id === CHAIN_OUTPUT) return [edge.to, edge.toPort];
    const mapped = ids.get(id);
    if (!mapped) throw new Error(`Cannot insert "${name}": its edge names a node "${id}" it does not have`);
    return [mapped, port];
  };
  graph.edges.splice(index, 1);
  for (const e of chain.edges) {
    const [from, fromPort] = end(e.from, e.fromPort ?? 'out', 'from');
    const [to, toPort] = end(e.to, e.toPort ?? 'in', 'to');
    graph.edges.push({ from, fromPort, to, toPort });
  }
}

function placeGroup(graph: Draft<Graph> | Draft<GroupBody>, chain: ChainDoc, edge: DocEdge, index: number, at?: Position): void {
  const id = freshIdIn(graph, idFromName(chain.name, 'group'));
  const a = graph.nodes.find((n) => n.id === edge.from)?.position ?? { x: 0, y: 0 };
  const b = graph.nodes.find((n) => n.id === edge.to)?.position ?? { x: a.x + 2 * CHAIN_STEP, y: a.y };
  const position = at ?? (b.x - a.x >= 2 * CHAIN_MIN_GAP ? { x: Math.round((a.x + b.x) / 2), y: Math.round((a.y + b.y) / 2) } : { x: a.x + CHAIN_STEP, y: Math.max(a.y, b.y) + 180 });
  const body = chainToGroupBody(chain);
  graph.nodes.push({ id, type: 'group', label: chain.name || 'Group', position, params: {}, group: body } as Draft<DocNode>);
  graph.edges.splice(index, 1);
  graph.edges.push({ from: edge.from, fromPort: edge.fromPort, to: id, toPort: body.inputs[0].id }, { from: id, fromPort: body.outputs[0].id, to: edge.to, toPort: edge.toPort });
}

/** Id of the bus that "Insert chain on the whole mix" puts in front of the master. */
export const MIX_BUS_ID = 'mix_bus';

/**
 * The chain on the whole mix: a new bus in front of the master collects everything that reached the
 * master (each edge keeps its source and port), then the chain runs from the bus to the master. The
 * master moves right to make room. One undo step; refuses, changing nothing, when nothing reaches
 * the master or the session would become invalid.
 */
export function insertChainOnMix(chain: ChainDoc, options: Omit<InsertOptions, 'scope'> = {}): Command {
  const name = chain.name || 'chain';
  return {
    label: `Insert ${name} on the whole mix`,
    run(d) {
      const master = d.nodes.find((n) => isProgramOutput(n.type));
      if (!master) throw new Error(`Cannot insert "${name}" on the mix: the session has no master`);
      const into = d.edges.filter((e) => e.to === master.id);
      if (into.length === 0) throw new Error(`Cannot insert "${name}" on the mix: nothing reaches the master yet; connect the mix to it first`);
      const bus = freshIdIn(d as Graph, MIX_BUS_ID);
      const at = master.position ?? { x: 0, y: 0 };
      const columns = options.asGroup ? 1 : Math.max(1, ...chainColumns(chain).values());
      d.nodes.push({ id: bus, type: 'bus', label: 'Mix bus', position: { x: at.x, y: at.y }, params: fillParams(getDefinition('bus')!, {}) } as Draft<DocNode>);
      master.position = { x: at.x + CHAIN_STEP * (columns + 1), y: at.y };
      for (const e of into) e.to = bus;
      const link: DocEdge = { from: bus, fromPort: 'out', to: master.id, toPort: 'in' };
      d.edges.push(link);
      insertChain(chain, link, undefined, options).run(d);
    },
  };
}

/** The chain inserted on the edge into the master, or (several edges into it) on the whole mix. */
export function masterInputs(doc: SessionDoc): DocEdge[] {
  const master = doc.nodes.find((n) => isProgramOutput(n.type));
  return master ? doc.edges.filter((e) => e.to === master.id) : [];
}

export { nodeAt };
