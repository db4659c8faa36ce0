// Notes and frames as React Flow nodes: their flow ids, the flow nodes built from the session's
// `annotations`, and the canvas's changes (drag, resize, select, delete) turned back into commands.
// Kept apart from Canvas.tsx so the canvas only wires them in.
import type { Node, NodeChange } from '@xyflow/react';
import { layoutAnnotations, type Annotation, type FrameAnnotation, type NoteAnnotation, type Size } from '../../model/annotations.ts';
import type { Position } from '../../model/document.ts';

/**
 * Flow ids of notes and frames start with "~", which no node id can hold (ID_PATTERN): an annotation
 * may share its id with a node ("drums" the bus, "drums" the frame around it) without a clash.
 */
const PREFIX = '~';
export const annotationFlowId = (id: string): string => `${PREFIX}${id}`;
/** The annotation id of a flow id, or null for a node's. */
export const annotationIdOf = (flowId: string): string | null => (flowId.startsWith(PREFIX) ? flowId.slice(PREFIX.length) : null);

export interface NoteData extends Record<string, unknown> {
  annotation: NoteAnnotation;
  readOnly: boolean;
}
export interface FrameData extends Record<string, unknown> {
  annotation: FrameAnnotation;
  readOnly: boolean;
}
export type NoteFlowNode = Node<NoteData, 'note'>;
export type FrameFlowNode = Node<FrameData, 'frame'>;
export type AnnotationFlowNode = NoteFlowNode | FrameFlowNode;

/**
 * Frames lie under everything (nodes and cables): -1 under the nodes' 0. React Flow lifts a selected
 * node by 1000 (elevateNodesOnSelect), which would put a selected frame over the nodes it holds, so a
 * selected frame starts 1000 lower and lands at -1 again.
 */
const FRAME_Z = -1;
const SELECTED_LIFT = 1000;
/** Notes sit over the nodes they are written beside (a new one in a full graph is seen), under a selected node. */
const NOTE_Z = 1;

const cache = new WeakMap<Annotation, { key: string; flow: AnnotationFlowNode }>();

/** The flow nodes for the annotations; an unchanged annotation keeps its flow node object (React Flow re-renders only what changed). */
export function annotationFlowNodes(list: readonly Annotation[] | undefined, selected: ReadonlySet<string>, readOnly: boolean, hidden: boolean): AnnotationFlowNode[] {
  return (list ?? []).map((a) => {
    const isSelected = selected.has(a.id);
    const key = `${isSelected}|${readOnly}|${hidden}`;
    const hit = cache.get(a);
    if (hit && hit.key === key) return hit.flow;
    const { width, height } = a.size;
    const common = {
      id: annotationFlowId(a.id),
      position: { x: a.position.x, y: a.position.y },
      width,
      height,
      measured: { width, height },
      selected: isSelected,
      draggable: !readOnly,
      deletable: !readOnly,
      connectable: false,
      ...(hidden ? { hidden: true } : {}),
    };
    const flow: AnnotationFlowNode =
      a.kind === 'note'
        ? { ...common, type: 'note', zIndex: NOTE_Z, ariaLabel: `Note: ${a.text.split('\n')[0].slice(0, 80) || 'empty'}`, data: { annotation: a, readOnly } }
        : {
            ...common,
            type: 'frame',
            zIndex: FRAME_Z - (isSelected ? SELECTED_LIFT : 0),
            ariaLabel: `Frame: ${a.label || 'untitled'}`,
            // Its inside lets every pointer through to the pane and the nodes in it (box-select, drops,
            // cables); only its label bar and the resize controls take the pointer (annotations.css).
            style: { pointerEvents: 'none' },
            data: { annotation: a, readOnly },
          };
    cache.set(a, { key, flow });
    return flow;
  });
}

/**
 * The annotations' share of a batch of React Flow changes: one layout command for their moves and
 * resizes (a resize from the left or top edge moves and sizes at once), their selection changes, and
 * the changes that are not theirs, left for the canvas's own handling.
 */
export function splitAnnotationChanges<N extends Node>(changes: NodeChange<N>[]): {
  rest: NodeChange<N>[];
  layout: ReturnType<typeof layoutAnnotations> | null;
  select: { id: string; selected: boolean }[];
} {
  const rest: NodeChange<N>[] = [];
  const byId = new Map<string, { id: string; position?: Position; size?: Size }>();
  const select: { id: string; selected: boolean }[] = [];
  for (const c of changes) {
    const id = 'id' in c ? annotationIdOf(c.id) : null;
    if (id === null) {
      rest.push(c);
      continue;
    }
    const entry = byId.get(id) ?? { id };
    if (c.type === 'position' && c.position) byId.set(id, { ...entry, position: c.position });
    // Only the resizer's changes: a measured size is the one the document gave it.
    else if (c.type === 'dimensions' && c.dimensions && (c.setAttributes || c.resizing !== undefined)) byId.set(id, { ...entry, size: c.dimensions });
    else if (c.type === 'select') select.push({ id, selected: c.selected });
  }
  return { rest, layout: byId.size ? layoutAnnotations([...byId.values()]) : null, select };
}

// A note or frame just added opens with its text (label) ready to type: the toolbar asks, the component takes it when it mounts.
const editRequests = new Set<string>();
export function requestEdit(id: string): void {
  editRequests.add(id);
}
export function takeEditRequest(id: string): boolean {
  return editRequests.delete(id);
}

/**
 * What a frame carries when it is dragged by its label: every node, note and frame lying wholly inside
 * it when the drag starts (not those dragged anyway: they move by themselves), with their positions
 * then. A resize moves nothing but the frame (it is not a drag).
 */
export interface Carry {
  /** The dragged frames' flow ids and their positions at the start. */
  frames: ReadonlyMap<string, Position>;
  /** Flow ids of what they carry, with their positions at the start. */
  items: ReadonlyMap<string, Position>;
}

type Boxed = Pick<Node, 'id' | 'type' | 'position' | 'width' | 'height' | 'measured'>;
const boxOf = (n: Boxed) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? n.width ?? 0, height: n.measured?.height ?? n.height ?? 0 });

export function carryOnDrag(dragged: readonly Boxed[], all: readonly Boxed[]): Carry | null {
  const frames = dragged.filter((n) => n.type === 'frame');
  if (frames.length === 0) return null;
  const moving = new Set(dragged.map((n) => n.id));
  const items = new Map<string, Position>();
  for (const f of frames) {
    const fb = boxOf(f);
    for (const n of all) {
      if (moving.has(n.id) || n.type === 'port') continue;
      const b = boxOf(n);
      if (b.x >= fb.x && b.y >= fb.y && b.x + b.width <= fb.x + fb.width && b.y + b.height <= fb.y + fb.height) items.set(n.id, { ...n.position });
    }
  }
  return { frames: new Map(frames.map((f) => [f.id, { ...f.position }])), items };
}

/** Where the carried items go for a batch of changes: by the dragged frame's move since the start (null: no frame moved in it). */
export function carriedMoves<N extends Node>(carry: Carry, changes: readonly NodeChange<N>[]): { nodes: { id: string; position: Position }[]; annotations: { id: string; position: Position }[] } | null {
  const moved = changes.find((c) => c.type === 'position' && c.position && carry.frames.has(c.id));
  if (!moved || moved.type !== 'position' || !moved.position) return null;
  const start = carry.frames.get(moved.id)!;
  // By whole pixels, as the frame itself moves (layoutAnnotations rounds): what it carries keeps its place in it.
  const dx = Math.round(moved.position.x) - start.x;
  const dy = Math.round(moved.position.y) - start.y;
  const nodes: { id: string; position: Position }[] = [];
  const annotations: { id: string; position: Position }[] = [];
  for (const [flowId, p] of carry.items) {
    const position = { x: p.x + dx, y: p.y + dy };
    const id = annotationIdOf(flowId);
    if (id === null) nodes.push({ id: flowId, position });
    else annotations.push({ id, position });
  }
  return { nodes, annotations };
}
