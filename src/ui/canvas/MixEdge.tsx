// A connection as the canvas draws it. Forward (the usual left-to-right case) it is React Flow's
// bezier; when its input lies left of its output (a row that wraps, a return under its source) a
// bezier would loop across the nodes, so it is routed as right-angled steps around them instead.
// While the session plays it carries its level (EdgeLevel): an edge carries exactly what its
// source port gives out, so the figure is that port's (LiveAudio.portLevel).
import { BaseEdge, EdgeLabelRenderer, getBezierPath, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { memo, useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { joinPath } from '../../model/document.ts';
import { formatLufs, SILENCE_DB } from '../audio.ts';
import { useServices } from '../context.ts';
import { onFrame } from '../meters/hub.ts';
import { COLD_DBFS, HOT_BEFORE_LIMITER_DBFS } from '../mixing/staging.ts';
import { useEditor } from '../store.ts';
import { SoloBadge } from '../solo/Solo.tsx';

/** An input at least this far right of its output (flow units) gets a bezier. */
const FORWARD_GAP = 16;
/**
 * An edge between neighbours on a row (less than this apart, flow units, and on about the same
 * height) has no room for its level: the label would sit under the nodes it joins. The source
 * node's own meter shows that port's level there.
 */
const LABEL_ROOM = 175;
const SAME_ROW = 60;
/** How often the figures change (ms): faster is unreadable. */
const TEXT_EVERY_MS = 200;

/**
 * Labels shown now; twice a second while any is, one pass leaves out those that would fall under a
 * node or over a label already kept (edges converging on a bus), so no figure is shown half hidden.
 */
const labels = new Set<HTMLElement>();
let stopDeclutter: (() => void) | null = null;
let lastDeclutter = 0;
const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function declutter(now: number): void {
  if (now - lastDeclutter < 500) return;
  lastDeclutter = now;
  const shown = [...labels].filter((el) => !el.hidden);
  if (!shown.length) return;
  const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect());
  const kept: DOMRect[] = [];
  for (const el of shown) {
    const r = el.getBoundingClientRect();
    const crowded = nodes.some((n) => overlaps(n, r)) || kept.some((k) => overlaps(k, r));
    if (el.dataset.crowded !== String(crowded)) el.dataset.crowded = String(crowded);
    if (!crowded) kept.push(r);
  }
}

function track(el: HTMLElement): () => void {
  labels.add(el);
  stopDeclutter ??= onFrame(declutter);
  return () => {
    labels.delete(el);
    if (labels.size === 0 && stopDeclutter) {
      stopDeclutter();
      stopDeclutter = null;
    }
  };
}

/**
 * The level on an edge while playing: the held peak (falling back at 20 dB/s, as the meters) in
 * dBFS and the short-term loudness (BS.1770, the last 3 s) in LUFS, written straight to the DOM
 * from the meters' frame loop. Hidden while stopped and while the port is silent. Its port's
 * loudness is measured (LiveAudio.watchLoudness) only while the label is shown and not crowded out.
 */
function EdgeLevel(props: { node: string; port: string; x: number; y: number }) {
  const { audio } = useServices();
  // Nothing at all while stopped (no label, no frame reader): a 1,000-edge graph costs nothing more.
  const subscribe = useCallback((l: () => void) => audio.onChange(l), [audio]);
  const playing = useSyncExternalStore(subscribe, () => audio.state === 'playing');
  return playing ? <PlayingEdgeLevel {...props} /> : null;
}

function PlayingEdgeLevel({ node, port, x, y }: { node: string; port: string; x: number; y: number }) {
  const { store, audio } = useServices();
  const scope = useEditor(store, (s) => s.scope);
  const el = useRef<HTMLDivElement>(null);
  const path = joinPath(scope || undefined, node);
  useEffect(() => (el.current ? track(el.current) : undefined), []);
  useEffect(() => {
    let held = SILENCE_DB;
    let last = performance.now();
    let written = 0;
    let shown = false;
    let unwatch: (() => void) | null = null;
    const stop = onFrame((now) => {
      const box = el.current;
      if (!box) return;
      if (audio.state !== 'playing') {
        if (shown) box.hidden = true;
        shown = false;
        held = SILENCE_DB;
        unwatch?.();
        unwatch = null;
        return;
      }
      // Measure this port's loudness only while the label can be seen
      const visible = shown && box.dataset.crowded !== 'true';
      if (visible && !unwatch) unwatch = audio.watchLoudness(path, port);
      else if (!visible && unwatch) {
        unwatch();
        unwatch = null;
      }
      const { peakDb, rmsDb } = audio.portLevel(path, port);
      held = Math.max(peakDb, held - ((now - last) / 1000) * 20);
      last = now;
      if (now - written < TEXT_EVERY_MS) return;
      written = now;
      const silent = held <= SILENCE_DB + 1;
      if (silent !== !shown) {
        box.hidden = silent;
        shown = !silent;
      }
      if (silent) return;
      const { shortTermLufs } = audio.portLoudness(path, port);
      box.textContent = `pk ${held.toFixed(1)} dBFS · ${formatLufs(shortTermLufs)}`;
      box.dataset.peak = held.toFixed(1);
      box.dataset.rms = rmsDb.toFixed(1);
      box.dataset.lufs = Number.isFinite(shortTermLufs) ? shortTermLufs.toFixed(1) : '';
      box.dataset.zone = held > HOT_BEFORE_LIMITER_DBFS ? 'hot' : held < COLD_DBFS ? 'cold' : 'ok';
    });
    return () => {
      stop();
      unwatch?.();
    };
  }, [audio, path, port]);
  return (
    <EdgeLabelRenderer>
      <div ref={el} hidden className="edge-level nodrag nopan" role="status" aria-label={`Level from ${node} ${port}`} style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }} />
    </EdgeLabelRenderer>
  );
}

export const MixEdge = memo(function MixEdge(props: EdgeProps) {
  const { source, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, style, interactionWidth } = props;
  const forward = targetX - sourceX >= FORWARD_GAP;
  const [path, labelX, labelY] = forward
    ? getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
    : getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 10, offset: 10 });
  const withLevel = Math.abs(targetX - sourceX) >= LABEL_ROOM || Math.abs(targetY - sourceY) >= SAME_ROW;
  return (
    <>
      <BaseEdge path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />
      {withLevel && <EdgeLevel node={source} port={sourceHandleId ?? 'out'} x={labelX} y={labelY} />}
      {(props.data as { soloed?: boolean } | undefined)?.soloed && <SoloBadge x={labelX} y={withLevel ? labelY - 22 : labelY} />}
    </>
  );
});
