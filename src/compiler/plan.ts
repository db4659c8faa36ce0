// What the compiler produces and the engine consumes: a flat, validated description of the
// audio graph, and the operations that turn one plan into the next.
import type { Params, ParamValue } from '../../nodes/define.ts';
import type { DocEdge } from '../model/document.ts';

export interface PlanNode {
  id: string;
  type: string;
  /** Only what reaches the audio: metadata (category, colour) is left out, solo is resolved into mute. */
  params: Params;
  bypass: boolean;
}

export interface Plan {
  /** Sources first: each node after the nodes that feed it (loops through a delay excepted). */
  nodes: PlanNode[];
  edges: DocEdge[];
}

export type Operation =
  | { op: 'create'; node: PlanNode }
  | { op: 'remove'; id: string }
  | { op: 'connect'; edge: DocEdge }
  | { op: 'disconnect'; edge: DocEdge }
  | { op: 'set'; id: string; param: string; value: ParamValue; params: Params }
  | { op: 'bypass'; id: string; bypass: boolean };
