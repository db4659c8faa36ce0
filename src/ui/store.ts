// The editor's state: the document with its undo history, plus UI-only state (selection,
// messages) that is never saved and never undone. React reads it with useSyncExternalStore.
import { useSyncExternalStore } from 'react';
import type { Command } from '../model/commands.ts';
import { graphAt, PATH_SEPARATOR, type SessionDoc } from '../model/document.ts';
import { History, type Step } from '../model/history.ts';

/** The undo and redo steps autosave keeps with a session (immer patches: plain data). */
export interface HistorySteps {
  past: Step[];
  future: Step[];
}

export interface NoticeAction {
  label: string;
  run(): void;
}

export interface Notice {
  id: number;
  /** info leaves by itself; a warning (silent tracks) and an error stay until dismissed. */
  kind: 'info' | 'warning' | 'error';
  text: string;
  /** Buttons on the notice ("Download session"); a notice with actions stays until dismissed. */
  actions?: readonly NoticeAction[];
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface EditorState {
  doc: SessionDoc;
  canUndo: boolean;
  canRedo: boolean;
  selection: readonly string[];
  notices: readonly Notice[];
  /** How many documents have been opened: the canvas frames each new one (Canvas openingView). */
  opened: number;
  /** The view the last opened document was left at (restored sessions), else the canvas frames it. */
  openedViewport?: Viewport;
  /** The group open on the canvas, by path ('' for the session itself): UI state, never saved. */
  scope: string;
  /** Bumped whenever the canvas should frame what it shows afresh (a document opened, a group entered or left). */
  framing: number;
  /** A view asked for by a shortcut (Ctrl/Cmd+G: the group dialog); serial tells requests apart. */
  asked: { kind: 'group' | 'presets' | 'snapshot'; serial: number } | null;
  /** Nodes the canvas should bring into view (new ones added off screen); serial tells requests apart. */
  reveal: { ids: readonly string[]; serial: number } | null;
  /** Why the document cannot be edited here (a student following a room), or null: every edit is refused. */
  readOnly: string | null;
}

export class EditorStore {
  private history: History;
  private state: EditorState;
  private listeners = new Set<() => void>();
  private noticeId = 0;
  /** Bumped by every change of the undo history (a closed gesture changes it without a new document). */
  historyVersion = 0;

  constructor(doc: SessionDoc) {
    this.history = new History(doc);
    this.state = { doc: this.history.doc, canUndo: false, canRedo: false, selection: [], notices: [], opened: 0, reveal: null, scope: '', framing: 0, asked: null, readOnly: null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getState = (): EditorState => this.state;

  /** For a change of the document or its history: autosave compares historyVersion. */
  private publishEdit(patch: Partial<EditorState> = {}): void {
    this.historyVersion++;
    this.publish(patch);
  }

  private publish(patch: Partial<EditorState>): void {
    const doc = this.history.doc;
    // An undo can take away the group that is open: show the nearest one that is still there.
    let scope = patch.scope ?? this.state.scope;
    while (scope && !graphAt(doc, scope)) scope = scope.split(PATH_SEPARATOR).slice(0, -1).join(PATH_SEPARATOR);
    if (scope !== (patch.scope ?? this.state.scope)) patch = { ...patch, scope, framing: this.state.framing + 1 };
    const ids = new Set(graphAt(doc, scope)!.nodes.map((n) => n.id));
    const selection = (patch.selection ?? this.state.selection).filter((id) => ids.has(id));
    this.state = { ...this.state, ...patch, doc, canUndo: this.history.canUndo, canRedo: this.history.canRedo, selection };
    for (const l of this.listeners) l();
  }

  /** A read-only document (a room being followed) refuses every edit, with one notice saying why. */
  private refused(): boolean {
    const why = this.state.readOnly;
    if (why === null) return false;
    if (!this.state.notices.some((n) => n.text === why)) this.notify('warning', why);
    return true;
  }
  setReadOnly(reason: string | null): void {
    if (reason !== this.state.readOnly) this.publish({ readOnly: reason });
  }
  /**
   * Show a document that someone else edits (the teacher's, in a room): it replaces the one shown, with no
   * undo history, and the view stays where it is except the first time.
   */
  follow(doc: SessionDoc, first: boolean): void {
    this.history.reset(doc);
    this.publishEdit(first ? { selection: [], opened: this.state.opened + 1, openedViewport: undefined, scope: '', framing: this.state.framing + 1 } : {});
  }

  /** Run an edit; a failing command changes nothing and shows why. */
  run(command: Command): boolean {
    if (this.refused()) return false;
    try {
      this.history.run(command);
    } catch (err) {
      this.notify('error', (err as Error).message);
      return false;
    }
    this.publishEdit();
    return true;
  }
  undo(): void {
    if (this.refused()) return;
    this.history.undo();
    this.publishEdit();
  }
  redo(): void {
    if (this.refused()) return;
    this.history.redo();
    this.publishEdit();
  }
  beginGesture(label: string): void {
    this.history.beginGesture(label);
  }
  endGesture(): void {
    this.history.endGesture();
    this.publishEdit();
  }
  /** Open another document: history starts afresh, or with the steps it was kept with (autosave). */
  open(doc: SessionDoc, kept: { steps?: HistorySteps; viewport?: Viewport } = {}): void {
    this.history.reset(doc, kept.steps);
    this.publishEdit({ selection: [], opened: this.state.opened + 1, openedViewport: kept.viewport, scope: '', framing: this.state.framing + 1 });
  }
  /** The closed undo and redo steps, as autosave keeps them. */
  exportSteps(): HistorySteps {
    return this.history.steps();
  }
  get undoLabel(): string | undefined {
    return this.history.undoLabel;
  }
  get redoLabel(): string | undefined {
    return this.history.redoLabel;
  }
  select(ids: readonly string[]): void {
    const same = ids.length === this.state.selection.length && ids.every((id, i) => id === this.state.selection[i]);
    if (!same) this.publish({ selection: [...ids] });
  }
  /** Open a group on the canvas (its path), or the session itself (''). */
  enter(scope: string): void {
    if (scope === this.state.scope || !graphAt(this.state.doc, scope)) return;
    this.publish({ scope, selection: [], framing: this.state.framing + 1, openedViewport: undefined });
  }
  /** Ask for a view (the inspector's group dialog, ...) from a shortcut. */
  ask(kind: NonNullable<EditorState['asked']>['kind']): void {
    this.publish({ asked: { kind, serial: (this.state.asked?.serial ?? 0) + 1 } });
  }
  /** Ask the canvas to show these nodes (it pans, and zooms out only if they do not fit). */
  reveal(ids: readonly string[]): void {
    if (ids.length) this.publish({ reveal: { ids: [...ids], serial: (this.state.reveal?.serial ?? 0) + 1 } });
  }
  notify(kind: Notice['kind'], text: string, actions?: readonly NoticeAction[]): void {
    const notice: Notice = { id: ++this.noticeId, kind, text, ...(actions?.length ? { actions } : {}) };
    // The four newest; a notice with actions (storage full, open in another tab) is kept over older plain ones.
    const kept = [...this.state.notices, notice];
    while (kept.length > 4) {
      const plain = kept.findIndex((n) => !n.actions);
      kept.splice(plain >= 0 && plain < kept.length - 1 ? plain : 0, 1);
    }
    this.publish({ notices: kept });
  }
  dismissAll(): void {
    if (this.state.notices.length) this.publish({ notices: [] });
  }
  dismiss(id: number): void {
    this.publish({ notices: this.state.notices.filter((n) => n.id !== id) });
  }
}

export function useEditor<T>(store: EditorStore, pick: (s: EditorState) => T): T {
  return useSyncExternalStore(store.subscribe, () => pick(store.getState()));
}
