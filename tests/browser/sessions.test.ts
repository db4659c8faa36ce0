// Nothing is lost, in Chromium: every change is kept in IndexedDB within a second, dropped audio
// included; a reload, a closed tab and a crashed tab bring the session back with its undo history;
// the recent sessions open, duplicate and delete; a full or refused storage is said at once with a
// download; two tabs on one session never overwrite each other.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, docOf, dropFiles, nodeBox, saveState, screenshot, sineWavBytes, VIEWPORT, waitSaved } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

const meterValue = (page: Page, name: string) => page.getByRole('meter', { name }).getAttribute('aria-valuenow').then(Number);

/** Every stored session summary, read straight from IndexedDB in the page. */
function storedSessions(page: Page): Promise<{ id: string; name: string; nodeCount: number; size: number; revision: number; audio: Record<string, string> }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('mixgraph');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('sessions').objectStore('sessions').getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        };
      }),
  );
}
function storedText(page: Page, id: string): Promise<string> {
  return page.evaluate(
    (id) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('mixgraph');
        open.onsuccess = () => {
          const req = open.result.transaction('bodies').objectStore('bodies').get(id);
          req.onsuccess = () => resolve(req.result?.text ?? '');
          req.onerror = () => reject(req.error);
        };
      }),
    id,
  );
}
function countAudio(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('mixgraph');
        open.onsuccess = () => {
          const req = open.result.transaction('audio').objectStore('audio').count();
          req.onsuccess = () => resolve(req.result);
        };
      }),
  );
}

describe('sessions that last', () => {
  it('reload after edits keeps the session, its dropped audio (which plays) and its undo history; a closed tab and a crashed one come back too', async () => {
    const { page, context, errors } = await editor();
    const pane = await page.locator('.react-flow').boundingBox();
    await dropFiles(page, [{ name: 'tone.wav', bytes: sineWavBytes(3, 440) }], { x: pane!.x + 300, y: pane!.y + pane!.height - 100 });
    await nodeBox(page, 'tone').waitFor();
    // Connected to the master at once, so it is heard on the first Play.
    expect((await docOf(page)).edges).toContainEqual({ from: 'tone', fromPort: 'out', to: 'master', toPort: 'in' });
    await page.getByRole('button', { name: 'Mute Drums' }).click();
    const took = await waitSaved(page);
    expect(took, 'saved within a second of the edit').toBeLessThan(1000);
    const before = await docOf(page);
    const stored = await storedSessions(page);
    expect(stored.length).toBe(1);
    expect(Object.keys(stored[0].audio)).toEqual(['tone.wav']);

    await page.reload();
    await page.getByTestId('node-master').waitFor();
    expect(await docOf(page)).toEqual(before);
    expect(await page.locator('.mix-node.missing').count()).toBe(0);
    await screenshot(page, '70-reloaded');
    // The undo history came back with it: Undo unmutes the drums, then removes the dropped track.
    const undo = page.getByRole('button', { name: 'Undo', exact: true });
    expect(await undo.isEnabled()).toBe(true);
    await undo.click();
    expect((await docOf(page)).nodes.find((n) => n.id === 'drums')!.params.mute).toBe(false);
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    // The dropped audio plays from storage: its track's meter rises.
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => meterValue(page, 'tone node level'), { timeout: 10_000, interval: 100 }).toBeGreaterThan(-12);
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitSaved(page);

    // A closed tab: the next one opens the most recent session.
    const url = page.url();
    await page.close();
    const second = await context.newPage();
    await second.goto(url);
    await second.getByTestId('node-tone').waitFor();
    expect(await docOf(second)).toEqual(before);

    // A crash: no pagehide, no flush. What was saved within the second before it is there.
    await second.getByRole('button', { name: 'Solo Vox' }).click();
    await second.waitForTimeout(1000);
    const cdp = await context.newCDPSession(second);
    // Page.crash never answers (its page is gone): do not wait for it.
    void cdp.send('Page.crash').catch(() => {});
    await second.waitForEvent('crash', { timeout: 5_000 }).catch(() => {});
    const third = await context.newPage();
    await third.goto(url);
    await third.getByTestId('node-tone').waitFor();
    expect((await docOf(third)).nodes.find((n) => n.id === 'vox')!.params.solo).toBe(true);
    expect(errors.filter((e) => !/crash|Target closed/i.test(e))).toEqual([]);
  }, 90_000);

  it('recent sessions: name, date, node count and size; open, duplicate and delete (with the audio only it used)', async () => {
    const { page, errors } = await editor();
    await page.getByRole('button', { name: 'Mute Drums' }).click();
    await waitSaved(page);
    // A new empty session, named, with a dropped file.
    await page.getByRole('button', { name: /^Session/ }).click();
    await page.getByRole('menuitem', { name: 'New session…' }).click();
    const create = page.getByRole('dialog', { name: 'New session' });
    await create.getByRole('radio', { name: /Empty session/ }).check();
    await create.getByLabel('Name').fill('Second');
    await screenshot(page, '71-new-session');
    await create.getByRole('button', { name: 'Create' }).click();
    await nodeBox(page, 'master').waitFor();
    expect(await page.locator('.session-name').textContent()).toBe('Second');
    expect((await docOf(page)).nodes.map((n) => n.id)).toEqual(['master']);
    const pane = await page.locator('.react-flow').boundingBox();
    await dropFiles(page, [{ name: 'kick.wav', bytes: sineWavBytes(1, 60) }], { x: pane!.x + 200, y: pane!.y + 200 });
    await nodeBox(page, 'kick').waitFor();
    await waitSaved(page);

    await page.getByRole('button', { name: /^Session/ }).click();
    await page.getByRole('menuitem', { name: 'Sessions…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sessions' });
    const rows = dialog.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).locator('th').textContent()).toContain('Second');
    expect(await rows.nth(0).textContent()).toMatch(/just now\s*2\s*\d+(\.\d)? KB/);
    expect(await rows.nth(1).locator('th').textContent()).toBe('Demo mix');
    expect(await rows.nth(1).textContent()).toContain('25');
    // The open one can be neither opened nor deleted from here.
    expect(await dialog.getByRole('button', { name: 'Open Second' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Delete Second' }).isDisabled()).toBe(true);

    await dialog.getByRole('button', { name: 'Duplicate Demo mix' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await dialog.locator('tbody th').allTextContents()).toContain('Demo mix (copy)');
    await screenshot(page, '72-sessions');

    await dialog.getByRole('button', { name: 'Open Demo mix', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await nodeBox(page, 'drums').waitFor();
    expect(await page.locator('.session-name').textContent()).toBe('Demo mix');
    expect((await docOf(page)).nodes.find((n) => n.id === 'drums')!.params.mute).toBe(true);

    await page.getByRole('button', { name: /^Session/ }).click();
    await page.getByRole('menuitem', { name: 'Sessions…' }).click();
    expect(await countAudio(page)).toBe(1);
    await dialog.getByRole('button', { name: 'Delete Second' }).click();
    await screenshot(page, '73-sessions-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await dialog.locator('tbody th').allTextContents()).not.toContain('Second');
    // kick.wav was Second's alone: gone with it.
    expect(await countAudio(page)).toBe(0);
    expect((await storedSessions(page)).map((s) => s.name).sort()).toEqual(['Demo mix', 'Demo mix (copy)']);
    expect(errors).toEqual([]);
  }, 60_000);

  it('session details: rename, description, author and tags, each an undo step, kept with the session', async () => {
    const { page, errors } = await editor();
    await page.locator('.session-name').click();
    const dialog = page.getByRole('dialog', { name: 'Session details' });
    await dialog.getByLabel('Name').fill('Night Drive mix');
    await dialog.getByLabel('Description').fill('Second mix for the label: less reverb on the vox.');
    await dialog.getByLabel('Author').fill('Sam');
    await dialog.getByLabel('Tags').fill('synthwave, mix 2');
    await screenshot(page, '74-session-details');
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('.session-name').textContent()).toBe('Night Drive mix');
    await waitSaved(page);
    await page.reload();
    await page.getByTestId('node-master').waitFor();
    const meta = await page.evaluate(() => {
      const { doc } = (window as unknown as { mixgraph: { store: { getState(): { doc: { name: string; meta: unknown } } } } }).mixgraph.store.getState();
      return { name: doc.name, meta: doc.meta };
    });
    expect(meta).toEqual({ name: 'Night Drive mix', meta: { author: 'Sam', description: 'Second mix for the label: less reverb on the vox.', tags: ['synthwave', 'mix 2'] } });
    // Four fields, four steps.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Undo', exact: true }).click();
    expect(await page.locator('.session-name').textContent()).toBe('Demo mix');
    expect(errors).toEqual([]);
  }, 40_000);

  it('disk full (a real one: the profile on a 48 MB tmpfs, filled): the user is told at once and offered the session as a download; the dropped track stays; freed space saves again', async (ctx) => {
    const mnt = mkdtempSync(join(tmpdir(), 'mixgraph-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mnt]);
    } catch {
      rmSync(mnt, { recursive: true, force: true });
      return ctx.skip(); // needs root for the tmpfs, as tests/cli/output-safety.test.ts does
    }
    const profile = await chromium.launchPersistentContext(join(mnt, 'profile'), { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, viewport: VIEWPORT, acceptDownloads: true });
    try {
      const page = await profile.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(editor.app().url);
      await page.getByTestId('node-master').waitFor();
      await page.getByRole('button', { name: 'Mute Drums' }).click();
      await waitSaved(page);
      // Fill the disk to its last 64 KB.
      const free = Number(execFileSync('df', ['-k', '--output=avail', mnt]).toString().split('\n')[1]) * 1024;
      writeFileSync(join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - 64 * 1024)));
      const pane = await page.locator('.react-flow').boundingBox();
      await dropFiles(page, [{ name: 'long.wav', bytes: sineWavBytes(8, 220) }], { x: pane!.x + 200, y: pane!.y + pane!.height - 120 });
      const notice = page.locator('.notice-error', { hasText: 'Not saved: the browser’s storage for Mixgraph is full' });
      await notice.waitFor({ timeout: 10_000 });
      expect(await page.locator('.notice-error').count(), 'said once').toBe(1);
      expect(await page.locator('.save-status').textContent()).toBe('Not saved');
      await screenshot(page, '75-storage-full');
      // Nothing dropped silently: the track is there, and the session can be taken away.
      await nodeBox(page, 'long').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button', { name: 'Download session' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^Demo_mix\.(mixgraph|json)$/);
      // Room again: the next edit saves everything, the waiting audio included.
      rmSync(join(mnt, 'filler'));
      await page.getByRole('button', { name: 'Mute Keys' }).click();
      await page.locator('.notice-info', { hasText: 'Storage works again' }).waitFor({ timeout: 10_000 });
      await waitSaved(page, 10_000);
      await page.reload();
      await nodeBox(page, 'long').waitFor();
      expect(await page.locator('.mix-node.missing').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await profile.close();
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  }, 90_000);

  it('storage refused outright (as some private modes do): said before the first edit, with the download', async () => {
    const app = editor.app();
    const refused = await app.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    try {
      await refused.addInitScript(() => {
        IDBFactory.prototype.open = function () {
          throw new DOMException('The user denied permission to access the database.', 'SecurityError');
        };
      });
      const page = await refused.newPage();
      await page.goto(app.url);
      await page.getByTestId('node-master').waitFor();
      const said = page.locator('.notice-error', { hasText: 'Not saved: your browser refused to let Mixgraph keep your work' });
      await said.waitFor();
      expect(await page.locator('.save-status').textContent()).toBe('Not saved');
      await screenshot(page, '76-storage-refused');
      const [download] = await Promise.all([page.waitForEvent('download'), said.getByRole('button', { name: 'Download session' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^Demo_mix\.(mixgraph|json)$/);
    } finally {
      await refused.close();
    }
  }, 30_000);

  it('two tabs on one session: the second says so and saves nothing; "Use it in this tab" moves it over with the first tab’s latest work, and the first stops saving', async () => {
    const { page, context, errors } = await editor();
    await page.getByRole('button', { name: 'Mute Drums' }).click();
    await waitSaved(page);
    const id = (await saveState(page)).id!;

    const second = await context.newPage();
    second.setDefaultTimeout(15_000);
    await second.goto(page.url());
    await second.getByTestId('node-master').waitFor();
    const notice = second.locator('.notice-error', { hasText: 'is open in another tab' });
    await notice.waitFor();
    expect(await second.locator('.save-status').textContent()).toBe('Open in another tab');
    await screenshot(second, '77-second-tab');
    // Edits in the second tab are not written over the first's.
    await second.getByRole('button', { name: 'Mute Keys' }).click();
    await second.waitForTimeout(1200);
    expect(JSON.parse(await storedText(page, id)).nodes.find((n: { id: string }) => n.id === 'keys').params.mute).toBe(false);

    // The first tab goes on; then the second takes the session over with that latest state.
    await page.getByRole('button', { name: 'Solo Bass' }).click();
    await waitSaved(page);
    await notice.getByRole('button', { name: 'Use it in this tab' }).click();
    await page.locator('.notice-error', { hasText: 'was opened in another tab' }).waitFor();
    expect(await page.locator('.save-status').textContent()).toBe('Open in another tab');
    await expect.poll(async () => (await saveState(second)).kind).toBe('saved');
    const taken = await docOf(second);
    expect(taken.nodes.find((n) => n.id === 'bass')!.params.solo).toBe(true);
    await second.getByRole('button', { name: 'Mute Vox' }).click();
    await waitSaved(second);
    // The first tab's later edits are not saved; the second's are.
    await page.getByRole('button', { name: 'Mute Bass' }).click();
    await page.waitForTimeout(1200);
    const stored = JSON.parse(await storedText(second, id));
    expect(stored.nodes.find((n: { id: string }) => n.id === 'vox').params.mute).toBe(true);
    expect(stored.nodes.find((n: { id: string }) => n.id === 'bass').params.mute).toBe(false);
    await screenshot(page, '78-first-tab-released');
    expect(errors).toEqual([]);
  }, 60_000);
});
