// The frame every mastering dialog shares: a titled role="dialog" section that takes the focus when
// it opens, a close button, and Escape to close (both held while the dialog is busy, e.g. mid-export).
import './mastering.css';
import { useEffect, useId, type ReactNode } from 'react';

/** A stable ref callback: focuses the dialog once when it mounts, not on every render. */
const focusOnMount = (el: HTMLElement | null) => el?.focus({ preventScroll: true });

function useEscapeToClose(onClose: (() => void) | undefined, busy: boolean): void {
  useEffect(() => {
    if (!onClose) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, busy]);
}

export interface DialogProps {
  title: string;
  /** Extra class names beside mastering-dialog. */
  className: string;
  /** The close button's accessible name. */
  closeLabel: string;
  /** No close button and no Escape without it (e.g. a view shown on its own in Storybook). */
  onClose?: () => void;
  busy?: boolean;
  children: ReactNode;
}

export function Dialog({ title, className, closeLabel, onClose, busy = false, children }: DialogProps) {
  const titleId = useId();
  useEscapeToClose(onClose, busy);
  return (
    <section className={`mastering-dialog ${className}`} role="dialog" aria-labelledby={titleId} tabIndex={-1} ref={focusOnMount}>
      <h2 id={titleId}>{title}</h2>
      {onClose && (
        <button type="button" className="dialog-close" aria-label={closeLabel} onClick={onClose} disabled={busy}>
          ×
        </button>
      )}
      {children}
    </section>
  );
}
