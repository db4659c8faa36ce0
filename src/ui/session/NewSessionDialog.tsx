// New session: an empty graph (with its master), a shipped template, or the demo, under a name.
// The session open now is kept; the new one is stored at once and shows in Sessions.
import { useMemo, useState } from 'react';
import { emptySession, type SessionDoc } from '../../model/document.ts';
import { addNode, apply } from '../../model/commands.ts';
import { useServices } from '../context.ts';
import { loadDemo } from '../demo.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { TEMPLATES } from './templates.ts';

/** An empty session: just the master, where a mix ends. */
function emptyWithMaster(name: string): SessionDoc {
  return apply(emptySession(name), addNode({ id: 'master', type: 'master', label: 'Master', position: { x: 600, y: 200 } })).doc;
}

export function NewSessionDialog({ onClose }: { onClose(): void }) {
  const { keeper, store, audio } = useServices();
  const [choice, setChoice] = useState('empty');
  const [name, setName] = useState('');
  const options = useMemo(
    () => [
      { key: 'empty', title: 'Empty session', text: 'A master and nothing else: drop your audio files on the canvas.' },
      ...TEMPLATES.map((t) => ({ key: `template:${t.key}`, title: t.doc.name, text: t.doc.meta.description || `${t.doc.nodes.length} nodes.` })),
      { key: 'demo', title: 'Demo mix', text: 'The demo: four stems, per-track EQ and compression, buses, a reverb send and a mastering chain.' },
    ],
    [],
  );
  const picked = options.find((o) => o.key === choice)!;

  const create = async () => {
    let doc: SessionDoc;
    if (choice === 'empty') doc = emptyWithMaster('Untitled');
    else if (choice === 'demo') doc = loadDemo(audio.sources);
    else doc = TEMPLATES.find((t) => `template:${t.key}` === choice)!.doc;
    const title = name.trim() || (choice === 'empty' ? 'Untitled' : doc.name);
    doc = { ...doc, name: title };
    if (keeper) await keeper.openNew(doc);
    else store.open(doc);
    store.notify('info', `New session “${title}”. The one you had is kept in Sessions.`);
    onClose();
  };

  return (
    <Dialog title="New session" className="new-session-dialog" closeLabel="Close new session" onClose={onClose}>
      <fieldset className="chain-choices">
        <legend>Start from</legend>
        <ul className="chain-list">
          {options.map((o) => (
            <li key={o.key}>
              <label>
                <input type="radio" name="start" value={o.key} checked={choice === o.key} onChange={() => setChoice(o.key)} />
                <span>{o.title}</span>
                <span className="chain-description">{o.text}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <label className="chain-field">
        <span>Name</span>
        <input type="text" value={name} placeholder={choice === 'empty' ? 'Untitled' : picked.title} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" onClick={() => void create()}>
          Create
        </button>
      </div>
    </Dialog>
  );
}
