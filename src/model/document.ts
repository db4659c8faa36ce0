// The session document: plain JSON-able data, the single source of truth for the editor,
// the compiler and the file format (src/presets reads and writes it).
import type { Params } from '../../nodes/define.ts';

export const FORMAT = 'mixgraph';
export const FORMAT_VERSION = 1;

export interface Position {
  x: number;
  y: number;
}

export interface DocNode {
  id: string;
  type: string;
  label?: string;
  position?: Position;
  params: Params;
  bypass?: boolean;
}

export interface DocEdge {
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

export interface SessionMeta {
  author: string;
  description: string;
  tags: string[];
}

export interface SessionDoc {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  kind: 'session';
  name: string;
  meta: SessionMeta;
  nodes: DocNode[];
  edges: DocEdge[];
}

/**
 * A chain: a session's graph without sources or master, run between two reserved ends. Its edges
 * start at `input` and end at `output` (ids no node may take), e.g. input -> eq -> limiter -> output.
 * `mixgraph master` runs a file through it; the editor inserts it between two nodes.
 */
export interface ChainDoc extends Omit<SessionDoc, 'kind'> {
  kind: 'chain';
}
export const CHAIN_INPUT = 'input';
export const CHAIN_OUTPUT = 'output';
/** Node types a chain cannot hold: it gets its sound from `input` and gives it to `output`. */
export const CHAIN_EXCLUDED_TYPES: ReadonlySet<string> = new Set(['track', 'generator', 'reference', 'master']);

export function emptySession(name = 'Untitled'): SessionDoc {
  return { format: FORMAT, version: FORMAT_VERSION, kind: 'session', name, meta: { author: '', description: '', tags: [] }, nodes: [], edges: [] };
}

/** One key per edge: an edge is identified by its two ends. */
export function edgeKey(e: DocEdge): string {
  return `${e.from}:${e.fromPort}->${e.to}:${e.toPort}`;
}

/**
 * Whether `next` differs from `prev` only in node positions (nothing the audio graph depends on):
 * the live engine skips compiling such edits (a node drag edits the document on every move).
 * Relies on immer's structural sharing: unchanged parts are the same objects.
 */
export function layoutOnly(prev: SessionDoc, next: SessionDoc): boolean {
  if (prev === next) return true;
  if (prev.edges !== next.edges || prev.nodes.length !== next.nodes.length) return false;
  for (const key of Object.keys(next) as (keyof SessionDoc)[]) if (key !== 'nodes' && prev[key] !== next[key]) return false;
  for (let i = 0; i < next.nodes.length; i++) {
    const a = prev.nodes[i];
    const b = next.nodes[i];
    if (a === b) continue;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof DocNode)[]);
    for (const key of keys) if (key !== 'position' && a[key] !== b[key]) return false;
  }
  return true;
}
