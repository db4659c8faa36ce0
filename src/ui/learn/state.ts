// Which Learn panel is open, and the Listen example it added: UI state, never saved, never undone
// (the example itself is in the document, where Undo reaches it like any edit).
import { useSyncExternalStore } from 'react';
import type { ListenExample } from '../../model/listen.ts';

export interface LearnState {
  /** The type the panel is about and, opened from the inspector, the node (its path); null: closed. */
  open: { type: string; path?: string; serial: number } | null;
  /** The example added last, and whether the transport was stopped before it (Remove stops it again). */
  example: { added: ListenExample; startedPlayback: boolean } | null;
}

let state: LearnState = { open: null, example: null };
const listeners = new Set<() => void>();
const publish = (patch: Partial<LearnState>) => {
  state = { ...state, ...patch };
  for (const l of listeners) l();
};

export const learn = {
  get: (): LearnState => state,
  open(type: string, path?: string): void {
    publish({ open: { type, path, serial: (state.open?.serial ?? 0) + 1 } });
  },
  close(): void {
    publish({ open: null });
  },
  setExample(example: LearnState['example']): void {
    publish({ example });
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useLearn(): LearnState {
  return useSyncExternalStore(learn.subscribe, learn.get);
}
