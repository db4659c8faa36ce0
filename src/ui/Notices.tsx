// Errors, warnings and results, over the top of the canvas.
import { useEffect, useState } from 'react';
import { useServices } from './context.ts';
import { useEditor, type Notice } from './store.ts';

/** How long an info notice stays (errors stay until dismissed). Held while the pointer or focus is on it. */
export const INFO_NOTICE_MS = 6000;

function NoticeItem({ notice }: { notice: Notice }) {
  const { store } = useServices();
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (notice.kind !== 'info' || notice.actions || held) return;
    const timer = setTimeout(() => store.dismiss(notice.id), INFO_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [store, notice, held]);
  return (
    <p
      className={`notice notice-${notice.kind}`}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <span className="notice-text">{notice.text}</span>
      {notice.actions?.map((a) => (
        <button
          key={a.label}
          type="button"
          className="notice-action"
          onClick={() => {
            store.dismiss(notice.id);
            a.run();
          }}
        >
          {a.label}
        </button>
      ))}
      <button type="button" aria-label="Dismiss" onClick={() => store.dismiss(notice.id)}>
        ×
      </button>
    </p>
  );
}

/**
 * Errors and results, at the top of the canvas: never over the zoom controls or the minimap at its
 * bottom corners. Info notices leave by themselves; errors stay until dismissed.
 */
export function Notices() {
  const { store } = useServices();
  const notices = useEditor(store, (s) => s.notices);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} />
      ))}
    </div>
  );
}

