// A menu button (the WAI-ARIA menu button pattern): Enter, Space or Down opens it on its first item,
// Up on its last; arrows, Home and End move; Escape or Tab closes it and the focus returns to the
// button; a click outside closes it.
import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

export interface MenuItem {
  label: string;
  run(): void;
  disabled?: boolean;
  /** A short hint after the label ("Ctrl+G"). */
  hint?: string;
  /** A sentence under the label, when the label alone does not say what the item does. */
  description?: string;
  /** A line above this item. */
  separated?: boolean;
}

export function MenuButton({ label, items, className, title, ariaLabel }: { label: ReactNode; items: readonly MenuItem[]; className?: string; title?: string; ariaLabel?: string }) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      setOpen('first');
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen('last');
    }
  };
  return (
    <div className={`menu ${className ?? ''}`}>
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={Boolean(open)}
        aria-controls={open ? id : undefined}
        title={title}
        aria-label={ariaLabel}
        onClick={() => setOpen(open ? false : 'first')}
        onKeyDown={onButtonKey}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <MenuList
          id={id}
          items={items}
          focus={open}
          className="menu-list"
          inside={button}
          onClose={(refocus) => {
            setOpen(false);
            if (refocus) button.current?.focus();
          }}
        />
      )}
    </div>
  );
}

/**
 * The open list of a menu: its first (or last) item focused, arrows, Home and End move, Escape
 * closes it (`onClose(true)`: give the focus back), Tab or a click outside it (and outside `inside`,
 * its button) closes it without. MenuButton's list, and the canvas's context menus.
 */
export function MenuList({
  items,
  onClose,
  focus = 'first',
  inside,
  header,
  ...rest
}: {
  items: readonly MenuItem[];
  onClose(refocus: boolean): void;
  focus?: 'first' | 'last';
  inside?: RefObject<HTMLElement | null>;
  header?: ReactNode;
  id?: string;
  className?: string;
  style?: CSSProperties;
  'aria-label'?: string;
}) {
  const list = useRef<HTMLUListElement>(null);
  const entries = () => [...(list.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? [])];
  // The latest onClose, so the list focuses its item once, when it opens, not on every render.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const all = entries();
    (focus === 'last' ? all[all.length - 1] : all[0])?.focus();
    const outside = (e: PointerEvent) => {
      if (!list.current?.contains(e.target as Node) && !inside?.current?.contains(e.target as Node)) close.current(false);
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [focus, inside]);
  const onListKey = (e: KeyboardEvent) => {
    const all = entries();
    const i = all.indexOf(document.activeElement as HTMLButtonElement);
    const go = (k: number) => all[(k + all.length) % all.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape') onClose(true);
    else if (e.key === 'Tab') return onClose(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <ul ref={list} role="menu" onKeyDown={onListKey} {...rest}>
      {header}
      {items.map((item) => (
        <li key={item.label} role="none" className={item.separated ? 'menu-separated' : undefined}>
          <button
            type="button"
            role="menuitem"
            disabled={item.disabled}
            tabIndex={-1}
            onClick={() => {
              onClose(true);
              item.run();
            }}
          >
            {item.description ? (
              <span className="menu-item-text">
                <strong>{item.label}</strong>
                <span className="menu-item-description">{item.description}</span>
              </span>
            ) : (
              <span>{item.label}</span>
            )}
            {item.hint && <kbd>{item.hint}</kbd>}
          </button>
        </li>
      ))}
    </ul>
  );
}
