// Notes and frames on the canvas, in Chromium, as a teacher makes them: a note typed in Markdown and
// shown formatted, a frame made around selected nodes, both moved and resized by mouse, undone and
// redone, deleted and brought back; after a reload (autosave to IndexedDB) they are back as they
// were, and the saved file holds them. A frame never takes a click meant for a node inside it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { docOf, drag, nodeBox, screenshot, selectionOf, settledBox, waitSaved } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
type Annotation = { id: string; kind: string; position: { x: number; y: number }; size: { width: number; height: number }; text?: string; label?: string };

function annotationsOf(page: Page): Promise<Annotation[]> {
  return page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { mixgraph: { store: { getState(): { doc: { annotations?: unknown[] } } } } }).mixgraph.store.getState().doc.annotations ?? [])));
}
const zoomOf = (page: Page) => page.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
/** Within a few pixels: a drag's first pixels go to React Flow's drag threshold. */
const near = (got: number, want: number) => expect(Math.abs(got - want), `${got} for ${want}`).toBeLessThan(16);
/** The toolbar's Annotate menu, then one of its entries. */
async function annotate(page: Page, item: 'Add note' | 'Add frame' | 'Frame selection'): Promise<void> {
  await page.getByRole('button', { name: 'Annotate' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}
const inside = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

describe('notes and frames', () => {
  it('a note and a frame saved and reloaded: typed, framed around a selection, moved, resized, undone, deleted and back, after a reload and in the saved file', async () => {
    const { page, errors } = await editor();
    const undo = page.getByRole('button', { name: 'Undo', exact: true });
    const redo = page.getByRole('button', { name: 'Redo', exact: true });

    // A note, typed as Markdown where it stands; Ctrl+Enter keeps it.
    await annotate(page, 'Add note');
    const editorBox = page.getByRole('textbox', { name: /^Note text/ });
    await expect.poll(() => editorBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('# Signal flow\n\nThe **kick** goes to the *drum bus*:\n\n- EQ\n- compressor\n\nRead [the manual](https://example.org/manual). <b>raw</b>');
    await page.keyboard.press('Control+Enter');
    const note = page.getByTestId('note-note');
    await expect.poll(() => note.locator('h1').textContent()).toBe('Signal flow');
    expect(await note.locator('strong').textContent()).toBe('kick');
    expect(await note.locator('em').textContent()).toBe('drum bus');
    expect(await note.locator('li').count()).toBe(2);
    const link = note.getByRole('link', { name: 'the manual' });
    expect(await link.getAttribute('href')).toBe('https://example.org/manual');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    // HTML in a note is text.
    expect(await note.locator('b').count()).toBe(0);
    expect(await note.textContent()).toContain('<b>raw</b>');
    // Readable when projected: 14 px at zoom 1, over 10.5 px on screen at the zoom the editor opened with.
    const px = await note.locator('p').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(13);
    expect(px * (await zoomOf(page))).toBeGreaterThanOrEqual(10.5);
    expect((await annotationsOf(page))[0].text).toBe('# Signal flow\n\nThe **kick** goes to the *drum bus*:\n\n- EQ\n- compressor\n\nRead [the manual](https://example.org/manual). <b>raw</b>');
    expect(await page.getByRole('button', { name: 'Undo', exact: true }).getAttribute('title')).toContain('Edit note note');

    // A frame around two selected nodes, named where it stands.
    await nodeBox(page, 'drums').locator('.mix-node-title').click();
    await nodeBox(page, 'drums_eq').locator('.mix-node-title').click({ modifiers: ['Shift'] });
    expect((await selectionOf(page)).sort()).toEqual(['drums', 'drums_eq']);
    await annotate(page, 'Frame selection');
    const label = page.getByRole('textbox', { name: 'Frame label' });
    await expect.poll(() => label.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Drum tracks');
    await page.keyboard.press('Enter');
    const frame = page.getByTestId('frame-frame');
    await expect.poll(() => frame.locator('.annotation-frame-label').textContent()).toBe('Drum tracks');
    // Brought into view, the frame holds both nodes with room to spare.
    await page.getByRole('button', { name: 'Fit view', exact: true }).click();
    const frameBox = await settledBox(page, frame);
    for (const id of ['drums', 'drums_eq']) expect(inside((await nodeBox(page, id).boundingBox())!, frameBox), id).toBe(true);
    await screenshot(page, '90-note-and-frame');

    // The frame takes no click meant for what is inside it: a node inside is selected by a click,
    // a click on the frame's empty inside reaches the pane (nothing selected), not the frame.
    await page.mouse.click(frameBox.x + 6, frameBox.y + frameBox.height - 6);
    expect(await selectionOf(page)).toEqual([]);
    expect(await frame.evaluate((el) => el.classList.contains('selected'))).toBe(false);
    await nodeBox(page, 'drums_eq').locator('.mix-node-title').click();
    expect(await selectionOf(page)).toEqual(['drums_eq']);
    expect(await frame.evaluate((el) => el.classList.contains('selected'))).toBe(false);
    // It is drawn under the nodes.
    const z = (sel: string) => page.locator(sel).first().evaluate((el) => Number(getComputedStyle(el).zIndex));
    expect(await z('.react-flow__node-frame')).toBeLessThan(await z('.react-flow__node-mix'));

    // Dragged by its label, the frame carries the nodes inside it (not those outside): one undo step.
    const zoom = await zoomOf(page);
    const positions = async () => Object.fromEntries((await docOf(page)).nodes.map((n) => [n.id, n.position!]));
    const start = await positions();
    const frameStart = (await annotationsOf(page))[1].position;
    const bar = (await frame.locator('.annotation-frame-bar').boundingBox())!;
    await drag(page, { x: bar.x + 20, y: bar.y + bar.height / 2 }, { x: bar.x + 20 + 80, y: bar.y + bar.height / 2 + 40 });
    const carried = await positions();
    const frameMoved = (await annotationsOf(page))[1].position;
    const dx = frameMoved.x - frameStart.x;
    const dy = frameMoved.y - frameStart.y;
    // (By about 80 and 40 px on screen: React Flow pans the view while a drag is near the pane's edge.)
    expect(dx).toBeGreaterThan(40);
    expect(dy).toBeGreaterThan(10);
    for (const id of ['drums', 'drums_eq']) expect(carried[id], id).toEqual({ x: start[id].x + dx, y: start[id].y + dy });
    for (const id of ['drums_comp', 'keys', 'master']) expect(carried[id], id).toEqual(start[id]);
    expect(await undo.getAttribute('title')).toContain('Move');
    await undo.click();
    expect(await positions()).toEqual(start);
    expect((await annotationsOf(page))[1].position).toEqual(frameStart);

    // Move the note by dragging it: one undo step.
    const before = (await annotationsOf(page))[0];
    const nb = await settledBox(page, note);
    await drag(page, { x: nb.x + nb.width / 2, y: nb.y + 12 }, { x: nb.x + nb.width / 2 + 120, y: nb.y + 12 + 60 });
    const moved = (await annotationsOf(page))[0];
    near(moved.position.x - before.position.x, 120 / zoom);
    near(moved.position.y - before.position.y, 60 / zoom);
    expect(await undo.getAttribute('title')).toContain('Move');
    // One step: one Undo puts it back where it was, one Redo where it was dragged.
    await undo.click();
    expect((await annotationsOf(page))[0].position).toEqual(before.position);
    await page.getByRole('button', { name: 'Redo' }).click();
    expect((await annotationsOf(page))[0].position).toEqual(moved.position);

    // Resize it from its bottom-right handle (it is selected after the drag): one undo step.
    const handle = page.locator('.react-flow__node-note .react-flow__resize-control.handle.bottom.right');
    await handle.waitFor();
    const h = await handle.boundingBox();
    await drag(page, { x: h!.x + h!.width / 2, y: h!.y + h!.height / 2 }, { x: h!.x + h!.width / 2 + 100, y: h!.y + h!.height / 2 + 50 });
    const resized = (await annotationsOf(page))[0];
    expect(resized.position).toEqual(moved.position);
    near(resized.size.width - moved.size.width, 100 / zoom);
    near(resized.size.height - moved.size.height, 50 / zoom);
    await undo.click();
    expect((await annotationsOf(page))[0]).toEqual(moved);
    await redo.click();
    expect((await annotationsOf(page))[0]).toEqual(resized);

    // Delete removes the selected frame; Undo brings it back.
    await frame.locator('.annotation-frame-bar').click();
    await expect.poll(() => frame.evaluate((el) => el.classList.contains('selected'))).toBe(true);
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await annotationsOf(page)).map((a) => a.id)).toEqual(['note']);
    await undo.click();
    await expect.poll(async () => (await annotationsOf(page)).map((a) => a.id)).toEqual(['note', 'frame']);

    // Double-click to edit again, Escape drops the change.
    await note.locator('h1').dblclick();
    await page.getByRole('textbox', { name: /^Note text/ }).press('End');
    await page.keyboard.type(' (never kept)');
    await page.keyboard.press('Escape');
    expect((await annotationsOf(page))[0].text).toBe(resized.text);

    // Enter on the focused note opens it too (the keyboard way); Escape leaves it unchanged.
    await page.locator('.react-flow__node-note').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('textbox', { name: /^Note text/ }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: /^Note text/ }).waitFor({ state: 'detached' });

    // Reload: autosave brings them back as they were, formatted.
    const kept = await annotationsOf(page);
    await waitSaved(page);
    await page.reload();
    await page.getByTestId('node-master').waitFor();
    expect(await annotationsOf(page)).toEqual(kept);
    await expect.poll(() => page.getByTestId('note-note').locator('h1').textContent()).toBe('Signal flow');
    expect(await page.getByTestId('frame-frame').locator('.annotation-frame-label').textContent()).toBe('Drum tracks');
    const after = await settledBox(page, page.getByTestId('note-note'));
    const zoomAfter = await zoomOf(page);
    expect(after.width).toBeCloseTo(resized.size.width * zoomAfter, 0);
    expect(after.height).toBeCloseTo(resized.size.height * zoomAfter, 0);

    // Session → Save JSON: the file holds them.
    await page.getByRole('button', { name: /^Session/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Save JSON' }).click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(saved.annotations).toEqual(kept);
    expect(errors).toEqual([]);
  }, 90_000);
});
