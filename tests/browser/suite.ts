// One built editor and one Chromium per test file, and a fresh page per test.
import { afterAll, beforeAll } from 'vitest';
import { openEditor, startApp, type App, type Editor } from './harness.ts';

/** Call at the top of a test file; returns `editor()`, which opens a fresh page on the demo (`editor.app()`: the served build). */
export function useEditors(): (() => Promise<Editor>) & { app(): App } {
  let app: App;
  const editors: Editor[] = [];
  beforeAll(async () => {
    app = await startApp();
  }, 90_000);
  afterAll(async () => {
    for (const e of editors) await e.close().catch(() => {});
    await app?.close();
  }, 30_000);
  const open = async () => {
    const e = await openEditor(app);
    editors.push(e);
    return e;
  };
  return Object.assign(open, { app: () => app });
}
