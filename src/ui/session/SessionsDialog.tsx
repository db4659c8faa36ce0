// The recent sessions: every session the browser keeps, newest first, with its date, node count and
// size; open, duplicate or delete one. The open session cannot be deleted from under itself.
import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import type { SessionSummary } from '../persist/db.ts';
import { useEditor } from '../store.ts';
import { formatBytes, formatWhen } from './format.ts';

export function SessionsDialog({ onClose }: { onClose(): void }) {
  const { keeper, store } = useServices();
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [usage, setUsage] = useState<string>('');
  // The open session's name as it is now (its summary is saved within a second).
  const openName = useEditor(store, (s) => s.doc.name);
  const refresh = useCallback(() => {
    if (!keeper) return;
    void keeper.list().then(setSessions);
    void navigator.storage
      ?.estimate?.()
      .then((e) => setUsage(e.usage !== undefined && e.quota ? `The browser keeps ${formatBytes(e.usage)} for Mixgraph, of ${formatBytes(e.quota)} it allows.` : ''))
      .catch(() => {});
  }, [keeper]);
  useEffect(() => {
    refresh();
    return keeper?.onSessionsChange(refresh);
  }, [keeper, refresh]);

  if (!keeper?.db) {
    return (
      <Dialog title="Sessions" className="sessions-dialog" closeLabel="Close sessions" onClose={onClose}>
        <p className="dialog-note">This browser does not let Mixgraph keep sessions, so there are none to list. Save your work as a package or JSON file.</p>
      </Dialog>
    );
  }

  const open = async (id: string) => {
    if (await keeper.openStored(id)) onClose();
  };
  const duplicate = async (id: string) => {
    const copy = await keeper.duplicate(id);
    if (copy) store.notify('info', `Made “${copy.name}”.`);
  };
  const remove = async (s: SessionSummary) => {
    await keeper.remove(s.id);
    setConfirm(null);
    store.notify('info', `Deleted “${s.name}” and the audio only it used.`);
  };

  return (
    <Dialog title="Sessions" className="sessions-dialog" closeLabel="Close sessions" onClose={onClose}>
      <p className="dialog-note">Everything you do is kept in this browser as you work. Open a session to go on with it; the one open now is saved first.</p>
      {sessions === null ? (
        <p className="dialog-note">Reading…</p>
      ) : sessions.length === 0 ? (
        <p className="dialog-note">No session is kept yet: the first change you make starts one.</p>
      ) : (
        <table className="sessions-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Changed</th>
              <th scope="col">Nodes</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => {
              const isOpen = s.id === keeper.id;
              const name = isOpen ? openName : s.name;
              return (
                <tr key={s.id} className={isOpen ? 'session-open' : undefined} aria-current={isOpen ? 'true' : undefined}>
                  <th scope="row">
                    {name}
                    {isOpen && <span className="session-badge"> open</span>}
                  </th>
                  <td title={new Date(s.updated).toLocaleString()}>{formatWhen(s.updated)}</td>
                  <td className="number">{s.nodeCount}</td>
                  <td className="number">{formatBytes(s.size)}</td>
                  <td className="session-actions">
                    {confirm === s.id ? (
                      <>
                        <span>Delete “{name}” for good?</span>
                        <button type="button" className="danger" onClick={() => void remove(s)}>
                          Delete
                        </button>
                        <button type="button" onClick={() => setConfirm(null)}>
                          Keep
                        </button>
                      </>
                    ) : (
                      <>
                        <button type="button" disabled={isOpen} aria-label={`Open ${name}`} onClick={() => void open(s.id)}>
                          Open
                        </button>
                        <button type="button" aria-label={`Duplicate ${name}`} onClick={() => void duplicate(s.id)}>
                          Duplicate
                        </button>
                        <button
                          type="button"
                          disabled={isOpen}
                          aria-label={`Delete ${name}`}
                          title={isOpen ? 'Open another session first: this one is in use' : undefined}
                          onClick={() => setConfirm(s.id)}
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {usage && <p className="dialog-note">{usage}</p>}
    </Dialog>
  );
}
