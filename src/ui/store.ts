// The editor's state: the document with its undo history, plus UI-only state (selection,
// messages) that is never saved and never undone. React reads it with useSyncExternalStore.
import { useSyncExternalStore } from 'react';
import type { Command } from '../model/commands.ts';
import type { SessionDoc } from '../model/document.ts';
import { History } from '../model/history.ts';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export interface EditorState {
  doc: SessionDoc;
  canUndo: boolean;
  canRedo: boolean;
  selection: readonly string[];
  notices: readonly Notice[];
  /** How many documents have been opened: the canvas frames each new one (Canvas openingView). */
  opened: number;
  /** Nodes the canvas should bring into view (new ones added off screen); serial tells requests apart. */
  reveal: { ids: readonly string[]; serial: number } | null;
}

export class EditorStore {
  private history: History;
  private state: EditorState;
  private listeners = new Set<() => void>();
  private noticeId = 0;

  constructor(doc: SessionDoc) {
    this.history = new History(doc);
    this.state = { doc: this.history.doc, canUndo: false, canRedo: false, selection: [], notices: [], opened: 0, reveal: null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getState = (): EditorState => this.state;

  private publish(patch: Partial<EditorState>): void {
    const doc = this.history.doc;
    const ids = new Set(doc.nodes.map((n) => n.id));
    const selection = (patch.selection ?? this.state.selection).filter((id) => ids.has(id));
    this.state = { ...this.state, ...patch, doc, canUndo: this.history.canUndo, canRedo: this.history.canRedo, selection };
    for (const l of this.listeners) l();
  }

  /** Run an edit; a failing command changes nothing and shows why. */
  run(command: Command): boolean {
    try {
      this.history.run(command);
    } catch (err) {
      this.notify('error', (err as Error).message);
      return false;
    }
    this.publish({});
    return true;
  }
  undo(): void {
    this.history.undo();
    this.publish({});
  }
  redo(): void {
    this.history.redo();
    this.publish({});
  }
  beginGesture(label: string): void {
    this.history.beginGesture(label);
  }
  endGesture(): void {
    this.history.endGesture();
    this.publish({});
  }
  /** Open another document: history starts afresh. */
  open(doc: SessionDoc): void {
    this.history.reset(doc);
    this.publish({ selection: [], opened: this.state.opened + 1 });
  }
  select(ids: readonly string[]): void {
    const same = ids.length === this.state.selection.length && ids.every((id, i) => id === this.state.selection[i]);
    if (!same) this.publish({ selection: [...ids] });
  }
  /** Ask the canvas to show these nodes (it pans, and zooms out only if they do not fit). */
  reveal(ids: readonly string[]): void {
    if (ids.length) this.publish({ reveal: { ids: [...ids], serial: (this.state.reveal?.serial ?? 0) + 1 } });
  }
  notify(kind: Notice['kind'], text: string): void {
    const notice = { id: ++this.noticeId, kind, text };
    this.publish({ notices: [...this.state.notices.slice(-3), notice] });
  }
  dismiss(id: number): void {
    this.publish({ notices: this.state.notices.filter((n) => n.id !== id) });
  }
}

export function useEditor<T>(store: EditorStore, pick: (s: EditorState) => T): T {
  return useSyncExternalStore(store.subscribe, () => pick(store.getState()));
}
