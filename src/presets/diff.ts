// What differs between two documents of one kind (sessions, chains, node presets), for review: nodes
// added and removed, edges added and removed, parameter changes with old and new values and their
// units, bypass and label changes, a group's knobs and ports, snapshots, notes and frames, the name and
// meta, and which nodes only moved. Inner group nodes are named by path (`drums/comp`). No Node or DOM APIs.
import type { ParamSpec, ParamValue } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { edgeKey, joinPath, walkNodes, type ChainDoc, type DocEdge, type DocNode, type Graph, type GroupBody, type NodePresetDoc, type SessionDoc } from '../model/document.ts';

export type Diffable = SessionDoc | ChainDoc | NodePresetDoc;

export interface NodeRef {
  node: string;
  type: string;
  label?: string;
}
export interface EdgeRef {
  /** The group whose inside holds the edge ('' at the top). */
  scope: string;
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}
export interface ParamChange {
  node: string;
  /** The param, or a field of a list item: `bands[1].gain`. */
  param: string;
  old: unknown;
  new: unknown;
  /** The unit of the value (dB, Hz, ms, ...), '' when it has none. */
  unit: string;
}
export interface FieldChange {
  /** What changed: `name`, `meta.description`, or for a node `bypass`, `label`, `knobs`, `inputs`, `outputs`. */
  field: string;
  node?: string;
  old: unknown;
  new: unknown;
}

export interface DocumentDiff {
  kind: Diffable['kind'];
  equal: boolean;
  document: FieldChange[];
  nodesAdded: NodeRef[];
  nodesRemoved: NodeRef[];
  edgesAdded: EdgeRef[];
  edgesRemoved: EdgeRef[];
  params: ParamChange[];
  nodes: FieldChange[];
  snapshots: FieldChange[];
  /** Notes and frames added, removed or changed (`note intro text`, `frame drums place`): nothing the audio hears. */
  annotations: FieldChange[];
  /** Nodes whose position alone changed (layout, not sound). */
  moved: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const unitOf = (spec: ParamSpec | undefined) => (spec && spec.kind === 'number' ? spec.unit : '');

function paramChanges(node: string, specs: Record<string, ParamSpec>, a: Record<string, ParamValue>, b: Record<string, ParamValue>, out: ParamChange[]): void {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const spec = specs[key];
    const x = a[key];
    const y = b[key];
    if (same(x, y)) continue;
    if (spec?.kind === 'list' && Array.isArray(x) && Array.isArray(y)) {
      // Item by item, field by field: "bands[1].gain: 2 dB -> 3 dB"; items added or removed as a whole.
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const xi = x[i] as Record<string, unknown> | undefined;
        const yi = y[i] as Record<string, unknown> | undefined;
        if (!xi || !yi) {
          out.push({ node, param: `${key}[${i}]`, old: xi ?? null, new: yi ?? null, unit: '' });
          continue;
        }
        for (const field of new Set([...Object.keys(xi), ...Object.keys(yi)])) {
          if (!same(xi[field], yi[field])) out.push({ node, param: `${key}[${i}].${field}`, old: xi[field] ?? null, new: yi[field] ?? null, unit: unitOf(spec.item[field]) });
        }
      }
      continue;
    }
    out.push({ node, param: key, old: x ?? null, new: y ?? null, unit: unitOf(spec) });
  }
}

function edgesOf(graph: Graph | GroupBody): EdgeRef[] {
  const out: EdgeRef[] = [];
  const scoped = (scope: string, id: string) => joinPath(scope, id);
  const walk = (g: Graph | GroupBody, scope: string) => {
    for (const e of g.edges) out.push({ scope, from: scoped(scope, e.from), fromPort: e.fromPort, to: scoped(scope, e.to), toPort: e.toPort });
    for (const n of g.nodes) if (n.group) walk(n.group, joinPath(scope, n.id));
  };
  walk(graph, '');
  return out;
}

const refOf = (node: DocNode, path: string): NodeRef => (node.label !== undefined ? { node: path, type: node.type, label: node.label } : { node: path, type: node.type });

function graphDiff(a: Graph, b: Graph, d: DocumentDiff): void {
  const before = new Map([...walkNodes(a)].map((x) => [x.path, x.node]));
  const after = new Map([...walkNodes(b)].map((x) => [x.path, x.node]));
  // A node whose type changed is another node under the same id: removed and added (its inside too).
  const replaced = new Set<string>();
  for (const [path, node] of before) {
    const other = after.get(path);
    if (other && other.type === node.type && !replaced.has(path.split('/').slice(0, -1).join('/'))) continue;
    replaced.add(path);
  }
  const gone = (path: string) => !after.has(path) || [...replaced].some((r) => path === r || path.startsWith(`${r}/`));
  for (const [path, node] of before) if (gone(path)) d.nodesRemoved.push(refOf(node, path));
  for (const [path, node] of after) if (!before.has(path) || gone(path)) d.nodesAdded.push(refOf(node, path));

  for (const [path, x] of before) {
    if (gone(path)) continue;
    const y = after.get(path)!;
    const def = getDefinition(x.type);
    paramChanges(path, def?.params ?? {}, x.params, y.params, d.params);
    if ((x.bypass === true) !== (y.bypass === true)) d.nodes.push({ field: 'bypass', node: path, old: x.bypass === true, new: y.bypass === true });
    if (x.label !== y.label) d.nodes.push({ field: 'label', node: path, old: x.label ?? null, new: y.label ?? null });
    if (x.group && y.group) {
      for (const field of ['inputs', 'outputs'] as const) if (!same(x.group[field], y.group[field])) d.nodes.push({ field, node: path, old: x.group[field], new: y.group[field] });
      if (!same(x.group.exposed, y.group.exposed)) d.nodes.push({ field: 'knobs', node: path, old: x.group.exposed, new: y.group.exposed });
    }
    if (!same(x.position, y.position)) d.moved.push(path);
  }

  const keyOf = (e: EdgeRef) => `${e.scope}\u0000${edgeKey(e as unknown as DocEdge)}`;
  const ea = new Map(edgesOf(a).map((e) => [keyOf(e), e]));
  const eb = new Map(edgesOf(b).map((e) => [keyOf(e), e]));
  for (const [k, e] of ea) if (!eb.has(k)) d.edgesRemoved.push(e);
  for (const [k, e] of eb) if (!ea.has(k)) d.edgesAdded.push(e);
}

/** The differences from `a` to `b` (two documents of the same kind; the caller checks the kinds). */
export function diffDocuments(a: Diffable, b: Diffable): DocumentDiff {
  const d: DocumentDiff = { kind: a.kind, equal: true, document: [], nodesAdded: [], nodesRemoved: [], edgesAdded: [], edgesRemoved: [], params: [], nodes: [], snapshots: [], annotations: [], moved: [] };
  if (a.name !== b.name) d.document.push({ field: 'name', old: a.name, new: b.name });
  for (const key of ['author', 'description', 'tags'] as const) if (!same(a.meta[key], b.meta[key])) d.document.push({ field: `meta.${key}`, old: a.meta[key], new: b.meta[key] });
  if (a.kind === 'node-preset' && b.kind === 'node-preset') {
    if (a.type !== b.type) d.document.push({ field: 'type', old: a.type, new: b.type });
    else paramChanges('(preset)', getDefinition(a.type)?.params ?? {}, a.params, b.params, d.params);
  } else if (a.kind !== 'node-preset' && b.kind !== 'node-preset') {
    graphDiff(a, b, d);
    if (a.kind === 'chain' && b.kind === 'chain' && !same(a.exposed ?? [], b.exposed ?? [])) d.document.push({ field: 'knobs', old: a.exposed ?? [], new: b.exposed ?? [] });
    if (a.kind === 'session' && b.kind === 'session') {
      const sa = new Map((a.snapshots ?? []).map((s) => [s.id, s]));
      const sb = new Map((b.snapshots ?? []).map((s) => [s.id, s]));
      for (const [id, s] of sa) {
        const t = sb.get(id);
        if (!t) d.snapshots.push({ field: `snapshot ${id}`, old: s.name, new: null });
        else if (s.name !== t.name) d.snapshots.push({ field: `snapshot ${id} name`, old: s.name, new: t.name });
        else if (!same(s.values, t.values)) d.snapshots.push({ field: `snapshot ${id} values`, old: `${Object.keys(s.values).length} nodes`, new: `${Object.keys(t.values).length} nodes` });
      }
      for (const [id, t] of sb) if (!sa.has(id)) d.snapshots.push({ field: `snapshot ${id}`, old: null, new: t.name });
      annotationChanges(a, b, d.annotations);
    }
  }
  d.equal = [d.document, d.nodesAdded, d.nodesRemoved, d.edgesAdded, d.edgesRemoved, d.params, d.nodes, d.snapshots, d.annotations, d.moved].every((x) => x.length === 0);
  return d;
}

type Annotation = NonNullable<SessionDoc['annotations']>[number];
const shortText = (a: Annotation) => {
  const t = a.kind === 'note' ? a.text : a.label;
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
};
const placeText = (a: Annotation) => `${a.position.x},${a.position.y} ${a.size.width}x${a.size.height}`;

function annotationChanges(a: SessionDoc, b: SessionDoc, out: FieldChange[]): void {
  const xa = new Map((a.annotations ?? []).map((n) => [n.id, n]));
  const xb = new Map((b.annotations ?? []).map((n) => [n.id, n]));
  for (const [id, x] of xa) {
    const y = xb.get(id);
    if (!y || y.kind !== x.kind) {
      out.push({ field: `${x.kind} ${id}`, old: shortText(x), new: null });
      if (y) out.push({ field: `${y.kind} ${id}`, old: null, new: shortText(y) });
      continue;
    }
    if (x.kind === 'note' && y.kind === 'note' && x.text !== y.text) out.push({ field: `note ${id} text`, old: shortText(x), new: shortText(y) });
    if (x.kind === 'frame' && y.kind === 'frame' && x.label !== y.label) out.push({ field: `frame ${id} label`, old: x.label, new: y.label });
    if (x.color !== y.color) out.push({ field: `${x.kind} ${id} colour`, old: x.color ?? null, new: y.color ?? null });
    if (!same([x.position, x.size], [y.position, y.size])) out.push({ field: `${x.kind} ${id} place`, old: placeText(x), new: placeText(y) });
  }
  for (const [id, y] of xb) if (!xa.has(id)) out.push({ field: `${y.kind} ${id}`, old: null, new: shortText(y) });
}

// ------------------------------------------------------------------ the readable form

/** Units shown as plain numbers: a mix, a pan position and a Q read best without a word after them. */
const PLAIN_UNITS: ReadonlySet<string> = new Set(['mix', 'pan', 'Q']);

/** A value with its unit: "-18 dB", "4:1", "0.5", "true", "\"peaking\"". */
export function formatValue(v: unknown, unit = ''): string {
  if (v === null || v === undefined) return '(none)';
  if (typeof v === 'number') return unit === 'ratio' ? `${v}:1` : unit && !PLAIN_UNITS.has(unit) ? `${v} ${unit}` : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && 'id' in x)) return `[${v.map((x) => (x as { id: string }).id).join(', ')}]`;
  return JSON.stringify(v);
}

const edgeText = (e: EdgeRef) => `${e.from}.${e.fromPort} -> ${e.to}.${e.toPort}`;
const nodeText = (n: NodeRef) => `${n.node} (${n.type}${n.label !== undefined ? ` "${n.label}"` : ''})`;

/** The diff as lines: one section per kind of change, `+` added, `-` removed, `~` changed. */
export function formatDiff(d: DocumentDiff, names: { a: string; b: string }): string[] {
  if (d.equal) return [`${names.a} and ${names.b} are the same ${d.kind}`];
  const lines = [`${names.a} -> ${names.b} (${d.kind})`];
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push(`${title}:`, ...items.map((i) => `  ${i}`));
  };
  section('document', d.document.map((c) => `~ ${c.field}: ${formatValue(c.old)} -> ${formatValue(c.new)}`));
  section('nodes added', d.nodesAdded.map((n) => `+ ${nodeText(n)}`));
  section('nodes removed', d.nodesRemoved.map((n) => `- ${nodeText(n)}`));
  section('edges added', d.edgesAdded.map((e) => `+ ${edgeText(e)}`));
  section('edges removed', d.edgesRemoved.map((e) => `- ${edgeText(e)}`));
  section('parameters', d.params.map((p) => `~ ${p.node} ${p.param}: ${formatValue(p.old, p.unit)} -> ${formatValue(p.new, p.unit)}`));
  section('nodes changed', d.nodes.map((c) => `~ ${c.node} ${c.field}: ${c.field === 'bypass' ? (c.old ? 'bypassed' : 'on') : formatValue(c.old)} -> ${c.field === 'bypass' ? (c.new ? 'bypassed' : 'on') : formatValue(c.new)}`));
  section('snapshots', d.snapshots.map((c) => `~ ${c.field}: ${formatValue(c.old)} -> ${formatValue(c.new)}`));
  section('notes and frames', d.annotations.map((c) => (c.old === null ? `+ ${c.field}: ${formatValue(c.new)}` : c.new === null ? `- ${c.field}: ${formatValue(c.old)}` : `~ ${c.field}: ${formatValue(c.old)} -> ${formatValue(c.new)}`)));
  if (d.moved.length) lines.push(`moved (layout only): ${d.moved.join(', ')}`);
  const count = d.document.length + d.nodesAdded.length + d.nodesRemoved.length + d.edgesAdded.length + d.edgesRemoved.length + d.params.length + d.nodes.length + d.snapshots.length + d.annotations.length + d.moved.length;
  lines.push(`${count} difference${count === 1 ? '' : 's'}`);
  return lines;
}
