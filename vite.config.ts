import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { bundleRuntimeWorklet } from './src/engine/worklet-bundle.ts';

/**
 * `import url from 'virtual:mixgraph-runtime'`: the runtime's AudioWorklet (src/engine/worklet.ts)
 * bundled on its own for the worklet scope, as a blob URL. Vite's own worker bundling makes
 * module workers (imports in dev), which an AudioWorkletGlobalScope loaded through
 * standardized-audio-context cannot take; one esbuild pass gives the same script in dev and build.
 */
function runtimeWorklet(): Plugin {
  const id = 'virtual:mixgraph-runtime';
  return {
    name: 'mixgraph-runtime-worklet',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    async load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const { code, inputs } = await bundleRuntimeWorklet();
      for (const file of inputs) this.addWatchFile(file);
      return `export default URL.createObjectURL(new Blob([${JSON.stringify(code)}], { type: 'text/javascript' }));`;
    },
  };
}

// `npm start` serves the editor (PORT overrides 5173); Vitest reads `test`.
export default defineConfig({
  plugins: [react(), runtimeWorklet()],
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PORT ?? 4173) },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // One test file at a time: on two shared cores, files rendering audio (render threads, a
    // Chromium each for the browser tests) at once wait on each other and time out (the suite took
    // 505 s instead of 87 s serially when renders still went through node-web-audio-api's worklets).
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
