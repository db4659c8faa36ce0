// What the mastering dialogs share: focus moves into the dialog when it opens, Escape closes it
// (unless it is busy, e.g. mid-export).
import { useEffect } from 'react';

/** A stable ref callback: focuses the dialog once when it mounts, not on every render. */
export const focusOnMount = (el: HTMLElement | null) => el?.focus({ preventScroll: true });

export function useEscapeToClose(onClose: () => void, busy = false): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, busy]);
}
