import '@xyflow/react/dist/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { LiveAudio, SourceLibrary } from './audio.ts';
import { loadDemo } from './demo.ts';
import { SessionKeeper } from './persist/keeper.ts';
import { EditorStore } from './store.ts';

const sources = new SourceLibrary();
// The demo's stems are always there (bundled); the demo itself opens only when nothing is kept.
const store = new EditorStore(loadDemo(sources));
const audio = new LiveAudio(sources);
const keeper = new SessionKeeper(store, sources);
// Exposed for the browser tests and for curious users in the console.
Object.assign(window, { mixgraph: { store, audio, keeper } });
// The stored session (if any) is open before the first paint: no flash of the demo.
void keeper.start().finally(() => createRoot(document.getElementById('root')!).render(<App services={{ store, audio, keeper }} />));
