// The zoomed-out view. Below OVERVIEW_ZOOM a node's text is under 2.4 px tall: nothing on it can be
// read or clicked, and laying out, painting and layerizing a thousand nodes' DOM made every drag
// frame cost 50-95 ms under software rendering. So there React Flow's nodes are hidden and the
// graph is drawn on one <canvas>: boxes tinted by category and the connections, with a node drag
// of its own (hit test, one undo step, the same moveNodes command as a React Flow drag).
import { useStore, useReactFlow } from '@xyflow/react';
import { useCallback, useLayoutEffect, useRef, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { moveNodes } from '../../model/commands.ts';
import type { DocEdge } from '../../model/document.ts';
import type { EditorStore } from '../store.ts';

/** Below this zoom the graph draws as an overview (see above). */
export const OVERVIEW_ZOOM = 0.2;

/** A node as the overview draws and hit-tests it, in flow coordinates. */
export interface OverviewBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
  selected: boolean;
}

const EDGE_COLORS = { audio: '#8b95a5', sidechain: '#e6b422', send: '#a07be0' };
const PANEL = '#1f232a'; // styles.css --panel
const ACCENT = '#e6b422'; // styles.css --accent

/** `a` mixed into `b` by `t` (0..1), both #rrggbb: the CSS color-mix the full node uses for its tint. */
export function mix(a: string, b: string, t: number): string {
  const ch = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const out = [0, 1, 2].map((i) => Math.round(ch(a, i) * t + ch(b, i) * (1 - t)));
  return `#${out.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

type Point = { x: number; y: number };

/**
 * A drag in progress: the dragged nodes' positions, drawn straight onto the canvas every frame and
 * committed to the document (one moveNodes, one undo step) on release, so a frame of the drag costs
 * one canvas redraw instead of a document edit and a React render of 1,000 flow nodes.
 */
export interface OverviewDragState {
  moved: ReadonlyMap<string, Point> | null;
  redraw: () => void;
}

function draw(
  canvas: HTMLCanvasElement,
  list: readonly OverviewBox[],
  edges: readonly DocEdge[],
  [tx, ty, zoom]: readonly number[],
  width: number,
  height: number,
  moved: ReadonlyMap<string, Point> | null,
): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.clearRect(0, 0, w, h);
  g.setTransform(zoom * dpr, 0, 0, zoom * dpr, tx * dpr, ty * dpr);
  const boxes = moved ? list.map((b) => (moved.has(b.id) ? { ...b, ...moved.get(b.id)! } : b)) : list;
  const byId = new Map(boxes.map((b) => [b.id, b]));
  // Connections, one path per kind: three strokes instead of one per edge.
  const kinds: Record<keyof typeof EDGE_COLORS, DocEdge[]> = { audio: [], sidechain: [], send: [] };
  for (const e of edges) kinds[e.toPort === 'sidechain' ? 'sidechain' : e.fromPort === 'send' ? 'send' : 'audio'].push(e);
  g.lineWidth = Math.max(2, 1 / zoom);
  for (const [kind, list] of Object.entries(kinds) as [keyof typeof EDGE_COLORS, DocEdge[]][]) {
    g.beginPath();
    for (const e of list) {
      const a = byId.get(e.from);
      const b = byId.get(e.to);
      if (!a || !b) continue;
      const x0 = a.x + a.width;
      const y0 = a.y + a.height / 2;
      const x1 = b.x;
      const y1 = b.y + b.height / 2;
      const bend = Math.max(40, Math.abs(x1 - x0) / 2);
      g.moveTo(x0, y0);
      g.bezierCurveTo(x0 + bend, y0, x1 - bend, y1, x1, y1);
    }
    g.strokeStyle = EDGE_COLORS[kind];
    g.stroke();
  }
  // Nodes, batched by fill colour.
  const fills = new Map<string, OverviewBox[]>();
  for (const b of boxes) {
    const fill = b.selected ? ACCENT : b.color;
    const same = fills.get(fill);
    if (same) same.push(b);
    else fills.set(fill, [b]);
  }
  for (const [fill, list] of fills) {
    g.fillStyle = fill;
    g.beginPath();
    for (const b of list) g.rect(b.x, b.y, b.width, b.height);
    g.fill();
  }
}

/** The canvas itself: visual only (pointer-events: none); useOverviewDrag does the input. */
export function OverviewCanvas({ boxes, edges, drag }: { boxes: readonly OverviewBox[]; edges: readonly DocEdge[]; drag: OverviewDragState }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const transform = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  useLayoutEffect(() => {
    const redraw = () => {
      if (ref.current) draw(ref.current, boxes, edges, transform, width, height, drag.moved);
    };
    drag.redraw = redraw;
    redraw();
  }, [boxes, edges, transform, width, height, drag]);
  return (
    <canvas
      ref={ref}
      className="overview-canvas"
      style={{ width, height }}
      role="img"
      aria-label={`Overview of ${boxes.length} nodes and ${edges.length} connections: zoom in to read and edit them`}
      data-testid="overview"
    />
  );
}

/** The box under a flow position, topmost (drawn last) first. */
export function hitTest(boxes: readonly OverviewBox[], at: { x: number; y: number }): OverviewBox | undefined {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i];
    if (at.x >= b.x && at.x <= b.x + b.width && at.y >= b.y && at.y <= b.y + b.height) return b;
  }
  return undefined;
}

/** Screen pixels the pointer must travel before a press becomes a drag (React Flow's default is 1). */
const DRAG_THRESHOLD = 3;

/**
 * Pointer handling for the overview, attached in the capture phase so a press on a node never
 * reaches React Flow's pane (which would start a box selection or clear the selection). A press
 * elsewhere passes through untouched. Click selects (Shift/Ctrl/Cmd toggles); drag moves the
 * selection when the node is in it, else the node alone (see OverviewDragState).
 */
export function useOverviewDrag(store: EditorStore, boxes: () => readonly OverviewBox[], drag: OverviewDragState, scope?: string) {
  const flow = useReactFlow();
  const swallowClick = useRef(false);
  const onPointerDownCapture = useCallback(
    (e: ReactPointerEvent) => {
      swallowClick.current = false;
      if (e.button !== 0) return;
      const list = boxes();
      const start = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const hit = hitTest(list, start);
      if (!hit) return;
      e.stopPropagation();
      e.preventDefault();
      swallowClick.current = true;
      const selection = store.getState().selection;
      let ids: string[];
      if (e.shiftKey || e.metaKey || e.ctrlKey) {
        const next = selection.includes(hit.id) ? selection.filter((id) => id !== hit.id) : [...selection, hit.id];
        store.select(next);
        if (!next.includes(hit.id)) return;
        ids = next;
      } else if (selection.includes(hit.id)) {
        ids = [...selection];
      } else {
        ids = [hit.id];
        store.select(ids);
      }
      const origin = new Map(list.filter((b) => ids.includes(b.id)).map((b) => [b.id, { x: b.x, y: b.y }]));
      const x0 = e.clientX;
      const y0 = e.clientY;
      let at = start;
      let dragging = false;
      let frame = 0;
      const positions = () => new Map([...origin].map(([id, o]) => [id, { x: o.x + at.x - start.x, y: o.y + at.y - start.y }]));
      const paint = () => {
        frame = 0;
        drag.moved = positions();
        drag.redraw();
      };
      const move = (ev: PointerEvent) => {
        if (!dragging && Math.hypot(ev.clientX - x0, ev.clientY - y0) < DRAG_THRESHOLD) return;
        dragging = true;
        at = flow.screenToFlowPosition({ x: ev.clientX, y: ev.clientY });
        frame ||= requestAnimationFrame(paint);
      };
      const end = (ev: PointerEvent) => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', end);
        window.removeEventListener('pointercancel', end);
        if (frame) cancelAnimationFrame(frame);
        drag.moved = null;
        if (!dragging) return;
        if (ev.type === 'pointercancel') return drag.redraw();
        const moves = [...positions()].map(([id, position]) => ({ id, position }));
        store.run({ ...moveNodes(moves, scope), mergeKey: undefined }); // one undo step, never merged with the last move
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', end);
      window.addEventListener('pointercancel', end);
    },
    [flow, store, boxes, drag, scope],
  );
  // The click that ends a press on a node would reach the pane and clear the selection.
  const onClickCapture = useCallback((e: ReactMouseEvent) => {
    if (!swallowClick.current) return;
    swallowClick.current = false;
    e.stopPropagation();
  }, []);
  return { onPointerDownCapture, onClickCapture };
}
