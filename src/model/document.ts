// The session document: plain JSON-able data, the single source of truth for the editor,
// the compiler and the file format (src/presets reads and writes it). The types are derived from
// the format's schema (src/presets/schema.ts): what a loader returns, with every default filled.
import type { z } from 'zod';
import type { PortSpec } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { FORMAT, FORMAT_VERSION, type chainFileSchema, type nodePresetFileSchema, type sessionFileSchema } from '../presets/schema.ts';
import type { DocEdge, DocNode, GroupBody } from '../presets/schema.ts';

export { FORMAT, FORMAT_VERSION };
export type { Annotation, FrameAnnotation, NoteAnnotation, DocEdge, DocNode, ExposedParam, GroupBody, GroupPort, Position, SessionMeta, Snapshot, SnapshotValue } from '../presets/schema.ts';

/** A session in memory: the newest version (`types` is written on save, never kept). */
export type SessionDoc = Omit<z.output<typeof sessionFileSchema>, 'types'>;

/**
 * A chain: a session's graph without sources or master, run between two reserved ends. Its edges
 * start at `input` and end at `output` (ids no node may take), e.g. input -> eq -> limiter -> output.
 * `mixgraph master` runs a file through it; the editor inserts it between two nodes or as a group.
 */
export type ChainDoc = Omit<z.output<typeof chainFileSchema>, 'types'>;

/** One node's params saved for its type ("gentle vocal compressor"), applied as one undo step. */
export type NodePresetDoc = Omit<z.output<typeof nodePresetFileSchema>, 'types'>;

export const CHAIN_INPUT = 'input';
export const CHAIN_OUTPUT = 'output';
/** Node types a chain cannot hold: it gets its sound from `input` and gives it to `output`. */
export const CHAIN_EXCLUDED_TYPES: ReadonlySet<string> = new Set(['track', 'generator', 'reference', 'master']);
/** Inside a group, edges use these ids for the group's own ports, as a chain does for its ends. */
export const GROUP_INPUT = CHAIN_INPUT;
export const GROUP_OUTPUT = CHAIN_OUTPUT;
/** Node types a group cannot hold: the master is the session's one output. */
export const GROUP_EXCLUDED_TYPES: ReadonlySet<string> = new Set(['master']);

/** Paths address nodes inside groups: `drums/comp` is node `comp` in group `drums` (ids cannot hold '/'). */
export const PATH_SEPARATOR = '/';
export const joinPath = (scope: string | undefined, id: string): string => (scope ? `${scope}${PATH_SEPARATOR}${id}` : id);
export const splitPath = (path: string): string[] => path.split(PATH_SEPARATOR);

/** Whether a node is a container (a group) whose body is in its `group` field. */
export function isGroup(node: { type: string }): boolean {
  return getDefinition(node.type)?.container === true;
}

/** A graph: the session's top level, or a group's body. */
export interface Graph {
  nodes: DocNode[];
  edges: DocEdge[];
}

/** The graph at `scope` (a group path, '' or undefined for the top), or undefined when there is none. */
export function graphAt(doc: Graph, scope?: string): Graph | GroupBody | undefined {
  if (!scope) return doc;
  let graph: Graph | GroupBody = doc;
  for (const id of splitPath(scope)) {
    const node: DocNode | undefined = graph.nodes.find((n) => n.id === id);
    if (!node?.group) return undefined;
    graph = node.group;
  }
  return graph;
}

/** The node at `path`, or undefined. */
export function nodeAt(doc: Graph, path: string): DocNode | undefined {
  const parts = splitPath(path);
  const graph = graphAt(doc, parts.slice(0, -1).join(PATH_SEPARATOR));
  return graph?.nodes.find((n) => n.id === parts[parts.length - 1]);
}

/** A node's ports: its definition's, or for a group the body's own. */
export function nodePorts(node: DocNode): { inputs: readonly PortSpec[]; outputs: readonly PortSpec[] } {
  if (node.group) return { inputs: node.group.inputs, outputs: node.group.outputs };
  return getDefinition(node.type)?.ports ?? { inputs: [], outputs: [] };
}

/** Every node, groups' inner ones included, with its path, parents before children (iterative). */
export function* walkNodes(graph: Graph | GroupBody, scope = ''): Generator<{ node: DocNode; path: string; scope: string }> {
  const stack: { graph: Graph | GroupBody; scope: string; i: number }[] = [{ graph, scope, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.graph.nodes.length) {
      stack.pop();
      continue;
    }
    const node = top.graph.nodes[top.i++];
    const path = joinPath(top.scope, node.id);
    yield { node, path, scope: top.scope };
    if (node.group) stack.push({ graph: node.group, scope: path, i: 0 });
  }
}

export function emptySession(name = 'Untitled'): SessionDoc {
  return { format: FORMAT, version: FORMAT_VERSION, kind: 'session', name, meta: { author: '', description: '', tags: [] }, nodes: [], edges: [] };
}

export { edgeKey } from './edge-key.ts';

const NOT_AUDIO: ReadonlySet<string> = new Set(['nodes', 'name', 'meta', 'snapshots', 'annotations', '$schema']);
const NODE_NOT_AUDIO: ReadonlySet<string> = new Set(['position', 'group']);

/**
 * Whether `next` differs from `prev` only in node positions, the session's name, meta, snapshots or its
 * notes and frames (nothing the audio graph depends on), inside groups too: the live engine skips
 * compiling such edits (a node drag edits the document on every move). Relies on immer's structural sharing: unchanged parts are the
 * same objects.
 */
export function layoutOnly(prev: SessionDoc, next: SessionDoc): boolean {
  if (prev === next) return true;
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)] as (keyof SessionDoc)[]);
  for (const key of keys) if (!NOT_AUDIO.has(key) && prev[key] !== next[key]) return false;
  return sameSound(prev, next);
}

function sameSound(a: Graph | GroupBody, b: Graph | GroupBody): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  if ('inputs' in a && 'inputs' in b && (a.inputs !== b.inputs || a.outputs !== b.outputs || a.exposed !== b.exposed)) return false;
  for (let i = 0; i < b.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x === y) continue;
    const keys = new Set([...Object.keys(x), ...Object.keys(y)] as (keyof DocNode)[]);
    for (const key of keys) if (!NODE_NOT_AUDIO.has(key) && x[key] !== y[key]) return false;
    if (Boolean(x.group) !== Boolean(y.group)) return false;
    if (x.group && y.group && !sameSound(x.group, y.group)) return false;
  }
  return true;
}

export interface FileRef {
  /** JSON path of the param in the file: `nodes[2].params.source`, `nodes[0].group.nodes[1].params.source`. */
  jsonPath: string;
  /** The node's path. */
  node: string;
  param: string;
  value: string;
}

/** Every non-empty `file` param (a track's source) of a graph, groups' inner nodes included. */
export function fileParams(graph: Graph | GroupBody): FileRef[] {
  const out: FileRef[] = [];
  const walk = (g: Graph | GroupBody, json: string, scope: string) => {
    g.nodes.forEach((node, i) => {
      const at = `${json}nodes[${i}]`;
      const path = joinPath(scope, node.id);
      if (node.group) return walk(node.group, `${at}.group.`, path);
      for (const [param, spec] of Object.entries(getDefinition(node.type)?.params ?? {})) {
        const value = node.params[param];
        if (spec.kind === 'string' && spec.format === 'file' && typeof value === 'string' && value !== '') out.push({ jsonPath: `${at}.params.${param}`, node: path, param, value });
      }
    });
  };
  walk(graph, '', '');
  return out;
}
