// Groups and whole-mix chains in Chromium: group the selected nodes choosing knobs (a knob turns the
// inner node's own param), open the group to edit inside and come back by the breadcrumb, groups in
// groups, ungroup; a group saved as a chain preset and inserted again as a group; a grouped session
// exports the same samples as the ungrouped one; a chain on the whole mix when the master has
// several inputs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeWav } from '../../src/io/wav.ts';
import { docOf, dropFiles, exportWav, nodeBox, screenshot, sineWavBytes } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

interface W {
  mixgraph: { store: { select(ids: string[]): void; getState(): { scope: string; doc: { nodes: { id: string; type: string; label?: string; params: Record<string, unknown>; group?: { nodes: { id: string; params: Record<string, unknown> }[]; exposed: { id: string; node: string; param: string }[] } }[] } } } };
}
const select = (page: Page, ids: string[]) => page.evaluate((ids) => (window as unknown as W).mixgraph.store.select(ids), ids);
const scopeOf = (page: Page) => page.evaluate(() => (window as unknown as W).mixgraph.store.getState().scope);
const topNode = (page: Page, id: string) => page.evaluate((id) => (window as unknown as W).mixgraph.store.getState().doc.nodes.find((n) => n.id === id), id);
const undo = (page: Page) => page.getByRole('button', { name: 'Undo', exact: true }).click();

/** A short session the export renders quickly: a test tone through an EQ and a compressor. */
const TONE = {
  format: 'mixgraph',
  version: 2,
  kind: 'session',
  name: 'Tone chain',
  nodes: [
    { id: 'tone', type: 'generator', label: 'Tone', position: { x: 0, y: 0 }, params: { frequency: 220, level: -6 } },
    { id: 'eq', type: 'eq', label: 'Tone EQ', position: { x: 156, y: 0 }, params: { bands: [{ type: 'peaking', frequency: 220, gain: 6, q: 1 }] } },
    { id: 'comp', type: 'compressor', label: 'Tone comp', position: { x: 312, y: 0 }, params: { threshold: -30, ratio: 4 } },
    { id: 'master', type: 'master', position: { x: 468, y: 0 } },
  ],
  edges: [
    { from: 'tone', to: 'eq' },
    { from: 'eq', to: 'comp' },
    { from: 'comp', to: 'master' },
  ],
};

async function exported(page: Page): Promise<Float32Array[]> {
  return decodeWav(new Uint8Array(readFileSync(await (await exportWav(page, { format: '32f' })).path()))).channels;
}

describe('groups', () => {
  it('group with knobs, edit inside by the breadcrumb, nest, ungroup: each one undo step; a group exports the same samples as its nodes', async () => {
    const { page, errors } = await editor();
    await page.getByLabel('Open session file', { exact: true }).setInputFiles({ name: 'tone.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(TONE)) });
    await nodeBox(page, 'eq').waitFor();
    const before = await exported(page);
    const flat = await docOf(page);

    await select(page, ['eq', 'comp']);
    await page.keyboard.press('Control+g');
    const dialog = page.getByRole('dialog', { name: 'Group 2 nodes' });
    await dialog.getByLabel('Name').fill('Tone shaping');
    const knobs = dialog.getByRole('group', { name: 'Knobs on the group' });
    await knobs.getByRole('group', { name: /Tone comp/ }).getByLabel('Threshold').check();
    await knobs.getByRole('group', { name: /Tone comp/ }).getByLabel('Ratio').check();
    await screenshot(page, '90-group-dialog');
    await dialog.getByRole('button', { name: 'Group', exact: true }).click();
    await nodeBox(page, 'group').waitFor();
    const doc = await docOf(page);
    expect(doc.nodes.map((n) => n.id).sort()).toEqual(['group', 'master', 'tone']);
    expect(doc.edges).toEqual([
      { from: 'tone', fromPort: 'out', to: 'group', toPort: 'in' },
      { from: 'group', fromPort: 'out', to: 'master', toPort: 'in' },
    ]);
    const group = (await topNode(page, 'group'))!;
    expect(group.label).toBe('Tone shaping');
    expect(group.group!.exposed.map((k) => `${k.node}.${k.param}`)).toEqual(['comp.threshold', 'comp.ratio']);
    // The same sound, sample for sample: the compiler flattens the group.
    const grouped = await exported(page);
    let diff = 0;
    for (let c = 0; c < before.length; c++) for (let i = 0; i < before[c].length; i++) diff = Math.max(diff, Math.abs(before[c][i] - grouped[c][i]));
    expect(diff).toBe(0);
    await screenshot(page, '91-grouped');

    // A knob on the group is the inner node's param, not a copy.
    const inspector = page.getByRole('complementary', { name: 'Inspector: Tone shaping' });
    const threshold = inspector.getByRole('group', { name: 'Group knobs' }).getByRole('textbox', { name: /Threshold/ });
    await threshold.fill('-20');
    await threshold.press('Enter');
    await expect.poll(async () => (await topNode(page, 'group'))!.group!.nodes.find((n) => n.id === 'comp')!.params.threshold).toBe(-20);

    // Open it: the inside, with the group's ports at the sides and the breadcrumb back.
    await nodeBox(page, 'group').dblclick();
    await expect.poll(() => scopeOf(page)).toBe('group');
    await page.getByTestId('group-input').waitFor();
    await page.getByTestId('group-output').waitFor();
    await nodeBox(page, 'comp').waitFor();
    const crumbs = page.getByRole('navigation', { name: 'Where you are' });
    expect(await crumbs.textContent()).toContain('Tone shaping');
    await screenshot(page, '92-inside-group');
    // Edit inside: bypass the EQ (a path command), one undo step.
    await page.getByRole('button', { name: 'Bypass Tone EQ' }).click();
    expect((await topNode(page, 'group'))!.group!.nodes.find((n) => n.id === 'eq')).toMatchObject({ bypass: true });
    await undo(page);
    expect((await topNode(page, 'group'))!.group!.nodes.find((n) => n.id === 'eq')).not.toMatchObject({ bypass: true });
    // A group inside the group.
    await select(page, ['comp']);
    await page.keyboard.press('Control+g');
    await page.getByRole('dialog', { name: 'Group 1 node' }).getByLabel('Name').fill('Dynamics');
    await page.getByRole('dialog', { name: 'Group 1 node' }).getByRole('button', { name: 'Group', exact: true }).click();
    await nodeBox(page, 'group').waitFor(); // the inner group's id inside the outer one
    await nodeBox(page, 'group').dblclick();
    await expect.poll(() => scopeOf(page)).toBe('group/group');
    expect(await crumbs.getByRole('listitem').allTextContents()).toEqual(['Tone chain', 'Tone shaping', 'Dynamics']);
    await screenshot(page, '93-nested-group');
    await crumbs.getByRole('button', { name: 'Tone chain' }).click();
    await expect.poll(() => scopeOf(page)).toBe('');
    // The outer group's knobs still work through the inner group.
    expect((await topNode(page, 'group'))!.group!.exposed.length).toBe(2);
    const nested = await exported(page);
    let d2 = 0;
    for (let i = 0; i < before[0].length; i++) d2 = Math.max(d2, Math.abs(nested[0][i] - grouped[0][i]));
    // Threshold -20 instead of -30: the sound changed as the knob said...
    expect(d2).toBeGreaterThan(1e-4);

    // Ungroup: one step; undone, the group is back.
    await select(page, ['group']);
    await page.getByRole('complementary', { name: 'Inspector: Tone shaping' }).getByRole('button', { name: 'Ungroup' }).click();
    await nodeBox(page, 'eq').waitFor();
    expect((await docOf(page)).nodes.map((n) => n.id).sort()).toEqual(['eq', 'group', 'master', 'tone']); // "group" is now the inner Dynamics group
    await undo(page);
    expect((await docOf(page)).nodes.map((n) => n.id).sort()).toEqual(['group', 'master', 'tone']);
    // Undo back to before grouping: the flat session again.
    for (let i = 0; i < 3; i++) await undo(page);
    await expect.poll(async () => (await docOf(page)).nodes.map((n) => n.id).sort()).toEqual(['comp', 'eq', 'master', 'tone']);
    expect(await docOf(page)).toEqual(flat);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a group saved as a chain preset, then inserted from the preset browser as a group with the same knobs', async () => {
    const { page, errors } = await editor();
    await select(page, ['vox_eq', 'vox_comp']);
    await page.keyboard.press('Control+g');
    const dialog = page.getByRole('dialog', { name: 'Group 2 nodes' });
    await dialog.getByLabel('Name').fill('Vox strip');
    await dialog.getByRole('group', { name: /Vox comp/ }).getByLabel('Threshold').check();
    await dialog.getByRole('button', { name: 'Group', exact: true }).click();
    await nodeBox(page, 'group').waitFor();
    await page.getByRole('complementary', { name: 'Inspector: Vox strip' }).getByRole('button', { name: 'Save as chain preset…' }).click();
    const save = page.getByRole('dialog', { name: 'Save as chain preset' });
    await save.getByLabel('Name').fill('My vox strip');
    await save.getByLabel('Description').fill('EQ then compression for a pop vocal.');
    await save.getByLabel('Tags').fill('vocal, mine');
    await screenshot(page, '94-save-chain-preset');
    await save.getByRole('button', { name: 'Save preset' }).click();
    await page.locator('.notice', { hasText: 'Saved “My vox strip” to your presets' }).waitFor();

    // Insert it as a group on the keys' connection to their send.
    await page.getByRole('button', { name: 'Presets…' }).click();
    const browser = page.getByRole('dialog', { name: 'Presets' });
    await browser.getByRole('button', { name: 'Yours', exact: true }).click();
    await browser.getByRole('button', { name: /My vox strip/ }).click();
    const detail = browser.getByRole('region', { name: 'Preset: My vox strip' });
    expect(await detail.textContent()).toContain('EQ then compression for a pop vocal.');
    expect(await detail.getByRole('list', { name: 'Nodes in the preset' }).textContent()).toMatch(/Vox EQ.*Vox comp/);
    await detail.getByRole('radio', { name: 'On one connection' }).check();
    await detail.getByRole('combobox', { name: 'Between' }).selectOption({ label: 'Keys comp → Keys send' });
    await detail.getByRole('checkbox', { name: /Insert as one group/ }).check();
    await screenshot(page, '95-insert-as-group');
    await detail.getByRole('button', { name: 'Insert' }).click();
    await browser.waitFor({ state: 'detached' });
    const doc = await docOf(page);
    const added = doc.nodes.find((n) => n.id !== 'group' && n.type === 'group')!;
    expect(added).toBeTruthy();
    expect(doc.edges).toContainEqual({ from: 'keys_comp', fromPort: 'out', to: added.id, toPort: 'in' });
    expect(doc.edges).toContainEqual({ from: added.id, fromPort: 'out', to: 'keys_send', toPort: 'in' });
    const inserted = (await topNode(page, added.id))!;
    expect(inserted.group!.exposed.map((k) => `${k.node}.${k.param}`)).toEqual(['vox_comp.threshold']);
    await nodeBox(page, added.id).waitFor();
    await screenshot(page, '96-inserted-group');
    // One undo step takes it out.
    await undo(page);
    expect((await docOf(page)).nodes.filter((n) => n.type === 'group').length).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('Insert chain asks where when the master has several inputs: on the whole mix by default (a new bus collects every input); it plays through the chain; one undo step', async () => {
    const { page, errors } = await editor();
    await page.getByRole('button', { name: /^Session/ }).click();
    await page.getByRole('menuitem', { name: 'New session…' }).click();
    await page.getByRole('dialog', { name: 'New session' }).getByRole('button', { name: 'Create' }).click();
    const pane = (await page.locator('.react-flow').boundingBox())!;
    await dropFiles(page, [{ name: 'low.wav', bytes: sineWavBytes(6, 110) }, { name: 'high.wav', bytes: sineWavBytes(6, 880) }], { x: pane.x + 150, y: pane.y + 150 });
    await nodeBox(page, 'high').waitFor();
    const before = await docOf(page);
    expect(before.edges.filter((e) => e.to === 'master').length).toBe(2);

    await page.getByRole('button', { name: 'Insert chain…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Insert a chain' });
    const mix = dialog.getByRole('radio', { name: /On the whole mix/ });
    expect(await mix.isChecked()).toBe(true);
    expect(await dialog.textContent()).toContain('all 2 connections into it');
    await dialog.getByRole('radio', { name: 'Streaming master (-14 LUFS)' }).check();
    await screenshot(page, '97-insert-whole-mix');
    await dialog.getByRole('button', { name: 'Insert' }).click();
    await dialog.waitFor({ state: 'detached' });
    const after = await docOf(page);
    const bus = after.nodes.find((n) => n.id === 'mix_bus')!;
    expect(bus.type).toBe('bus');
    // Both tracks go to the new bus; the chain runs from it to the master; nothing else reaches the master.
    expect(after.edges).toContainEqual({ from: 'low', fromPort: 'out', to: 'mix_bus', toPort: 'in' });
    expect(after.edges).toContainEqual({ from: 'high', fromPort: 'out', to: 'mix_bus', toPort: 'in' });
    const into = after.edges.filter((e) => e.to === 'master');
    expect(into.length).toBe(1);
    expect(into[0].from).not.toBe('mix_bus');
    // The new row is brought into view, the master at its end included.
    await expect
      .poll(async () => {
        const pane = (await page.locator('.react-flow').boundingBox())!;
        const box = await nodeBox(page, 'master').boundingBox();
        return box !== null && box.x >= pane.x && box.x + box.width <= pane.x + pane.width && box.y + box.height <= pane.y + pane.height;
      }, { timeout: 5_000 })
      .toBe(true);
    await screenshot(page, '98-whole-mix-inserted');

    // It plays through the chain: the chain's loudness meter hears both tracks (muting one lowers it).
    await page.getByRole('button', { name: 'Play' }).click();
    const loudness = after.nodes.find((n) => n.type === 'loudness' && n.id !== 'master')!.id;
    const reading = () => page.evaluate((id) => (window as unknown as { mixgraph: { audio: { reading(id: string, n: string): number | undefined } } }).mixgraph.audio.reading(id, 'momentary') ?? -Infinity, loudness);
    await expect.poll(reading, { timeout: 15_000, interval: 200 }).toBeGreaterThan(-30);
    await page.getByRole('button', { name: 'Stop' }).click();
    await undo(page);
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 60_000);
});
