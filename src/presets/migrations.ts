// Migrations, run on a file's parsed value before anything else looks at it:
//   1. document level: one step per format version, oldest first (`steps`);
//   2. per node type: each definition's numbered `migrations`, from the version the file's `types`
//      records for that type (1 when absent) to the definition's `version`.
// A migration sees the file as written (omitted params absent, nothing checked yet), so each step
// is defensive: what it cannot read it leaves for the checks after it to report.
// Frozen files of every older version are in tests/presets/fixtures; saving writes the newest.
import type { MigrationContext, NodeDefinition } from '../../nodes/define.ts';
import { definitions, getDefinition } from '../../nodes/registry.ts';
import { FORMAT_VERSION } from './schema.ts';

type Loose = Record<string, unknown>;
const isRecord = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const steps: Record<number, (doc: Loose) => Loose> = {
  // Version 2 added `types` (per-type versions), groups, snapshots, node presets and "$schema".
  // A version-1 file is a version-2 file whose node types are all at version 1: nothing to rewrite
  // here; the per-type step then brings each type up (the reverb's mix, for one).
  2: (doc) => doc,
};

export function migrate(doc: Loose): { ok: true; value: Loose } | { ok: false; message: string } {
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, message: `must be a whole number from 1 to ${FORMAT_VERSION}, got ${JSON.stringify(version)}` };
  }
  if (version > FORMAT_VERSION) {
    return { ok: false, message: `version ${version} is newer than this Mixgraph reads (${FORMAT_VERSION}): update Mixgraph to open it` };
  }
  let value = doc;
  for (let v = version + 1; v <= FORMAT_VERSION; v++) value = { ...steps[v](value), version: v };
  return { ok: true, value };
}

export interface TypeProblem {
  path: string;
  message: string;
}

/**
 * Bring every node up to its type's current version, using `types` (and, for an album's inline
 * chain, the chain's own `types` or else the album's). Returns the value without `types` (everything
 * in it is current now), or the problems with `types` itself. Never changes its argument.
 */
export function migrateTypes(doc: Loose): { ok: true; value: Loose } | { ok: false; problems: TypeProblem[] } {
  const problems: TypeProblem[] = [];
  const types = readTypes(doc.types, 'types', problems);
  let value: Loose = { ...doc };
  delete value.types;
  if (Array.isArray(doc.nodes)) value.nodes = migrateGraph(doc.nodes, doc.edges, types);
  if (doc.kind === 'node-preset' && typeof doc.type === 'string') {
    const params = migrateParams(doc.type, doc.params, types, NO_CONTEXT);
    if (params !== doc.params) value.params = params;
  }
  if (doc.kind === 'album' && isRecord(doc.chain)) {
    const chain = doc.chain;
    const own = chain.types === undefined ? types : readTypes(chain.types, 'chain.types', problems);
    // The chain is loaded on its own next (by the chain loader, which migrates again): it says now that
    // every type in it is current, so that second pass changes nothing.
    const migrated: Loose = { ...chain, types: currentTypes() };
    if (Array.isArray(chain.nodes)) migrated.nodes = migrateGraph(chain.nodes, chain.edges, own);
    value.chain = migrated;
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, value };
}

/** Every known node type at its current version. */
function currentTypes(): Record<string, number> {
  return Object.fromEntries([...definitions, getDefinition('group')!].map((d) => [d.type, d.version]));
}

function readTypes(raw: unknown, path: string, problems: TypeProblem[]): Map<string, number> {
  const out = new Map<string, number>();
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    problems.push({ path, message: 'must be an object: node type -> version, e.g. { "reverb": 2 }' });
    return out;
  }
  for (const [type, version] of Object.entries(raw)) {
    const def = hasOwn(raw, type) ? getDefinition(type) : undefined;
    const at = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(type) ? `${path}.${type}` : `${path}[${JSON.stringify(type)}]`;
    if (!def) problems.push({ path: at, message: `unknown node type ${JSON.stringify(type)}` });
    else if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) problems.push({ path: at, message: `must be a whole number from 1 to ${def.version}, got ${JSON.stringify(version)}` });
    else if (version > def.version) problems.push({ path: at, message: `${type} version ${version} is newer than this Mixgraph reads (${def.version}): update Mixgraph to open this file` });
    else out.set(type, version);
  }
  return out;
}

const NO_CONTEXT: MigrationContext = { auxReturn: () => false };

/** The nodes of one graph (and of the groups in it) brought up to date. */
function migrateGraph(nodes: unknown[], edges: unknown, types: Map<string, number>): unknown[] {
  const edgeList = Array.isArray(edges) ? edges.filter(isRecord) : [];
  return nodes.map((n) => {
    if (!isRecord(n) || typeof n.type !== 'string') return n;
    let out = n;
    const group = n.group;
    if (isRecord(group) && Array.isArray(group.nodes)) out = { ...out, group: { ...group, nodes: migrateGraph(group.nodes, group.edges, types) } };
    const ctx: MigrationContext = { auxReturn: () => typeof n.id === 'string' && hearsOnlyAux(n.id, nodes, edgeList) };
    const params = migrateParams(n.type, n.params, types, ctx);
    if (params !== n.params) out = { ...out, params };
    return out;
  });
}

/** The params after every step from the recorded version; the same object when there was nothing to do. */
function migrateParams(type: string, params: unknown, types: Map<string, number>, ctx: MigrationContext): unknown {
  const def: NodeDefinition | undefined = getDefinition(type);
  if (!def || (params !== undefined && !isRecord(params))) return params;
  const from = types.get(type) ?? 1;
  if (from >= def.version) return params;
  let out: Loose = params === undefined ? {} : { ...params };
  for (let v = from + 1; v <= def.version; v++) {
    const step = def.migrations?.[v];
    if (step) out = step(out, ctx);
  }
  return params === undefined && Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Whether every sound reaching node `id` comes from aux outputs (a send's `send`): walking upstream
 * along audio edges, every path ends at an output whose port role is 'aux'. A path from a source, the
 * chain's or group's `input` (what comes in is the dry signal) or a node without inputs is not aux.
 */
function hearsOnlyAux(id: string, nodes: unknown[], edges: Loose[]): boolean {
  const byId = new Map<string, Loose>();
  for (const n of nodes) if (isRecord(n) && typeof n.id === 'string' && !byId.has(n.id)) byId.set(n.id, n);
  const into = (to: string) => edges.filter((e) => e.to === to && typeof e.from === 'string' && !isSidechain(byId.get(to), e.toPort));
  const seen = new Set<string>([id]);
  const stack = [id];
  let reached = false;
  while (stack.length) {
    const at = stack.pop()!;
    const inputs = into(at);
    if (inputs.length === 0) return false; // nothing (or a source) feeds this path
    for (const e of inputs) {
      const from = e.from as string;
      const node = byId.get(from);
      if (!node) return false; // `input` of a chain or group, or an unknown id: not an aux return
      const def = typeof node.type === 'string' ? getDefinition(node.type) : undefined;
      const port = typeof e.fromPort === 'string' ? e.fromPort : 'out';
      if (def?.ports.outputs.find((p) => p.id === port)?.role === 'aux') {
        reached = true;
        continue;
      }
      if (!seen.has(from)) {
        seen.add(from);
        stack.push(from);
      }
    }
  }
  return reached;
}

function isSidechain(node: Loose | undefined, port: unknown): boolean {
  const def = node && typeof node.type === 'string' ? getDefinition(node.type) : undefined;
  return def?.ports.inputs.find((p) => p.id === (typeof port === 'string' ? port : 'in'))?.role === 'sidechain';
}
