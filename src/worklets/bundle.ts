// Bundles the worklet processors (src/worklets/index.ts and the DSP cores it imports) into one
// self-contained script with no import or export statements: node-web-audio-api evaluates it in
// a worker thread, and standardized-audio-context wraps it in a function, so it must stand alone.
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));

export interface WorkletBundle {
  code: string;
  /** Source files it was built from (for a dev server to watch). */
  inputs: string[];
}

export async function bundleWorklets(): Promise<WorkletBundle> {
  const { build } = await import('esbuild');
  const result = await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', write: false, target: 'es2022', logLevel: 'silent', metafile: true });
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs).map((p) => (p.startsWith('/') ? p : root + p)) };
}
