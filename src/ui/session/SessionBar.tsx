// The header's session controls: the Session menu (new, open, sessions, details, save, share), the
// session's name (click to edit its details) and whether it is saved.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { loadSession, saveSession } from '../../presets/load.ts';
import { loadLesson, type LessonDoc } from '../../presets/lesson.ts';
import { useServices } from '../context.ts';
import { download } from '../download.ts';
import { MenuButton, type MenuItem } from '../Menu.tsx';
import type { SaveState, SessionKeeper } from '../persist/keeper.ts';
import { readDocumentFile } from '../readFile.ts';
import { useEditor } from '../store.ts';
import { formatWhen } from './format.ts';
import { fileStem } from './names.ts';
import { isPackageFile, openPackageFile, savePackage } from './package.ts';
import { NewSessionDialog } from './NewSessionDialog.tsx';
import { SessionDetailsDialog } from './SessionDetailsDialog.tsx';
import { SessionsDialog } from './SessionsDialog.tsx';
import { ShareLinkDialog } from '../share/ShareDialogs.tsx';

export type SessionDialog = 'sessions' | 'new' | 'details' | 'share' | null;

const noState = (): SaveState => ({ kind: 'unsaved' });
function useSaveState(keeper: SessionKeeper | undefined): SaveState {
  return useSyncExternalStore(
    (l) => keeper?.onChange(l) ?? (() => {}),
    () => keeper?.state ?? noState(),
  );
}

function SaveStatus({ keeper }: { keeper: SessionKeeper | undefined }) {
  const state = useSaveState(keeper);
  // Re-render now and then so "saved 2 min ago" stays true.
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);
  switch (state.kind) {
    case 'unsaved':
      return <span className="save-status">{keeper?.db ? 'Kept from your first change' : ''}</span>;
    case 'saving':
      return <span className="save-status">Saving…</span>;
    case 'saved':
      return (
        <span className="save-status" title={`Kept in this browser, ${new Date(state.at).toLocaleString()}`}>
          Saved {formatWhen(state.at)}
        </span>
      );
    case 'failed':
      return (
        <span className="save-status save-failed" title={state.message}>
          Not saved
        </span>
      );
    case 'elsewhere':
      return (
        <span className="save-status save-failed" title="Another tab has this session open and keeps it; this tab saves nothing">
          Open in another tab
        </span>
      );
  }
}

/** A lesson file's text: JSON whose "kind" is "lesson" (anything else is opened as a session, with its messages). */
const isLessonText = (text: string) => {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'lesson';
  } catch {
    return false;
  }
};

export function SessionBar({ dialog, setDialog, extraItems = [], onLesson }: { dialog: SessionDialog; setDialog(d: SessionDialog): void; extraItems?: readonly MenuItem[]; onLesson?(lesson: LessonDoc): void }) {
  const { store, keeper, audio } = useServices();
  const name = useEditor(store, (s) => s.doc.name);
  const fileInput = useRef<HTMLInputElement>(null);
  const closeDialog = useCallback(() => setDialog(null), [setDialog]);

  const saveJson = () => {
    const doc = store.getState().doc;
    download(new Blob([saveSession(doc)], { type: 'application/json' }), `${fileStem(doc.name)}.json`);
  };
  const openFile = async (file: File) => {
    if (await isPackageFile(file)) return void (await openPackageFile(file, store, audio, keeper, onLesson));
    try {
      const text = await readDocumentFile(file);
      if (onLesson && isLessonText(text)) {
        const lesson = loadLesson(text, file.name);
        if (keeper) await keeper.openNew(lesson.session);
        else store.open(lesson.session);
        return onLesson(lesson);
      }
      const doc = loadSession(text, file.name);
      if (keeper) await keeper.openNew(doc);
      else store.open(doc);
    } catch (err) {
      store.notify('error', (err as Error).message);
    }
  };

  const items: MenuItem[] = [
    { label: 'New session…', run: () => setDialog('new') },
    { label: 'Open file…', run: () => fileInput.current?.click() },
    { label: 'Sessions…', run: () => setDialog('sessions'), disabled: !keeper },
    { label: 'Session details…', run: () => setDialog('details') },
    { label: 'Save package', run: () => void savePackage(store, audio), separated: true, hint: '.mixgraph' },
    { label: 'Save JSON', run: saveJson, hint: 'no audio' },
    { label: 'Copy share link', run: () => setDialog('share'), hint: 'no audio' },
    ...extraItems,
  ];

  return (
    <div className="session-bar">
      <MenuButton label="Session" items={items} title="New, open, save and share sessions" />
      <button type="button" className="session-name" title="Name, description, author and tags" onClick={() => setDialog('details')}>
        {name || 'Untitled'}
      </button>
      <SaveStatus keeper={keeper} />
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json,.mixgraph"
        hidden
        aria-label="Open session file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void openFile(file);
        }}
      />
      {dialog === 'sessions' && <SessionsDialog onClose={() => setDialog(null)} />}
      {dialog === 'new' && <NewSessionDialog onClose={() => setDialog(null)} />}
      {dialog === 'details' && <SessionDetailsDialog onClose={() => setDialog(null)} />}
      {dialog === 'share' && <ShareLinkDialog onClose={closeDialog} />}
    </div>
  );
}
