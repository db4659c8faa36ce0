// Groups: nodes collapsed into one node with its own ports and the knobs chosen for it. The body is
// in the node's `group` field; inside it the group's own ports are the ends `input` and `output`
// (as in a chain). A knob is a view of one inner param, never a copy. The compiler flattens groups
// (src/model/flatten.ts), so grouping and ungrouping never change the sound.
import type { Draft } from 'immer';
import type { ParamSpec, ParamValue, PortSpec } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import {
  CHAIN_EXCLUDED_TYPES,
  CHAIN_INPUT,
  CHAIN_OUTPUT,
  edgeKey,
  FORMAT,
  FORMAT_VERSION,
  GROUP_EXCLUDED_TYPES,
  GROUP_INPUT,
  GROUP_OUTPUT,
  joinPath,
  nodeAt,
  nodePorts,
  splitPath,
  type ChainDoc,
  type DocEdge,
  type DocNode,
  type ExposedParam,
  type GroupBody,
  type GroupPort,
  type Position,
  type SessionDoc,
  type SessionMeta,
} from './document.ts';
import type { Command } from './commands.ts';
import { copy, findNode, freshIdIn, graphOf, moveSnapshotPaths, repairReferences } from './draft.ts';
import { exposeProblem } from './validate.ts';

// ------------------------------------------------------------------ knobs

/** Where a group's knob leads: the inner node (its path) and param, through nested groups' knobs. */
export function resolveKnob(doc: SessionDoc, groupPath: string, knob: string): { path: string; param: string } {
  let path = groupPath;
  let param = knob;
  for (let depth = 0; ; depth++) {
    const node = nodeAt(doc, path);
    if (!node) throw new Error(`no node at "${path}"`);
    if (!node.group) return { path, param };
    const x = node.group.exposed.find((k) => k.id === param);
    if (!x) throw new Error(`group "${path}" has no knob "${param}" (knobs: ${node.group.exposed.map((k) => k.id).join(', ') || 'none'})`);
    if (depth > 64) throw new Error(`group "${groupPath}": knob "${knob}" leads round in a circle`);
    path = joinPath(path, x.node);
    param = x.param;
  }
}

export interface Knob {
  id: string;
  label: string;
  /** The inner node and param it shows. */
  target: { path: string; param: string };
  spec: ParamSpec;
  value: ParamValue;
}

/** A group's knobs with their specs and current values (read through to the inner nodes). */
export function groupKnobs(doc: SessionDoc, groupPath: string): Knob[] {
  const node = nodeAt(doc, groupPath);
  if (!node?.group) return [];
  const out: Knob[] = [];
  for (const x of node.group.exposed) {
    let target: { path: string; param: string };
    try {
      target = resolveKnob(doc, groupPath, x.id);
    } catch {
      continue;
    }
    const inner = nodeAt(doc, target.path);
    const spec = inner && getDefinition(inner.type)?.params[target.param];
    if (!inner || !spec) continue;
    out.push({ id: x.id, label: x.label ?? knobLabel(inner, spec, target.param), target, spec, value: inner.params[target.param] });
  }
  return out;
}

function knobLabel(node: DocNode, spec: ParamSpec, param: string): string {
  return `${node.label ?? node.id} ${spec.label ?? param}`;
}

/** Every param of the group's inner nodes (knobs of inner groups included) that can be a knob. */
export function knobCandidates(body: GroupBody): { node: string; param: string; label: string }[] {
  const out: { node: string; param: string; label: string }[] = [];
  for (const n of body.nodes) {
    if (n.group) {
      for (const x of n.group.exposed) out.push({ node: n.id, param: x.id, label: `${n.label ?? n.id} ${x.label ?? x.id}` });
      continue;
    }
    const def = getDefinition(n.type);
    for (const [param, spec] of Object.entries(def?.params ?? {})) {
      if (exposeProblem(n, param) === null) out.push({ node: n.id, param, label: knobLabel(n, spec, param) });
    }
  }
  return out;
}

/** A knob choice as the editor gives it; the id and label are made up when left out. */
export interface KnobChoice {
  node: string;
  param: string;
  id?: string;
  label?: string;
}

function makeKnobs(body: GroupBody, choices: readonly KnobChoice[], where: string): ExposedParam[] {
  const out: ExposedParam[] = [];
  const ids = new Set<string>();
  for (const c of choices) {
    const child = body.nodes.find((n) => n.id === c.node);
    if (!child) throw new Error(`${where}: the group has no node "${c.node}" for a knob`);
    const why = exposeProblem(child, c.param);
    if (why) throw new Error(`${where}: ${why}`);
    let id = c.id ?? c.param;
    if (ids.has(id)) id = freshIdIn({ nodes: [...ids].map((i) => ({ id: i })) }, `${c.node}.${c.param}`.slice(0, 60));
    ids.add(id);
    const knob: ExposedParam = { id, node: c.node, param: c.param };
    if (c.label !== undefined) knob.label = c.label;
    out.push(knob);
  }
  return out;
}

/** Replace a group's knobs (the inside stays as it is). One undo step. */
export function setKnobs(groupPath: string, choices: readonly KnobChoice[]): Command {
  return {
    label: `Knobs of ${groupPath}`,
    run(d) {
      const node = findNode(d, groupPath);
      if (!node.group) throw new Error(`"${groupPath}" is not a group`);
      node.group.exposed = makeKnobs(node.group as GroupBody, choices, `Cannot set the knobs of "${groupPath}"`);
      repairReferences(d);
    },
  };
}

// ------------------------------------------------------------------ group and ungroup

export interface GroupOptions {
  /** The group node's id (fresh from "group" when absent). */
  id?: string;
  label?: string;
  position?: Position;
  /** Inner params shown on the group's face, by inner node id. */
  knobs?: readonly KnobChoice[];
}

const endKey = (id: string, port: string) => `${id}\u0000${port}`;

/**
 * Collapse the nodes `ids` of the graph at `scope` into one group node, wired so that everything
 * hears and is heard exactly as before. Ports: one input per distinct set of inner ends the outside
 * feeds (so a bus fed by many tracks, or one source feeding two inner nodes, is one input), one
 * output per distinct set of outside ends the inside feeds; usually one of each. A port that only
 * feeds sidechains is a sidechain input. Snapshot entries and knobs of an enclosing group follow the
 * nodes. One undo step.
 */
export function groupNodes(ids: readonly string[], options: GroupOptions = {}, scope?: string): Command {
  return {
    label: `Group ${ids.length} node${ids.length === 1 ? '' : 's'}`,
    run(d) {
      const graph = graphOf(d, scope);
      const where = 'Cannot group';
      if (ids.length === 0) throw new Error(`${where}: select the nodes to group first`);
      const selected = new Set(ids);
      for (const id of selected) {
        const node = graph.nodes.find((n) => n.id === id);
        if (!node) throw new Error(`${where}: there is no node "${id}"${scope ? ` in group "${scope}"` : ''}`);
        if (GROUP_EXCLUDED_TYPES.has(node.type)) throw new Error(`${where}: the ${node.type} stays outside groups (it is the session's one output)`);
      }
      const groupId = options.id ?? freshIdIn(graph, 'group');
      if (graph.nodes.some((n) => n.id === groupId && !selected.has(n.id))) throw new Error(`${where}: a node with id "${groupId}" exists already`);
      const inner = graph.nodes.filter((n) => selected.has(n.id)) as DocNode[];
      const portOf = (id: string, port: string, side: 'inputs' | 'outputs'): PortSpec | undefined => {
        const node = graph.nodes.find((n) => n.id === id) as DocNode | undefined;
        return node ? nodePorts(node)[side].find((p) => p.id === port) : undefined;
      };

      const innerEdges: DocEdge[] = [];
      const outerEdges: DocEdge[] = [];
      const kept: DocEdge[] = [];
      // Outside source -> the inner ends it feeds; inner source -> the outside ends it feeds.
      const feeds = new Map<string, { from: string; fromPort: string; targets: DocEdge[] }>();
      const leaves = new Map<string, { from: string; fromPort: string; targets: DocEdge[] }>();
      for (const e of graph.edges as DocEdge[]) {
        const a = selected.has(e.from);
        const b = selected.has(e.to);
        if (a && b) innerEdges.push({ ...e });
        else if (!a && b) {
          const k = endKey(e.from, e.fromPort);
          const entry = feeds.get(k) ?? { from: e.from, fromPort: e.fromPort, targets: [] };
          entry.targets.push(e);
          feeds.set(k, entry);
        } else if (a && !b) {
          const k = endKey(e.from, e.fromPort);
          const entry = leaves.get(k) ?? { from: e.from, fromPort: e.fromPort, targets: [] };
          entry.targets.push(e);
          leaves.set(k, entry);
        } else kept.push(e);
      }

      // Sources with the same set of ends share a port.
      const classes = (map: typeof feeds, endOf: (e: DocEdge) => string) => {
        const byEnds = new Map<string, { members: { from: string; fromPort: string }[]; ends: DocEdge[] }>();
        for (const entry of map.values()) {
          const key = entry.targets.map(endOf).sort().join('\n');
          const c = byEnds.get(key) ?? { members: [], ends: entry.targets };
          c.members.push({ from: entry.from, fromPort: entry.fromPort });
          byEnds.set(key, c);
        }
        return [...byEnds.values()];
      };
      const portIds = new Set<string>();
      const portId = (base: string) => {
        let id = base;
        for (let i = 2; portIds.has(id); i++) id = `${base}${i}`;
        portIds.add(id);
        return id;
      };
      const inputs: GroupPort[] = [];
      for (const c of classes(feeds, (e) => endKey(e.to, e.toPort))) {
        const sidechain = c.ends.every((e) => portOf(e.to, e.toPort, 'inputs')?.role === 'sidechain');
        const port: GroupPort = { id: portId(sidechain ? 'sidechain' : 'in'), label: sidechain ? 'Sidechain' : 'In' };
        if (sidechain) port.role = 'sidechain';
        if (inputs.some((p) => p.label === port.label)) port.label = `${port.label} ${inputs.filter((p) => p.label?.startsWith(port.label!)).length + 1}`;
        inputs.push(port);
        for (const e of c.ends) innerEdges.push({ from: GROUP_INPUT, fromPort: port.id, to: e.to, toPort: e.toPort });
        for (const m of c.members) outerEdges.push({ from: m.from, fromPort: m.fromPort, to: groupId, toPort: port.id });
      }
      portIds.clear();
      const outputs: GroupPort[] = [];
      for (const c of classes(leaves, (e) => endKey(e.to, e.toPort))) {
        const aux = c.members.every((m) => portOf(m.from, m.fromPort, 'outputs')?.role === 'aux');
        const port: GroupPort = { id: portId(aux ? 'send' : 'out'), label: aux ? 'Send' : 'Out' };
        if (aux) port.role = 'aux';
        if (outputs.some((p) => p.label === port.label)) port.label = `${port.label} ${outputs.filter((p) => p.label?.startsWith(port.label!)).length + 1}`;
        outputs.push(port);
        for (const m of c.members) innerEdges.push({ from: m.from, fromPort: m.fromPort, to: GROUP_OUTPUT, toPort: port.id });
        for (const e of c.ends) outerEdges.push({ from: groupId, fromPort: port.id, to: e.to, toPort: e.toPort });
      }

      const body: GroupBody = { nodes: inner.map((n) => copy(n)), edges: innerEdges, inputs, outputs, exposed: [] };
      // Knobs of an enclosing group that showed a selected node's param: the new group shows that
      // param too (after the chosen knobs), and the enclosing knob shows it through the new group.
      const parentKnobs = scope ? findNode(d, scope).group!.exposed.filter((x) => selected.has(x.node)) : [];
      const chosen = options.knobs ?? [];
      body.exposed = makeKnobs(body, [...chosen, ...parentKnobs.map((x) => ({ node: x.node, param: x.param, label: x.label }))], where);
      parentKnobs.forEach((x, i) => {
        x.node = groupId;
        x.param = body.exposed[chosen.length + i].id;
      });
      const xs = inner.map((n) => n.position).filter((p): p is Position => p !== undefined);
      // `|| 0`: no -0 (a file cannot hold it, so it would not load back the same).
      const position = options.position ?? (xs.length ? { x: Math.round(xs.reduce((s, p) => s + p.x, 0) / xs.length) || 0, y: Math.round(xs.reduce((s, p) => s + p.y, 0) / xs.length) || 0 } : undefined);
      const group: DocNode = { id: groupId, type: 'group', label: options.label ?? `Group of ${inner.length}`, params: {}, group: body };
      if (position) group.position = position;

      const first = graph.nodes.findIndex((n) => selected.has(n.id));
      const nodes = graph.nodes.filter((n) => !selected.has(n.id)) as DocNode[];
      nodes.splice(Math.min(first, nodes.length), 0, group);
      graph.nodes = nodes as Draft<DocNode>[];
      graph.edges = [...kept, ...outerEdges] as Draft<DocEdge>[];

      // Snapshot entries follow the nodes inside.
      for (const id of selected) moveSnapshotPaths(d, joinPath(scope, id), joinPath(scope, joinPath(groupId, id)));
      repairReferences(d);
    },
  };
}

/**
 * Put a group's nodes back in its place: ids that clash get fresh ones, the edges through its ports
 * are joined to what they fed, positions are kept. Knobs of an enclosing group that showed this
 * group's knobs now show the inner params. Refuses a bypassed group (its nodes would start to be
 * heard): enable it first. One undo step.
 */
export function ungroup(groupPath: string): Command {
  return {
    label: `Ungroup ${groupPath}`,
    run(d) {
      const parts = splitPath(groupPath);
      const groupId = parts.pop()!;
      const scope = parts.join('/') || undefined;
      const graph = graphOf(d, scope);
      const index = graph.nodes.findIndex((n) => n.id === groupId);
      const node = graph.nodes[index] as DocNode | undefined;
      if (!node?.group) throw new Error(`Cannot ungroup "${groupPath}": it is not a group`);
      if (node.bypass) throw new Error(`Cannot ungroup "${groupPath}": it is bypassed, and its nodes would start to be heard; enable it first`);
      const body = node.group;

      const taken = new Set(graph.nodes.filter((n) => n.id !== groupId).map((n) => n.id));
      const ids = new Map<string, string>();
      for (const n of body.nodes) {
        const id = taken.has(n.id) ? freshIdIn({ nodes: [] }, n.id, taken) : n.id;
        taken.add(id);
        ids.set(n.id, id);
      }

      const outer = graph.edges as DocEdge[];
      const feeding = (port: string) => outer.filter((e) => e.to === groupId && e.toPort === port);
      const fed = (port: string) => outer.filter((e) => e.from === groupId && e.fromPort === port);
      const edges: DocEdge[] = outer.filter((e) => e.from !== groupId && e.to !== groupId).map((e) => ({ ...e }));
      for (const e of body.edges) {
        const sources = e.from === GROUP_INPUT ? feeding(e.fromPort).map((x) => [x.from, x.fromPort] as const) : [[ids.get(e.from) ?? e.from, e.fromPort] as const];
        const targets = e.to === GROUP_OUTPUT ? fed(e.toPort).map((x) => [x.to, x.toPort] as const) : [[ids.get(e.to) ?? e.to, e.toPort] as const];
        for (const [from, fromPort] of sources) for (const [to, toPort] of targets) edges.push({ from, fromPort, to, toPort });
      }
      const seen = new Set<string>();
      const unique = edges.filter((e) => !seen.has(edgeKey(e)) && (seen.add(edgeKey(e)), true));

      const nodes = graph.nodes.slice() as DocNode[];
      nodes.splice(index, 1, ...body.nodes.map((n) => ({ ...copy(n), id: ids.get(n.id)! })));
      graph.nodes = nodes as Draft<DocNode>[];
      graph.edges = unique as Draft<DocEdge>[];

      // Snapshot entries of the inner nodes move up with them; the group's own (its bypass) goes.
      for (const s of d.snapshots ?? []) {
        for (const key of Object.keys(s.values)) {
          if (key !== groupPath && !key.startsWith(`${groupPath}/`)) continue;
          const value = s.values[key];
          delete s.values[key];
          if (key === groupPath) continue;
          const [first, ...rest] = splitPath(key.slice(groupPath.length + 1));
          s.values[joinPath(scope, [ids.get(first) ?? first, ...rest].join('/'))] = value;
        }
      }
      if (scope) {
        const parent = findNode(d, scope).group!;
        for (const x of parent.exposed) {
          if (x.node !== groupId) continue;
          const knob = body.exposed.find((k) => k.id === x.param);
          if (!knob) continue;
          x.node = ids.get(knob.node) ?? knob.node;
          x.param = knob.param;
        }
      }
      repairReferences(d);
    },
  };
}

// ------------------------------------------------------------------ groups and chain presets

/** A chain's body as a group's: one input `in`, one output `out`, its knobs from the chain's `exposed`. */
export function chainToGroupBody(chain: ChainDoc): GroupBody {
  const edges = chain.edges.map((e) => ({
    from: e.from,
    fromPort: e.from === CHAIN_INPUT ? 'in' : e.fromPort,
    to: e.to,
    toPort: e.to === CHAIN_OUTPUT ? 'out' : e.toPort,
  }));
  return {
    nodes: structuredClone(chain.nodes),
    edges,
    inputs: [{ id: 'in', label: 'In' }],
    outputs: [{ id: 'out', label: 'Out' }],
    exposed: structuredClone(chain.exposed ?? []),
  };
}

/**
 * A group as a chain preset (its knobs kept as the chain's `exposed`, so inserting it as a group gives
 * them back). Needs one audio input and one output, and no sources; throws saying what is in the way.
 */
export function groupToChain(node: DocNode, info: { name?: string; meta?: Partial<SessionMeta> } = {}): ChainDoc {
  const body = node.group;
  const name = info.name ?? node.label ?? node.id;
  if (!body) throw new Error(`"${node.id}" is not a group`);
  const ins = body.inputs;
  if (ins.length !== 1 || ins[0].role === 'sidechain' || body.outputs.length !== 1) {
    throw new Error(
      `Cannot save "${name}" as a chain: a chain has one input and one output, this group has ${ins.length} input${ins.length === 1 ? '' : 's'} (${ins.map((p) => p.id).join(', ') || 'none'}) and ${body.outputs.length} output${body.outputs.length === 1 ? '' : 's'}`,
    );
  }
  for (const { type, id } of innerNodes(body)) {
    if (CHAIN_EXCLUDED_TYPES.has(type)) throw new Error(`Cannot save "${name}" as a chain: it holds a ${type} ("${id}"), and a chain takes its sound from its input`);
  }
  const chain: ChainDoc = {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: 'chain',
    name,
    meta: { author: info.meta?.author ?? '', description: info.meta?.description ?? '', tags: [...(info.meta?.tags ?? [])] },
    nodes: structuredClone(body.nodes),
    edges: body.edges.map((e) => ({
      from: e.from,
      fromPort: e.from === GROUP_INPUT ? 'out' : e.fromPort,
      to: e.to,
      toPort: e.to === GROUP_OUTPUT ? 'in' : e.toPort,
    })),
  };
  if (body.exposed.length) chain.exposed = structuredClone(body.exposed);
  return chain;
}

function* innerNodes(body: GroupBody, prefix = ''): Generator<{ type: string; id: string }> {
  for (const n of body.nodes) {
    yield { type: n.type, id: joinPath(prefix, n.id) };
    if (n.group) yield* innerNodes(n.group, joinPath(prefix, n.id));
  }
}

/** A new group node holding a chain (for the editor's palette or a drop): not yet in any graph. */
export function chainToGroupNode(chain: ChainDoc, id: string, position?: Position): DocNode {
  const node: DocNode = { id, type: 'group', label: chain.name || 'Group', params: {}, group: chainToGroupBody(chain) };
  if (position) node.position = position;
  return node;
}

export type { GroupBody, GroupPort, ExposedParam };
