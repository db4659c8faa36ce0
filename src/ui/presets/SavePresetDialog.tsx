// Save a preset: a chain (from the selected nodes, an inserted chain, or a group) or one node's
// settings, with the name, description, author and tags people search by. Kept in this browser's
// preset library; also offered as a file to share.
import { useMemo, useState } from 'react';
import type { SessionMeta } from '../../model/document.ts';
import { saveDocument } from '../../presets/load.ts';
import { useServices } from '../context.ts';
import { download } from '../download.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { parseTags } from '../session/commands.ts';
import { fileStem } from '../session/names.ts';
import { keepPreset, type PresetDoc } from './library.ts';

export interface SavePresetProps {
  kind: 'chain' | 'node-preset';
  /** What is being saved, for the title: "3 nodes", "Drums comp". */
  what: string;
  defaultName: string;
  /** Makes the preset document; throws with the reason when it cannot be one. */
  make(info: { name: string; meta: SessionMeta }): PresetDoc;
  onClose(): void;
}

export function SavePresetDialog({ kind, what, defaultName, make, onClose }: SavePresetProps) {
  const { store, keeper } = useServices();
  const [name, setName] = useState(defaultName);
  const [description, setDescription] = useState('');
  const [author, setAuthor] = useState('');
  const [tags, setTags] = useState('');
  const info = { name: name.trim() || defaultName, meta: { description, author, tags: parseTags(tags) } };
  // Whether it can be a preset at all (a chain has one input and one output, no sources).
  const problem = useMemo(() => {
    try {
      make(info);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }, [make]);
  const save = async () => {
    let doc: PresetDoc;
    try {
      doc = make(info);
    } catch (err) {
      store.notify('error', (err as Error).message);
      return;
    }
    if (!keeper?.db) {
      download(new Blob([saveDocument(doc)], { type: 'application/json' }), `${fileStem(doc.name)}.json`);
      store.notify('info', `This browser does not keep presets: “${doc.name}” was saved as a file instead.`);
      return onClose();
    }
    try {
      await keepPreset(keeper.db, doc);
    } catch (err) {
      store.notify('error', `“${doc.name}” could not be kept (${(err as Error).message}); it was saved as a file instead.`);
      download(new Blob([saveDocument(doc)], { type: 'application/json' }), `${fileStem(doc.name)}.json`);
      return onClose();
    }
    store.notify('info', `Saved “${doc.name}” to your presets (Presets… → Yours).`);
    onClose();
  };
  const title = kind === 'chain' ? 'Save as chain preset' : 'Save as node preset';
  return (
    <Dialog title={title} className="save-preset-dialog" closeLabel={`Close ${title.toLowerCase()}`} onClose={onClose}>
      <p className="dialog-note">
        {kind === 'chain' ? `A chain of ${what}, to insert on any connection or on the whole mix.` : `The settings of ${what}, to apply to any node of its type.`}
      </p>
      {problem && (
        <p className="export-problem" role="alert">
          {problem}
        </p>
      )}
      <label className="chain-field">
        <span>Name</span>
        <input type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="chain-field chain-field-top">
        <span>Description</span>
        <textarea rows={3} value={description} maxLength={4000} placeholder="What it does and when to use it" onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label className="chain-field">
        <span>Author</span>
        <input type="text" value={author} maxLength={200} onChange={(e) => setAuthor(e.target.value)} />
      </label>
      <label className="chain-field">
        <span>Tags</span>
        <input type="text" value={tags} placeholder="vocal, gentle" onChange={(e) => setTags(e.target.value)} />
      </label>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={problem !== null} onClick={() => void save()}>
          Save preset
        </button>
      </div>
    </Dialog>
  );
}
