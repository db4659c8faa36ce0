import { useReactFlow } from '@xyflow/react';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { Category, NodeDefinition } from '../../../nodes/define.ts';
import { definitions } from '../../../nodes/registry.ts';
import { useServices } from '../context.ts';
import { CATEGORY_COLORS, CATEGORY_LABELS } from '../theme.ts';
import { learn } from '../learn/state.ts';
import { addNodeOfType, PALETTE_MIME } from './add.ts';

/** How well a node type matches the search `q` (lower case): 0 is best, -1 is no match. */
function matchRank(d: NodeDefinition, q: string): number {
  const title = d.title.toLowerCase();
  if (title === q || d.type === q) return 0;
  if (title.startsWith(q) || d.type.startsWith(q)) return 1;
  if (title.includes(q) || d.type.includes(q)) return 2;
  if (d.category.includes(q)) return 3;
  return d.description.toLowerCase().includes(q) ? 4 : -1;
}

/**
 * One palette entry: the button to click or drag, and its description as a tooltip beside the
 * palette, shown on hover and on keyboard focus (a title attribute shows on hover only, after a
 * delay, and never to a keyboard user). The button is described by it for screen readers.
 */
function PaletteEntry({ d, onAdd }: { d: NodeDefinition; onAdd(type: string): void }) {
  const id = useId();
  const [at, setAt] = useState<{ top: number; left: number } | null>(null);
  const show = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    // Beside the entry, kept inside the window near the bottom of a long palette.
    setAt({ top: Math.min(r.top, window.innerHeight - 160), left: r.right + 8 });
  };
  const hide = () => setAt(null);
  return (
    <li className="palette-entry">
      <button
        type="button"
        className="palette-add"
        draggable
        aria-label={`Add ${d.title}`}
        aria-describedby={id}
        aria-keyshortcuts={d.learn ? '?' : undefined}
        style={{ borderLeftColor: CATEGORY_COLORS[d.category] }}
        onDragStart={(e) => {
          hide();
          e.dataTransfer.setData(PALETTE_MIME, d.type);
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onPointerEnter={(e) => show(e.currentTarget)}
        onPointerLeave={hide}
        onFocus={(e) => show(e.currentTarget)}
        onBlur={hide}
        onKeyDown={(e) => {
          if (e.key === 'Escape') hide();
          // ? on an entry opens its Learn panel (the ? button beside it is for the pointer).
          if (e.key === '?' && d.learn) {
            e.preventDefault();
            hide();
            learn.open(d.type);
          }
        }}
        onClick={() => onAdd(d.type)}
      >
        {d.title}
      </button>
      {d.learn && (
        // Out of the Tab order (one stop per entry; ? on the entry does the same), described by the same tooltip.
        <button
          type="button"
          className="palette-learn"
          tabIndex={-1}
          aria-label={`Learn about ${d.title}`}
          aria-describedby={id}
          onPointerEnter={(e) => show(e.currentTarget.previousElementSibling as HTMLElement)}
          onPointerLeave={hide}
          onClick={() => {
            hide();
            learn.open(d.type);
          }}
        >
          ?
        </button>
      )}
      {/* Always in the DOM (aria-describedby needs it); drawn only while shown. */}
      <div id={id} role="tooltip" className="palette-tooltip" hidden={!at} style={at ?? undefined}>
        <strong>{d.title}</strong> {d.description}
      </div>
    </li>
  );
}

/** Every node type, grouped by category; search, then drag one out or press Enter to add it at the centre. */
export function Palette() {
  const { store } = useServices();
  const flow = useReactFlow();
  const [query, setQuery] = useState('');
  // Best match first, so Enter adds what was typed: "eq" must add the EQ, not the test signal
  // whose description says "frequency".
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return definitions;
    return definitions
      .map((d) => ({ d, rank: matchRank(d, q) }))
      .filter((m) => m.rank >= 0)
      .sort((a, b) => a.rank - b.rank)
      .map((m) => m.d);
  }, [query]);
  const groups = useMemo(() => {
    const byCategory = new Map<Category, typeof matches>();
    for (const d of matches) byCategory.set(d.category, [...(byCategory.get(d.category) ?? []), d]);
    return [...byCategory];
  }, [matches]);

  const addAtCentre = (type: string) => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    const centre = pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: window.innerWidth / 2, y: window.innerHeight / 2 };
    addNodeOfType(store, type, flow.screenToFlowPosition(centre));
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && matches[0]) {
      e.preventDefault();
      addAtCentre(matches[0].type);
    }
  };

  return (
    <nav className="palette" aria-label="Node palette">
      <input
        type="search"
        placeholder="Search nodes…"
        aria-label="Search nodes (Enter adds the first match)"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKey}
      />
      {groups.map(([category, defs]) => (
        <section key={category} aria-label={CATEGORY_LABELS[category]}>
          {/* The category colour marks the heading; the text itself stays legible (WCAG contrast). */}
          <h2 style={{ borderLeftColor: CATEGORY_COLORS[category] }}>{CATEGORY_LABELS[category]}</h2>
          <ul>
            {defs.map((d) => (
              <PaletteEntry key={d.type} d={d} onAdd={addAtCentre} />
            ))}
          </ul>
        </section>
      ))}
      {matches.length === 0 && <p className="palette-empty">No node matches “{query}”.</p>}
    </nav>
  );
}
