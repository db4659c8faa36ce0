// Presets in Chromium: the browser (built-in library and the user's own), searched by name and tag,
// showing a preset's description and what it holds before it is used; a node preset applied and
// undone in one step, a chain inserted; one node's settings saved as a node preset, exported,
// deleted and imported back from the file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { docOf, nodeBox, paramOf, screenshot } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

const undo = (page: Page) => page.getByRole('button', { name: 'Undo', exact: true }).click();

describe('presets', () => {
  it('the preset browser: search by name and tag, the description and node list shown first; a node preset applied in one undo step; a chain inserted', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    await page.getByRole('button', { name: 'Presets…' }).click();
    const browser = page.getByRole('dialog', { name: 'Presets' });
    const found = browser.getByRole('list', { name: 'Presets found' }).getByRole('listitem');
    expect(await found.count()).toBeGreaterThanOrEqual(12);
    // By tag: "vocal" finds the vocal presets, not the drum ones.
    await browser.getByRole('searchbox', { name: 'Search presets' }).fill('vocal');
    const names = await browser.locator('.preset-name').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Gentle vocal compressor', 'Lead vocal']));
    expect(names).not.toContain('Kick punch EQ');
    await browser.getByRole('button', { name: /Gentle vocal compressor/ }).click();
    const detail = browser.getByRole('region', { name: 'Preset: Gentle vocal compressor' });
    expect((await detail.locator('.preset-description').textContent())!.length).toBeGreaterThan(40);
    // Its settings, with units, before anything is applied.
    expect(await detail.locator('.preset-settings').textContent()).toContain('Ratio2.5:1');
    await detail.getByRole('combobox', { name: 'Apply to' }).selectOption({ label: 'Vox comp' });
    await screenshot(page, '100-preset-browser');
    expect(await docOf(page)).toEqual(before);
    await detail.getByRole('button', { name: 'Apply' }).click();
    await browser.waitFor({ state: 'detached' });
    expect(await paramOf(page, 'vox_comp', 'ratio')).toBe(2.5);
    expect(await paramOf(page, 'vox_comp', 'knee')).toBe(8);
    // One undo step takes all of it back.
    await undo(page);
    expect(await docOf(page)).toEqual(before);

    // A chain from the browser, on the connection into the master.
    await page.getByRole('button', { name: 'Presets…' }).click();
    await browser.getByRole('button', { name: 'Chains' }).click();
    await browser.getByRole('searchbox', { name: 'Search presets' }).fill('podcast');
    await browser.getByRole('button', { name: /Podcast and speech/ }).click();
    const chain = browser.getByRole('region', { name: /Preset: Podcast and speech/ });
    const holds = await chain.getByRole('list', { name: 'Nodes in the preset' }).getByRole('listitem').count();
    expect(holds).toBeGreaterThan(1);
    await chain.getByRole('button', { name: 'Insert' }).click();
    await browser.waitFor({ state: 'detached' });
    const after = await docOf(page);
    expect(after.nodes.length).toBe(before.nodes.length + holds);
    expect(after.edges.filter((e) => e.to === 'master').length).toBe(1);
    await screenshot(page, '101-chain-from-browser');
    await undo(page);
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 60_000);

  it("one node's settings saved as a node preset; exported, deleted and imported back from the file; applied to another node", async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'keys_comp').click();
    const inspector = page.getByRole('complementary', { name: 'Inspector: Keys comp' });
    const ratio = inspector.getByRole('textbox', { name: /^Ratio value/ });
    await ratio.fill('6');
    await ratio.press('Enter');
    await inspector.getByRole('button', { name: 'Save as node preset…' }).click();
    const save = page.getByRole('dialog', { name: 'Save as node preset' });
    await save.getByLabel('Name').fill('Hard keys');
    await save.getByLabel('Description').fill('A firm 6:1 for busy keys.');
    await save.getByLabel('Tags').fill('keys, firm');
    await save.getByRole('button', { name: 'Save preset' }).click();
    await page.locator('.notice', { hasText: 'Saved “Hard keys” to your presets' }).waitFor();

    await inspector.getByRole('button', { name: 'Apply a preset…' }).click();
    const browser = page.getByRole('dialog', { name: 'Presets' });
    // Opened on node presets for a compressor: the new one is there.
    await browser.getByRole('searchbox', { name: 'Search presets' }).fill('firm');
    await browser.getByRole('button', { name: /Hard keys/ }).click();
    const detail = browser.getByRole('region', { name: 'Preset: Hard keys' });
    expect(await detail.textContent()).toContain('yours');
    const [download] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: 'Export…' }).click()]);
    expect(download.suggestedFilename()).toBe('Hard_keys.json');
    const file = readFileSync(await download.path());
    expect(JSON.parse(file.toString('utf8'))).toMatchObject({ kind: 'node-preset', type: 'compressor', name: 'Hard keys', params: { ratio: 6 } });
    await detail.getByRole('button', { name: 'Delete…' }).click();
    await detail.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => browser.getByRole('button', { name: /Hard keys/ }).count()).toBe(0);

    // Imported back from the file it was exported to.
    await page.getByLabel('Preset file to import', { exact: true }).setInputFiles({ name: 'Hard_keys.json', mimeType: 'application/json', buffer: file });
    await browser.getByRole('button', { name: /Hard keys/ }).waitFor();
    await screenshot(page, '102-preset-imported');
    const imported = browser.getByRole('region', { name: 'Preset: Hard keys' });
    await imported.getByRole('combobox', { name: 'Apply to' }).selectOption({ label: 'Bass comp' });
    await imported.getByRole('button', { name: 'Apply' }).click();
    expect(await paramOf(page, 'bass_comp', 'ratio')).toBe(6);
    // A file that is not a preset is refused with the loader's reason.
    await page.getByRole('button', { name: 'Presets…' }).click();
    await page.getByLabel('Preset file to import', { exact: true }).setInputFiles({ name: 'song.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'mixgraph', version: 2, kind: 'session', name: 's', nodes: [], edges: [] })) });
    await page.locator('.notice-error', { hasText: 'song.json is a session, not a preset' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
