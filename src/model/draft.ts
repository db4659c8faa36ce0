// Helpers the commands share: finding a graph or a node by path in an immer draft, fresh ids, and
// repairing references (a group's knobs, snapshot entries) to nodes an edit took away.
import { current, isDraft, type Draft } from 'immer';
import { graphAt, joinPath, nodeAt, splitPath, walkNodes, type DocNode, type Graph, type GroupBody, type SessionDoc } from './document.ts';
import { exposeProblem, snapshotParams } from './validate.ts';

/** A deep copy of a value that may be (or hold) an immer draft: drafts are proxies structuredClone refuses. */
export function copy<T>(value: T): T {
  return structuredClone(isDraft(value) ? (current(value as Draft<T>) as T) : value);
}

export type DraftGraph = Draft<Graph> | Draft<GroupBody>;

/** The graph at `scope` (a group path; '' or undefined: the top). Throws when there is none. */
export function graphOf(d: Draft<SessionDoc>, scope?: string): DraftGraph {
  const graph = graphAt(d as Graph, scope);
  if (!graph) throw new Error(`there is no group at "${scope}"`);
  return graph as DraftGraph;
}

export function findNode(d: Draft<SessionDoc>, path: string): Draft<DocNode> {
  const node = nodeAt(d as Graph, path);
  if (!node) throw new Error(`no node with id "${path}"`);
  return node as Draft<DocNode>;
}

/** An id not used in `graph` (nor in `taken`), from a base like "eq" -> "eq", "eq2", "eq3"... */
export function freshIdIn(graph: { nodes: readonly { id: string }[] }, base: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set(graph.nodes.map((n) => n.id));
  const free = (id: string) => !used.has(id) && !taken.has(id) && id !== 'input' && id !== 'output';
  const stem = base.slice(0, 60) || 'node';
  if (free(stem)) return stem;
  for (let i = 2; ; i++) if (free(`${stem}${i}`)) return `${stem}${i}`;
}

/** A node id from a name: "Streaming master" -> "streaming-master". */
export function idFromName(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]+/g, '-')
    .replace(/^[-.:]+|[-.:]+$/g, '')
    .slice(0, 40);
  return slug || fallback;
}

/**
 * Drop what points at nodes that are gone: knobs whose node or param is no longer there (a knob on a
 * knob that went goes too), and snapshot entries for nodes that are gone or params they cannot hold.
 * Writes only what changes (no empty undo steps).
 */
export function repairReferences(d: Draft<SessionDoc>): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const { node } of walkNodes(d as Graph)) {
      const body = node.group as Draft<GroupBody> | undefined;
      if (!body) continue;
      const keep = body.exposed.filter((x) => {
        const child = body.nodes.find((n) => n.id === x.node);
        return child !== undefined && exposeProblem(child as DocNode, x.param) === null;
      });
      if (keep.length !== body.exposed.length) {
        body.exposed = keep;
        changed = true;
      }
    }
  }
  const snapshots = d.snapshots;
  if (!snapshots) return;
  for (const s of snapshots) {
    for (const [path, value] of Object.entries(s.values)) {
      const node = nodeAt(d as Graph, path);
      if (!node) {
        delete s.values[path];
        continue;
      }
      const allowed = new Set(snapshotParams(node as DocNode));
      for (const key of Object.keys(value.params)) if (!allowed.has(key)) delete value.params[key];
    }
  }
}

/** Rename snapshot entries: every key at `from` or below it moves to `to` (or goes when `to` is null). */
export function moveSnapshotPaths(d: Draft<SessionDoc>, from: string, to: string | null): void {
  for (const s of d.snapshots ?? []) {
    for (const key of Object.keys(s.values)) {
      if (key !== from && !key.startsWith(`${from}/`)) continue;
      const value = s.values[key];
      delete s.values[key];
      if (to !== null) s.values[to + key.slice(from.length)] = value;
    }
  }
}

export { joinPath, splitPath };
