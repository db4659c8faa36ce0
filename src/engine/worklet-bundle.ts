// Bundles the runtime's AudioWorklet entry (src/engine/worklet.ts with src/runtime, the node
// processors and the DSP cores they use) into one self-contained script for the
// AudioWorkletGlobalScope: no import or export statements (standardized-audio-context wraps the
// module's text in a function), no DOM, no timers. vite.config.ts serves it as
// `virtual:mixgraph-runtime`, in the dev server and in the build alike.
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./worklet.ts', import.meta.url));

export interface WorkletBundle {
  code: string;
  /** Source files it was built from (for a dev server to watch). */
  inputs: string[];
}

export async function bundleRuntimeWorklet(): Promise<WorkletBundle> {
  const { build } = await import('esbuild');
  const result = await build({ entryPoints: [ENTRY], bundle: true, format: 'iife', write: false, target: 'es2022', logLevel: 'silent', metafile: true, minifySyntax: true, minifyWhitespace: true });
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs).map((p) => (p.startsWith('/') ? p : root + p)) };
}
