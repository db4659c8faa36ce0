// Follow the signal: when one source (a track, a test signal) is selected, its routes to the master
// are marked on the canvas and this panel lists the gain ladder (src/mixing/ladder.ts): the file's
// level, then each node with its change in dB and the level after it. Stopped, from the params;
// playing, measured from the runtime's per-port levels, written straight into the DOM ten times a
// second from the meters' frame loop (no React render per meter post).
//
// Why it follows the selection rather than a toggle: a teacher explaining a mix clicks a track and
// the class sees where it goes at once, with nothing to find first; × hides it for that track.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { joinPath, layoutOnly, nodeAt } from '../../model/document.ts';
import { hasLadder, ladderOf, LadderMeter, routeMarks, type Ladder, type Route, type Rung } from '../../mixing/ladder.ts';
import type { LiveAudio } from '../audio.ts';
import { useServices } from '../context.ts';
import { onFrame } from '../meters/hub.ts';
import { useEditor } from '../store.ts';
import './ladder.css';

/** How often the measured figures change (ms): about ten times a second, still readable. */
const WRITE_EVERY_MS = 100;

function signed(db: number): string {
  if (db === -Infinity) return '−∞ dB';
  const r = Math.round(db * 10) / 10;
  return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r).toFixed(1)} dB`;
}
const dbfs = (db: number) => (db === -Infinity ? 'silent' : `${db < 0 ? '−' : ''}${Math.abs(db).toFixed(1)} dBFS`);

/** The selected source's ladder (null when the selection is not one source, or it was closed), and the marks it puts on the canvas. */
export function useFollowedLadder(): { ladder: Ladder | null; marks: { nodes: Set<string>; edges: Set<string> } | null; close: () => void } {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const scope = useEditor(store, (s) => s.scope);
  const selection = useEditor(store, (s) => s.selection);
  // The file's peak is known once it is decoded (the first Play): read again when the transport moves.
  const subscribe = useCallback((l: () => void) => audio.onChange(l), [audio]);
  const transport = useSyncExternalStore(subscribe, () => audio.state);
  const [closed, setClosed] = useState<string | null>(null);
  const source = useMemo(() => {
    if (selection.length !== 1) return null;
    const path = joinPath(scope || undefined, selection[0]);
    const node = nodeAt(doc, path);
    return node && hasLadder(node.type) ? path : null;
  }, [selection, scope, doc]);
  // A node drag changes the document on every move but not the sound: the ladder is kept then, so
  // the canvas's edges are not rebuilt per move.
  const soundDoc = useRef(doc);
  if (!layoutOnly(soundDoc.current, doc)) soundDoc.current = doc;
  const heardDoc = soundDoc.current;
  const ladder = useMemo(
    () => (source && source !== closed ? ladderOf(heardDoc, source, { file: (name) => audio.sourceLevel(name) }) : null),
    // transport: a decoded file's peak arrives with Play
    [heardDoc, source, closed, audio, transport],
  );
  const marks = useMemo(() => (ladder ? routeMarks(heardDoc, ladder, scope) : null), [heardDoc, ladder, scope]);
  const close = useCallback(() => setClosed(source), [source]);
  return { ladder, marks, close };
}

/** The figures from the params: the change (or why there is none) and the level after. */
function paramChange(r: Rung): string {
  return r.change.db === null ? 'depends' : `${r.change.kind === 'exact' ? '' : '≈ '}${signed(r.change.db)}`;
}
function paramLevel(r: Rung): string {
  const about = r.approximate ? '≈ ' : '';
  // The file's peak not known yet (it is read when the file is decoded): relative to it.
  if (r.levelDb === null) return r.relativeDb === null ? '?' : `${about}file ${signed(r.relativeDb)}`;
  return `${about}${dbfs(r.levelDb)}`;
}

/** The first rung of `route` not shared with the main route (a send's split), 0 for the main one. */
function splitAt(main: Route, route: Route): number {
  if (route === main) return 0;
  let i = 0;
  while (i < main.rungs.length && i < route.rungs.length && main.rungs[i].path === route.rungs[i].path && main.rungs[i].port === route.rungs[i].port) i++;
  return i;
}

/** One route as a row of rungs, left to right as the signal flows (the canvas's own direction). */
function RouteRow({ route, from, to, title }: { route: Route; from: number; to: number; title: string }) {
  return (
    <div className="ladder-route" role="group" aria-label={title}>
      <span className="ladder-route-title">{title}</span>
      <ol>
        {route.rungs.map((r, i) =>
          i < from || i > to ? null : (
            <li
              key={`${r.path}:${r.port ?? ''}`}
              className="ladder-rung"
              data-path={r.path}
              data-port={r.port ?? ''}
              data-index={i}
              data-kind={r.bypassed ? 'exact' : r.change.kind}
              title={`${r.label}: ${r.change.note}${r.inputs > 1 ? `. It sums ${r.inputs} connections: playing, its level after holds the others too (its change is its params'); stopped, the level is this source's alone.` : ''}`}
            >
              <span className="ladder-name">
                {r.label}
                {r.port && r.port !== 'out' ? <span className="ladder-port"> ({r.port})</span> : null}
                {r.inputs > 1 && <span className="ladder-sum"> Σ{r.inputs}</span>}
                {r.bypassed && <span className="ladder-port"> (bypassed)</span>}
              </span>
              {i === to && to < route.rungs.length - 1 && <span className="ladder-join">joins the main path</span>}
              <span className="ladder-change">{paramChange(r)}</span>
              <span className="ladder-level">{paramLevel(r)}</span>
            </li>
          ),
        )}
      </ol>
    </div>
  );
}

/**
 * While playing, measure each route and write its figures into its table's cells (found by
 * data-index), restoring the params' figures when the transport stops.
 */
function useMeasured(root: React.RefObject<HTMLElement | null>, ladder: Ladder, audio: LiveAudio): void {
  useEffect(() => {
    const meters = ladder.routes.map((r) => new LadderMeter(r));
    let written = 0;
    let measuring = false;
    const read = (id: string, port: string | undefined) => audio.levels?.get(id, port) ?? null;
    const tables = () => [...(root.current?.querySelectorAll<HTMLElement>('.ladder-route') ?? [])];
    const showParams = () => {
      tables().forEach((table, k) => {
        const route = ladder.routes[k];
        for (const row of table.querySelectorAll<HTMLElement>('li.ladder-rung')) {
          const r = route.rungs[Number(row.dataset.index)];
          row.querySelector('.ladder-change')!.textContent = paramChange(r);
          row.querySelector('.ladder-level')!.textContent = paramLevel(r);
          delete row.dataset.measuredChange;
          delete row.dataset.measuredLevel;
        }
      });
      if (root.current) root.current.dataset.mode = 'params';
    };
    // React wrote the params' figures when it last rendered the rows, but a measured figure written
    // here since may be what a cell holds (React does not rewrite text it thinks unchanged): start
    // from the params' figures whenever the ladder is new.
    showParams();
    const stop = onFrame((now) => {
      if (audio.state !== 'playing') {
        if (measuring) {
          measuring = false;
          for (const m of meters) m.reset();
          showParams();
        }
        return;
      }
      measuring = true;
      for (const m of meters) m.sample(now, read);
      if (now - written < WRITE_EVERY_MS) return;
      written = now;
      if (root.current) root.current.dataset.mode = 'measured';
      tables().forEach((table, k) => {
        const route = ladder.routes[k];
        const readings = meters[k].readings();
        for (const row of table.querySelectorAll<HTMLElement>('li.ladder-rung')) {
          const i = Number(row.dataset.index);
          const { levelDb, changeDb } = readings[i];
          const r = route.rungs[i];
          // The source has no input to measure against: its own change is its params' (fader, pan). A
          // node summing others (a bus) measures louder by what they add, which is not its change:
          // its params' figure stands, and its level after says what the sum is.
          const change = i === 0 || r.inputs > 1 ? paramChange(r) : changeDb === null ? '—' : signed(changeDb);
          row.querySelector('.ladder-change')!.textContent = change;
          row.querySelector('.ladder-level')!.textContent = dbfs(levelDb);
          row.dataset.measuredChange = changeDb === null ? '' : changeDb.toFixed(2);
          row.dataset.measuredLevel = Number.isFinite(levelDb) ? levelDb.toFixed(2) : '';
        }
      });
    });
    return () => {
      stop();
    };
  }, [ladder, audio, root]);
}

export function LadderPanel({ ladder, onClose }: { ladder: Ladder; onClose: () => void }) {
  const { audio } = useServices();
  const root = useRef<HTMLElement>(null);
  const subscribe = useCallback((l: () => void) => audio.onChange(l), [audio]);
  const playing = useSyncExternalStore(subscribe, () => audio.state === 'playing');
  useMeasured(root, ladder, audio);
  const main = ladder.routes[0];
  const own = ladder.sourceLevel;
  return (
    <section ref={root} className="ladder-panel" aria-label={`Gain ladder of ${ladder.label}`} data-mode="params">
      <header>
        <h2>Follow the signal: {ladder.label}</h2>
        <span className="ladder-source">{own.peakDb === null ? 'its level: the file (known once played)' : `its level ${dbfs(own.peakDb)} peak (${own.note})`}</span>
        <button type="button" className="ladder-close" aria-label="Close the gain ladder" title="Hide it for this source (select another to follow it)" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="ladder-mode" role="status">
        {playing ? 'Playing: measured over the last second (level: highest peak; change: energy after ÷ before).' : 'Stopped: from the parameters (≈ an estimate the signal can move; "depends": on the signal; hover a step for why).'}
      </p>
      {!main && <p className="ladder-empty">Its sound reaches no master: connect it to hear it.</p>}
      {ladder.routes.map((route, k) => {
        // A second route is listed from where it leaves the main one (a send's aux output).
        const from = Math.min(splitAt(main, route), route.rungs.length - 1);
        // ... up to where it joins it again (a return into the mix bus): from there on it is the main path's.
        const join = k === 0 ? -1 : route.rungs.findIndex((r, i) => i > from && main.rungs.some((m) => m.path === r.path && m.port === r.port));
        const to = join < 0 ? route.rungs.length - 1 : join;
        const title = k === 0 ? 'Main path' : `${route.send ? 'Send' : 'Also'} from ${route.rungs[from].label}`;
        return <RouteRow key={k} route={route} from={from} to={to} title={title} />;
      })}
      {ladder.more > 0 && <p className="ladder-more">{ladder.more} more route{ladder.more === 1 ? '' : 's'} not listed.</p>}
    </section>
  );
}
