// Loading a session: parse -> migrate -> validate -> fill defaults. Saving writes the newest version.
// Nothing in a file is ever executed; unknown fields are reported, not copied.
import { getDefinition } from '../../nodes/registry.ts';
import { FORMAT, FORMAT_VERSION, type ChainDoc, type DocEdge, type DocNode, type SessionDoc } from '../model/document.ts';
import { fillParams } from '../model/params.ts';
import { formatProblem, validate, type Problem } from '../model/validate.ts';
import { parseJson, PresetError } from './json.ts';
import { migrate } from './migrations.ts';

export const MAX_NODES = 10_000;
export const MAX_EDGES = 50_000;

type Loose = Record<string, unknown>;
const isRecord = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

const NODE_FIELDS = new Set(['id', 'type', 'label', 'position', 'params', 'bypass']);
const EDGE_FIELDS = new Set(['from', 'fromPort', 'to', 'toPort']);
const META_FIELDS = new Set(['author', 'description', 'tags']);
const TOP_FIELDS = new Set(['format', 'version', 'kind', 'name', 'meta', 'nodes', 'edges']);

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

export type GraphKind = 'session' | 'chain';
type GraphDoc<K extends GraphKind> = K extends 'session' ? SessionDoc : ChainDoc;

/** Shape checks the graph validator relies on, then a typed (not yet filled) document. */
function structure<K extends GraphKind>(raw: Loose, problems: Problem[], kind: K): GraphDoc<K> | null {
  for (const key of Object.keys(raw)) if (!TOP_FIELDS.has(key)) problems.push({ path: key, message: `unknown field; known: ${[...TOP_FIELDS].join(', ')}` });
  if (raw.kind !== kind) {
    const hint = typeof raw.kind === 'string' && ['session', 'chain', 'album'].includes(raw.kind) ? `: this file is a${raw.kind === 'album' ? 'n' : ''} ${raw.kind}, not a ${kind}` : '';
    problems.push({ path: 'kind', message: `expected "${kind}", got ${JSON.stringify(raw.kind)}${hint}` });
    return null;
  }
  if (raw.name !== undefined && typeof raw.name !== 'string') problems.push({ path: 'name', message: 'must be a string' });
  const meta = raw.meta === undefined ? {} : raw.meta;
  if (!isRecord(meta)) problems.push({ path: 'meta', message: 'must be an object' });
  else {
    for (const key of Object.keys(meta)) if (!META_FIELDS.has(key)) problems.push({ path: `meta.${key}`, message: `unknown field; known: ${[...META_FIELDS].join(', ')}` });
    for (const key of ['author', 'description'] as const) if (meta[key] !== undefined && typeof meta[key] !== 'string') problems.push({ path: `meta.${key}`, message: 'must be a string' });
  }
  if (isRecord(meta) && meta.tags !== undefined && !(Array.isArray(meta.tags) && meta.tags.every((t) => typeof t === 'string'))) problems.push({ path: 'meta.tags', message: 'must be a list of strings' });
  if (!Array.isArray(raw.nodes)) {
    problems.push({ path: 'nodes', message: 'must be a list of nodes' });
    return null;
  }
  const edgesRaw = raw.edges === undefined ? [] : raw.edges;
  if (!Array.isArray(edgesRaw)) {
    problems.push({ path: 'edges', message: 'must be a list of edges' });
    return null;
  }
  if (raw.nodes.length > MAX_NODES) problems.push({ path: 'nodes', message: `${raw.nodes.length} nodes; at most ${MAX_NODES}` });
  if (edgesRaw.length > MAX_EDGES) problems.push({ path: 'edges', message: `${edgesRaw.length} edges; at most ${MAX_EDGES}` });
  if (problems.length) return null;

  const nodes: DocNode[] = [];
  raw.nodes.forEach((n: unknown, i: number) => {
    const path = `nodes[${i}]`;
    if (!isRecord(n)) return problems.push({ path, message: 'must be an object with id and type' });
    for (const key of Object.keys(n)) if (!NODE_FIELDS.has(key)) problems.push({ path: `${path}.${key}`, message: `unknown field; known: ${[...NODE_FIELDS].join(', ')}` });
    if (typeof n.type !== 'string') problems.push({ path: `${path}.type`, message: 'is required: the node type, e.g. "eq"' });
    const node: DocNode = { id: n.id as string, type: n.type as string, params: (n.params ?? {}) as DocNode['params'] };
    if (n.label !== undefined) {
      if (typeof n.label !== 'string' || n.label.length > 200) problems.push({ path: `${path}.label`, message: 'must be a string of at most 200 characters' });
      else node.label = n.label;
    }
    if (n.position !== undefined) {
      const p = n.position;
      if (!isRecord(p) || !Number.isFinite(p.x) || !Number.isFinite(p.y)) problems.push({ path: `${path}.position`, message: 'must be { "x": number, "y": number }' });
      else node.position = { x: p.x as number, y: p.y as number };
    }
    if (n.bypass !== undefined) node.bypass = n.bypass as boolean;
    nodes.push(node);
  });
  const edges: DocEdge[] = [];
  edgesRaw.forEach((e: unknown, i: number) => {
    const path = `edges[${i}]`;
    if (!isRecord(e)) return problems.push({ path, message: 'must be an object with from and to' });
    for (const key of Object.keys(e)) if (!EDGE_FIELDS.has(key)) problems.push({ path: `${path}.${key}`, message: `unknown field; known: ${[...EDGE_FIELDS].join(', ')}` });
    for (const key of ['from', 'to'] as const) if (typeof e[key] !== 'string') problems.push({ path: `${path}.${key}`, message: 'must be a node id' });
    for (const key of ['fromPort', 'toPort'] as const) if (e[key] !== undefined && typeof e[key] !== 'string') problems.push({ path: `${path}.${key}`, message: 'must be a port name' });
    edges.push({ from: e.from as string, fromPort: str(e.fromPort, 'out'), to: e.to as string, toPort: str(e.toPort, 'in') });
  });
  const m = isRecord(meta) ? meta : {};
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind,
    name: str(raw.name, 'Untitled'),
    meta: { author: str(m.author), description: str(m.description), tags: Array.isArray(m.tags) ? (m.tags as string[]) : [] },
    nodes,
    edges,
  } as GraphDoc<K>;
}

export type LoadResult = { ok: true; doc: SessionDoc } | { ok: false; problems: Problem[] };

/** Format and version checks, then migration to the newest version: the first steps for every kind. */
export function migrateValue(value: unknown): { ok: true; value: Loose } | { ok: false; problems: Problem[] } {
  if (!isRecord(value)) return { ok: false, problems: [{ path: '(top)', message: 'a Mixgraph file is a JSON object' }] };
  if (value.format !== FORMAT) return { ok: false, problems: [{ path: 'format', message: `expected "${FORMAT}", got ${JSON.stringify(value.format)}: this is not a Mixgraph file` }] };
  const migrated = migrate(value);
  if (!migrated.ok) return { ok: false, problems: [{ path: 'version', message: migrated.message }] };
  return { ok: true, value: migrated.value };
}

/** The graph of a session or a chain: structure checks only (the caller validates the graph). */
export function graphStructure<K extends GraphKind>(value: Loose, kind: K, problems: Problem[]): GraphDoc<K> | null {
  return structure(value, problems, kind);
}

/** Check and complete an already-parsed value. */
export function loadSessionValue(value: unknown): LoadResult {
  const migrated = migrateValue(value);
  if (!migrated.ok) return migrated;
  const problems: Problem[] = [];
  const doc = structure(migrated.value, problems, 'session');
  if (!doc) return { ok: false, problems };
  problems.push(...validate(doc));
  if (problems.length) return { ok: false, problems };
  for (const node of doc.nodes) node.params = fillParams(getDefinition(node.type)!, node.params);
  return { ok: true, doc };
}

/** Parse, migrate, validate and fill a session; throws PresetError with one line per problem. */
export function loadSession(text: string, name = 'session'): SessionDoc {
  const result = loadSessionValue(parseJson(text, name));
  if (!result.ok) {
    const lines = result.problems.map((p) => `${name}: ${formatProblem(p)}`);
    throw new PresetError(lines.join('\n'), lines);
  }
  return result.doc;
}

/** The file form: newest version, defaults left in so the file documents itself. */
export function saveSession(doc: SessionDoc | ChainDoc): string {
  const out = {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: doc.kind,
    name: doc.name,
    meta: doc.meta,
    nodes: doc.nodes.map((n) => {
      const node: Loose = { id: n.id, type: n.type };
      if (n.label !== undefined) node.label = n.label;
      if (n.position) node.position = n.position;
      node.params = n.params;
      // Fix: write bypass whenever it is set, false too; dropping `"bypass": false` meant a
      // loaded file (the format example has one) did not load back to an equal document.
      if (n.bypass !== undefined) node.bypass = n.bypass;
      return node;
    }),
    edges: doc.edges.map((e) => {
      const edge: Loose = { from: e.from };
      if (e.fromPort !== 'out') edge.fromPort = e.fromPort;
      edge.to = e.to;
      if (e.toPort !== 'in') edge.toPort = e.toPort;
      return edge;
    }),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

