// Share links in Chromium: "Copy share link" puts the session (deflate-raw, base64url) in the URL's
// fragment, audio left out; a second browser context opening it sees what it holds and replaces its
// session only when asked, as one undo step; a session too big for a link is refused with the
// package offered; damaged and hostile links change nothing.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { docOf, dropFiles, nodeBox, openEditor, screenshot, sineWavBytes, waitSaved } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

async function menu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: /^Session/ }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

const sessionName = (page: Page) => page.locator('.session-name').textContent();

describe('share links', () => {
  it('round trip into a second browser context: what it holds is shown first; Replace is one undo step; the audio is not in the link', async () => {
    const { page, context, errors } = await editor();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    await menu(page, 'New session…');
    const create = page.getByRole('dialog', { name: 'New session' });
    await create.getByLabel('Name').fill('For Alex');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.locator('.session-name').click();
    const details = page.getByRole('dialog', { name: 'Session details' });
    await details.getByLabel('Description').fill('The tone mix, for a second opinion.');
    await details.getByLabel('Author').fill('Sam');
    await details.getByRole('button', { name: 'Done' }).click();
    const pane = (await page.locator('.react-flow').boundingBox())!;
    await dropFiles(page, [{ name: 'tone.wav', bytes: sineWavBytes(1, 440) }], { x: pane.x + 150, y: pane.y + 150 });
    await nodeBox(page, 'tone').waitFor();
    const sent = await docOf(page);

    await menu(page, 'Copy share link');
    const dialog = page.getByRole('dialog', { name: 'Share link' });
    const field = dialog.getByRole('textbox', { name: 'Share link' });
    await field.waitFor();
    const link = await field.inputValue();
    expect(link).toMatch(/#share=[A-Za-z0-9_-]+$/);
    expect(await dialog.textContent()).toContain('Copied to the clipboard');
    expect(await dialog.textContent()).toContain('The 1 audio file is not in it');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // Nothing of the audio is in it: the link is small.
    expect(link.length).toBeLessThan(4000);
    await screenshot(page, '85-share-link');

    const other = await openEditor(editor.app());
    try {
      const before = await docOf(other.page);
      await other.page.goto(link);
      const shared = other.page.getByRole('dialog', { name: 'A shared session' });
      await shared.waitFor();
      const text = await shared.textContent();
      expect(text).toContain('For Alex');
      expect(text).toContain('Sam');
      expect(text).toContain('The tone mix, for a second opinion.');
      expect(await shared.getByRole('list', { name: 'Nodes in the shared session' }).textContent()).toContain('Track: tone');
      expect(text).toContain('Not in the link: tone.wav');
      await screenshot(other.page, '86-shared-session-prompt');
      // Nothing changed yet.
      expect(await docOf(other.page)).toEqual(before);
      await shared.getByRole('button', { name: 'Replace the open session' }).click();
      await nodeBox(other.page, 'tone').waitFor();
      expect(await docOf(other.page)).toEqual(sent);
      expect(await sessionName(other.page)).toBe('For Alex');
      // The audio is not there: the track waits to be relinked.
      expect(await nodeBox(other.page, 'tone').locator('.missing-file').textContent()).toContain('tone.wav');
      expect(new URL(other.page.url()).hash).toBe('');
      await screenshot(other.page, '87-shared-session-opened');
      // One undo step brings the session that was open back.
      await other.page.getByRole('button', { name: 'Undo', exact: true }).click();
      expect(await docOf(other.page)).toEqual(before);
      expect(await sessionName(other.page)).toBe('Demo mix');
      await other.page.getByRole('button', { name: 'Redo', exact: true }).click();
      expect(await sessionName(other.page)).toBe('For Alex');
      // "Not now" changes nothing.
      await other.page.goto(link);
      await shared.waitFor();
      const now = await docOf(other.page);
      await shared.getByRole('button', { name: 'Not now' }).click();
      expect(await docOf(other.page)).toEqual(now);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
    expect(errors).toEqual([]);
  }, 60_000);

  it('a session too large for a link is refused with the package offered; a damaged link and a deflate bomb change nothing', async () => {
    const { page, errors } = await editor();
    // 400 nodes with labels that do not compress: well past the 32 K characters a link may have.
    await page.evaluate(() => {
      const w = window as unknown as { mixgraph: { store: { getState(): { doc: unknown }; open(d: unknown): void } } };
      const doc = structuredClone(w.mixgraph.store.getState().doc) as { nodes: unknown[] };
      for (let i = 0; i < 400; i++) {
        const label = Array.from({ length: 150 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90))).join('');
        doc.nodes.push({ id: `g${i}`, type: 'gain', label, position: { x: i * 10, y: 900 }, params: { gain: 0 } });
      }
      w.mixgraph.store.open(doc);
    });
    await menu(page, 'Copy share link');
    const refused = page.locator('.notice-error', { hasText: 'too large for a link' });
    await refused.waitFor();
    expect(await refused.getByRole('button', { name: 'Save package' }).isVisible()).toBe(true);
    await screenshot(page, '88-share-too-long');

    const base = page.url().replace(/#.*$/, '');
    const before = await docOf(page);
    await page.goto(`${base}#share=this-is-not-a-session`);
    await page.locator('.notice-error', { hasText: 'This share link cannot be opened' }).waitFor();
    expect(await docOf(page)).toEqual(before);
    // 20 MB of zeros deflate to a few kilobytes: refused while inflating, at the 8 MiB a session may have.
    const bomb = deflateRawSync(Buffer.alloc(20 * 1024 * 1024)).toString('base64url');
    expect(bomb.length).toBeLessThan(32 * 1024);
    await page.goto(`${base}#share=${bomb}`);
    await page.locator('.notice-error', { hasText: 'unpacks to more than 8 MiB' }).waitFor();
    expect(await docOf(page)).toEqual(before);
    // A link to something that is valid JSON but not a session: the loader's own words.
    const notSession = deflateRawSync(Buffer.from(JSON.stringify({ format: 'mixgraph', version: 2, kind: 'album', name: 'x' }))).toString('base64url');
    await page.goto(`${base}#share=${notSession}`);
    await page.locator('.notice-error', { hasText: 'the shared session' }).waitFor();
    expect(await docOf(page)).toEqual(before);
    await waitSaved(page).catch(() => {});
    expect(errors).toEqual([]);
  }, 60_000);
});
