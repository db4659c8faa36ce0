// Copy share link (the session in the URL's fragment, no audio), and what a person opening such a
// link sees: what it holds (name, description, nodes, the audio it leaves out) before anything
// changes, then replace the open session (one undo step), open it as a new session, or neither.
import { useEffect, useState } from 'react';
import { getDefinition } from '../../../nodes/registry.ts';
import { fileParams, walkNodes, type SessionDoc } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';
import { savePackage } from '../session/package.ts';
import { useEditor } from '../store.ts';
import { MAX_LINK_CHARS, openShared, shareLink, sharedPayload } from './link.ts';
import { replaceSession } from './replace.ts';

const pageBase = () => location.href.replace(/#.*$/, '');

/** Make the link, copy it, and show it (for a manual copy when the clipboard is refused). */
export function ShareLinkDialog({ onClose }: { onClose(): void }) {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const [state, setState] = useState<{ url: string; copied: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    void shareLink(doc, pageBase()).then(async (made) => {
      if (!live) return;
      if ('tooLong' in made) {
        onClose();
        store.notify('error', `This session is too large for a link (${Math.round(made.tooLong / 1024)} K characters; links are kept under ${MAX_LINK_CHARS / 1024} K so that mail and chat carry them whole). Send it as a package instead: one file with its audio.`, [
          { label: 'Save package', run: () => void savePackage(store, audio) },
        ]);
        return;
      }
      const copied = await navigator.clipboard?.writeText(made.url).then(
        () => true,
        () => false,
      );
      if (live) setState({ url: made.url, copied: copied === true });
    });
    return () => {
      live = false;
    };
  }, [doc, store, audio, onClose]);
  const files = new Set(fileParams(doc).map((f) => f.value)).size;
  return (
    <Dialog title="Share link" className="share-dialog" closeLabel="Close share link" onClose={onClose}>
      {!state ? (
        <p className="dialog-note">Making the link…</p>
      ) : (
        <>
          <p className="dialog-note">
            {state.copied ? 'Copied to the clipboard. ' : ''}Anyone who opens this link sees “{doc.name}” and chooses whether to open it. It is in the link itself ({state.url.length.toLocaleString()}{' '}
            characters): nothing is uploaded.
            {files > 0 && ` The ${files} audio file${files === 1 ? ' is' : 's are'} not in it: the tracks wait to be relinked. To send the audio too, save a package.`}
          </p>
          <label className="chain-field">
            <span>Link</span>
            <input type="text" readOnly value={state.url} onFocus={(e) => e.currentTarget.select()} aria-label="Share link" />
          </label>
          <div className="dialog-actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(state.url).then(() => setState({ ...state, copied: true }))}>
              Copy
            </button>
            <button type="button" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

/** "Drums → Drums EQ → ..." grouped by type for a glance at what a session holds. */
function nodeSummary(doc: SessionDoc): { title: string; names: string[] }[] {
  const byType = new Map<string, string[]>();
  for (const { node } of walkNodes(doc)) {
    const title = getDefinition(node.type)?.title ?? node.type;
    byType.set(title, [...(byType.get(title) ?? []), node.label || node.id]);
  }
  return [...byType].map(([title, names]) => ({ title, names }));
}

/** Clear the fragment without a page load or a history entry: a reload does not ask again. */
function clearFragment(): void {
  history.replaceState(history.state, '', location.pathname + location.search);
}

/** Watches the address for a shared session, shows what it holds, and does what the user picks. */
export function SharedSessionPrompt() {
  const { store, keeper } = useServices();
  const [shared, setShared] = useState<SessionDoc | null>(null);
  useEffect(() => {
    const look = () => {
      const payload = sharedPayload(location.hash);
      if (payload === null) return;
      openShared(payload).then(setShared, (err: Error) => {
        clearFragment();
        store.notify('error', `This share link cannot be opened: ${err.message}. Nothing changed.`);
      });
    };
    look();
    addEventListener('hashchange', look);
    return () => removeEventListener('hashchange', look);
  }, [store]);
  if (!shared) return null;
  const close = () => {
    clearFragment();
    setShared(null);
  };
  const replace = () => {
    if (store.run(replaceSession(shared))) store.notify('info', `Opened “${shared.name}” in place of the session you had: Undo brings yours back.`);
    close();
  };
  const asNew = async () => {
    if (keeper) await keeper.openNew(shared);
    else store.open(shared);
    store.notify('info', `Opened “${shared.name}” as a new session; the one you had is kept in Sessions.`);
    close();
  };
  return <SharedSessionView shared={shared} onReplace={replace} onNew={() => void asNew()} onClose={close} />;
}

/** What a share link holds, shown before anything changes, and the three ways on. */
export function SharedSessionView({ shared, onReplace, onNew, onClose }: { shared: SessionDoc; onReplace(): void; onNew(): void; onClose(): void }) {
  const files = [...new Set(fileParams(shared).map((f) => f.value))];
  const close = onClose;
  const replace = onReplace;
  const asNew = onNew;
  return (
    <Dialog title="A shared session" className="shared-dialog" closeLabel="Close shared session" onClose={close}>
      <dl className="shared-facts">
        <dt>Name</dt>
        <dd>{shared.name}</dd>
        {shared.meta.author && (
          <>
            <dt>Author</dt>
            <dd>{shared.meta.author}</dd>
          </>
        )}
        <dt>Description</dt>
        <dd>{shared.meta.description || <em>none</em>}</dd>
        {shared.meta.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>{shared.meta.tags.join(', ')}</dd>
          </>
        )}
        <dt>Nodes</dt>
        <dd>
          <ul className="shared-nodes" aria-label="Nodes in the shared session">
            {nodeSummary(shared).map((g) => (
              <li key={g.title}>
                <strong>{g.title}</strong>: {g.names.join(', ')}
              </li>
            ))}
          </ul>
        </dd>
        {files.length > 0 && (
          <>
            <dt>Audio</dt>
            <dd>
              Not in the link: {files.join(', ')}. The tracks wait for you to relink them (or ask for the package).
            </dd>
          </>
        )}
      </dl>
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Not now
        </button>
        <button type="button" onClick={asNew}>
          Open as a new session
        </button>
        <button type="button" onClick={replace}>
          Replace the open session
        </button>
      </div>
    </Dialog>
  );
}
