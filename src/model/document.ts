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

export function emptySession(name = 'Untitled'): SessionDoc {
  return { format: FORMAT, version: FORMAT_VERSION, kind: 'session', name, meta: { author: '', description: '', tags: [] }, nodes: [], edges: [] };
}

/** One key per edge: an edge is identified by its two ends. */
export function edgeKey(e: DocEdge): string {
  return `${e.from}:${e.fromPort}->${e.to}:${e.toPort}`;
}
