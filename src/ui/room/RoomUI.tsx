// The room in the editor: "Open a room…" and "Join a room…" (Session menu), `#room=CODE` links, and the
// banner that says what the room is doing (the teacher's code and link; the student's read-only state with
// "Fork into my session").
import './room.css';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import type { RoomController } from './controller.ts';
import { defaultRoomServer, normaliseCode, normaliseServer, roomOfHash, type RoomStatus } from './links.ts';
import type { EditorStore } from '../store.ts';
import type { SessionKeeper } from '../persist/keeper.ts';
import type { SourceLibrary } from '../audio.ts';
import type { LessonDoc } from '../../presets/lesson.ts';

/** RoomController's face for the UI; the controller itself (Yjs, y-websocket) is loaded on the first open or join. */
export class LazyRoom {
  private controller: RoomController | null = null;
  private listeners = new Set<() => void>();
  private none: RoomStatus = { role: 'none' };
  private lesson: { lesson: LessonDoc | null; step: number | null } = { lesson: null, step: null };
  constructor(private make: () => Promise<RoomController>) {}
  private async get(): Promise<RoomController> {
    if (!this.controller) {
      this.controller = await this.make();
      this.controller.showLesson(this.lesson.lesson, this.lesson.step);
      this.controller.subscribe(() => this.listeners.forEach((l) => l()));
    }
    return this.controller;
  }
  /** The teacher's open lesson and the step shown; a room carries them to the students. */
  showLesson(lesson: LessonDoc | null, step: number | null): void {
    if (this.lesson.lesson === lesson && this.lesson.step === step) return;
    this.lesson = { lesson, step };
    this.controller?.showLesson(lesson, step);
  }
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getStatus = (): RoomStatus => this.controller?.getStatus() ?? this.none;
  async open(server: string): Promise<void> {
    await (await this.get()).open(server);
  }
  async join(server: string, code: string): Promise<void> {
    await (await this.get()).join(server, code);
  }
  fork(): void {
    this.controller?.fork();
  }
  leave(): void {
    this.controller?.leave();
  }
}

export function useRoomController(): LazyRoom {
  const { store, keeper, audio } = useServices();
  const controller = useMemo(() => lazyRoom(store, keeper, audio.sources), [store, keeper, audio]);
  useEffect(() => () => controller.leave(), [controller]);
  return controller;
}
function lazyRoom(store: EditorStore, keeper: SessionKeeper | undefined, sources: SourceLibrary): LazyRoom {
  return new LazyRoom(async () => new (await import('./controller.ts')).RoomController(store, keeper, sources));
}

export function useRoomStatus(controller: LazyRoom): RoomStatus {
  return useSyncExternalStore(controller.subscribe, controller.getStatus);
}

const SERVER_KEY = 'mixgraph.roomServer';
function rememberedServer(): string {
  try {
    return localStorage.getItem(SERVER_KEY) ?? defaultRoomServer();
  } catch {
    return defaultRoomServer();
  }
}
function remember(server: string): void {
  try {
    localStorage.setItem(SERVER_KEY, server);
  } catch {
    // A browser that keeps nothing asks again next time.
  }
}

function ServerField({ value, onChange }: { value: string; onChange(v: string): void }) {
  return (
    <label className="room-field">
      Room server
      <input type="url" value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
    </label>
  );
}

export function OpenRoomDialog({ controller, onClose }: { controller: LazyRoom; onClose(): void }) {
  const { store } = useServices();
  const [server, setServer] = useState(rememberedServer);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const open = async () => {
    const origin = normaliseServer(server);
    if (!origin) return setProblem('The room server is an address such as http://192.168.1.10:4455.');
    setBusy(true);
    try {
      await controller.open(origin);
      remember(origin);
      store.notify('info', 'The room is open: students who join see this session as you edit it.');
      onClose();
    } catch (err) {
      setProblem(`The room could not be opened on ${origin}: ${(err as Error).message}. Is \`npm run room\` running there?`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Open a room" className="room-dialog" closeLabel="Close open a room" onClose={onClose} busy={busy}>
      <p className="dialog-note">Students who join the room see this session live as you edit it, read-only, and can fork it into their own.</p>
      <ServerField value={server} onChange={setServer} />
      {problem && (
        <p className="room-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={() => void open()} disabled={busy}>
          Open room
        </button>
      </div>
    </Dialog>
  );
}

export function JoinRoomDialog({ controller, onClose }: { controller: LazyRoom; onClose(): void }) {
  const [server, setServer] = useState(rememberedServer);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const join = () => {
    const origin = normaliseServer(server);
    const c = normaliseCode(code);
    if (!c) return setProblem('A room code is 6 letters, for example KXRTBE.');
    if (!origin) return setProblem('The room server is an address such as http://192.168.1.10:4455.');
    remember(origin);
    void controller.join(origin, c);
    onClose();
  };
  return (
    <Dialog title="Join a room" className="room-dialog" closeLabel="Close join a room" onClose={onClose}>
      <label className="room-field">
        Room code
        <input value={code} onChange={(e) => setCode(e.target.value)} autoFocus maxLength={12} autoComplete="off" onKeyDown={(e) => e.key === 'Enter' && join()} />
      </label>
      <ServerField value={server} onChange={setServer} />
      {problem && (
        <p className="room-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={join}>
          Join
        </button>
      </div>
    </Dialog>
  );
}

/** Joins the room a `#room=CODE` link names (on load and when the address changes). */
export function useRoomLinks(controller: LazyRoom): void {
  const { store } = useServices();
  useEffect(() => {
    const look = () => {
      const params = new URLSearchParams(location.hash.replace(/^#/, ''));
      if (!params.has('room')) return;
      const room = roomOfHash(location.hash);
      history.replaceState(null, '', location.pathname + location.search);
      if (!room) return store.notify('error', 'This room link does not hold a room code (6 letters). Nothing changed.');
      void controller.join(room.server ?? rememberedServer(), room.code);
    };
    look();
    addEventListener('hashchange', look);
    return () => removeEventListener('hashchange', look);
  }, [controller, store]);
}

/** `onFork`: the student's fork keeps the lesson the teacher had open, as the student's own. */
export function RoomBanner({ controller, onFork }: { controller: LazyRoom; onFork?(lesson: LessonDoc | null): void }) {
  const status = useRoomStatus(controller);
  const [copied, setCopied] = useState(false);
  if (status.role === 'none') return null;
  if (status.role === 'teacher') {
    return (
      <div className="room-banner room-teacher" role="status" aria-label="Room">
        <span>
          Room <strong className="room-code">{status.code}</strong> is open{status.connected ? '' : ' (connecting…)'}: students join with the code or the link
        </span>
        <input className="room-link" readOnly value={status.link} aria-label="Room link" onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(status.link).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy link'}
        </button>
        <button type="button" onClick={() => controller.leave()}>
          Close room
        </button>
      </div>
    );
  }
  return (
    <div className="room-banner room-student" role="status" aria-label="Room">
      <span>
        Following room <strong className="room-code">{status.code}</strong>, read-only:{' '}
        {!status.connected ? 'connecting…' : status.received ? 'you see the teacher’s session as it changes.' : 'waiting for the teacher’s session…'}
      </span>
      <button
        type="button"
        onClick={() => {
          onFork?.(status.lesson);
          controller.fork();
        }}
      >
        Fork into my session
      </button>
      <button type="button" onClick={() => controller.leave()}>
        Leave
      </button>
    </div>
  );
}
