import './mastering.css';
import { useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { edgeKey, type DocEdge } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { ABSwitch, useLoadReference } from './ABSwitch.tsx';
import { referenceOf } from './analysis.ts';
import { FileButton } from '../FileButton.tsx';
import { ChainDialog } from './ChainDialog.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { DeliveryPanel } from './DeliveryPanel.tsx';

/**
 * The header's mastering tools: insert a chain, the loudness report (with match target), add or
 * change the reference, the A/B switch and the comparison panel (the last two only when the
 * session has a reference).
 */
export function MasteringBar() {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const reference = useMemo(() => referenceOf(doc), [doc]);
  const flow = useReactFlow();
  const loadReference = useLoadReference();
  const [open, setOpen] = useState<null | 'compare' | 'delivery' | { chainAt?: DocEdge }>(null);
  const close = useCallback(() => setOpen(null), []);

  const openChains = () => {
    // The canvas's selected edge, if there is one: React Flow holds edge selection, not the store.
    const picked = flow.getEdges().find((e) => e.selected);
    const chainAt = picked ? store.getState().doc.edges.find((e) => edgeKey(e) === picked.id) : undefined;
    setOpen({ chainAt });
  };

  return (
    <div className="toolbar mastering-bar" role="toolbar" aria-label="Mastering">
      <button type="button" onClick={openChains} aria-haspopup="dialog" title="Put a mastering chain in place of a connection (the selected one, or the one into the master)">
        Insert chain…
      </button>
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open === 'delivery'}
        onClick={() => setOpen(open === 'delivery' ? null : 'delivery')}
        title="The mix's loudness, true peak and pass/fail per delivery target; match a loudness target"
      >
        Loudness report…
      </button>
      <FileButton accept="audio/*,.wav,.flac,.mp3,.ogg" inputLabel="Reference audio file" onFile={(file) => void loadReference(file)} title="An audio file to compare your mix with">
        {reference ? 'Reference file…' : 'Add reference…'}
      </FileButton>
      {reference && (
        <>
          <ABSwitch />
          <button type="button" aria-haspopup="dialog" aria-expanded={open === 'compare'} disabled={!reference.source} onClick={() => setOpen(open === 'compare' ? null : 'compare')}>
            Compare
          </button>
        </>
      )}
      {open === 'compare' && <ComparePanel onClose={close} />}
      {open === 'delivery' && <DeliveryPanel onClose={close} />}
      {open !== null && typeof open === 'object' && <ChainDialog initialEdge={open.chainAt} onClose={close} />}
    </div>
  );
}
