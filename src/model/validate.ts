// Every problem in a session, each with its place: a JSON path, and the node and port it concerns.
// The one graph module: ids, ports, groups (their ports, knobs and bodies, nested), snapshots and
// feedback loops (on the flat graph, so a loop through a group is found like any other).
import type { PortSpec } from '../../nodes/define.ts';
import { getDefinition, isProgramOutput, LOOP_SAFE_TYPES } from '../../nodes/registry.ts';
import { components, indexGraph, isLoop } from '../graph/walk.ts';
import { ID_PATTERN, MAX_GROUP_DEPTH } from '../presets/schema.ts';
import {
  edgeKey,
  GROUP_EXCLUDED_TYPES,
  GROUP_INPUT,
  GROUP_OUTPUT,
  isGroup,
  joinPath,
  nodePorts,
  walkNodes,
  type DocEdge,
  type DocNode,
  type Graph,
  type GroupBody,
  type SessionDoc,
} from './document.ts';
import { flatten } from './flatten.ts';
import { checkParams, checkValue } from './params.ts';
import { jsonPath } from './problems.ts';

export { ID_PATTERN };

export interface Problem {
  /** JSON path in the file, e.g. `nodes[3].params.gain` or `edges[0].to`. */
  path: string;
  /** The node's path (`drums/comp` inside a group). */
  node?: string;
  port?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.node !== undefined ? `${p.path} (node "${p.node}"${p.port ? `, port "${p.port}"` : ''})` : p.path;
  return `${where}: ${p.message}`;
}

/** Whether a node can be bypassed: its type says so; a group needs an audio input and an output to pass. */
export function canBypass(node: DocNode): boolean {
  if (node.group) return node.group.inputs.some((p) => p.role !== 'sidechain') && node.group.outputs.length > 0;
  return getDefinition(node.type)?.bypassable === true;
}

/** Param kinds a group can show as a knob (a list such as the EQ's bands is edited inside). */
const KNOB_KINDS: ReadonlySet<string> = new Set(['number', 'bool', 'enum']);

/** Why a group cannot show `param` of its child `child` as a knob, or null. */
export function exposeProblem(child: DocNode, param: string): string | null {
  if (child.group) {
    return child.group.exposed.some((x) => x.id === param) ? null : `group "${child.id}" has no knob "${param}" (knobs: ${child.group.exposed.map((x) => x.id).join(', ') || 'none'})`;
  }
  const def = getDefinition(child.type);
  if (!def) return `unknown node type ${JSON.stringify(child.type)}`;
  const spec = def.params[param];
  if (!spec) return `${def.type} has no parameter "${param}" (parameters: ${Object.keys(def.params).join(', ') || 'none'})`;
  if (spec.meta || !KNOB_KINDS.has(spec.kind)) return `${def.type}'s "${param}" cannot be a knob (only numbers, switches and choices that reach the sound)`;
  return null;
}

interface Scope {
  /** JSON path of the graph's nodes' parent: '' at the top, `nodes[2].group.` inside a group. */
  json: string;
  /** The group's path ('' at the top). */
  path: string;
  /** The group's own ports, reached through `input` and `output` inside it. */
  ports?: { inputs: readonly PortSpec[]; outputs: readonly PortSpec[] };
  depth: number;
  /** Edges with a problem of their own: left out of the loop search, as the compiler never gets them. */
  bad: Set<DocEdge>;
}

function checkGraph(graph: Graph | GroupBody, scope: Scope, problems: Problem[]): void {
  const nodes = new Map<string, DocNode>();
  graph.nodes.forEach((n, i) => {
    const path = `${scope.json}nodes[${i}]`;
    if (typeof n.id !== 'string' || !ID_PATTERN.test(n.id)) {
      problems.push({ path: `${path}.id`, message: `id ${JSON.stringify(n.id)} must be 1-64 letters, digits, or _ . : - (not starting with . : -)` });
      return;
    }
    const at = joinPath(scope.path, n.id);
    if (scope.ports && (n.id === GROUP_INPUT || n.id === GROUP_OUTPUT)) {
      problems.push({ path: `${path}.id`, node: at, message: `"${n.id}" is reserved in a group for its own ${n.id === GROUP_INPUT ? 'inputs' : 'outputs'}; give this node another id` });
      return;
    }
    if (nodes.has(n.id)) {
      problems.push({ path: `${path}.id`, node: at, message: 'duplicate node id; every node needs its own id' });
      return;
    }
    nodes.set(n.id, n);
    const def = getDefinition(n.type);
    if (!def) {
      problems.push({ path: `${path}.type`, node: at, message: `unknown node type ${JSON.stringify(n.type)}` });
      return;
    }
    if (scope.ports && GROUP_EXCLUDED_TYPES.has(n.type)) {
      problems.push({ path: `${path}.type`, node: at, message: `a group cannot hold the ${n.type}: it is the session's one output and stays at the top` });
    }
    for (const p of checkParams(def, n.params)) {
      problems.push({ path: p.path ? `${path}.params.${p.path}` : `${path}.params`, node: at, message: p.message });
    }
    if (n.bypass !== undefined && typeof n.bypass !== 'boolean') problems.push({ path: `${path}.bypass`, node: at, message: 'must be true or false' });
    if (def.container) {
      if (!n.group) problems.push({ path: `${path}.group`, node: at, message: 'a group needs its body: { "nodes": [...], "edges": [...], "inputs": [...], "outputs": [...] }' });
      else if (scope.depth + 1 > MAX_GROUP_DEPTH) problems.push({ path: `${path}.group`, node: at, message: `groups nest at most ${MAX_GROUP_DEPTH} deep` });
      else checkGroup(n.group, { json: `${path}.group.`, path: at, ports: n.group, depth: scope.depth + 1, bad: scope.bad }, problems);
    } else if (n.group !== undefined) {
      problems.push({ path: `${path}.group`, node: at, message: `only a group has a "group" field; a ${n.type} does not` });
    }
    if (n.bypass === true && !canBypass(n)) {
      problems.push({ path: `${path}.bypass`, node: at, message: def.container ? 'a group without an audio input and an output cannot be bypassed' : `a ${def.type} cannot be bypassed` });
    }
  });

  const seen = new Set<string>();
  graph.edges.forEach((e, i) => {
    const path = `${scope.json}edges[${i}]`;
    const before = problems.length;
    // Inside a group, `input` gives the group's inputs as its outputs and `output` takes its outputs.
    const fromGroupPort = scope.ports && e.from === GROUP_INPUT;
    const toGroupPort = scope.ports && e.to === GROUP_OUTPUT;
    const from = fromGroupPort ? undefined : nodes.get(e.from);
    const to = toGroupPort ? undefined : nodes.get(e.to);
    if (!from && !fromGroupPort) problems.push({ path: `${path}.from`, message: `no node with id ${JSON.stringify(e.from)}${scope.ports && e.from === GROUP_OUTPUT ? ` ("${GROUP_OUTPUT}" is where the group's sound leaves: nothing comes out of it)` : ''}` });
    if (!to && !toGroupPort) problems.push({ path: `${path}.to`, message: `no node with id ${JSON.stringify(e.to)}${scope.ports && e.to === GROUP_INPUT ? ` ("${GROUP_INPUT}" is where the group's sound comes in: nothing can be connected into it)` : ''}` });
    if (fromGroupPort) {
      const ins = scope.ports!.inputs;
      if (!ins.some((p) => p.id === e.fromPort)) problems.push({ path: `${path}.fromPort`, node: joinPath(scope.path, GROUP_INPUT), port: e.fromPort, message: `the group has no input "${e.fromPort}" (inputs: ${ins.map((p) => p.id).join(', ') || 'none'})` });
    } else if (from && getDefinition(from.type)) {
      const ports = nodePorts(from);
      if (!ports.outputs.some((p) => p.id === e.fromPort)) {
        const isInput = ports.inputs.some((p) => p.id === e.fromPort);
        const outs = ports.outputs.map((p) => p.id).join(', ') || 'none';
        problems.push({
          path: `${path}.fromPort`,
          node: joinPath(scope.path, e.from),
          port: e.fromPort,
          message: isInput ? `"${e.fromPort}" is an input: an edge must start at an output (${outs})` : `${from.type} has no output "${e.fromPort}" (outputs: ${outs})`,
        });
      }
    }
    if (toGroupPort) {
      const outs = scope.ports!.outputs;
      if (!outs.some((p) => p.id === e.toPort)) problems.push({ path: `${path}.toPort`, node: joinPath(scope.path, GROUP_OUTPUT), port: e.toPort, message: `the group has no output "${e.toPort}" (outputs: ${outs.map((p) => p.id).join(', ') || 'none'})` });
    } else if (to && getDefinition(to.type)) {
      const ports = nodePorts(to);
      if (!ports.inputs.some((p) => p.id === e.toPort)) {
        const isOutput = ports.outputs.some((p) => p.id === e.toPort);
        const ins = ports.inputs.map((p) => p.id).join(', ') || 'none';
        problems.push({
          path: `${path}.toPort`,
          node: joinPath(scope.path, e.to),
          port: e.toPort,
          message: isOutput ? `"${e.toPort}" is an output: an output cannot be connected to an output (inputs: ${ins})` : `${to.type} has no input "${e.toPort}" (inputs: ${ins})`,
        });
      }
    }
    if (problems.length > before) return void scope.bad.add(e);
    const key = edgeKey(e);
    if (seen.has(key)) {
      problems.push({ path, node: joinPath(scope.path, e.to), message: `duplicate edge ${e.from}.${e.fromPort} -> ${e.to}.${e.toPort}` });
      return;
    }
    seen.add(key);
  });
}

function checkGroup(body: GroupBody, scope: Scope, problems: Problem[]): void {
  for (const side of ['inputs', 'outputs'] as const) {
    const ids = new Set<string>();
    body[side].forEach((p, i) => {
      if (ids.has(p.id)) problems.push({ path: `${scope.json}${side}[${i}].id`, node: scope.path, message: `duplicate ${side === 'inputs' ? 'input' : 'output'} "${p.id}"; every port needs its own id` });
      ids.add(p.id);
    });
  }
  checkGraph(body, scope, problems);
  const knobs = new Set<string>();
  body.exposed.forEach((x, i) => {
    const path = `${scope.json}exposed[${i}]`;
    if (knobs.has(x.id)) problems.push({ path: `${path}.id`, node: scope.path, message: `duplicate knob "${x.id}"; every knob needs its own id` });
    knobs.add(x.id);
    const child = body.nodes.find((n) => n.id === x.node);
    if (!child) return problems.push({ path: `${path}.node`, node: scope.path, message: `the group has no node "${x.node}"` });
    const why = exposeProblem(child, x.param);
    if (why) problems.push({ path: `${path}.param`, node: scope.path, message: why });
  });
}

/** What a snapshot may hold for a node: its params that reach the sound (not files, not metadata). */
export function snapshotParams(node: DocNode): string[] {
  if (node.group) return [];
  const def = getDefinition(node.type);
  if (!def) return [];
  return Object.entries(def.params)
    .filter(([, spec]) => !spec.meta && !(spec.kind === 'string' && spec.format === 'file'))
    .map(([key]) => key);
}

// Snapshots change rarely: for frozen documents their problems are kept until the snapshots or the
// nodes change (validate runs on every edit).
const snapshotMemo = new WeakMap<object, { nodes: unknown; problems: Problem[] }>();

function checkSnapshots(doc: SessionDoc, problems: Problem[]): void {
  const list = doc.snapshots;
  if (!list?.length) return;
  const frozen = Object.isFrozen(list) && Object.isFrozen(doc.nodes);
  const hit = frozen ? snapshotMemo.get(list) : undefined;
  if (hit && hit.nodes === doc.nodes) {
    problems.push(...hit.problems);
    return;
  }
  const found: Problem[] = [];
  snapshotProblems(doc, found);
  if (frozen) snapshotMemo.set(list, { nodes: doc.nodes, problems: found });
  problems.push(...found);
}

function snapshotProblems(doc: SessionDoc, problems: Problem[]): void {
  const ids = new Set<string>();
  const byPath = new Map<string, DocNode>();
  for (const { node, path } of walkNodes(doc)) byPath.set(path, node);
  (doc.snapshots ?? []).forEach((s, i) => {
    const path = `snapshots[${i}]`;
    if (ids.has(s.id)) problems.push({ path: `${path}.id`, message: `duplicate snapshot id "${s.id}"` });
    ids.add(s.id);
    for (const [nodePath, value] of Object.entries(s.values)) {
      const at = jsonPath(['values', nodePath], path);
      const node = byPath.get(nodePath);
      if (!node) {
        problems.push({ path: at, message: `no node at "${nodePath}" (inside a group: "group/node")` });
        continue;
      }
      const allowed = new Set(snapshotParams(node));
      const def = getDefinition(node.type);
      for (const [key, v] of Object.entries(value.params)) {
        if (!allowed.has(key) || !def) {
          problems.push({ path: `${at}.params.${key}`, node: nodePath, message: `a snapshot holds the params that reach the sound; ${node.type} "${node.id}" has none named "${key}"${allowed.size ? ` (params: ${[...allowed].join(', ')})` : ''}` });
          continue;
        }
        const out: { path: string; message: string }[] = [];
        checkValue(def.params[key], v, key, out);
        for (const p of out) problems.push({ path: `${at}.params.${p.path}`, node: nodePath, message: p.message });
      }
      if (value.bypass === true && !canBypass(node)) problems.push({ path: `${at}.bypass`, node: nodePath, message: `a ${node.type} cannot be bypassed` });
    }
  });
}

export function validate(doc: SessionDoc): Problem[] {
  const problems: Problem[] = [];
  const bad = new Set<DocEdge>();
  checkGraph(doc, { json: '', path: '', depth: 0, bad }, problems);

  const masters = doc.nodes.filter((n) => isProgramOutput(n.type));
  if (masters.length === 0) problems.push({ path: 'nodes', message: 'no master node: add one, and connect what should be heard to it' });
  if (masters.length > 1) {
    problems.push({ path: 'nodes', message: `${masters.length} master nodes (${masters.map((m) => `"${m.id}"`).join(', ')}); a session has exactly one` });
  }
  checkSnapshots(doc, problems);
  // Notes and frames: only their ids can clash (the schema checks the rest); the commands address them by id.
  const annotationIds = new Set<string>();
  (doc.annotations ?? []).forEach((a, i) => {
    if (annotationIds.has(a.id)) problems.push({ path: `annotations[${i}].id`, message: `duplicate annotation id "${a.id}": each note and frame needs its own` });
    annotationIds.add(a.id);
  });

  // Loops on the graph the audio hears: through groups, as the compiler will wire them.
  for (const cycle of flatCycles(bad.size ? withoutEdges(doc, bad) : doc)) {
    problems.push({
      path: 'edges',
      node: cycle[0],
      message: `feedback loop without a delay: ${[...cycle, cycle[0]].join(' -> ')}; a signal cannot feed itself in no time (each sample would depend on itself), so put a delay node in it or remove an edge`,
    });
  }
  return problems;
}

/** Loops without a delay in the flat graph (edges to or from nodes that are not there are left out). */
function flatCycles(graph: Graph): string[][] {
  const flat = flatten(graph);
  const ids = new Set(flat.nodes.map((n) => n.id));
  const seen = new Set<string>();
  const edges = flat.edges.filter((e) => {
    const key = edgeKey(e);
    if (seen.has(key) || !ids.has(e.from) || !ids.has(e.to)) return false;
    seen.add(key);
    return true;
  });
  return silentCycles(flat.nodes, edges);
}

/**
 * Loops that pass through no loop-safe node: the strongly connected components (Tarjan, iterative:
 * hostile files can be deep) of the graph without its loop-safe nodes that form a loop. Each is
 * returned as its node ids in loop order.
 */
export function silentCycles(nodes: readonly { id: string; type: string }[], edges: readonly DocEdge[]): string[][] {
  // Every cycle must pass through a loop-safe node: so the graph without those nodes must have no
  // cycle at all. (Looking for a loop-safe node per strongly connected component is not enough: a
  // component can hold a delay loop and, beside it, a loop of its own that skips the delay.)
  const typeOf = new Map(nodes.map((n) => [n.id, n.type]));
  const ids = [...typeOf.keys()];
  const safe = (id: string) => LOOP_SAFE_TYPES.has(typeOf.get(id) ?? '');
  const { next } = indexGraph(ids, edges.filter((e) => !safe(e.from) && !safe(e.to)));
  return components(next)
    .filter((members) => isLoop(members, next))
    .map((members) => orderLoop(members, next, ids).map((i) => ids[i]));
}

/** The component's members in the order a signal travels round one loop of it, from its first id by name. */
function orderLoop(component: number[], next: readonly (readonly number[])[], ids: readonly string[]): number[] {
  const members = new Set(component);
  const start = component.reduce((a, b) => (ids[b] < ids[a] ? b : a));
  const path = [start];
  const visited = new Set(path);
  let at = start;
  for (;;) {
    const step = next[at].find((w) => members.has(w) && (w === start || !visited.has(w)));
    if (step === undefined || step === start) return path;
    path.push(step);
    visited.add(step);
    at = step;
  }
}

/**
 * Would adding this edge (in the graph at `scope`, a group path) close a loop without a delay?
 * The loop's flat ids, or null. (For the editor's drag check.)
 */
export function wouldCloseSilentLoop(doc: SessionDoc, edge: DocEdge, scope?: string): string[] | null {
  const withEdge = addEdgeAt(doc, edge, scope);
  if (!withEdge) return null;
  const after = flatCycles(withEdge);
  if (after.length === 0) return null;
  const before = new Set(flatCycles(doc).map((c) => [...c].sort().join('\n')));
  return after.find((c) => !before.has([...c].sort().join('\n'))) ?? null;
}

/** A shallow copy of the graph without the edges in `bad`, inside groups too. */
function withoutEdges<G extends Graph | GroupBody>(graph: G, bad: ReadonlySet<DocEdge>): G {
  return {
    ...graph,
    edges: graph.edges.filter((e) => !bad.has(e)),
    nodes: graph.nodes.map((n) => (n.group ? { ...n, group: withoutEdges(n.group, bad) } : n)),
  };
}

/** A shallow copy of the document with one more edge in the graph at `scope`. */
function addEdgeAt(doc: Graph, edge: DocEdge, scope?: string): Graph | null {
  if (!scope) return { nodes: doc.nodes, edges: [...doc.edges, edge] };
  const [head, ...rest] = scope.split('/');
  const i = doc.nodes.findIndex((n) => n.id === head);
  const node = doc.nodes[i];
  if (!node?.group || !isGroup(node)) return null;
  const inner = addEdgeAt(node.group, edge, rest.join('/'));
  if (!inner) return null;
  const nodes = doc.nodes.slice();
  nodes[i] = { ...node, group: { ...node.group, nodes: inner.nodes, edges: inner.edges } };
  return { nodes, edges: doc.edges };
}
