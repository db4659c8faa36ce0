// Shared set-up for the browser tests (and bench/ui.ts): build the editor once, serve the build
// with `vite preview`, drive Debian's Chromium through playwright-core.
//
// Why build + preview rather than the dev server: on two cores a production build takes ~3 s
// and afterwards every page load is a handful of static files. The dev server transforms ~850
// modules on the first load of every server, and its dependency optimiser writes to the shared
// node_modules/.vite (other engineers' servers, Storybook, a second test file running in
// parallel): a re-optimisation mid-test reloads the page. The build runs in a child process so
// that NODE_ENV is "production" (inside Vitest it is "test", which would bundle React's
// development build) and so the worker's memory stays small.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Download, type Locator, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { encodeWav } from '../../src/io/wav.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = join(ROOT, 'tests/.artifacts/screenshots');

/** Chromium as installed by Debian; `npx playwright install` cannot download browsers here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export const VIEWPORT = { width: 1400, height: 900 };

/** `vite build` of the editor into `outDir` (a child process, see above). */
export async function buildEditor(outDir: string): Promise<void> {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface App {
  url: string;
  browser: Browser;
  outDir: string;
  close(): Promise<void>;
}

/** `vite preview` of a build in `outDir` on a free loopback port. */
export function previewBuild(outDir: string): Promise<PreviewServer> {
  return preview({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
}

/** Build, serve on a free port, launch Chromium. One per test file (or bench run). */
export async function startApp(): Promise<App> {
  const outDir = mkdtempSync(join(tmpdir(), 'mixgraph-ui-'));
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    await buildEditor(outDir);
    server = await previewBuild(outDir);
    const port = (server.httpServer.address() as AddressInfo).port;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
    const [b, s] = [browser, server];
    return {
      url: `http://127.0.0.1:${port}/`,
      browser: b,
      outDir,
      async close() {
        await b.close().catch(() => {});
        await s.close().catch(() => {});
        rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  }
}

export interface Editor {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen since the page opened. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh browser context with the editor open and the demo drawn. */
export async function openEditor(app: App): Promise<Editor> {
  const context = await app.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.goto(app.url);
  await page.getByTestId('node-master').waitFor();
  return { page, context, errors, close: () => context.close() };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

// ---------------------------------------------------------------------------------------------
// Reading the editor's state (window.mixgraph, see src/ui/main.tsx)

export interface DocSummary {
  nodes: { id: string; type: string; label?: string; position?: { x: number; y: number }; params: Record<string, unknown>; bypass?: boolean }[];
  edges: { from: string; fromPort: string; to: string; toPort: string }[];
}

interface MixgraphWindow {
  mixgraph: {
    store: {
      getState(): { doc: DocSummary & { name: string }; selection: readonly string[]; canUndo: boolean; canRedo: boolean; notices: readonly { kind: string; text: string }[] };
      open(doc: unknown): void;
    };
    audio: { length: number; state: string };
  };
}

/** The document, as plain JSON. */
export function docOf(page: Page): Promise<DocSummary> {
  return page.evaluate(() => {
    const { doc } = (window as unknown as MixgraphWindow).mixgraph.store.getState();
    return JSON.parse(JSON.stringify({ nodes: doc.nodes, edges: doc.edges })) as DocSummary;
  });
}

export function selectionOf(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as MixgraphWindow).mixgraph.store.getState().selection]);
}

export function paramOf(page: Page, id: string, name: string): Promise<unknown> {
  return page.evaluate(([id, name]) => (window as unknown as MixgraphWindow).mixgraph.store.getState().doc.nodes.find((n) => n.id === id)?.params[name], [id, name] as const);
}

export function audioLength(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as MixgraphWindow).mixgraph.audio.length);
}

/** Replace the document (history starts afresh), as "Open JSON" does. */
export function openDoc(page: Page, doc: unknown): Promise<void> {
  return page.evaluate((d) => (window as unknown as MixgraphWindow).mixgraph.store.open(d), doc);
}

export interface ExportChoices {
  sampleRate?: '44100' | '48000';
  format?: '16' | '24' | '32f';
  title?: string;
  artist?: string;
  album?: string;
  isrc?: string;
}

/** Export WAV… then Export in its dialog, with `choices` set first; resolves to the download. */
export async function exportWav(page: Page, choices: ExportChoices = {}, timeout = 60_000): Promise<Download> {
  await page.getByRole('button', { name: 'Export WAV…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export WAV' });
  if (choices.sampleRate) await dialog.getByLabel('Sample rate').selectOption(choices.sampleRate);
  if (choices.format) await dialog.getByLabel('Format').selectOption(choices.format);
  for (const key of ['title', 'artist', 'album', 'isrc'] as const) {
    const value = choices[key];
    if (value !== undefined) await dialog.getByLabel(key === 'isrc' ? 'ISRC' : key[0].toUpperCase() + key.slice(1), { exact: true }).fill(value);
  }
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
  return download;
}

// ---------------------------------------------------------------------------------------------
// Pointer helpers: real mouse moves, as a person drags

export function nodeBox(page: Page, id: string): Locator {
  return page.getByTestId(`node-${id}`);
}

/** A node's port handle: kind 'target' for inputs, 'source' for outputs. */
export function port(page: Page, node: string, portId: string, kind: 'source' | 'target'): Locator {
  return page.locator(`[data-testid="node-${node}"] .react-flow__handle.${kind}[data-handleid="${portId}"]`);
}

export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Press at `from`, move to `to` in `steps` pointer moves; release unless `hold`. */
/**
 * A locator's box once it has stopped moving (two frames apart, the same): a session opens with the
 * view framed, and a drag that starts while the frame settles grabs the pane, not the node.
 */
export async function settledBox(page: Page, locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await locator.boundingBox();
  for (let i = 0; i < 50; i++) {
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const now = await locator.boundingBox();
    if (now && last && now.x === last.x && now.y === last.y && now.width === last.width) return now;
    last = now;
  }
  throw new Error('the element kept moving');
}

export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, options: { steps?: number; hold?: boolean } = {}): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: options.steps ?? 15 });
  if (!options.hold) await page.mouse.up();
}

// ---------------------------------------------------------------------------------------------
// Files and storage

/** `seconds` of a sine at `hz` and -6 dBFS, mono 48 kHz 16-bit, as a WAV file's bytes. */
export function sineWavBytes(seconds = 0.5, hz = 440): number[] {
  const rate = 48000;
  const samples = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate);
  return Array.from(encodeWav([samples], rate, '16'));
}

/** Drop files (name + bytes) on the React Flow pane (or the element `selector` names) at `at`, as the OS drag-and-drop does. */
export async function dropFiles(page: Page, files: { name: string; type?: string; bytes: number[] }[], at: { x: number; y: number }, selector = '.react-flow'): Promise<void> {
  await page.evaluate(
    ({ files, at, selector }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type ?? 'audio/wav' }));
      const target = document.querySelector(selector)!;
      const init = { dataTransfer: dt, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true };
      target.dispatchEvent(new DragEvent('dragenter', init));
      target.dispatchEvent(new DragEvent('dragover', init));
      target.dispatchEvent(new DragEvent('drop', init));
    },
    { files, at, selector },
  );
}

interface KeeperWindow {
  mixgraph: { keeper: { state: { kind: string; at?: number }; id: string | null; idle: boolean } };
}

/** Autosave's state in the page: 'unsaved' | 'saving' | 'saved' | 'failed' | 'elsewhere', and when it last saved. */
export function saveState(page: Page): Promise<{ kind: string; at?: number; id: string | null; idle: boolean }> {
  return page.evaluate(() => {
    const k = (window as unknown as KeeperWindow).mixgraph.keeper;
    return { ...k.state, id: k.id, idle: k.idle };
  });
}

/** Wait until every change so far is stored; returns the milliseconds it took. (No vitest here: bench/ui.ts uses this file.) */
export async function waitSaved(page: Page, timeout = 5_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const s = await saveState(page);
    if (s.kind === 'saved' && s.idle) return Date.now() - start;
    if (Date.now() - start > timeout) throw new Error(`not saved after ${timeout} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
