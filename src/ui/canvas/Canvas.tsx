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
  type ConnectionState,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type IsValidConnection,
  type OnBeforeDelete,
  type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { batch, connect, disconnect, moveNodes, removeNodes } from '../../model/commands.ts';
import { connectionProblem } from '../../model/connection.ts';
import { edgeKey, type DocEdge, type DocNode, type SessionDoc } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { estimatedSize, MixNode, type MixFlowNode } from './MixNode.tsx';
import { mix, OVERVIEW_ZOOM, OverviewCanvas, useOverviewDrag, type OverviewBox, type OverviewDragState } from './Overview.tsx';
import { getDefinition } from '../../../nodes/registry.ts';
import { CATEGORY_COLORS } from '../theme.ts';
import { addNodeOfType, PALETTE_MIME } from '../palette/add.ts';
import { dropAudioFiles } from './drop.ts';

const nodeTypes = { mix: MixNode };


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

/** Fit view counts the nodes hidden by the overview (React Flow leaves hidden nodes out by default). */
export const FIT_VIEW = { padding: 0.1, includeHiddenNodes: true };

const toEdge = (c: Connection | Edge): DocEdge => ({ from: c.source, fromPort: c.sourceHandle ?? 'out', to: c.target, toPort: c.targetHandle ?? 'in' });

/**
 * Why the connection being dragged cannot be made where the pointer is now (null: it can, or the
 * pointer is over no handle). Read from React Flow's connection state on every move, so the hint
 * goes away when the pointer leaves a refused handle and a drop on the empty pane says nothing.
 */
function draggedProblem(doc: SessionDoc, c: Pick<ConnectionState, 'fromHandle' | 'toHandle'>): string | null {
  const a = c.fromHandle;
  const b = c.toHandle;
  if (!a || !b) return null;
  if (a.nodeId === b.nodeId && a.id === b.id && a.type === b.type) return null; // back over its own start
  if (a.type === b.type) return a.type === 'source' ? 'an output cannot be connected to an output' : 'an input cannot be connected to an input';
  const [out, into] = a.type === 'source' ? [a, b] : [b, a];
  return connectionProblem(doc, { from: out.nodeId, fromPort: out.id ?? 'out', to: into.nodeId, toPort: into.id ?? 'in' });
}

function ConnectionHint() {
  const { store } = useServices();
  const hint = useConnection((c) => (c.inProgress ? draggedProblem(store.getState().doc, c) : null));
  return hint ? (
    <div className="connection-hint" role="status">
      {hint}
    </div>
  ) : null;
}

export function Canvas() {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const selection = useEditor(store, (s) => s.selection);
  const flow = useReactFlow();
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [sizes, setSizes] = useState<ReadonlyMap<string, Size>>(new Map());
  const dragging = useRef(false);
  const overview = useStore((s) => s.transform[2] < OVERVIEW_ZOOM);

  // Flow nodes are derived from the document; an unchanged document node keeps its flow
  // node object, so React Flow re-renders only what changed (essential at 1,000 nodes).
  const cache = useRef(new WeakMap<DocNode, { key: string; flow: MixFlowNode }>());
  const selected = useMemo(() => new Set(selection), [selection]);
  const nodes = useMemo(
    () =>
      doc.nodes.map((n, i) => {
        const size = sizes.get(n.id);
        const key = `${selected.has(n.id)}|${size?.width}|${size?.height}|${overview}`;
        const hit = cache.current.get(n);
        if (hit && hit.key === key) return hit.flow;
        // In the overview the canvas draws the nodes; a node never rendered yet gets its estimated
        // size so that fit view and auto layout still see it.
        const measured = size ?? (overview ? estimatedSize(n.type) : undefined);
        const flow: MixFlowNode = {
          id: n.id,
          type: 'mix',
          position: placeOf(n, i),
          data: { node: n },
          selected: selected.has(n.id),
          ...(overview ? { hidden: true } : {}),
          ...(measured ? { measured } : {}),
        };
        cache.current.set(n, { key, flow });
        return flow;
      }),
    [doc.nodes, selected, sizes, overview],
  );
  const boxes = useMemo<OverviewBox[]>(
    () =>
      overview
        ? doc.nodes.map((n, i) => ({ id: n.id, ...placeOf(n, i), ...(sizes.get(n.id) ?? estimatedSize(n.type)), color: overviewColor(n.type), selected: selected.has(n.id) }))
        : [],
    [overview, doc.nodes, sizes, selected],
  );
  const boxesRef = useRef(boxes);
  boxesRef.current = boxes;
  const overviewDrag = useRef<OverviewDragState>({ moved: null, redraw: () => {} }).current;
  const overviewInput = useOverviewDrag(store, useCallback(() => boxesRef.current, []), overviewDrag);
  const edges = useMemo<Edge[]>(
    () =>
      doc.edges.map((e) => {
        const id = edgeKey(e);
        return {
          id,
          source: e.from,
          sourceHandle: e.fromPort,
          target: e.to,
          targetHandle: e.toPort,
          selected: selectedEdges.has(id),
          className: e.toPort === 'sidechain' ? 'edge-sidechain' : e.fromPort === 'send' ? 'edge-send' : undefined,
        };
      }),
    [doc.edges, selectedEdges],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<MixFlowNode>[]) => {
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
          nextSizes.set(c.id, c.dimensions);
        }
      }
      if (moves.length) store.run(moveNodes(moves));
      if (removed.length) store.run(removeNodes(removed));
      if (nextSelection) store.select([...nextSelection]);
      if (nextSizes) setSizes(nextSizes);
    },
    [store, sizes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const doomed = changes.filter((c) => c.type === 'remove').map((c) => c.id);
      if (doomed.length) {
        const gone = new Set(doomed);
        const edgesToCut = store.getState().doc.edges.filter((e) => gone.has(edgeKey(e)));
        store.run(batch(edgesToCut.length === 1 ? 'Disconnect' : `Disconnect ${edgesToCut.length} edges`, edgesToCut.map(disconnect)));
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
    [store],
  );

  const isValidConnection = useCallback<IsValidConnection>((c) => connectionProblem(store.getState().doc, toEdge(c as Connection)) === null, [store]);

  const onConnect = useCallback(
    (c: Connection) => {
      const edge = toEdge(c);
      const problem = connectionProblem(store.getState().doc, edge);
      if (problem) store.notify('error', `Connection refused: ${problem}`);
      else store.run(connect(edge));
    },
    [store],
  );

  // Dropped on a handle that refused it: say why (a drop on the empty pane just cancels).
  const onConnectEnd = useCallback<OnConnectEnd>(
    (_event, state) => {
      const problem = state.isValid === false ? draggedProblem(store.getState().doc, state) : null;
      if (problem) store.notify('error', `Connection refused: ${problem}`);
    },
    [store],
  );

  // Delete/Backspace: one command, so one Undo brings back the nodes with their edges. Left to
  // React Flow, the edges and the nodes arrive as two changes and make two undo steps.
  const onBeforeDelete = useCallback<OnBeforeDelete<MixFlowNode>>(
    async ({ nodes: doomedNodes, edges: doomedEdges }) => {
      const ids = doomedNodes.map((n) => n.id);
      const gone = new Set(ids);
      const cut = doomedEdges.filter((e) => !gone.has(e.source) && !gone.has(e.target)).map((e) => disconnect(toEdge(e)));
      const commands = [...(ids.length ? [removeNodes(ids)] : []), ...cut];
      if (commands.length === 1) store.run(commands[0]);
      else if (commands.length > 1) store.run(batch(ids.length ? removeNodes(ids).label : `Disconnect ${cut.length} edges`, commands));
      return false; // done here; React Flow has nothing left to remove
    },
    [store],
  );

  const onNodeDragStart = useCallback(() => {
    dragging.current = true;
    store.beginGesture('Move');
  }, [store]);
  const onNodeDragStop = useCallback(() => {
    dragging.current = false;
    store.endGesture();
  }, [store]);

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (type) {
        addNodeOfType(store, type, at);
        return;
      }
      if (e.dataTransfer.files.length) void dropAudioFiles(store, audio, [...e.dataTransfer.files], at);
    },
    [flow, store, audio],
  );

  return (
    <div
      className={overview ? 'canvas canvas-overview' : 'canvas'}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onPointerDownCapture={overview ? overviewInput.onPointerDownCapture : undefined}
      onClickCapture={overviewInput.onClickCapture}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onBeforeDelete={onBeforeDelete}
        isValidConnection={isValidConnection}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        connectionMode={ConnectionMode.Strict}
        deleteKeyCode={['Delete', 'Backspace']}
        selectionOnDrag
        panOnDrag={[1, 2]}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        fitView
        fitViewOptions={FIT_VIEW}
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
    </div>
  );
}
