import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { moveNodes, removeNodes } from '../model/commands.ts';
import { edgeKey, graphAt, type DocEdge } from '../model/document.ts';
import { PresetBrowser } from './presets/PresetBrowser.tsx';
import { ungroup } from '../model/groups.ts';
import { saveSession } from '../presets/load.ts';
import { Canvas, FIT_VIEW, openingView } from './canvas/Canvas.tsx';
import { AnnotationBar } from './canvas/AnnotationBar.tsx';
import { SoloStatus } from './solo/Solo.tsx';
import { copy, paste, type Clip } from './clipboard.ts';
import { ServicesContext, useServices, type Services } from './context.ts';
import type { LiveAudio } from './audio.ts';
import { Inspector } from './inspector/Inspector.tsx';
import { download } from './download.ts';
import { SessionBar, type SessionDialog } from './session/SessionBar.tsx';
import { LessonPanel } from './lessons/LessonPanel.tsx';
import { LessonsDialog } from './lessons/LessonsDialog.tsx';
import { LearnPanel } from './learn/LearnPanel.tsx';
import type { LessonDoc } from '../presets/lesson.ts';
import { lessonStore, newLessonFrom, useLesson } from './lessons/lessonStore.ts';
import { SharedSessionPrompt } from './share/ShareDialogs.tsx';
import { SnapshotBar } from './snapshots/SnapshotBar.tsx';
import { fileStem } from './session/names.ts';
import { savePackage } from './session/package.ts';
import { ExportDialog } from './mastering/ExportDialog.tsx';
import { MasteringBar } from './mastering/MasteringBar.tsx';
import { autoLayout } from './layout.ts';
import { Palette } from './palette/Palette.tsx';
import { useEditor, type EditorStore } from './store.ts';
import { Notices } from './Notices.tsx';
import { Transport } from './transport/Transport.tsx';
import { MixerView } from './mixer/MixerView.tsx';
import { MixingBar } from './mixing/MixingBar.tsx';
import { JoinRoomDialog, OpenRoomDialog, RoomBanner, useRoomController, useRoomLinks, useRoomStatus } from './room/RoomUI.tsx';
import type { MenuItem } from './Menu.tsx';

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|ad)/.test(navigator.platform);

/** Undo and redo, with what they would undo in their tooltips. */
function EditBar() {
  const { store } = useServices();
  const canUndo = useEditor(store, (s) => s.canUndo);
  const canRedo = useEditor(store, (s) => s.canRedo);
  // Every change of the history (a drag's gesture closes without a new document): the tooltips name the step.
  useSyncExternalStore(store.subscribe, () => store.historyVersion);
  const mod = isMac ? '⌘' : 'Ctrl';
  const undo = store.undoLabel;
  const redo = store.redoLabel;
  return (
    <div className="toolbar" role="toolbar" aria-label="Edit">
      <button type="button" onClick={() => store.undo()} disabled={!canUndo} aria-label="Undo" title={`Undo${undo ? ` “${undo}”` : ''} (${mod}+Z)`}>
        ↶ Undo
      </button>
      <button type="button" onClick={() => store.redo()} disabled={!canRedo} aria-label="Redo" title={`Redo${redo ? ` “${redo}”` : ''} (${mod}+Shift+Z)`}>
        ↷ Redo
      </button>
    </div>
  );
}

/** The graph tools, and Export at the end of the row. */
function Toolbar({ mixer, setMixer }: { mixer: boolean; setMixer: (open: boolean) => void }) {
  const { store } = useServices();
  const flow = useReactFlow();
  const [progress, setProgress] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  const [presets, setPresets] = useState<{ edge?: DocEdge } | null>(null);
  const openPresets = () => {
    // The canvas's selected connection, where a chain goes unless the user picks another.
    const picked = flow.getEdges().find((e) => e.selected);
    const { doc, scope } = store.getState();
    setPresets({ edge: picked && !scope ? doc.edges.find((e) => edgeKey(e) === picked.id) : undefined });
  };

  const layout = async () => {
    const { doc, scope } = store.getState();
    const graph = graphAt(doc, scope) ?? doc;
    const moves = await autoLayout(graph, (id) => {
      const n = flow.getNode(id);
      return n?.measured?.width ? { width: n.measured.width, height: n.measured.height ?? 120 } : undefined;
    });
    store.run({ ...moveNodes(moves, scope || undefined), label: 'Auto layout', mergeKey: undefined });
    requestAnimationFrame(() => void flow.fitView(FIT_VIEW));
  };
  return (
    <>
      <div className="toolbar" role="toolbar" aria-label="Graph">
        <button type="button" onClick={() => void layout()}>
          Auto layout
        </button>
        <button type="button" onClick={() => void flow.fitView(FIT_VIEW)}>
          Fit view
        </button>
        <button type="button" aria-haspopup="dialog" onClick={openPresets} title="Chains, node presets and templates: the built-in library and yours">
          Presets…
        </button>
        <button type="button" aria-pressed={mixer} onClick={() => setMixer(!mixer)} title="Channel strips for every track, bus and the master, under the graph">
          Mixer
        </button>
        {presets && <PresetBrowser selectedEdge={presets.edge} onClose={() => setPresets(null)} />}
      </div>
      <MixingBar />
      <MasteringBar />
      <div className="toolbar toolbar-end" role="toolbar" aria-label="Export">
        <button type="button" onClick={() => setExporting(true)} disabled={progress !== null} aria-haspopup="dialog">
          Export WAV…
        </button>
        {progress !== null && <progress aria-label="Export progress" max={1} value={progress} />}
        {exporting && <ExportDialog onClose={() => setExporting(false)} onProgress={setProgress} />}
      </div>
    </>
  );
}

/** Keyboard shortcuts that act on the document (Delete is React Flow's own). */
function useShortcuts(): void {
  const { store } = useServices();
  const clip = useRef<Clip | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey : e.ctrlKey;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"]')) return;
      // Escape on the canvas closes the open group (dialogs and menus take their own Escape first).
      if (e.key === 'Escape' && !mod && store.getState().scope && !document.querySelector('[role="dialog"], [role="menu"]')) {
        const parts = store.getState().scope.split('/');
        store.enter(parts.slice(0, -1).join('/'));
        return;
      }
      if (!mod) return;
      const key = e.key.toLowerCase();
      const { doc, selection, scope } = store.getState();
      const graph = graphAt(doc, scope) ?? doc;
      if (key === 'a') store.select(graph.nodes.map((n) => n.id));
      else if (key === 'g' && e.shiftKey) {
        const one = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
        if (one?.group) store.run(ungroup(scope ? `${scope}/${one.id}` : one.id));
      } else if (key === 'g') {
        if (selection.length) store.ask('group');
      }
      else if (key === 'z' && e.shiftKey) store.redo();
      else if (key === 'z') store.undo();
      else if (key === 'y') store.redo();
      else if (key === 'c') clip.current = copy(doc, selection, scope);
      else if (key === 'x') {
        clip.current = copy(doc, selection, scope);
        if (clip.current) store.run(removeNodes(clip.current.nodes.map((n) => n.id), scope || undefined));
      } else if (key === 'v' || key === 'd') {
        const source = key === 'd' ? copy(doc, selection, scope) : clip.current;
        if (!source) return;
        const { command, ids } = paste(doc, source, 40, scope);
        if (store.run(command)) store.select(ids);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

/**
 * The session as a file to download (storage refused or full: the user keeps it this way): the
 * package with its audio, or the JSON alone when the package cannot be made (audio not loaded).
 */
async function downloadSessionFile(store: EditorStore, audio: LiveAudio): Promise<void> {
  if (await savePackage(store, audio)) return;
  const doc = store.getState().doc;
  download(new Blob([saveSession(doc)], { type: 'application/json' }), `${fileStem(doc.name)}.json`);
  store.notify('info', `Saved ${fileStem(doc.name)}.json instead (the session without its audio).`);
}

function Editor() {
  const { store, audio, keeper } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const scope = useEditor(store, (s) => s.scope);
  useShortcuts();
  // Every document change goes to the running graph as a diff: no restart, no dropout.
  useEffect(() => {
    void audio.sync(doc);
  }, [audio, doc]);
  const [dialog, setDialog] = useState<SessionDialog>(null);
  const [mixer, setMixer] = useState(false);
  const room = useRoomController();
  const roomStatus = useRoomStatus(room);
  useRoomLinks(room);
  const [roomDialog, setRoomDialog] = useState<'open' | 'join' | null>(null);
  const roomItems: MenuItem[] = [
    { label: 'Open a room…', run: () => setRoomDialog('open'), separated: true, disabled: roomStatus.role !== 'none' },
    { label: 'Join a room…', run: () => setRoomDialog('join'), disabled: roomStatus.role === 'teacher' },
  ];
  // The open lesson lives in lessonStore (one place for the student's panel and the authoring panel).
  const lesson = useLesson((s) => s.lesson);
  const setLesson = (l: LessonDoc) => lessonStore.open(l);
  const [lessonStep, setLessonStep] = useState<number | null>(null);
  const [lessonsOpen, setLessonsOpen] = useState(false);
  // In a room the teacher's lesson and step travel with the session; a student sees the teacher's lesson.
  useEffect(() => room.showLesson(lesson, lesson ? lessonStep : null), [room, lesson, lessonStep]);
  const student = roomStatus.role === 'student' ? roomStatus : null;
  const panelLesson = student ? student.lesson : lesson;
  // The panel takes 300 px of the canvas: frame the graph again in what is left when it opens or closes
  // (the opening view's rule: all of it if readable, else its top-left corner at the readable zoom).
  const flow = useReactFlow();
  const withPanel = Boolean(panelLesson);
  const framedPanel = useRef(withPanel);
  useEffect(() => {
    if (framedPanel.current === withPanel) return;
    framedPanel.current = withPanel;
    requestAnimationFrame(() => void openingView(flow));
  }, [flow, withPanel]);
  const openLesson = async (picked: LessonDoc) => {
    setLessonsOpen(false);
    // The panel first, so the canvas has its width when the session opens and frames the graph.
    setLesson(picked);
    // The lesson's starting session becomes the open session, kept like any other.
    if (keeper) await keeper.openNew(structuredClone(picked.session));
    else store.open(structuredClone(picked.session));
  };
  useEffect(() => {
    if (!keeper) return;
    keeper.actions = {
      download: () => void downloadSessionFile(store, audio),
      showSessions: () => setDialog('sessions'),
    };
  }, [keeper, store, audio]);
  return (
    <div className="app">
      <header className="app-header">
        <div className="header-row">
          <h1>Mixgraph</h1>
          <SessionBar dialog={dialog} setDialog={setDialog} onLesson={setLesson} extraItems={[{ label: 'Lessons…', run: () => setLessonsOpen(true), separated: true }, { label: 'New lesson from this session', run: () => newLessonFrom(store) }, ...roomItems]} />
          {lessonsOpen && <LessonsDialog onOpen={(l) => void openLesson(l)} onClose={() => setLessonsOpen(false)} />}
          <Transport />
          <EditBar />
          <AnnotationBar />
          <SnapshotBar />
        </div>
        <div className="header-row">
          <Toolbar mixer={mixer} setMixer={setMixer} />
        </div>
        <RoomBanner controller={room} onFork={(l) => l && setLesson(l)} />
        <SoloStatus />
        {roomDialog === 'open' && <OpenRoomDialog controller={room} onClose={() => setRoomDialog(null)} />}
        {roomDialog === 'join' && <JoinRoomDialog controller={room} onClose={() => setRoomDialog(null)} />}
      </header>
      <Palette />
      <main className={['app-main', scope && 'in-group', mixer && 'with-mixer', panelLesson && 'with-lesson'].filter(Boolean).join(' ')} style={{ '--mixer-height': '300px' } as React.CSSProperties}>
        <Canvas />
        {mixer && <MixerView onClose={() => setMixer(false)} />}
        {panelLesson && <LessonPanel key={student ? 'room' : 'own'} room={student ? { lesson: student.lesson!, step: student.step } : undefined} onShownStep={student ? undefined : setLessonStep} />}
        <Notices />
        <LearnPanel />
      </main>
      <Inspector />
      <SharedSessionPrompt />
    </div>
  );
}

export function App({ services }: { services: Services }) {
  return (
    <ServicesContext.Provider value={services}>
      <ReactFlowProvider>
        <Editor />
      </ReactFlowProvider>
    </ServicesContext.Provider>
  );
}
