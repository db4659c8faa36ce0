// Starts a render thread from the TypeScript sources (tests and `tsx`): the thread needs tsx's
// loader of its own. The bundled CLI (bin/mixgraph.js) starts its bundled render-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
