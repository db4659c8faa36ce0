// "Duck under…" from a track's strip: the track dips while a chosen key plays (the bass under the
// kick, the music under the voice), through a compressor keyed from it: the first one on the
// track's chain with a free sidechain, or a new one at the end of the chain (src/mixing/graph.ts
// duckUnder). One undo step; a refused duck (a loop, across groups) changes nothing and says why.
import { useMemo, useState } from 'react';
import { duckUnder } from '../../mixing/graph.ts';
import { walkNodes } from '../../model/document.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { useEditor } from '../store.ts';

export function DuckDialog({ target, onClose }: { target: string; onClose: () => void }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  // Keys: every other track or bus (a strip of kind track or bus).
  const keys = useMemo(
    () => [...walkNodes(doc)].filter(({ node, path }) => path !== target && ['track', 'bus'].includes(getDefinition(node.type)?.strip?.kind ?? '')).map(({ node, path }) => ({ path, label: node.label || path })),
    [doc, target],
  );
  const [key, setKey] = useState(keys[0]?.path ?? '');
  const targetLabel = [...walkNodes(doc)].find((n) => n.path === target)?.node.label || target;
  const duck = () => {
    let command;
    try {
      command = duckUnder(doc, { key, target });
    } catch (err) {
      store.notify('error', (err as Error).message);
      return;
    }
    if (store.run(command)) onClose();
  };
  return (
    <Dialog title={`Duck ${targetLabel} under…`} className="mixing-dialog duck-dialog" closeLabel="Close duck under" onClose={onClose}>
      <p className="mixing-help">{targetLabel} will dip while the key plays, through a compressor keyed from it (4:1 from -30 dB, 5 ms attack, 120 ms release if a new one is inserted).</p>
      <div className="mixing-row">
        <label>
          Key{' '}
          <select aria-label="Duck under" value={key} onChange={(e) => setKey(e.target.value)}>
            {keys.map((k) => (
              <option key={k.path} value={k.path}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={duck} disabled={!key}>
          Duck
        </button>
      </div>
    </Dialog>
  );
}
