// Where the canvas is: the session, or a group inside it (groups nest). Each step back is a button;
// Escape on the canvas goes up one level too.
import { nodeAt, PATH_SEPARATOR } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';

export function Breadcrumb() {
  const { store } = useServices();
  const scope = useEditor(store, (s) => s.scope);
  const doc = useEditor(store, (s) => s.doc);
  if (!scope) return null;
  const parts = scope.split(PATH_SEPARATOR);
  const steps = parts.map((_, i) => {
    const path = parts.slice(0, i + 1).join(PATH_SEPARATOR);
    const node = nodeAt(doc, path);
    return { path, name: node?.label || node?.id || path };
  });
  return (
    <nav className="breadcrumb" aria-label="Where you are">
      <ol>
        <li>
          <button type="button" onClick={() => store.enter('')}>
            {doc.name || 'Session'}
          </button>
        </li>
        {steps.map((s, i) =>
          i === steps.length - 1 ? (
            <li key={s.path} aria-current="page">
              {s.name}
            </li>
          ) : (
            <li key={s.path}>
              <button type="button" onClick={() => store.enter(s.path)}>
                {s.name}
              </button>
            </li>
          ),
        )}
      </ol>
      <button type="button" aria-label="Close group (up one level)" title="Up one level (Escape)" onClick={() => store.enter(parts.slice(0, -1).join(PATH_SEPARATOR))}>
        ↑
      </button>
    </nav>
  );
}
