import './mastering.css';
import { useState } from 'react';
import type { ChainDoc, DocEdge } from '../../model/document.ts';
import { loadChain } from '../../presets/chain.ts';
import { useServices } from '../context.ts';
import { FileButton } from '../FileButton.tsx';
import { Dialog } from './Dialog.tsx';
import { useEditor } from '../store.ts';
import { SHIPPED_CHAINS } from './chains.ts';
import { readDocumentFile } from '../readFile.ts';
import { defaultWhere, insertChainAt, type InsertWhere } from '../presets/insert.ts';
import { WherePicker } from '../presets/WherePicker.tsx';

export interface ChainDialogProps {
  /** The edge to insert into when the dialog opens (the canvas's selected edge), else the edge into the master. */
  initialEdge?: DocEdge;
  onClose(): void;
}

/**
 * Insert a chain: where (the whole mix, asked first when the master has several inputs, or one
 * connection), then a shipped chain or a chain file from disk, as its nodes or as one group. A file
 * that does not load says why and changes nothing; the insertion is one undo step.
 */
export function ChainDialog({ initialEdge, onClose }: ChainDialogProps) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const [where, setWhere] = useState<InsertWhere | null>(() => defaultWhere(store.getState().doc, initialEdge));
  const [asGroup, setAsGroup] = useState(false);
  const [fromFile, setFromFile] = useState<{ name: string; chain: ChainDoc } | null>(null);
  const [choice, setChoice] = useState(SHIPPED_CHAINS[0]?.key ?? '');
  const chain = choice === 'file' ? fromFile?.chain : SHIPPED_CHAINS.find((c) => c.key === choice)?.chain;


  const openFile = async (file: File) => {
    try {
      const loaded = loadChain(await readDocumentFile(file), file.name);
      setFromFile({ name: file.name, chain: loaded });
      setChoice('file');
    } catch (err) {
      store.notify('error', `${file.name} is not a chain Mixgraph can insert; nothing changed. ${(err as Error).message}`);
    }
  };

  const insert = () => {
    if (!chain || !where) return;
    if (insertChainAt(store, chain, where, asGroup)) onClose(); // else the store said why
  };

  return (
    <Dialog title="Insert a chain" className="chain-dialog" closeLabel="Close chain dialog" onClose={onClose}>
      <WherePicker doc={doc} where={where} onWhere={setWhere} asGroup={asGroup} onAsGroup={setAsGroup} />
      <fieldset className="chain-choices">
        <legend>Chain</legend>
        <ul className="chain-list">
          {SHIPPED_CHAINS.map(({ key, chain: c }) => (
            <li key={key}>
              <label>
                <input type="radio" name="chain" value={key} checked={choice === key} onChange={() => setChoice(key)} />
                <span>{c.name}</span>
                <span className="chain-description">
                  {c.nodes.length} nodes: {c.nodes.map((n) => n.label || n.id).join(' → ')}
                </span>
              </label>
            </li>
          ))}
          {fromFile && (
            <li>
              <label>
                <input type="radio" name="chain" value="file" checked={choice === 'file'} onChange={() => setChoice('file')} />
                <span>
                  {fromFile.chain.name} (from {fromFile.name})
                </span>
                <span className="chain-description">
                  {fromFile.chain.nodes.length} nodes: {fromFile.chain.nodes.map((n) => n.label || n.id).join(' → ')}
                </span>
              </label>
            </li>
          )}
        </ul>
      </fieldset>
      <div className="dialog-actions">
        <FileButton accept=".json,application/json" inputLabel="Chain file" onFile={(file) => void openFile(file)}>
          Chain file…
        </FileButton>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" onClick={insert} disabled={!chain || !where}>
          Insert
        </button>
      </div>
    </Dialog>
  );
}
