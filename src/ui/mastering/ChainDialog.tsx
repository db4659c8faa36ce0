import './mastering.css';
import { useMemo, useState } from 'react';
import { insertChain } from '../../model/commands.ts';
import { edgeKey, type ChainDoc, type DocEdge } from '../../model/document.ts';
import { loadChain } from '../../presets/chain.ts';
import { useServices } from '../context.ts';
import { FileButton } from '../FileButton.tsx';
import { Dialog } from './Dialog.tsx';
import { useEditor } from '../store.ts';
import { defaultEdge, describeEdge, SHIPPED_CHAINS } from './chains.ts';
import { readDocumentFile } from '../readFile.ts';
import { placedInFreeRow } from '../canvas/placement.ts';

export interface ChainDialogProps {
  /** The edge to insert into when the dialog opens (the canvas's selected edge), else the edge into the master. */
  initialEdge?: DocEdge;
  onClose(): void;
}

/**
 * Insert a chain between two nodes: pick the edge, then a shipped chain or a chain file from
 * disk. A file that does not load says why and changes nothing; the insertion is one undo step.
 */
export function ChainDialog({ initialEdge, onClose }: ChainDialogProps) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const [edgeId, setEdgeId] = useState(() => {
    const e = initialEdge ?? defaultEdge(store.getState().doc);
    return e ? edgeKey(e) : '';
  });
  const [fromFile, setFromFile] = useState<{ name: string; chain: ChainDoc } | null>(null);
  const [choice, setChoice] = useState(SHIPPED_CHAINS[0]?.key ?? '');
  const edges = useMemo(() => doc.edges.map((e) => ({ id: edgeKey(e), edge: e, text: describeEdge(doc, e) })), [doc]);
  const edge = edges.find((e) => e.id === edgeId)?.edge;
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
    if (!chain || !edge) return;
    let added: string[] = [];
    if (!store.run(placedInFreeRow(insertChain(chain, edge), (ids) => (added = ids)))) return; // the store shows why
    store.select(added);
    store.reveal(added);
    store.notify('info', `Inserted ${chain.name} between ${describeEdge(doc, edge).replace(' → ', ' and ')}.`);
    onClose();
  };

  return (
    <Dialog title="Insert a chain" className="chain-dialog" closeLabel="Close chain dialog" onClose={onClose}>
      <label className="chain-field">
        <span>Between</span>
        <select value={edgeId} onChange={(e) => setEdgeId(e.target.value)}>
          {edges.length === 0 && <option value="">No connections in this session</option>}
          {edges.map((e) => (
            <option key={e.id} value={e.id}>
              {e.text}
            </option>
          ))}
        </select>
      </label>
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
        <button type="button" onClick={insert} disabled={!chain || !edge}>
          Insert
        </button>
      </div>
    </Dialog>
  );
}
