// The editor in a room: as the teacher (the open session is written into the room's Y.Doc on every change)
// or as a student (the room's session is shown read-only as it changes, until "Fork into my session").
import * as Y from 'yjs';
import { saveSession } from '../../presets/load.ts';
import { saveLesson, type LessonDoc } from '../../presets/lesson.ts';
import { connectRoom, createRoom, fetchAudio, uploadAudio, type RoomConnection, type RoomTicket } from '../../room/client.ts';
import { roomLink } from './links.ts';
import { MAX_AUDIO_BYTES, validateRoom, writeSession, type AudioEntry } from '../../room/doc.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import type { Graph, GroupBody } from '../../model/document.ts';
import type { SourceLibrary } from '../audio.ts';
import type { SessionKeeper } from '../persist/keeper.ts';
import type { EditorStore } from '../store.ts';
import { emptySession } from '../../model/document.ts';

import type { RoomStatus } from './links.ts';
/** The longest a teacher's edit waits before it goes to the room. */
const WRITE_MS = 50;
export const STUDENT_READ_ONLY = 'You follow the teacher’s session in this room: it is read-only here. “Fork into my session” gives you your own copy to edit.';

/** Every audio file a session names: the values of parameters whose definition says they are files, groups included. */
export function audioPaths(graph: Graph | GroupBody, into = new Set<string>()): Set<string> {
  for (const node of graph.nodes) {
    const def = getDefinition(node.type);
    for (const [name, param] of Object.entries(def?.params ?? {})) {
      const value = node.params?.[name];
      if ((param as { format?: string }).format === 'file' && typeof value === 'string' && value) into.add(value);
    }
    if (node.group) audioPaths(node.group, into);
  }
  return into;
}

export class RoomController {
  status: RoomStatus = { role: 'none' };
  private listeners = new Set<() => void>();
  private connection: RoomConnection | null = null;
  private unsubscribe: (() => void) | null = null;
  /** The teacher's open lesson in its file form, and the step shown; written with the session. */
  private lesson: { file: Record<string, unknown> | null; step: number | null } = { file: null, step: null };
  private rewrite: (() => void) | null = null;

  constructor(
    private store: EditorStore,
    private keeper: SessionKeeper | undefined,
    private sources: SourceLibrary | undefined,
  ) {}

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getStatus = (): RoomStatus => this.status;
  private set(status: RoomStatus): void {
    this.status = status;
    for (const l of this.listeners) l();
  }

  /** Opens a room with the session as it is; every change from now on goes to the room. */
  async open(server: string): Promise<void> {
    this.leave();
    const ticket = await createRoom(server);
    const doc = new Y.Doc();
    const connection = connectRoom(server, ticket.code, doc, {
      token: ticket.token,
      onRefusal: (r) => this.store.notify('error', `The room refused a change (${r.error}). Students keep the last good state.`),
    });
    this.connection = connection;
    // Each audio file goes up once (by its SHA-256); the room's audio map names it only once it is there, so a
    // student never asks for a file that has not arrived.
    const audio: Record<string, AudioEntry> = {};
    const uploading = new Set<string>();
    const write = () => {
      const session = this.store.getState().doc;
      const paths = audioPaths(session);
      for (const path of Object.keys(audio)) if (!paths.has(path)) delete audio[path];
      writeSession(doc, JSON.parse(saveSession(session)) as Record<string, unknown>, { audio: { ...audio }, lesson: this.lesson.file, step: this.lesson.step });
      for (const path of paths) if (!audio[path] && !uploading.has(path)) void this.upload(server, ticket, path, audio, uploading, () => this.connection === connection && write());
    };
    let last = this.store.getState().doc;
    this.rewrite = write;
    write();
    // At most one write per WRITE_MS: a node dragged makes a document per pointer move, and each write
    // serialises the session; students see the drag in steps of that length.
    let queued: ReturnType<typeof setTimeout> | null = null;
    this.unsubscribe = this.store.subscribe(() => {
      if (this.store.getState().doc === last || queued) return;
      queued = setTimeout(() => {
        queued = null;
        const now = this.store.getState().doc;
        if (now === last || this.connection !== connection) return;
        last = now;
        write();
      }, WRITE_MS);
    });
    connection.provider.on('status', ({ status }: { status: string }) => {
      if (this.status.role === 'teacher') this.set({ ...this.status, connected: status === 'connected' });
    });
    this.set({ role: 'teacher', code: ticket.code, server, link: roomLink(ticket.code, server), connected: connection.provider.wsconnected });
  }

  /**
   * The lesson the teacher has open and the step shown (null: none): students see its panel on that step.
   * Kept while no room is open, so a room opened later carries it from the start.
   */
  showLesson(lesson: LessonDoc | null, step: number | null): void {
    const file = lesson ? (JSON.parse(saveLesson(lesson)) as Record<string, unknown>) : null;
    this.lesson = { file, step: lesson && step !== null && step >= 0 && step < lesson.steps.length ? step : null };
    this.rewrite?.();
  }

  private async upload(server: string, ticket: RoomTicket, path: string, audio: Record<string, AudioEntry>, uploading: Set<string>, done: () => void): Promise<void> {
    if (!this.sources?.has(path)) return;
    uploading.add(path);
    try {
      const bytes = await this.sources.get(path);
      if (!bytes) return;
      if (bytes.byteLength > MAX_AUDIO_BYTES) throw new Error(`it is ${bytes.byteLength} bytes; a room takes files up to ${MAX_AUDIO_BYTES}`);
      const { sha256 } = await uploadAudio(server, ticket, new Uint8Array(bytes));
      audio[path] = { sha256, size: bytes.byteLength };
      done();
    } catch (err) {
      this.store.notify('warning', `${path} could not be sent to the room (${(err as Error).message}): students will not hear it.`);
    } finally {
      uploading.delete(path);
    }
  }

  /**
   * Joins a room as a student. The session shown becomes a new kept session (the one open before stays in
   * Sessions, untouched) that follows the room, read-only.
   */
  async join(server: string, code: string): Promise<void> {
    this.leave();
    if (this.keeper) await this.keeper.openNew({ ...emptySession(`Room ${code}`) });
    this.store.setReadOnly(STUDENT_READ_ONLY);
    const doc = new Y.Doc();
    let first = true;
    let warned = false;
    /** Each file once per room: by hash (two paths, one file: one fetch), and per path the hash it holds. */
    const byHash = new Map<string, Promise<ArrayBuffer>>();
    const loaded = new Map<string, string>();
    let lessonFile = '';
    let lesson: LessonDoc | null = null;
    const show = () => {
      // What a server sends is checked as the room server checks the teacher's updates: a hostile or broken
      // server cannot put a document into the editor that the editor would refuse from a file.
      const checked = validateRoom(doc);
      if (!checked.ok) {
        if (!warned) this.store.notify('warning', `The room sent a session that does not load (${checked.problems.slice(0, 3).join('; ')}); showing the last good one.`);
        warned = true;
        return;
      }
      warned = false;
      for (const [path, entry] of Object.entries(checked.state.audio)) {
        if (loaded.get(path) === entry.sha256) continue;
        loaded.set(path, entry.sha256);
        let bytes = byHash.get(entry.sha256);
        if (!bytes) byHash.set(entry.sha256, (bytes = fetchAudio(server, code, entry.sha256).then((b) => b.buffer as ArrayBuffer)));
        bytes.then(
          (b) => loaded.get(path) === entry.sha256 && this.sources?.add(path, b),
          (err: Error) => this.store.notify('warning', `${path} could not be fetched from the room: ${err.message}`),
        );
      }
      // The same lesson keeps its object (the panel's live measurements belong to it) until its file changes.
      const file = JSON.stringify(checked.state.lesson);
      if (file !== lessonFile) {
        lessonFile = file;
        lesson = checked.lesson;
      }
      if (this.status.role === 'student' && (this.status.lesson !== lesson || this.status.step !== checked.state.step)) {
        this.set({ ...this.status, lesson, step: checked.state.step });
      }
      if (!checked.session) return;
      this.store.follow(checked.session, first);
      first = false;
      if (this.status.role === 'student' && !this.status.received) this.set({ ...this.status, received: true });
    };
    doc.on('update', show);
    const connection = connectRoom(server, code, doc, { onRefusal: (r) => this.store.notify('warning', r.error) });
    this.connection = connection;
    connection.provider.on('status', ({ status }: { status: string }) => {
      if (this.status.role === 'student') this.set({ ...this.status, connected: status === 'connected' });
    });
    connection.provider.on('connection-close', (e: CloseEvent | null) => {
      if (e && (e.code === 4410 || e.code === 1006) && this.status.role === 'student' && !this.status.received) {
        this.store.notify('error', `Room ${code} could not be joined: check the code and that the room server (${server}) is running.`);
      }
    });
    this.set({ role: 'student', code, server, connected: false, received: false, lesson: null, step: null });
  }

  /** The student's copy becomes an ordinary session: it no longer follows the room and can be edited. */
  fork(): void {
    if (this.status.role !== 'student') return;
    const doc = this.store.getState().doc;
    this.leave();
    this.store.follow({ ...doc, name: doc.name.endsWith('(my copy)') ? doc.name : `${doc.name} (my copy)` }, false);
    this.store.notify('info', 'This is your own copy now: edit it as you like. The teacher’s room no longer changes it.');
  }

  leave(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.rewrite = null;
    this.connection?.destroy();
    this.connection?.doc.destroy();
    this.connection = null;
    this.store.setReadOnly(null);
    if (this.status.role !== 'none') this.set({ role: 'none' });
  }
}
