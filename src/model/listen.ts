// The Learn panel's "Listen" example as commands: something plays into a node and the node is heard at
// the master, added in one undoable edit, and taken away again in one. What a type's example is comes
// from its definition (`learn.listen`, nodes/define.ts): this file knows no type by name.
import type { DemoStem, NodeDefinition, Params, PortSpec } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { addNode, batch, connect, disconnect, removeNodes, type Command } from './commands.ts';
import { edgeKey, graphAt, joinPath, PATH_SEPARATOR, type DocEdge, type DocNode, type Position, type SessionDoc } from './document.ts';
import { reachingMaster } from './flatten.ts';

/** What every node an example adds is labelled with, so nobody takes it for their own. */
export const LISTEN_LABEL = 'Listen example';

/**
 * The `source` a Listen example's demo stem is played under: a name of its own, so it never stands
 * for a file of the user's that happens to be called stems/drums.wav. The editor serves it from
 * presets/demo/stems.
 */
export const listenStemSource = (stem: DemoStem): string => `listen-example/${stem}.wav`;

/** What an example added, to take exactly that away again. */
export interface ListenExample {
  /** The node type it is about. */
  type: string;
  /** The group whose inside holds it ('' for the session itself). */
  scope: string;
  /** The node being heard (an id in `scope`): the chosen one, or one the example added. */
  target: string;
  /** The nodes it added (ids in `scope`, with their types: a node of another type under one of these ids is not ours). */
  nodes: { id: string; type: string }[];
  /** The connections it added between nodes that are not its own (the chosen node to the master). */
  edges: DocEdge[];
}

export type ListenPlan = { command: Command; example: ListenExample } | { command: null; reason: string };

/** Columns of the example's nodes, left of the node heard (flow units; a node is about 200 wide). */
const STEP = 280;
/** About a node's size on the canvas, with a margin: closer than this, two nodes overlap. */
const NODE_BOX = { w: 240, h: 170 };

/** The first place at or below `want` where a node overlaps none of `taken` (which it then joins). */
function freeSpot(taken: Position[], want: Position): Position {
  const at = { x: Math.round(want.x), y: Math.round(want.y) };
  while (taken.some((p) => Math.abs(p.x - at.x) < NODE_BOX.w && Math.abs(p.y - at.y) < NODE_BOX.h)) at.y += NODE_BOX.h;
  taken.push(at);
  return at;
}

const audioInput = (def: NodeDefinition): PortSpec | undefined => def.ports.inputs.find((p) => p.role !== 'sidechain');
const audioOutput = (def: NodeDefinition): PortSpec | undefined => def.ports.outputs.find((p) => p.role !== 'aux');

/**
 * The Listen example for `type`: into the node at `target` (a path) when one is chosen, else into a
 * new node of that type at `at` (flow coordinates of the session itself; by default in a row under the
 * graph), heard at the master. Its nodes go where they overlap none of the user's. A type
 * marked `single` (the master) uses the one the session has. Nothing of the user's is changed: the
 * example only adds nodes and connections.
 */
export function listenExample(doc: SessionDoc, type: string, options: { target?: string; at?: Position } = {}): ListenPlan {
  const def = getDefinition(type);
  const recipe = def?.learn?.listen;
  if (!def || !recipe) return { command: null, reason: `There is no Listen example for “${type}”.` };
  const parts = options.target ? options.target.split(PATH_SEPARATOR) : [];
  const scope = parts.slice(0, -1).join(PATH_SEPARATOR);
  const graph = graphAt(doc, scope);
  if (!graph) return { command: null, reason: `The group “${scope}” is not there any more.` };
  let target: DocNode | undefined = options.target ? graph.nodes.find((n) => n.id === parts[parts.length - 1]) : undefined;
  if (options.target && !target) return { command: null, reason: `The node “${options.target}” is not there any more.` };
  if (target && target.type !== type) return { command: null, reason: `“${target.label || target.id}” is not of the type ${def.title}.` };
  if (!target && recipe.single && !scope) target = graph.nodes.find((n) => n.type === type);

  const used = new Set(graph.nodes.map((n) => n.id));
  const fresh = (base: string) => {
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}${i}`;
    used.add(id);
    return id;
  };
  const commands: Command[] = [];
  const added: ListenExample['nodes'] = [];
  const edges: DocEdge[] = [];
  const placed = new Map<string, Position>();
  const taken = graph.nodes.filter((n) => n.id !== target?.id).map((n) => n.position ?? { x: 0, y: 0 });
  const add = (nodeType: string, label: string, want: Position, params?: Params): string => {
    const id = fresh(`listen_${nodeType}`);
    const position = freeSpot(taken, want);
    placed.set(id, position);
    commands.push(addNode({ id, type: nodeType, label: `${LISTEN_LABEL}: ${label}`, position, params }, scope || undefined));
    added.push({ id, type: nodeType });
    return id;
  };
  const wire = (from: string, to: string, fromPort = 'out', toPort = 'in') => {
    const edge: DocEdge = { from, fromPort, to, toPort };
    if (graph.edges.some((e) => edgeKey(e) === edgeKey(edge))) return;
    commands.push(connect(edge, scope || undefined));
    if (!added.some((n) => n.id === from || n.id === to)) edges.push(edge);
  };

  // A new node stands right of where its input will go: by default a row under the whole graph.
  const positions = graph.nodes.map((n) => n.position ?? { x: 0, y: 0 });
  const below = { x: Math.min(0, ...positions.map((p) => p.x)) + STEP * (recipe.through ? 2 : 1), y: Math.max(-NODE_BOX.h, ...positions.map((p) => p.y)) + NODE_BOX.h + 30 };
  let at = target?.position ?? options.at ?? below;
  let targetId: string;
  if (target) targetId = target.id;
  else {
    const params: Params = { ...(recipe.params ?? {}) };
    // A source that plays a file (a track, a reference) plays the demo stem in its file param.
    const fileParam = Object.entries(def.params).find(([, s]) => s.kind === 'string' && s.format === 'file')?.[0];
    if (recipe.plays && fileParam) params[fileParam] = listenStemSource(recipe.plays);
    targetId = add(type, def.title, at, params);
    at = placed.get(targetId)!;
  }

  const input = audioInput(def);
  if (recipe.input && input) {
    let into = targetId;
    let intoPort = input.id;
    if (recipe.through) {
      const throughDef = getDefinition(recipe.through.type);
      const id = add(recipe.through.type, throughDef?.title ?? recipe.through.type, { x: at.x - STEP, y: at.y }, recipe.through.params);
      wire(id, into, 'out', intoPort);
      into = id;
      intoPort = 'in';
    }
    const from = { x: at.x - STEP * (recipe.through ? 2 : 1), y: at.y };
    const source =
      'generator' in recipe.input
        ? add('generator', 'test signal', from, recipe.input.generator)
        : add('track', `${recipe.input.stem} stem`, from, { source: listenStemSource(recipe.input.stem) });
    wire(source, into, 'out', intoPort);
  }

  // Heard at the master: the example's return, and the node itself unless its sound gets there already.
  const master = scope ? undefined : graph.nodes.find((n) => getDefinition(n.type)?.speakers === 'mix');
  if (recipe.aux && !graph.edges.some((e) => e.from === targetId && e.fromPort === recipe.aux!.port)) {
    const auxDef = getDefinition(recipe.aux.type);
    const id = add(recipe.aux.type, auxDef?.title ?? recipe.aux.type, { x: at.x + STEP, y: at.y + 160 }, recipe.aux.params);
    wire(targetId, id, recipe.aux.port, 'in');
    if (master) wire(id, master.id);
  }
  const output = audioOutput(def);
  if (master && output && targetId !== master.id && !(target && reachingMaster(graph).has(targetId))) wire(targetId, master.id, output.id);

  if (commands.length === 0) return { command: null, reason: `${target?.label || def.title} is heard at the master already: nothing to add.` };
  return {
    command: batch(`Add a Listen example (${def.title})`, commands),
    example: { type, scope, target: targetId, nodes: added, edges },
  };
}

/** The example's own nodes and connections still in the document (the user may have deleted some, or undone it). */
function present(doc: SessionDoc, example: ListenExample): { nodes: string[]; edges: DocEdge[] } {
  const graph = graphAt(doc, example.scope);
  if (!graph) return { nodes: [], edges: [] };
  const nodes = example.nodes.filter((a) => graph.nodes.some((n) => n.id === a.id && n.type === a.type)).map((a) => a.id);
  const keys = new Set(graph.edges.map(edgeKey));
  return { nodes, edges: example.edges.filter((e) => keys.has(edgeKey(e))) };
}

/** Whether anything of the example is still in the document. */
export function exampleInDoc(doc: SessionDoc, example: ListenExample): boolean {
  const p = present(doc, example);
  return p.nodes.length > 0 || p.edges.length > 0;
}

/** The node the example is heard through, as a path, if it is still there. */
export function exampleTarget(doc: SessionDoc, example: ListenExample): string | undefined {
  const graph = graphAt(doc, example.scope);
  return graph?.nodes.some((n) => n.id === example.target) ? joinPath(example.scope || undefined, example.target) : undefined;
}

/**
 * Takes the example away, one undoable edit: its nodes (with every connection touching them, also
 * ones the user made since) and the connections it added between the user's nodes; wherever they have
 * been moved meanwhile, and nothing else.
 */
export function removeListenExample(doc: SessionDoc, example: ListenExample): Command | null {
  const { nodes, edges } = present(doc, example);
  if (!nodes.length && !edges.length) return null;
  const scope = example.scope || undefined;
  const title = getDefinition(example.type)?.title ?? example.type;
  return batch(`Remove the Listen example (${title})`, [...(nodes.length ? [removeNodes(nodes, scope)] : []), ...edges.map((e) => disconnect(e, scope))]);
}
