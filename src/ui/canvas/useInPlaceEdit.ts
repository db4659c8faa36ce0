// Editing a note's text or a frame's label where it stands: a double-click or Enter (on the focused
// note or frame) opens the field, a click elsewhere or Ctrl/Cmd+Enter (Enter for a label) keeps the
// text as one undo step, Escape drops it. A note or frame just added opens ready to type.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { takeEditRequest } from './annotations.ts';

export function useInPlaceEdit(id: string, value: string, readOnly: boolean, save: (next: string) => void, root: RefObject<HTMLElement | null>) {
  const [draft, setDraft] = useState<string | null>(() => (takeEditRequest(id) && !readOnly ? value : null));
  const latest = useRef({ draft, value, save });
  latest.current = { draft, value, save };
  const wrapper = useCallback(() => root.current?.closest<HTMLElement>('.react-flow__node') ?? null, [root]);

  const open = useCallback(() => {
    if (!readOnly) setDraft(latest.current.value);
  }, [readOnly]);
  const close = useCallback(
    (keep: boolean) => {
      const { draft: d, value: v, save: s } = latest.current;
      setDraft(null);
      if (keep && d !== null && d !== v) s(d);
      // Back to the note or frame itself, so the keyboard carries on from there (Tab, Delete, Enter again).
      requestAnimationFrame(() => wrapper()?.focus({ preventScroll: true }));
    },
    [wrapper],
  );

  // Enter on the focused note or frame (React Flow's node wrapper holds the focus, not our element).
  useEffect(() => {
    const el = wrapper();
    if (!el || readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.target === el && e.key === 'Enter' && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        e.preventDefault();
        open();
      }
    };
    el.addEventListener('keydown', onKey);
    return () => el.removeEventListener('keydown', onKey);
  }, [wrapper, open, readOnly]);

  return { draft, setDraft, open, close };
}
