// Autosave: the open session, its undo history and the audio it uses are written to IndexedDB
// within a second of every change, and the session comes back after a reload, a crash or a closed
// tab. One tab owns a session at a time (a Web Lock per session, a revision number as the safety
// net); a second tab on the same session says so and saves nothing until the user chooses.
// When storage is refused or full the user is told at once, with a download of the session.
import type { SessionDoc } from '../../model/document.ts';
import { FORMAT_VERSION } from '../../model/document.ts';
import { loadSession, saveSession } from '../../presets/load.ts';
import type { SourceLibrary } from '../audio.ts';
import type { EditorStore } from '../store.ts';
import {
  audioSize,
  deleteSession,
  getAudio,
  isQuotaError,
  listSessions,
  openMixgraphDb,
  putAudio,
  type Db,
  type SessionBody,
  type SessionSummary,
  type Viewport,
} from './db.ts';

/** A save waits this long for more edits (a knob being turned)... */
const QUIET_MS = 250;
/** ...but never longer than this after the first unsaved edit. */
const MAX_WAIT_MS = 800;
/** The tab's own session survives a reload (and a reopened tab) in sessionStorage. */
const TAB_KEY = 'mixgraph.session';
const CHANNEL = 'mixgraph-sessions';

export type SaveState =
  /** Nothing to keep yet: the demo as it ships. */
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  /** Storage refused or full: changes are NOT kept. */
  | { kind: 'failed'; message: string }
  /** The session is open in another tab, which saves it; this one does not. */
  | { kind: 'elsewhere' };

type Message = { type: 'saved'; id: string } | { type: 'release'; id: string } | { type: 'deleted'; id: string };

export interface KeeperActions {
  /** Offer the session as a download (the package, with its audio). */
  download(): void;
  /** Show the recent sessions (to free space). */
  showSessions(): void;
}

const lockName = (id: string) => `mixgraph:session:${id}`;
const newId = () => crypto.randomUUID();

export class SessionKeeper {
  db: Db | null = null;
  /** The open session's id; null until there is something to keep. */
  id: string | null = null;
  state: SaveState = { kind: 'unsaved' };
  private revision = 0;
  private created = 0;
  private audio: Record<string, string> = {};
  private audioBytes = 0;
  private savedDoc: SessionDoc | null = null;
  private savedSteps: unknown = null;
  private viewport: Viewport | undefined;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pendingSince = 0;
  private saving: Promise<void> | null = null;
  private again = false;
  private releaseLock: (() => void) | null = null;
  private channel: BroadcastChannel | null = null;
  private listeners = new Set<() => void>();
  /** The last write that failed (storage full or refused): what it tried to write. */
  private failed: { doc: SessionDoc; version: number } | null = null;
  private pendingAudio = new Map<string, ArrayBuffer>();
  private sessionListeners = new Set<() => void>();
  actions: KeeperActions = { download: () => {}, showSessions: () => {} };

  constructor(
    private readonly store: EditorStore,
    private readonly sources: SourceLibrary,
    private readonly dbName?: string,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Sessions were saved, added or deleted (by this tab or another): the recent list is stale. */
  onSessionsChange(listener: () => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }
  private setState(state: SaveState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
  private sessionsChanged(): void {
    for (const l of this.sessionListeners) l();
  }

  /**
   * Open storage and bring back this tab's session (after a reload), else the most recent one;
   * with none, the document already in the store (the demo) stays and is kept once it changes.
   */
  async start(): Promise<void> {
    try {
      this.db = await openMixgraphDb(this.dbName);
    } catch (err) {
      this.refused(`your browser refused to let Mixgraph keep your work (${(err as Error).message || (err as Error).name})`);
    }
    // Best effort: ask the browser not to evict the work under storage pressure.
    void navigator.storage?.persist?.().catch(() => false);
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = (e: MessageEvent<Message>) => this.onMessage(e.data);
    }
    this.sources.onAdd((source, bytes) => void this.keepAudio(source, bytes));
    this.store.subscribe(() => this.changed());
    // A closing tab gets its last edits out (IndexedDB finishes a transaction begun in pagehide).
    addEventListener('pagehide', () => void this.flush());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && void this.flush());

    if (!this.db) return;
    const own = sessionStorage.getItem(TAB_KEY);
    const candidate = own ?? (await listSessions(this.db))[0]?.id;
    if (candidate) await this.openStored(candidate, { quiet: true });
  }

  private refused(reason: string): void {
    this.setState({ kind: 'failed', message: reason });
    this.store.notify('error', `Not saved: ${reason}. Nothing you change here is kept when this tab closes; download the session to keep it.`, [
      { label: 'Download session', run: () => this.actions.download() },
    ]);
  }

  /** Open a stored session in this tab (the current one is saved first). */
  async openStored(id: string, { quiet = false } = {}): Promise<boolean> {
    const db = this.db;
    if (!db) return false;
    await this.flush();
    const [summary, body] = await Promise.all([db.get('sessions', id), db.get('bodies', id)]);
    if (!summary || !body) {
      if (!quiet) this.store.notify('error', 'That session is no longer stored (deleted in another tab?).');
      if (sessionStorage.getItem(TAB_KEY) === id) sessionStorage.removeItem(TAB_KEY);
      return false;
    }
    let doc: SessionDoc;
    try {
      doc = loadSession(body.text, summary.name);
    } catch (err) {
      // Kept as it is: a newer editor (or a fixed one) may read it.
      this.store.notify('error', `The stored session “${summary.name}” could not be opened, so it was left as it is: ${(err as Error).message}`);
      return false;
    }
    this.release();
    const owned = await this.lock(id);
    this.adoptRecord(summary, body, doc);
    if (!owned) this.elsewhere(summary.name);
    return true;
  }

  private adoptRecord(summary: SessionSummary, body: SessionBody, doc: SessionDoc): void {
    this.id = summary.id;
    this.revision = summary.revision;
    this.created = summary.created;
    this.audio = { ...summary.audio };
    this.audioBytes = 0;
    this.pendingAudio.clear();
    const db = this.db!;
    for (const [source, hash] of Object.entries(summary.audio)) this.sources.addLazy(source, () => getAudio(db, hash));
    void audioSize(db, Object.values(summary.audio)).then((n) => (this.audioBytes = n));
    sessionStorage.setItem(TAB_KEY, summary.id);
    // Undo steps recorded against another format version would not apply to the migrated document.
    const steps = body.history && body.history.format === FORMAT_VERSION ? body.history : undefined;
    this.viewport = body.viewport;
    this.savedDoc = doc;
    this.store.open(doc, { steps, viewport: body.viewport });
    this.savedDoc = this.store.getState().doc;
    this.savedSteps = this.store.historyVersion;
    this.setState({ kind: 'saved', at: summary.updated });
  }

  /** Take the session's lock if no other tab holds it; false if one does (or locks are missing: true). */
  private lock(id: string, wait = false): Promise<boolean> {
    const locks = navigator.locks;
    if (!locks) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const signal = wait ? AbortSignal.timeout(5000) : undefined;
      locks
        .request(lockName(id), wait ? { signal } : { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(false);
            return undefined;
          }
          resolve(true);
          // Held until released (another session opened here, or the tab closes).
          return new Promise<void>((done) => (this.releaseLock = done));
        })
        .catch(() => resolve(false));
    });
  }

  private release(): void {
    this.releaseLock?.();
    this.releaseLock = null;
  }

  /** Another tab holds the session: say so, save nothing, offer a copy or a take-over. */
  private elsewhere(name: string): void {
    this.setState({ kind: 'elsewhere' });
    this.store.notify('error', `“${name}” is open in another tab, which keeps it. This tab saves nothing, so neither overwrites the other's work.`, [
      { label: 'Work on a copy here', run: () => void this.forkHere() },
      { label: 'Use it in this tab', run: () => void this.takeOver() },
    ]);
  }

  /** Continue in this tab as a new session: the document as it is here, saved under a new id. */
  async forkHere(): Promise<void> {
    const doc = this.store.getState().doc;
    this.release();
    this.id = null;
    this.audio = { ...this.audio };
    this.setState({ kind: 'unsaved' });
    this.savedDoc = null;
    this.store.dismissAll();
    this.store.notify('info', `Working on a copy of “${doc.name}” in this tab; the other tab keeps the original.`);
    await this.saveNow();
  }

  /** Ask the tab that holds the session to let go, then open its latest state here. */
  async takeOver(): Promise<void> {
    const id = this.id;
    if (!id) return;
    this.channel?.postMessage({ type: 'release', id } satisfies Message);
    const owned = await this.lock(id, true);
    if (!owned) {
      this.store.notify('error', 'The other tab did not let go of the session. Close it, or work on a copy here.');
      return;
    }
    this.release(); // openStored takes it again
    this.store.dismissAll();
    await this.openStored(id);
  }

  private onMessage(m: Message): void {
    if (m.type === 'saved' || m.type === 'deleted') this.sessionsChanged();
    if (m.type === 'release' && m.id === this.id && this.state.kind !== 'elsewhere') {
      const name = this.store.getState().doc.name;
      void this.flush().then(() => {
        this.release();
        this.setState({ kind: 'elsewhere' });
        this.store.notify('error', `“${name}” was opened in another tab, which keeps it now. This tab stopped saving.`, [
          { label: 'Reload', run: () => location.reload() },
          { label: 'Work on a copy here', run: () => void this.forkHere() },
        ]);
      });
    }
  }

  /** Nothing waiting to be written (no timer, no write in flight). */
  get idle(): boolean {
    return this.timer === null && this.saving === null;
  }

  /** The canvas's viewport, kept with the session (not part of the document). */
  noteViewport(v: Viewport): void {
    this.viewport = v;
    if (this.id) this.schedule();
  }

  private changed(): void {
    const { doc } = this.store.getState();
    // After a failed write, only a new edit tries again (not the notice the failure itself showed).
    if (this.failed && doc === this.failed.doc && this.store.historyVersion === this.failed.version) return;
    if (doc !== this.savedDoc || this.store.historyVersion !== this.savedSteps || this.pendingAudio.size) this.schedule();
  }

  private schedule(): void {
    if (!this.db || this.state.kind === 'elsewhere') return;
    const now = Date.now();
    if (!this.timer) this.pendingSince = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(QUIET_MS, this.pendingSince + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => void this.saveNow(), wait);
  }

  /** Save now if anything is waiting (before switching sessions, and when the tab goes away). */
  async flush(): Promise<void> {
    if (this.timer) await this.saveNow();
    else if (this.saving) await this.saving;
  }

  /** Write the session (one transaction); a save asked for while one runs runs after it. */
  saveNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.saving) {
      this.again = true;
      return this.saving;
    }
    this.saving = this.write().finally(() => {
      this.saving = null;
      if (this.again) {
        this.again = false;
        void this.saveNow();
      }
    });
    return this.saving;
  }

  private async write(): Promise<void> {
    const db = this.db;
    if (!db || this.state.kind === 'elsewhere') return;
    const { doc } = this.store.getState();
    const steps = this.store.exportSteps();
    const version = this.store.historyVersion;
    if (!this.id) {
      const id = newId();
      if (!(await this.lock(id))) return; // cannot happen for a fresh id
      this.id = id;
      this.created = Date.now();
      this.revision = 0;
      sessionStorage.setItem(TAB_KEY, id);
    }
    const id = this.id;
    if (this.state.kind !== 'failed') this.setState({ kind: 'saving' });
    try {
      await this.storePendingAudio(db);
    } catch (err) {
      this.failed = { doc, version };
      this.failedWrite(err);
      return;
    }
    const text = saveSession(doc);
    const summary: SessionSummary = {
      id,
      name: doc.name,
      created: this.created,
      updated: Date.now(),
      nodeCount: doc.nodes.length,
      size: new Blob([text]).size + this.audioBytes,
      audio: { ...this.audio },
      revision: this.revision + 1,
    };
    const body: SessionBody = { id, text, history: { format: FORMAT_VERSION, ...steps }, viewport: this.viewport };
    try {
      const tx = db.transaction(['sessions', 'bodies'], 'readwrite');
      const stored = await tx.objectStore('sessions').get(id);
      if (stored && stored.revision !== this.revision) {
        // Another tab wrote this session since we read it (no lock support, or a lost lock).
        tx.abort();
        await tx.done.catch(() => {});
        this.elsewhere(doc.name);
        return;
      }
      await tx.objectStore('sessions').put(summary);
      await tx.objectStore('bodies').put(body);
      await tx.done;
    } catch (err) {
      this.failed = { doc, version };
      this.failedWrite(err);
      return;
    }
    if (this.state.kind === 'failed') this.store.notify('info', 'Storage works again: everything is saved.');
    this.failed = null;
    this.revision = summary.revision;
    this.savedDoc = doc;
    this.savedSteps = version;
    this.setState({ kind: 'saved', at: summary.updated });
    this.channel?.postMessage({ type: 'saved', id } satisfies Message);
    this.sessionsChanged();
  }

  private failedWrite(err: unknown): void {
    const e = err as { name?: string; message?: string } | null;
    const text = `${e?.name ?? ''} ${e?.message ?? String(err)}`;
    // A full disk shows as a quota error, or (Chromium) as "Failed to write blobs (IOError)" after
    // which the connection closes: open it again for the next try.
    const full = isQuotaError(err) || /IOError|write/i.test(text);
    if (/closing|closed/i.test(text) || e?.name === 'InvalidStateError' || full) this.reopen();
    const reason = full ? 'the browser’s storage for Mixgraph is full' : `the browser refused to store it (${e?.message || e?.name || String(err)})`;
    // Told once per failure spell, not on every knob move; the status in the header stays.
    const first = this.state.kind !== 'failed';
    this.setState({ kind: 'failed', message: reason });
    if (first) {
      this.store.notify('error', `Not saved: ${reason}. Your latest changes are only in this tab. Download the session to keep it, or delete old sessions to make room.`, [
        { label: 'Download session', run: () => this.actions.download() },
        { label: 'Sessions…', run: () => this.actions.showSessions() },
      ]);
    }
  }

  /** A fresh connection after the browser closed the old one (a failed disk write does that). */
  private reopen(): void {
    const old = this.db;
    if (!old) return;
    try {
      old.close();
    } catch {
      // closing already
    }
    void openMixgraphDb(this.dbName).then(
      (db) => (this.db = db),
      () => {},
    );
  }

  /** A dropped or relinked file: stored with the next save, once, under its content hash. */
  private keepAudio(source: string, bytes: ArrayBuffer): void {
    if (!this.db) return;
    this.pendingAudio.set(source, bytes);
    this.schedule();
  }

  /** Store the audio waiting to be stored (kept waiting if storage fails, for the next try). */
  private async storePendingAudio(db: Db): Promise<void> {
    for (const [source, bytes] of [...this.pendingAudio]) {
      const hash = await putAudio(db, bytes);
      if (this.audio[source] !== hash) {
        if (!Object.values(this.audio).includes(hash)) this.audioBytes += bytes.byteLength;
        this.audio = { ...this.audio, [source]: hash };
      }
      this.pendingAudio.delete(source);
    }
  }

  // ---- the recent sessions list ------------------------------------------------------------

  async list(): Promise<SessionSummary[]> {
    return this.db ? listSessions(this.db) : [];
  }

  /** A copy of a stored session (the open one is saved first): its document under "name (copy)". */
  async duplicate(id: string): Promise<SessionSummary | null> {
    const db = this.db;
    if (!db) return null;
    if (id === this.id) await this.flush();
    const [summary, body] = await Promise.all([db.get('sessions', id), db.get('bodies', id)]);
    if (!summary || !body) return null;
    const doc = loadSession(body.text, summary.name);
    const name = `${summary.name} (copy)`;
    const text = saveSession({ ...doc, name });
    const now = Date.now();
    const copy: SessionSummary = { ...summary, id: newId(), name, created: now, updated: now, revision: 1, size: summary.size - new Blob([body.text]).size + new Blob([text]).size };
    try {
      const tx = db.transaction(['sessions', 'bodies'], 'readwrite');
      await tx.objectStore('sessions').put(copy);
      // The copy starts a history of its own: undo in it must not replay the original's steps.
      await tx.objectStore('bodies').put({ id: copy.id, text, viewport: body.viewport });
      await tx.done;
    } catch (err) {
      this.failedWrite(err);
      return null;
    }
    this.channel?.postMessage({ type: 'saved', id: copy.id } satisfies Message);
    this.sessionsChanged();
    return copy;
  }

  /** Delete a stored session (not the open one) and the audio only it used. */
  async remove(id: string): Promise<void> {
    const db = this.db;
    if (!db || id === this.id) return;
    await deleteSession(db, id);
    this.channel?.postMessage({ type: 'deleted', id } satisfies Message);
    this.sessionsChanged();
  }

  /**
   * Make `doc` the open session, as a new stored session (New session, Open file, a template):
   * the one open now is saved first and stays in the list.
   */
  async openNew(doc: SessionDoc): Promise<void> {
    await this.flush();
    this.release();
    this.id = null;
    this.audio = {};
    this.audioBytes = 0;
    this.pendingAudio.clear();
    this.viewport = undefined;
    this.savedDoc = null;
    if (this.state.kind === 'elsewhere') this.store.dismissAll();
    if (this.state.kind !== 'failed') this.setState({ kind: 'unsaved' });
    this.store.open(doc);
    if (this.db) await this.saveNow();
  }

  /** The audio of the open session that is stored (source -> hash): for the package download. */
  get storedAudio(): Readonly<Record<string, string>> {
    return this.audio;
  }
}
