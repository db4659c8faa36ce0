// Snapshots in the header: one button per stored state of the whole session's parameters (A, B,
// C...). A click recalls it at once, while playing too (the running graph gets the changed values as
// a diff); each recall is one undo step. The button whose state is the current one is lit. "+"
// stores the current state; Manage renames, updates, reorders and deletes. Alt+1..9 recall.
import { useEffect, useMemo, useState } from 'react';
import {
  captureSnapshot,
  deleteSnapshot,
  matchingSnapshot,
  moveSnapshot,
  nextSnapshotName,
  recallSnapshot,
  renameSnapshot,
  updateSnapshot,
} from '../../model/snapshots.ts';
import type { EditorStore } from '../store.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { useEditor } from '../store.ts';

function recall(store: EditorStore, id: string): void {
  const snap = store.getState().doc.snapshots?.find((s) => s.id === id);
  if (snap) store.run({ ...recallSnapshot(id), label: `Recall snapshot ${snap.name}` });
}

export function SnapshotBar() {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const snapshots = doc.snapshots ?? [];
  const current = useMemo(() => matchingSnapshot(doc), [doc]);
  const [managing, setManaging] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || !/^Digit[1-9]$/.test(e.code)) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"]')) return;
      const snap = store.getState().doc.snapshots?.[Number(e.code.slice(5)) - 1];
      if (!snap) return;
      e.preventDefault();
      recall(store, snap.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
  const store1 = () => {
    const name = nextSnapshotName(store.getState().doc);
    if (store.run(captureSnapshot(name))) store.notify('info', `Stored the session's settings as snapshot ${name}. Click it to come back to them, even while playing.`);
  };
  return (
    <div className="toolbar snapshot-bar" role="toolbar" aria-label="Snapshots">
      <span className="snapshot-title">Snapshots</span>
      {snapshots.map((s, i) => (
        <button
          key={s.id}
          type="button"
          className="snapshot"
          aria-pressed={current === s.id}
          aria-label={`Snapshot ${s.name}`}
          title={`Recall snapshot ${s.name}${i < 9 ? ` (Alt+${i + 1})` : ''}${current === s.id ? ': the settings now' : ''}`}
          onClick={() => recall(store, s.id)}
        >
          {s.name}
        </button>
      ))}
      <button type="button" aria-label="Store a snapshot" title="Store the current settings as a new snapshot" onClick={store1}>
        +
      </button>
      {snapshots.length > 0 && (
        <button type="button" aria-haspopup="dialog" aria-label="Manage snapshots" title="Rename, update, reorder or delete snapshots" onClick={() => setManaging(true)}>
          ⋯
        </button>
      )}
      {managing && <SnapshotsDialog onClose={() => setManaging(false)} />}
    </div>
  );
}

export function SnapshotsDialog({ onClose }: { onClose(): void }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const snapshots = doc.snapshots ?? [];
  const current = matchingSnapshot(doc);
  return (
    <Dialog title="Snapshots" className="snapshots-dialog" closeLabel="Close snapshots" onClose={onClose}>
      <p className="dialog-note">Each snapshot holds every node’s settings (inside groups too). Update replaces a snapshot with the settings now.</p>
      <ol className="snapshot-list">
        {snapshots.map((s, i) => (
          <li key={s.id}>
            <input type="text" aria-label={`Name of snapshot ${i + 1}`} value={s.name} maxLength={60} onChange={(e) => e.target.value.trim() && store.run(renameSnapshot(s.id, e.target.value))} />
            <span className="dialog-note">{current === s.id ? 'the settings now' : ''}</span>
            <button type="button" onClick={() => recall(store, s.id)}>
              Recall
            </button>
            <button type="button" onClick={() => store.run(updateSnapshot(s.id))} disabled={current === s.id}>
              Update from now
            </button>
            <button type="button" aria-label={`Move ${s.name} up`} disabled={i === 0} onClick={() => store.run(moveSnapshot(s.id, i - 1))}>
              ↑
            </button>
            <button type="button" aria-label={`Move ${s.name} down`} disabled={i === snapshots.length - 1} onClick={() => store.run(moveSnapshot(s.id, i + 1))}>
              ↓
            </button>
            <button type="button" aria-label={`Delete ${s.name}`} onClick={() => store.run(deleteSnapshot(s.id))}>
              Delete
            </button>
          </li>
        ))}
      </ol>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
