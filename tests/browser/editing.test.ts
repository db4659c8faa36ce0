// Editing the demo in Chromium with the mouse and the keyboard, as a new user would: add nodes
// from the palette, connect them by dragging, change parameters, undo and redo, delete, and
// see why a connection is refused.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { centreOf, docOf, drag, nodeBox, paramOf, port, screenshot, selectionOf, settledBox } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

const notices = (page: Page) => page.locator('.notice').allTextContents();
const hint = (page: Page) => page.locator('.connection-hint');

describe('editing the graph in the browser', () => {
  it('adds an EQ from the palette: with a click, and with the keyboard (search "eq", Enter)', async () => {
    const { page, errors } = await editor();
    const before = (await docOf(page)).nodes.length;

    await page.getByRole('button', { name: 'Add EQ' }).click();
    await nodeBox(page, 'eq').waitFor();
    expect(await selectionOf(page)).toEqual(['eq']);
    await page.getByRole('complementary', { name: 'Inspector: EQ' }).waitFor();

    const search = page.getByRole('searchbox', { name: /Search nodes/ });
    await search.click();
    await page.keyboard.type('eq');
    // The best match comes first: the EQ, not the test signal whose description says "frequency".
    expect(await page.getByRole('navigation', { name: 'Node palette' }).getByRole('button').first().getAttribute('aria-label')).toBe('Add EQ');
    await page.keyboard.press('Enter');
    await nodeBox(page, 'eq2').waitFor();
    const doc = await docOf(page);
    expect(doc.nodes.length).toBe(before + 2);
    expect(doc.nodes.filter((n) => n.id === 'eq' || n.id === 'eq2').map((n) => n.type)).toEqual(['eq', 'eq']);
    expect(await selectionOf(page)).toEqual(['eq2']);
    await screenshot(page, '10-eq-added');

    await page.getByRole('button', { name: 'Undo' }).click();
    await nodeBox(page, 'eq2').waitFor({ state: 'detached' });
    expect((await docOf(page)).nodes.length).toBe(before + 1);
    expect(errors).toEqual([]);
  }, 30_000);

  it('connects an output to an input by dragging with the mouse', async () => {
    const { page, errors } = await editor();
    await page.getByRole('button', { name: 'Add EQ' }).click();
    await nodeBox(page, 'eq').waitFor();
    const before = await docOf(page);
    const drawn = await page.locator('.react-flow__edge').count();

    await drag(page, await centreOf(port(page, 'drum_bus', 'out', 'source')), await centreOf(port(page, 'eq', 'in', 'target')));

    const after = await docOf(page);
    expect(after.edges.length).toBe(before.edges.length + 1);
    expect(after.edges).toContainEqual({ from: 'drum_bus', fromPort: 'out', to: 'eq', toPort: 'in' });
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(drawn + 1);
    expect(await notices(page)).toEqual([]);
    await screenshot(page, '11-connected');
    expect(errors).toEqual([]);
  }, 30_000);

  it('refuses a duplicate edge and a loop without a delay, says why, and leaves the document unchanged', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);

    // Duplicate: Master EQ already feeds Glue comp.
    await drag(page, await centreOf(port(page, 'master_eq', 'out', 'source')), await centreOf(port(page, 'master_comp', 'in', 'target')), { hold: true });
    expect(await hint(page).textContent()).toContain('connected already');
    await page.mouse.up();
    await expect.poll(() => notices(page)).toEqual([expect.stringContaining('Connection refused: these two ports are connected already')]);
    await expect.poll(() => hint(page).count()).toBe(0);
    expect(await docOf(page)).toEqual(before);

    // Loop: from a downstream output (Glue comp) back to an upstream input (Mix bus), no delay in it.
    const loopFrom = await centreOf(port(page, 'master_comp', 'out', 'source'));
    await drag(page, loopFrom, await centreOf(port(page, 'mix_bus', 'in', 'target')), { hold: true });
    expect(await hint(page).isVisible()).toBe(true);
    expect(await hint(page).textContent()).toContain('feedback loop');
    await screenshot(page, '12-loop-refused-hint');
    await page.mouse.up();
    const loopNotice = page.locator('.notice', { hasText: 'feedback loop' });
    await loopNotice.waitFor();
    expect(await loopNotice.isVisible()).toBe(true);
    expect(await loopNotice.textContent()).toContain('master_comp → mix_bus');
    expect(await docOf(page)).toEqual(before);
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    await screenshot(page, '13-loop-refused-notice');

    // Leaving the refused handle clears the hint; dropping on the empty pane just cancels.
    const count = (await notices(page)).length;
    const mixBus = (await nodeBox(page, 'mix_bus').boundingBox())!;
    await drag(page, loopFrom, await centreOf(port(page, 'mix_bus', 'in', 'target')), { hold: true });
    expect(await hint(page).count()).toBe(1);
    await page.mouse.move(mixBus.x + mixBus.width / 2, mixBus.y - 90, { steps: 10 });
    expect(await hint(page).count()).toBe(0);
    await page.mouse.up();
    expect((await notices(page)).length).toBe(count);
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 30_000);

  it('changes a parameter by typing in the inspector; undo and redo with the buttons and with Ctrl+Z / Ctrl+Shift+Z', async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'master_comp').click();
    await page.getByRole('complementary', { name: 'Inspector: Glue comp' }).waitFor();
    const field = page.getByRole('textbox', { name: 'Threshold value in dB' });
    expect(await field.inputValue()).toBe('-14');
    await field.fill('-24');
    await field.press('Enter');
    expect(await paramOf(page, 'master_comp', 'threshold')).toBe(-24);
    expect(await page.getByRole('slider', { name: 'Threshold' }).getAttribute('aria-valuenow')).toBe('-24');
    // Out of range is clamped, not refused.
    await field.fill('-200');
    await field.press('Enter');
    expect(await paramOf(page, 'master_comp', 'threshold')).toBe(-60);
    await field.fill('-24');
    await field.press('Enter');
    await screenshot(page, '14-inspector-edited');

    const undo = page.getByRole('button', { name: 'Undo' });
    const redo = page.getByRole('button', { name: 'Redo' });
    // The three typed values merge into one undo step (one field, one step).
    await undo.click();
    expect(await paramOf(page, 'master_comp', 'threshold')).toBe(-14);
    await expect.poll(() => field.inputValue()).toBe('-14');
    expect(await undo.isDisabled()).toBe(true);
    await redo.click();
    expect(await paramOf(page, 'master_comp', 'threshold')).toBe(-24);

    await page.keyboard.press('Control+z');
    expect(await paramOf(page, 'master_comp', 'threshold')).toBe(-14);
    await page.keyboard.press('Control+Shift+z');
    expect(await paramOf(page, 'master_comp', 'threshold')).toBe(-24);
    expect(errors).toEqual([]);
  }, 30_000);

  it('turns a knob by dragging it up; the whole drag is one undo step', async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'master_gain').click();
    const knob = page.getByRole('slider', { name: 'Gain' });
    expect(await knob.getAttribute('aria-valuenow')).toBe('2');
    const centre = await centreOf(knob);
    // 200 px is the whole range (-60..24 dB): 50 px up is +21 dB.
    await drag(page, centre, { x: centre.x, y: centre.y - 50 }, { steps: 10 });
    const turned = (await paramOf(page, 'master_gain', 'gain')) as number;
    expect(turned).toBeGreaterThan(20);
    expect(turned).toBeLessThanOrEqual(24);
    expect(await knob.getAttribute('aria-valuenow')).toBe(String(turned));
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await paramOf(page, 'master_gain', 'gain')).toBe(2);
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  }, 30_000);

  it('moves a node by dragging it; the move is one undo step', async () => {
    const { page, errors } = await editor();
    const start = (await docOf(page)).nodes.find((n) => n.id === 'reverb')!.position!;
    const box = await settledBox(page, nodeBox(page, 'reverb'));
    const grab = { x: box.x + box.width / 2, y: box.y + 8 }; // the header, away from ports and buttons
    await drag(page, grab, { x: grab.x + 120, y: grab.y + 60 }, { steps: 12 });
    // The document takes the move as React Flow reports it (a frame later on a busy machine).
    await expect.poll(async () => (await docOf(page)).nodes.find((n) => n.id === 'reverb')!.position!.x).toBeGreaterThan(start.x + 50);
    const moved = (await docOf(page)).nodes.find((n) => n.id === 'reverb')!.position!;
    expect(moved.y).toBeGreaterThan(start.y + 25);
    await page.getByRole('button', { name: 'Undo' }).click();
    expect((await docOf(page)).nodes.find((n) => n.id === 'reverb')!.position).toEqual(start);
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  }, 30_000);

  it('Auto layout (ELK, loaded on first use) moves the nodes in one undo step', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    await page.getByRole('button', { name: 'Auto layout' }).click();
    await expect.poll(async () => JSON.stringify((await docOf(page)).nodes.map((n) => n.position)), { timeout: 15_000 }).not.toBe(JSON.stringify(before.nodes.map((n) => n.position)));
    const after = await docOf(page);
    expect(after.edges).toEqual(before.edges);
    // Left to right: every edge goes from a node to one further right.
    const x = new Map(after.nodes.map((n) => [n.id, n.position!.x]));
    for (const e of after.edges) expect(x.get(e.to)!, `${e.from} -> ${e.to}`).toBeGreaterThan(x.get(e.from)!);
    await screenshot(page, '16-auto-layout');
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 30_000);

  it('deletes the selected node and its edges with the Delete key; Undo brings them back', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    await nodeBox(page, 'master_sat').click();
    expect(await selectionOf(page)).toEqual(['master_sat']);
    await page.keyboard.press('Delete');
    await nodeBox(page, 'master_sat').waitFor({ state: 'detached' });
    const after = await docOf(page);
    expect(after.nodes.map((n) => n.id)).toEqual(before.nodes.map((n) => n.id).filter((id) => id !== 'master_sat'));
    expect(after.edges).toEqual(before.edges.filter((e) => e.from !== 'master_sat' && e.to !== 'master_sat'));
    expect(after.edges.length).toBe(before.edges.length - 2);
    await page.getByRole('complementary', { name: 'Inspector' }).waitFor();
    await screenshot(page, '15-node-deleted');
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await docOf(page)).toEqual(before);
    await nodeBox(page, 'master_sat').waitFor();
    expect(errors).toEqual([]);
  }, 30_000);

  it('Open JSON replaces the session with the file; a broken file is reported and the session stays as it was', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    const input = page.getByLabel('Open session file', { exact: true });
    await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "mixgraph", "version": 1, "nodes": [') });
    await page.locator('.notice-error', { hasText: 'broken.json' }).waitFor();
    expect(await docOf(page)).toEqual(before);
    // A UTF-16 file (as some Windows editors save JSON) is named as such, in the CLI's words.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"format": "mixgraph"}', 'utf16le')]);
    await input.setInputFiles({ name: 'wide.json', mimeType: 'application/json', buffer: utf16 });
    const wide = page.locator('.notice-error', { hasText: 'wide.json' });
    await wide.waitFor();
    expect(await wide.textContent()).toContain('wide.json: it is UTF-16 text; Mixgraph reads JSON files in UTF-8: save it as UTF-8');
    expect(await docOf(page)).toEqual(before);

    const small = { format: 'mixgraph', version: 1, kind: 'session', name: 'Tone', nodes: [{ id: 'tone', type: 'generator' }, { id: 'out', type: 'master' }], edges: [{ from: 'tone', to: 'out' }] };
    await input.setInputFiles({ name: 'tone.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(small)) });
    await nodeBox(page, 'tone').waitFor();
    const after = await docOf(page);
    expect(after.nodes.map((n) => n.id)).toEqual(['tone', 'out']);
    expect(after.edges).toEqual([{ from: 'tone', fromPort: 'out', to: 'out', toPort: 'in' }]);
    expect(await page.locator('.session-name').textContent()).toBe('Tone');
    expect(errors).toEqual([]);
  }, 30_000);
});
