// The Mixer view: a pane under the canvas with one channel strip per track, bus and master,
// editing the same document as the graph (one undo history). Tracks are grouped by category;
// "Suggest categories" sets the categories that file names suggest for tracks still at "other",
// one undo step, never touching a category the user chose.
import { useMemo } from 'react';
import { splitPath, PATH_SEPARATOR } from '../../model/document.ts';
import { applyCategories, categorySuggestions } from '../../mixing/categories.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { Strip } from './Strip.tsx';
import { mixerStrips } from './strips.ts';
import './mixer.css';

export function MixerView({ onClose }: { onClose?: () => void }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const selection = useEditor(store, (s) => s.selection);
  const scope = useEditor(store, (s) => s.scope);
  const groups = useMemo(() => mixerStrips(doc), [doc]);
  const suggestions = useMemo(() => categorySuggestions(doc), [doc]);
  const selected = new Set(selection.map((id) => (scope ? `${scope}${PATH_SEPARATOR}${id}` : id)));
  const select = (path: string) => {
    // The graph shows one level at a time: open the strip's group (or the session) first.
    const parts = splitPath(path);
    store.enter(parts.slice(0, -1).join(PATH_SEPARATOR));
    const id = parts[parts.length - 1];
    store.select([id]);
    store.reveal([id]);
  };
  return (
    <section className="mixer" aria-label="Mixer">
      <header className="mixer-header">
        <h2>Mixer</h2>
        {suggestions.length > 0 && (
          <button
            type="button"
            onClick={() => store.run(applyCategories(suggestions.map((s) => ({ path: s.path, category: s.suggested }))))}
            title={suggestions.map((s) => `${s.label}: ${s.suggested} (from “${s.from}”)`).join('\n')}
          >
            Suggest categories ({suggestions.length})
          </button>
        )}
        {onClose && (
          <button type="button" className="mixer-close" aria-label="Close the mixer" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <div className="mixer-strips">
        {groups.map((g) => (
          <div key={g.key} className="mixer-group" role="group" aria-label={g.title} style={{ '--strip-color': g.color ?? 'var(--muted)' } as React.CSSProperties}>
            <h3>{g.title}</h3>
            <div className="mixer-group-strips">
              {g.strips.map((s) => (
                <Strip key={s.path} entry={s} selected={selected.has(s.path)} onSelect={select} />
              ))}
            </div>
          </div>
        ))}
        {groups.length === 0 && <p className="mixer-empty">No tracks yet: drop audio files on the canvas.</p>}
      </div>
    </section>
  );
}
