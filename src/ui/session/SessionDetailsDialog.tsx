// The session's own details: its name, description, author and tags, edited in place. Every edit is
// an undo step (typing in one field is one step), saved with the session like any other change.
import { useState } from 'react';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { useEditor } from '../store.ts';
import { parseTags, setSessionMeta, setSessionName, setSessionTags } from './commands.ts';

export function SessionDetailsDialog({ onClose }: { onClose(): void }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  // Tags are typed as text; the list is set from it as the user types, the text kept as typed.
  const [tags, setTags] = useState(() => doc.meta.tags.join(', '));
  return (
    <Dialog title="Session details" className="session-details-dialog" closeLabel="Close session details" onClose={onClose}>
      <label className="chain-field">
        <span>Name</span>
        <input type="text" value={doc.name} maxLength={200} onChange={(e) => store.run(setSessionName(e.target.value))} />
      </label>
      <label className="chain-field chain-field-top">
        <span>Description</span>
        <textarea rows={4} value={doc.meta.description} maxLength={4000} onChange={(e) => store.run(setSessionMeta('description', e.target.value))} />
      </label>
      <label className="chain-field">
        <span>Author</span>
        <input type="text" value={doc.meta.author} maxLength={200} onChange={(e) => store.run(setSessionMeta('author', e.target.value))} />
      </label>
      <label className="chain-field">
        <span>Tags</span>
        <input
          type="text"
          value={tags}
          placeholder="mix, live, 2024"
          aria-describedby="session-tags-hint"
          onChange={(e) => {
            setTags(e.target.value);
            store.run(setSessionTags(parseTags(e.target.value)));
          }}
        />
      </label>
      <p id="session-tags-hint" className="dialog-note">
        Separate tags with commas. {doc.nodes.length} nodes, {doc.edges.length} connections.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
