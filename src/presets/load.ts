// Loading a document: parse (src/presets/json.ts) -> migrate (the document, then each node type) ->
// check its shape (the schema) -> check the graph (src/model/validate.ts) -> fill defaults.
// Saving writes the newest version. Nothing in a file is ever executed; unknown fields are reported,
// not copied.
import { getDefinition } from '../../nodes/registry.ts';
import type { z } from 'zod';
import { FORMAT, FORMAT_VERSION, type ChainDoc, type DocEdge, type DocNode, type Graph, type GroupBody, type NodePresetDoc, type SessionDoc } from '../model/document.ts';
import { fillParams } from '../model/params.ts';
import { issueProblems } from '../model/problems.ts';
import { formatProblem, validate, type Problem } from '../model/validate.ts';
import { checkParams } from '../model/params.ts';
import { parseJson, PresetError } from './json.ts';
import { migrate, migrateTypes } from './migrations.ts';
import { KINDS, MAX_EDGES, MAX_NODES, nodePresetFileSchema, sessionFileSchema, type Kind } from './schema.ts';

export { MAX_EDGES, MAX_NODES };

type Loose = Record<string, unknown>;
const isRecord = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

export type LoadResult = { ok: true; doc: SessionDoc } | { ok: false; problems: Problem[] };
export type Loaded<T> = { ok: true; doc: T } | { ok: false; problems: Problem[] };

/** Format and version checks, then migration to the newest version (document, then node types). */
export function migrateValue(value: unknown): { ok: true; value: Loose } | { ok: false; problems: Problem[] } {
  if (!isRecord(value)) return { ok: false, problems: [{ path: '(top)', message: 'a Mixgraph file is a JSON object' }] };
  if (value.format !== FORMAT) return { ok: false, problems: [{ path: 'format', message: `expected "${FORMAT}", got ${JSON.stringify(value.format)}: this is not a Mixgraph file` }] };
  const migrated = migrate(value);
  if (!migrated.ok) return { ok: false, problems: [{ path: 'version', message: migrated.message }] };
  const typed = migrateTypes(migrated.value);
  if (!typed.ok) return { ok: false, problems: typed.problems };
  return { ok: true, value: typed.value };
}

/** The kind check first: a file of another kind gets one clear line, not a list of its fields. */
export function kindProblem(raw: Loose, kind: Kind): Problem | null {
  if (raw.kind === kind) return null;
  const a = (w: string) => (/^[aeiou]/.test(w) ? 'an' : 'a');
  const hint = typeof raw.kind === 'string' && (KINDS as readonly string[]).includes(raw.kind) ? `: this file is ${a(raw.kind)} ${raw.kind}, not ${a(kind)} ${kind}` : '';
  return { path: 'kind', message: `expected "${kind}", got ${JSON.stringify(raw.kind)}${hint}` };
}

/** The node a JSON path is about (`drums/comp` for nodes[0].group.nodes[2]...), read from the file. */
export function nodeOfPath(raw: unknown, parts: readonly PropertyKey[]): string | undefined {
  let container: unknown = raw;
  let path: string | undefined;
  for (let k = 0; k < parts.length; k++) {
    if (!isRecord(container)) return path;
    const key = parts[k];
    if (key === 'nodes' && typeof parts[k + 1] === 'number' && Array.isArray(container.nodes)) {
      const node = container.nodes[parts[k + 1] as number];
      if (!isRecord(node) || typeof node.id !== 'string') return path;
      path = path === undefined ? node.id : `${path}/${node.id}`;
      if (parts[k + 2] !== 'group') return path;
      container = node.group;
      k += 2;
      continue;
    }
    if (key === 'chain' || key === 'group') {
      container = container[key];
      continue;
    }
    return path;
  }
  return path;
}

/**
 * A schema's problems with the file, each with its JSON path and node. When the only problems are
 * unknown fields, the file without them is checked on (`data`), so one run reports every problem,
 * not the unknown fields alone.
 */
export function shapeCheck<S extends z.ZodType>(schema: S, raw: unknown, prefix = ''): { ok: true; data: z.output<S> } | { ok: false; problems: Problem[]; data?: z.output<S> } {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const problems: Problem[] = [];
  for (const issue of result.error.issues) {
    const node = nodeOfPath(raw, issue.path);
    for (const p of issueProblems([issue], prefix)) problems.push({ ...p, path: p.path || '(top)', ...(node !== undefined && !p.path.endsWith('.id') ? { node } : {}) });
  }
  if (!result.error.issues.every((i) => i.code === 'unrecognized_keys')) return { ok: false, problems };
  const trimmed = structuredClone(raw) as Loose;
  for (const issue of result.error.issues) {
    let at: unknown = trimmed;
    for (const key of issue.path) at = isRecord(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[key as string] : undefined;
    if (isRecord(at)) for (const key of (issue as { keys: string[] }).keys) delete at[key];
  }
  const again = schema.safeParse(trimmed);
  return again.success ? { ok: false, problems, data: again.data } : { ok: false, problems };
}

/** Every node's params completed with the defaults, groups' inner nodes too. */
export function fillGraph(graph: Graph | GroupBody): void {
  for (const node of graph.nodes) {
    const def = getDefinition(node.type)!;
    node.params = def.container ? {} : fillParams(def, node.params);
    if (node.group) fillGraph(node.group);
  }
}

/** The graph of a session or a chain: shape checks only (the caller validates the graph). */
export function graphShape<K extends 'session' | 'chain'>(raw: Loose, kind: K, schema: z.ZodType, problems: Problem[]): (K extends 'session' ? SessionDoc : ChainDoc) | null {
  const wrong = kindProblem(raw, kind);
  if (wrong) {
    problems.push(wrong);
    return null;
  }
  const shaped = shapeCheck(schema, raw);
  if (!shaped.ok) problems.push(...shaped.problems);
  if (!shaped.data) return null;
  const doc = shaped.data as Loose;
  delete doc.types;
  return doc as K extends 'session' ? SessionDoc : ChainDoc;
}

/** Check and complete an already-parsed value. */
export function loadSessionValue(value: unknown): LoadResult {
  const migrated = migrateValue(value);
  if (!migrated.ok) return migrated;
  const problems: Problem[] = [];
  const doc = graphShape(migrated.value, 'session', sessionFileSchema, problems);
  if (!doc) return { ok: false, problems };
  if (doc.snapshots && doc.snapshots.length === 0) delete doc.snapshots;
  if (doc.annotations && doc.annotations.length === 0) delete doc.annotations;
  problems.push(...validate(doc));
  if (problems.length) return { ok: false, problems };
  fillGraph(doc);
  return { ok: true, doc };
}

/** Parse, migrate, validate and fill a session; throws PresetError with one line per problem. */
export function loadSession(text: string, name = 'session'): SessionDoc {
  return orThrow(loadSessionValue(parseJson(text, name)), name);
}

/** The problems of a failed load as one PresetError, each line prefixed with the file's name. */
export function orThrow<T>(result: Loaded<T>, name: string): T {
  if (result.ok) return result.doc;
  const lines = result.problems.map((p) => `${name}: ${formatProblem(p)}`);
  throw new PresetError(lines.join('\n'), lines);
}

// ------------------------------------------------------------------ node presets

export function loadNodePresetValue(value: unknown): Loaded<NodePresetDoc> {
  const migrated = migrateValue(value);
  if (!migrated.ok) return migrated;
  const wrong = kindProblem(migrated.value, 'node-preset');
  if (wrong) return { ok: false, problems: [wrong] };
  const shaped = shapeCheck(nodePresetFileSchema, migrated.value);
  if (!shaped.ok) return shaped;
  const doc = shaped.data as NodePresetDoc & { types?: unknown };
  delete doc.types;
  const def = getDefinition(doc.type);
  if (!def || def.container) return { ok: false, problems: [{ path: 'type', message: def ? 'a group is saved as a chain preset, not a node preset' : `unknown node type ${JSON.stringify(doc.type)}` }] };
  const problems = checkParams(def, doc.params).map((p) => ({ path: p.path ? `params.${p.path}` : 'params', message: p.message }));
  // A preset holds what reaches the sound: not a file, not a track's colour or category.
  for (const [key, spec] of Object.entries(def.params)) {
    if (key in doc.params && (spec.meta || (spec.kind === 'string' && spec.format === 'file'))) problems.push({ path: `params.${key}`, message: `a node preset does not hold ${spec.meta ? 'metadata' : 'files'}; leave "${key}" out` });
  }
  if (problems.length) return { ok: false, problems };
  const filled = fillParams(def, doc.params);
  for (const [key, spec] of Object.entries(def.params)) if (spec.meta || (spec.kind === 'string' && spec.format === 'file')) delete filled[key];
  doc.params = filled;
  return { ok: true, doc };
}

export function loadNodePreset(text: string, name = 'preset'): NodePresetDoc {
  return orThrow(loadNodePresetValue(parseJson(text, name)), name);
}

// ------------------------------------------------------------------ saving

/** `"types"`: the current version of every node type the graph uses, groups' inner nodes included. */
function typesOf(graphs: readonly (Graph | GroupBody)[], extra: readonly string[] = []): Record<string, number> {
  const used = new Set<string>(extra);
  const walk = (g: Graph | GroupBody) => {
    for (const n of g.nodes) {
      used.add(n.type);
      if (n.group) walk(n.group);
    }
  };
  graphs.forEach(walk);
  const out: Record<string, number> = {};
  for (const type of [...used].sort()) {
    const def = getDefinition(type);
    if (def) out[type] = def.version;
  }
  return out;
}

function nodeOut(n: DocNode): Loose {
  const node: Loose = { id: n.id, type: n.type };
  if (n.label !== undefined) node.label = n.label;
  if (n.position) node.position = n.position;
  node.params = n.params;
  // Fix: write bypass whenever it is set, false too; dropping `"bypass": false` meant a
  // loaded file (the format example has one) did not load back to an equal document.
  if (n.bypass !== undefined) node.bypass = n.bypass;
  if (n.group) {
    node.group = { inputs: n.group.inputs, outputs: n.group.outputs, exposed: n.group.exposed, nodes: n.group.nodes.map(nodeOut), edges: n.group.edges.map(edgeOut) };
  }
  return node;
}

function edgeOut(e: DocEdge): Loose {
  const edge: Loose = { from: e.from };
  if (e.fromPort !== 'out') edge.fromPort = e.fromPort;
  edge.to = e.to;
  if (e.toPort !== 'in') edge.toPort = e.toPort;
  return edge;
}

function head(doc: { $schema?: string; kind: string; name: string; meta: SessionDoc['meta'] }): Loose {
  const out: Loose = {};
  if (doc.$schema !== undefined) out.$schema = doc.$schema;
  Object.assign(out, { format: FORMAT, version: FORMAT_VERSION, kind: doc.kind, name: doc.name, meta: doc.meta });
  return out;
}

/** The file form: newest version, defaults left in so the file documents itself. */
export function saveSession(doc: SessionDoc | ChainDoc): string {
  const out = head(doc);
  out.types = typesOf([doc]);
  out.nodes = doc.nodes.map(nodeOut);
  out.edges = doc.edges.map(edgeOut);
  if (doc.kind === 'session' && doc.snapshots?.length) out.snapshots = doc.snapshots;
  if (doc.kind === 'session' && doc.annotations?.length) out.annotations = doc.annotations;
  if (doc.kind === 'chain' && doc.exposed?.length) out.exposed = doc.exposed;
  return JSON.stringify(out, null, 2) + '\n';
}

export function saveNodePreset(doc: NodePresetDoc): string {
  const out = head(doc);
  out.types = typesOf([], [doc.type]);
  out.type = doc.type;
  out.params = doc.params;
  return JSON.stringify(out, null, 2) + '\n';
}

/** Any graph document or node preset in its file form. */
export function saveDocument(doc: SessionDoc | ChainDoc | NodePresetDoc): string {
  return doc.kind === 'node-preset' ? saveNodePreset(doc) : saveSession(doc);
}
