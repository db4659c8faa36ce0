import '@xyflow/react/dist/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { LiveAudio, SourceLibrary } from './audio.ts';
import { loadDemo } from './demo.ts';
import { EditorStore } from './store.ts';

const sources = new SourceLibrary();
const store = new EditorStore(loadDemo(sources));
const audio = new LiveAudio(sources);
// Exposed for the browser tests and for curious users in the console.
Object.assign(window, { mixgraph: { store, audio } });
createRoot(document.getElementById('root')!).render(<App services={{ store, audio }} />);
