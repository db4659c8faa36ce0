import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useConnection,
  useReactFlow,
  useStore,
  type Connection,
  type Node as FlowNode,
  type ReactFlowInstance,
  type ConnectionState,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type IsValidConnection,
  type OnBeforeDelete,
  type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { batch, connect, disconnect, moveNodes, removeNodes } from '../../model/commands.ts';
import { connectionProblem } from '../../model/connection.ts';
import { edgeKey, graphAt, GROUP_INPUT, GROUP_OUTPUT, joinPath, nodeAt, type DocEdge, type DocNode, type Graph, type SessionDoc } from '../../model/document.ts';
import { GroupPortsNode, type PortFlowNode } from './GroupPorts.tsx';
import { Breadcrumb } from './Breadcrumb.tsx';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { estimatedSize, MixNode, type MixFlowNode } from './MixNode.tsx';
import { MixEdge } from './MixEdge.tsx';
import { sideEdges } from '../../model/side-paths.ts';
import { mix, OVERVIEW_ZOOM, OverviewCanvas, useOverviewDrag, type OverviewBox, type OverviewDragState } from './Overview.tsx';
import { getDefinition } from '../../../nodes/registry.ts';
import { CATEGORY_COLORS } from '../theme.ts';
import { addNodeOfType, PALETTE_MIME } from '../palette/add.ts';
import { dropAudioFiles } from './drop.ts';
import { isSource, unheardSources } from './reach.ts';
import { relinkSource } from './relink.ts';
import { isPackageFile, openPackageFile } from '../session/package.ts';
import { useEdgeMenu, useSoloedEdge, useSoloKeys } from '../solo/Solo.tsx';
import { LadderPanel, useFollowedLadder } from './LadderPanel.tsx';
import { layoutAnnotations, removeAnnotations } from '../../model/annotations.ts';
import { annotationFlowNodes, annotationIdOf, carriedMoves, carryOnDrag, splitAnnotationChanges, type AnnotationFlowNode, type Carry } from './annotations.ts';
import { NoteNode } from './NoteNode.tsx';
import { FrameNode } from './FrameNode.tsx';

const nodeTypes = { mix: MixNode, port: GroupPortsNode, note: NoteNode, frame: FrameNode };
/** What the canvas draws: the graph's nodes, inside a group its two port boxes, at the top the session's notes and frames. */
type CanvasNode = MixFlowNode | PortFlowNode | AnnotationFlowNode;
const edgeTypes = { mix: MixEdge };


interface Size {
  width: number;
  height: number;
}

/** Where a node without a saved position is drawn: a grid in document order. */
const placeOf = (n: DocNode, i: number) => n.position ?? { x: 40 + (i % 8) * 220, y: 40 + Math.floor(i / 8) * 160 };

/** A node's fill in the overview: its category colour at 45 % over the panel, as the full node's header tint. */
const overviewColors = new Map<string, string>();
function overviewColor(type: string): string {
  let c = overviewColors.get(type);
  if (!c) {
    const def = getDefinition(type);
    c = mix(def ? CATEGORY_COLORS[def.category] : CATEGORY_COLORS.utility, '#1f232a', 0.45);
    overviewColors.set(type, c);
  }
  return c;
}

/**
 * Fit view: every node in view, clear of the minimap in the bottom-right corner (the bottom margin
 * is its height), never above 100 %. It counts the nodes hidden by the overview (React Flow leaves
 * hidden nodes out by default).
 */
export const FIT_VIEW = { padding: { top: '16px', left: '16px', right: '16px', bottom: '170px' }, includeHiddenNodes: true, maxZoom: 1 } as const;

/** The smallest text on a node (styles.css: 11 px) is drawn at 10 px or more from this zoom on. */
export const READABLE_ZOOM = 10 / 11;

/**
 * The view a session opens with: all of it, when that is readable (READABLE_ZOOM or closer);
 * otherwise its top-left corner (where its sources are) at READABLE_ZOOM, so the first thing a
 * person sees can be read and the rest is a pan away.
 */
export async function openingView<N extends FlowNode>(flow: ReactFlowInstance<N>): Promise<void> {
  const nodes = flow.getNodes();
  if (nodes.length === 0) return void flow.setViewport({ x: 0, y: 0, zoom: 1 });
  await flow.fitView(FIT_VIEW);
  if (flow.getZoom() >= READABLE_ZOOM - 1e-6) return;
  const bounds = flow.getNodesBounds(nodes);
  await flow.setViewport({ zoom: READABLE_ZOOM, x: 16 - bounds.x * READABLE_ZOOM, y: 16 - bounds.y * READABLE_ZOOM });
}

/** An open group's own ports, as two fixed boxes left and right of its inner nodes. */
function groupPortNodes(doc: SessionDoc, scope: string, graph: Graph, sizes: ReadonlyMap<string, Size>): PortFlowNode[] {
  if (!scope) return [];
  const group = nodeAt(doc, scope)?.group;
  if (!group) return [];
  const placed = graph.nodes.map((n, i) => placeOf(n, i));
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  const left = (xs.length ? Math.min(...xs) : 0) - 200;
  const right = (xs.length ? Math.max(...xs) : 0) + 200;
  const y = ys.length ? (Math.min(...ys) + Math.max(...ys)) / 2 : 0;
  const common = { type: 'port' as const, draggable: false, selectable: false, deletable: false, focusable: false };
  const measured = (id: string) => (sizes.get(joinPath(scope, id)) ? { measured: sizes.get(joinPath(scope, id))! } : {});
  return [
    { ...common, id: GROUP_INPUT, position: { x: left, y }, data: { ports: group.inputs, side: 'input', group: scope }, ...measured(GROUP_INPUT) },
    { ...common, id: GROUP_OUTPUT, position: { x: right, y }, data: { ports: group.outputs, side: 'output', group: scope }, ...measured(GROUP_OUTPUT) },
  ];
}

/**
 * Bring `ids` into view unless they are in it already (inside Fit view's margins: not under the
 * minimap or the zoom controls): pan, and zoom out only as far as they need. Computed from the
 * nodes' positions and sizes (estimated for those not drawn yet: off screen, React Flow does not
 * draw or measure them).
 */
function revealNodes(flow: ReactFlowInstance<MixFlowNode>, ids: readonly string[]): void {
  const nodes = ids.map((id) => flow.getNode(id)).filter((n): n is MixFlowNode => Boolean(n));
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
  if (nodes.length === 0 || !pane) return;
  const boxes = nodes.map((n) => ({ ...n.position, ...(n.measured?.width ? (n.measured as { width: number; height: number }) : estimatedSize(n.data.node)) }));
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  const { top, left, right, bottom } = FIT_VIEW.padding;
  const [t, l, r, bt] = [top, left, right, bottom].map((v) => parseFloat(v));
  const { x, y, zoom } = flow.getViewport();
  const inView = x0 * zoom + x >= l && y0 * zoom + y >= t && x1 * zoom + x <= pane.width - r && y1 * zoom + y <= pane.height - bt;
  if (inView) return;
  const availW = pane.width - l - r;
  const availH = pane.height - t - bt;
  const next = Math.max(0.05, Math.min(1, Math.max(zoom, READABLE_ZOOM), availW / (x1 - x0), availH / (y1 - y0)));
  void flow.setViewport({ zoom: next, x: l + (availW - (x1 - x0) * next) / 2 - x0 * next, y: t + (availH - (y1 - y0) * next) / 2 - y0 * next }, { duration: 250 });
}

/**
 * openingView once React Flow holds and has measured every node of what is to be shown (`ids`): a
 * new document's or group's nodes take a frame or two to arrive and be measured.
 */
export function frameWhenMeasured(flow: ReactFlowInstance<MixFlowNode>, ids: readonly string[]): void {
  let frames = 0;
  const step = () => {
    const waiting = ids.some((id) => {
      const n = flow.getNode(id);
      return !n || (!n.hidden && !n.measured?.width);
    });
    if (waiting && frames++ < 60) requestAnimationFrame(step);
    else void openingView(flow);
  };
  requestAnimationFrame(step);
}

const toEdge = (c: Connection | Edge): DocEdge => ({ from: c.source, fromPort: c.sourceHandle ?? 'out', to: c.target, toPort: c.targetHandle ?? 'in' });

/**
 * Why the connection being dragged cannot be made where the pointer is now (null: it can, or the
 * pointer is over no handle). Read from React Flow's connection state on every move, so the hint
 * goes away when the pointer leaves a refused handle and a drop on the empty pane says nothing.
 */
function draggedProblem(doc: SessionDoc, c: Pick<ConnectionState, 'fromHandle' | 'toHandle'>, scope: string): string | null {
  const a = c.fromHandle;
  const b = c.toHandle;
  if (!a || !b) return null;
  if (a.nodeId === b.nodeId && a.id === b.id && a.type === b.type) return null; // back over its own start
  if (a.type === b.type) return a.type === 'source' ? 'an output cannot be connected to an output' : 'an input cannot be connected to an input';
  const [out, into] = a.type === 'source' ? [a, b] : [b, a];
  return connectionProblem(doc, { from: out.nodeId, fromPort: out.id ?? 'out', to: into.nodeId, toPort: into.id ?? 'in' }, scope || undefined);
}

function ConnectionHint() {
  const { store } = useServices();
  const hint = useConnection((c) => (c.inProgress ? draggedProblem(store.getState().doc, c, store.getState().scope) : null));
  return hint ? (
    <div className="connection-hint" role="status">
      {hint}
    </div>
  ) : null;
}

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]';

/** The canvas's keyboard order: every node (with the buttons on it), then every edge. */
function graphOrder(root: HTMLElement): HTMLElement[] {
  const nodes = root.querySelectorAll<HTMLElement>(`.react-flow__nodes :is(${TABBABLE})`);
  const edges = root.querySelectorAll<HTMLElement>('.react-flow__edges [tabindex="0"]');
  return [...nodes, ...edges];
}

/** The page's tabbable elements outside `root`, in document order. */
function tabbablesOutside(root: HTMLElement): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !root.contains(el) && !el.hidden && el.getClientRects().length > 0);
}

/**
 * Tab through the nodes before the edges. React Flow puts the edges' layer before the nodes' in the
 * DOM, so the browser's own order would visit every connection before the first node.
 */
function useGraphTabOrder() {
  const onKeyDownCapture = useCallback((e: React.KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return;
    const root = e.currentTarget.querySelector<HTMLElement>('.react-flow__viewport');
    if (!root) return;
    const order = graphOrder(root);
    const i = order.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const next = order[i + (e.shiftKey ? -1 : 1)];
    let target: HTMLElement | undefined = next;
    if (!target) {
      // Leaving the graph: to what follows it (the minimap, the zoom controls) or what precedes it.
      const rest = tabbablesOutside(root);
      target = e.shiftKey
        ? rest.filter((el) => el.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_FOLLOWING).pop()
        : rest.find((el) => el.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_PRECEDING);
    }
    if (!target) return;
    e.preventDefault();
    target.focus();
  }, []);
  // Focus arriving from outside: forwards on the first node, backwards on the last edge.
  const onFocusCapture = useCallback((e: React.FocusEvent<HTMLElement>) => {
    const root = e.currentTarget.querySelector<HTMLElement>('.react-flow__viewport');
    const from = e.relatedTarget as HTMLElement | null;
    if (!root || !from || root.contains(from) || !root.contains(e.target as Node)) return;
    // A text field opened on purpose (a note or frame being written) keeps the focus it was given.
    if ((e.target as HTMLElement).matches('input, textarea')) return;
    const order = graphOrder(root);
    if (!order.includes(e.target as HTMLElement) || order.length === 0) return;
    const forwards = Boolean(from.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_FOLLOWING);
    const want = forwards ? order[0] : order[order.length - 1];
    if (want !== e.target) want.focus();
  }, []);
  return { onKeyDownCapture, onFocusCapture };
}

export function Canvas() {
  const { store, audio, keeper } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const scope = useEditor(store, (s) => s.scope);
  const readOnly = useEditor(store, (s) => s.readOnly) !== null;
  const at = scope || undefined; // the commands' scope argument: undefined at the top
  // What the canvas shows: the session's graph, or the open group's body.
  const graph: Graph = useMemo(() => graphAt(doc, scope) ?? doc, [doc, scope]);
  const selection = useEditor(store, (s) => s.selection);
  const flow = useReactFlow();
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  // Notes and frames selected: UI state like the edges' (the store's selection is the graph's nodes).
  const [selectedAnnotations, setSelectedAnnotations] = useState<ReadonlySet<string>>(new Set());
  const [sizes, setSizes] = useState<ReadonlyMap<string, Size>>(new Map());
  const dragging = useRef(false);
  /** What a frame being dragged carries along (the nodes, notes and frames inside it). */
  const carrying = useRef<Carry | null>(null);
  const overview = useStore((s) => s.transform[2] < OVERVIEW_ZOOM);
  // Every newly opened document (and the first), and every group entered or left, opens framed.
  const framing = useEditor(store, (s) => s.framing);
  useEffect(() => {
    const kept = store.getState().openedViewport;
    // A restored session comes back where it was left; any other opens framed.
    if (kept) void flow.setViewport(kept);
    else {
      const { doc, scope: open } = store.getState();
      const shown = (graphAt(doc, open) ?? doc).nodes.map((n) => n.id);
      frameWhenMeasured(flow as unknown as ReactFlowInstance<MixFlowNode>, open ? [...shown, GROUP_INPUT, GROUP_OUTPUT] : shown);
    }
  }, [framing, flow, store]);
  // Another document or group: no note or frame of the last one stays selected.
  useEffect(() => setSelectedAnnotations(new Set()), [framing]);
  const onMoveEnd = useCallback((_: unknown, viewport: { x: number; y: number; zoom: number }) => keeper?.noteViewport(viewport), [keeper]);
  const reveal = useEditor(store, (s) => s.reveal);
  useEffect(() => {
    if (!reveal) return;
    // Once the new nodes are measured (their size decides whether they fit).
    let live = true;
    let frames = 0;
    const step = () => {
      if (!live) return;
      // Off-screen nodes are never measured (onlyRenderVisibleElements): a few frames, then estimates.
      const waiting = reveal.ids.some((id) => !flow.getNode(id)?.measured?.width);
      if (waiting && frames++ < 6) requestAnimationFrame(step);
      else revealNodes(flow as unknown as ReactFlowInstance<MixFlowNode>, reveal.ids);
    };
    requestAnimationFrame(step);
    return () => {
      live = false;
    };
  }, [reveal, flow]);

  // Flow nodes are derived from the document; an unchanged document node keeps its flow
  // node object, so React Flow re-renders only what changed (essential at 1,000 nodes).
  const cache = useRef(new WeakMap<DocNode, { key: string; flow: MixFlowNode }>());
  const selected = useMemo(() => new Set(selection), [selection]);
  // Sources nobody hears, and tracks whose audio is not loaded: both shown on the node. Walked again
  // when the connections or the set of nodes change, not on every move of a drag.
  const graphKey = useMemo(() => graph.nodes.map((n) => `${n.id}:${n.type}:${n.bypass ? 1 : 0}:${n.group ? 'g' : ''}`).join(','), [graph.nodes]);
  // Follow the signal: the selected source's routes to the master, marked on its nodes and edges.
  const followed = useFollowedLadder();
  const onRoute = followed.marks;
  const unheard = useMemo(() => unheardSources(store.getState().doc, true), [doc.edges, graph.edges, graphKey, store]);
  const sourcesVersion = useSyncExternalStore(
    (l) => audio.sources.onChange(l),
    () => audio.sources.version,
  );
  const missingOf = useCallback((n: DocNode): string | undefined => {
    const file = n.params.source;
    return isSource(n.type) && typeof file === 'string' && file !== '' && !audio.sources.has(file) ? file : undefined;
  }, [audio, sourcesVersion]); // sourcesVersion: the same library, other contents
  const nodes = useMemo<CanvasNode[]>(
    () => [
      // The session's notes and frames, at the top only (a group's inside has none); hidden with the nodes in the overview.
      ...(scope ? [] : annotationFlowNodes(doc.annotations, selectedAnnotations, readOnly, overview)),
      ...graph.nodes.map((n, i) => {
        const path = joinPath(scope, n.id);
        const size = sizes.get(path);
        const missing = missingOf(n);
        // A group is unheard when what it holds is: its inner paths start with its own.
        const deaf = unheard.has(path) || (n.group !== undefined && [...unheard].some((p) => p.startsWith(`${path}/`)));
        const routed = onRoute?.nodes.has(n.id) ?? false;
        const key = `${selected.has(n.id)}|${size?.width}|${size?.height}|${overview}|${missing}|${deaf}|${routed}`;
        const hit = cache.current.get(n);
        if (hit && hit.key === key) return hit.flow;
        // In the overview the canvas draws the nodes; a node never rendered yet gets its estimated
        // size so that fit view and auto layout still see it.
        const measured = size ?? (overview ? estimatedSize(n) : undefined);
        const flow: MixFlowNode = {
          id: n.id,
          type: 'mix',
          position: placeOf(n, i),
          data: { node: n, ...(missing ? { missing } : {}), ...(deaf ? { unheard: true } : {}), ...(scope ? { path } : {}) },
          selected: selected.has(n.id),
          ...(routed ? { className: 'on-route' } : {}),
          ...(overview ? { hidden: true } : {}),
          ...(measured ? { measured } : {}),
        };
        cache.current.set(n, { key, flow });
        return flow;
      }),
      ...groupPortNodes(doc, scope, graph, sizes),
    ],
    [graph, doc, scope, selected, sizes, overview, missingOf, unheard, onRoute, selectedAnnotations, readOnly],
  );
  const boxes = useMemo<OverviewBox[]>(
    () =>
      overview
        ? graph.nodes.map((n, i) => ({ id: n.id, ...placeOf(n, i), ...(sizes.get(joinPath(scope, n.id)) ?? estimatedSize(n)), color: overviewColor(n.type), selected: selected.has(n.id) }))
        : [],
    [overview, graph.nodes, sizes, selected, scope],
  );
  const boxesRef = useRef(boxes);
  boxesRef.current = boxes;
  const overviewDrag = useRef<OverviewDragState>({ moved: null, redraw: () => {} }).current;
  const tabOrder = useGraphTabOrder();
  const overviewInput = useOverviewDrag(store, useCallback(() => boxesRef.current, []), overviewDrag, at);
  // Roles come from the nodes' types: a node dragged changes neither (graphKey), so no cable is rebuilt for it.
  const side = useMemo(() => sideEdges(graph), [graph.edges, graphKey]);
  const soloed = useSoloedEdge(scope);
  const edgeMenu = useEdgeMenu();
  useSoloKeys();
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((e) => {
        const id = edgeKey(e);
        return {
          id,
          type: 'mix',
          source: e.from,
          sourceHandle: e.fromPort,
          target: e.to,
          targetHandle: e.toPort,
          selected: selectedEdges.has(id),
          // Sends and aux returns dashed in the send colour (styles.css), apart from the insert chain; the
          // route of the followed source (LadderPanel) and the cable being soloed (src/ui/solo/solo.css) over either.
          className:
            [e.toPort === 'sidechain' ? 'edge-sidechain' : side.has(e) ? 'edge-side' : '', onRoute?.edges.has(id) ? 'on-route' : '', id === soloed ? 'edge-soloed' : '']
              .filter(Boolean)
              .join(' ') || undefined,
          ...(id === soloed ? { data: { soloed: true } } : {}),
        };
      }),
    [graph.edges, selectedEdges, side, soloed, onRoute],
  );

  const onNodesChange = useCallback(
    (all: NodeChange<CanvasNode>[]) => {
      const { rest: changes, layout, select } = splitAnnotationChanges(all);
      if (layout) store.run(layout);
      const carried = carrying.current && carriedMoves(carrying.current, all);
      if (carried?.annotations.length) store.run(layoutAnnotations(carried.annotations));
      if (carried?.nodes.length) store.run(moveNodes(carried.nodes, at));
      if (select.length) {
        setSelectedAnnotations((prev) => {
          const next = new Set(prev);
          for (const c of select) (c.selected ? next.add(c.id) : next.delete(c.id));
          return next;
        });
      }
      const moves: { id: string; position: { x: number; y: number } }[] = [];
      const removed: string[] = [];
      let nextSelection: Set<string> | null = null;
      let nextSizes: Map<string, Size> | null = null;
      for (const c of changes) {
        if (c.type === 'position' && c.position) moves.push({ id: c.id, position: c.position });
        else if (c.type === 'remove') removed.push(c.id);
        else if (c.type === 'select') {
          nextSelection ??= new Set(store.getState().selection);
          if (c.selected) nextSelection.add(c.id);
          else nextSelection.delete(c.id);
        } else if (c.type === 'dimensions' && c.dimensions) {
          nextSizes ??= new Map(sizes);
          // By path: a group's inner node may share its id with one outside it.
          nextSizes.set(joinPath(scope, c.id), c.dimensions);
        }
      }
      // The group's own ports are not nodes: they neither move nor go.
      const own = (id: string) => id !== GROUP_INPUT && id !== GROUP_OUTPUT;
      if (moves.filter((m) => own(m.id)).length) store.run(moveNodes(moves.filter((m) => own(m.id)), at));
      if (removed.filter(own).length) store.run(removeNodes(removed.filter(own), at));
      if (nextSelection) store.select([...nextSelection]);
      if (nextSizes) setSizes(nextSizes);
    },
    [store, sizes, at, scope],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const doomed = changes.filter((c) => c.type === 'remove').map((c) => c.id);
      if (doomed.length) {
        const gone = new Set(doomed);
        const edgesToCut = (graphAt(store.getState().doc, scope) ?? store.getState().doc).edges.filter((e) => gone.has(edgeKey(e)));
        store.run(batch(edgesToCut.length === 1 ? 'Disconnect' : `Disconnect ${edgesToCut.length} edges`, edgesToCut.map((e) => disconnect(e, at))));
      }
      const picks = changes.filter((c) => c.type === 'select');
      if (picks.length) {
        setSelectedEdges((prev) => {
          const next = new Set(prev);
          for (const c of picks) if (c.type === 'select') (c.selected ? next.add(c.id) : next.delete(c.id));
          return next;
        });
      }
    },
    [store, scope, at],
  );

  const isValidConnection = useCallback<IsValidConnection>((c) => connectionProblem(store.getState().doc, toEdge(c as Connection), at) === null, [store, at]);

  const onConnect = useCallback(
    (c: Connection) => {
      const edge = toEdge(c);
      const problem = connectionProblem(store.getState().doc, edge, at);
      if (problem) store.notify('error', `Connection refused: ${problem}`);
      else store.run(connect(edge, at));
    },
    [store, at],
  );

  // Dropped on a handle that refused it: say why (a drop on the empty pane just cancels).
  const onConnectEnd = useCallback<OnConnectEnd>(
    (_event, state) => {
      const problem = state.isValid === false ? draggedProblem(store.getState().doc, state, scope) : null;
      if (problem) store.notify('error', `Connection refused: ${problem}`);
    },
    [store, scope],
  );

  // Delete/Backspace: one command, so one Undo brings back the nodes with their edges. Left to
  // React Flow, the edges and the nodes arrive as two changes and make two undo steps.
  const onBeforeDelete = useCallback<OnBeforeDelete<CanvasNode>>(
    async ({ nodes: doomedNodes, edges: doomedEdges }) => {
      const notes = doomedNodes.map((n) => annotationIdOf(n.id)).filter((id): id is string => id !== null);
      const ids = doomedNodes.map((n) => n.id).filter((id) => id !== GROUP_INPUT && id !== GROUP_OUTPUT && annotationIdOf(id) === null);
      const gone = new Set(ids);
      const cut = doomedEdges.filter((e) => !gone.has(e.source) && !gone.has(e.target)).map((e) => disconnect(toEdge(e), at));
      const commands = [...(ids.length ? [removeNodes(ids, at)] : []), ...(notes.length ? [removeAnnotations(notes)] : []), ...cut];
      if (commands.length === 1) store.run(commands[0]);
      else if (commands.length > 1) store.run(batch(ids.length ? removeNodes(ids, at).label : notes.length ? removeAnnotations(notes).label : `Disconnect ${cut.length} edges`, commands));
      return false; // done here; React Flow has nothing left to remove
    },
    [store, at],
  );

  // A double-click on a group opens it.
  const onNodeDoubleClick = useCallback(
    (_: unknown, node: { id: string }) => {
      const n = (graphAt(store.getState().doc, scope) ?? store.getState().doc).nodes.find((x) => x.id === node.id);
      if (n?.group) store.enter(joinPath(scope, n.id));
    },
    [store, scope],
  );
  const onNodeDragStart = useCallback(
    (_: unknown, _node: unknown, dragged: CanvasNode[]) => {
      dragging.current = true;
      store.beginGesture('Move');
      carrying.current = carryOnDrag(dragged, flow.getNodes());
    },
    [store, flow],
  );
  const onNodeDragStop = useCallback(() => {
    dragging.current = false;
    carrying.current = null;
    store.endGesture();
  }, [store]);

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const drop = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (type) {
        addNodeOfType(store, type, drop);
        return;
      }
      const files = [...e.dataTransfer.files];
      if (!files.length) return;
      // Dropped on a track whose audio is missing: that is its file (the first one dropped).
      const onNode = (e.target as HTMLElement).closest<HTMLElement>('.react-flow__node')?.dataset.id;
      const node = onNode ? (graphAt(store.getState().doc, scope) ?? store.getState().doc).nodes.find((n) => n.id === onNode) : undefined;
      void (async () => {
        const packages: File[] = [];
        const rest: File[] = [];
        for (const f of files) ((await isPackageFile(f)) ? packages : rest).push(f);
        // A package opens as a session (the one open now is kept in Sessions).
        if (packages.length) {
          if (packages.length > 1 || rest.length) store.notify('info', `Opening ${packages[0].name} only: drop one package at a time, and audio files on their own.`);
          await openPackageFile(packages[0], store, audio, keeper);
          return;
        }
        const missing = node && missingOf(node);
        if (node && missing) await relinkSource(store, audio, missing, rest[0], node.label || node.id);
        else await dropAudioFiles(store, audio, rest, drop);
      })();
    },
    [flow, store, audio, missingOf, keeper, scope],
  );

  return (
    <div
      className={overview ? 'canvas canvas-overview' : 'canvas'}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onPointerDownCapture={overview ? overviewInput.onPointerDownCapture : undefined}
      onClickCapture={overviewInput.onClickCapture}
      onKeyDownCapture={tabOrder.onKeyDownCapture}
      onFocusCapture={tabOrder.onFocusCapture}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onBeforeDelete={onBeforeDelete}
        isValidConnection={isValidConnection}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onMoveEnd={onMoveEnd}
        onNodeDoubleClick={onNodeDoubleClick}
        onEdgeContextMenu={edgeMenu.onEdgeContextMenu}
        zoomOnDoubleClick={false}
        connectionMode={ConnectionMode.Strict}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        selectionOnDrag
        panOnDrag={[1, 2]}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        minZoom={0.05}
        onlyRenderVisibleElements
        aria-label="Signal graph"
      >
        <Background gap={24} />
        {overview && <OverviewCanvas boxes={boxes} edges={doc.edges} drag={overviewDrag} />}
        {/* React Flow's minimap leaves hidden nodes out: in the overview it would be empty. */}
        {!overview && <MiniMap pannable zoomable ariaLabel="Overview of the graph" />}
        <Controls aria-label="Zoom controls" fitViewOptions={FIT_VIEW} />
      </ReactFlow>
      <ConnectionHint />
      <Breadcrumb />
      {edgeMenu.menu}
      {followed.ladder && <LadderPanel ladder={followed.ladder} onClose={followed.close} />}
    </div>
  );
}
