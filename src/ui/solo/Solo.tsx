// Cable solo in the editor: listen to what flows through one connection (before and after each
// effect, as Audiotool's cable solo does). From a connection's context menu or `S` on a selected
// connection; the transport says what is soloed with a one-click way out (and Escape ends it). The
// audio side is LiveAudio.soloCable (src/ui/audio.ts): the runtime plays the cable's source port
// at unity instead of the master (Runtime.monitorPorts). Nothing of it is saved or exported.
import { EdgeLabelRenderer, useReactFlow, type EdgeMouseHandler } from '@xyflow/react';
import { useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { cableName, type Cable } from '../../model/cable.ts';
import { edgeKey, graphAt, type DocEdge } from '../../model/document.ts';
import type { LiveAudio } from '../audio.ts';
import { useServices } from '../context.ts';
import type { EditorStore } from '../store.ts';
import './solo.css';
import { MenuList, type MenuItem } from '../Menu.tsx';

/** The key that solos the selected connection (none of the editor's other keys is a plain S). */
export const SOLO_KEY = 'S';

const sameCable = (a: Cable, b: Cable) => a.scope === b.scope && edgeKey(a.edge) === edgeKey(b.edge);

function useSolo(audio: LiveAudio) {
  const subscribe = useCallback((l: () => void) => audio.onChange(l), [audio]);
  return useSyncExternalStore(subscribe, () => audio.solo);
}

/** Solo the cable, or end its solo when it is the one heard; a refusal is a notice. */
export function toggleSolo(store: EditorStore, audio: LiveAudio, cable: Cable): void {
  const now = audio.solo;
  if (now && sameCable(now.cable, cable)) {
    audio.endSolo();
    return;
  }
  const problem = audio.soloCable(cable);
  if (problem) store.notify('error', `Cannot solo this connection: ${problem}.`);
}

/** The key (edgeKey) of the connection soloed in the graph shown at `scope`, or null. */
export function useSoloedEdge(scope: string): string | null {
  const { audio } = useServices();
  const solo = useSolo(audio);
  return solo && solo.cable.scope === scope ? edgeKey(solo.cable.edge) : null;
}

/** The edge of the canvas's graph with this React Flow id (edgeKey), if any. */
function docEdge(store: EditorStore, id: string): DocEdge | undefined {
  const { doc, scope } = store.getState();
  return (graphAt(doc, scope) ?? doc).edges.find((e) => edgeKey(e) === id);
}

/**
 * `S` solos the selected connection (again: ends it); Escape ends a solo. Listened to in the
 * capture phase so that Escape ends the solo before it closes the open group (App's shortcut):
 * one key, one thing. Not while typing, nor while a dialog or menu is open (they take Escape).
 */
export function useSoloKeys(): void {
  const { store, audio } = useServices();
  const flow = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest?.('input, textarea, select, [contenteditable="true"]')) return;
      if (document.querySelector('[role="dialog"], [role="menu"]')) return;
      if (e.key === 'Escape' && audio.solo) {
        audio.endSolo();
        e.preventDefault();
        e.stopPropagation();
        return;
      }
      if (e.key.toUpperCase() !== SOLO_KEY || e.shiftKey) return;
      const picked = flow.getEdges().filter((x) => x.selected);
      if (picked.length === 0) return; // nothing to solo: S is free for the browser
      e.preventDefault();
      if (picked.length > 1) {
        store.notify('info', 'Select one connection to solo it (you selected several).');
        return;
      }
      const edge = docEdge(store, picked[0].id);
      if (edge) toggleSolo(store, audio, { scope: store.getState().scope, edge });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store, audio, flow]);
}

interface MenuAt {
  cable: Cable;
  x: number;
  y: number;
}

/**
 * A connection's context menu (right-click, or the context-menu key / Shift+F10 on a focused
 * connection): "Solo this cable" or "End solo". Returns the handler for React Flow's
 * onEdgeContextMenu and the menu to render.
 */
export function useEdgeMenu(): { onEdgeContextMenu: EdgeMouseHandler; menu: ReactNode } {
  const { store } = useServices();
  const [at, setAt] = useState<MenuAt | null>(null);
  const onEdgeContextMenu = useCallback<EdgeMouseHandler>(
    (e, edge) => {
      e.preventDefault();
      const found = docEdge(store, edge.id);
      if (!found) return;
      // From the keyboard the event has no pointer position: open beside the connection itself.
      let { clientX: x, clientY: y } = e;
      if (x === 0 && y === 0) {
        const box = (e.target as Element).getBoundingClientRect();
        x = box.left + box.width / 2;
        y = box.top + box.height / 2;
      }
      setAt({ cable: { scope: store.getState().scope, edge: found }, x, y });
    },
    [store],
  );
  const close = useCallback(() => setAt(null), []);
  return { onEdgeContextMenu, menu: at ? <EdgeMenu at={at} onClose={close} /> : null };
}

function EdgeMenu({ at, onClose }: { at: MenuAt; onClose: () => void }) {
  const { store, audio } = useServices();
  const solo = useSolo(audio);
  const soloed = solo !== null && sameCable(solo.cable, at.cable);
  const name = cableName(store.getState().doc, at.cable);
  const items: MenuItem[] = soloed
    ? [{ label: 'End solo', hint: 'Esc', run: () => audio.endSolo() }]
    : [
        { label: 'Solo this cable', hint: SOLO_KEY, run: () => toggleSolo(store, audio, at.cable) },
        ...(solo ? [{ label: 'End solo', hint: 'Esc', run: () => audio.endSolo() }] : []),
      ];
  // Kept inside the window near its edges
  const left = Math.min(at.x, window.innerWidth - 240);
  const top = Math.min(at.y, window.innerHeight - 120);
  return (
    <MenuList
      items={items}
      onClose={onClose}
      aria-label={`Connection ${name}`}
      className="edge-menu nodrag nopan"
      style={{ left, top }}
      header={
        <li role="presentation" className="edge-menu-title" title={name}>
          {name}
        </li>
      }
    />
  );
}

/** On the soloed connection (at its middle, above its level label): a short cable is hard to see by its colour alone. */
export function SoloBadge({ x, y }: { x: number; y: number }) {
  return (
    <EdgeLabelRenderer>
      <div className="edge-solo-badge nodrag nopan" aria-hidden="true" style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}>
        solo
      </div>
    </EdgeLabelRenderer>
  );
}

/**
 * Under the transport while a cable is soloed (a banner of its own, as a room's: in the transport's
 * row it made the header wrap): "Solo: Kick EQ → Drum bus", that it is the raw signal, and End solo.
 * The transport's meter reads "Solo level" meanwhile. A solo that ends by itself (its cable
 * deleted, another session opened) says why.
 */
export function SoloStatus() {
  const { store, audio } = useServices();
  const solo = useSolo(audio);
  useEffect(() => audio.onSoloEnded((_name, why) => store.notify('info', `Solo ended: ${why}. The mix plays again.`)), [audio, store]);
  if (!solo) return null;
  return (
    <div className="solo-status" role="status" aria-label="Cable solo">
      <span className="solo-status-name" title={solo.name}>
        <strong>Solo:</strong> {solo.name}
      </span>
      <span className="solo-status-raw" title="What flows through this connection, at unity: no master fader, guard or limiter after it, so it can be louder or quieter than in the mix. Exports always render the whole mix.">
        — you hear the raw signal at this cable (no master fader or limiter after it)
      </span>
      <button type="button" onClick={() => audio.endSolo()} title="End solo (Escape): hear the whole mix again">
        ✕ End solo
      </button>
    </div>
  );
}
