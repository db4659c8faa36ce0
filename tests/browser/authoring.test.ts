// Lesson authoring in Chromium: a teacher opens a session, makes a new lesson from it, writes a step,
// adds a "Path from A to B" check by clicking the two nodes on the canvas, watches it tick and untick
// as the cable is made and undone, saves the lesson file (a real download) and opens it again.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { centreOf, docOf, drag, nodeBox, port, ROOT, screenshot, settledBox } from './harness.ts';
import { readPackage } from '../../src/presets/package.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

/** Signal flow 101's start: Kick and Hats straight to the Master, a Drum bus with nothing on it. */
const START = JSON.parse(readFileSync(join(ROOT, 'presets/lessons/signal-flow-101.json'), 'utf8')).session;

const scratchDir = mkdtempSync(join(tmpdir(), 'mixgraph-authoring-'));
afterAll(() => rmSync(scratchDir, { recursive: true, force: true }));

/** Session → Open file… with a file, as a teacher opens one. */
async function openFile(page: Page, path: string) {
  await page.getByRole('button', { name: 'Session' }).click();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('menuitem', { name: 'Open file…' }).click()]);
  await chooser.setFiles(path);
}

const authoring = (page: Page) => page.getByRole('complementary', { name: /^Editing lesson:/ });
/** Click a node on the canvas where nothing else is: its header's left end. */
const clickNode = async (page: Page, id: string) => {
  const box = await settledBox(page, nodeBox(page, id));
  await page.mouse.click(box.x + 12, box.y + 10);
};

describe('lesson authoring', () => {
  it('authoring a check by clicking: New lesson, a step with text, Path from A to B picked on the canvas, ticking live; saved and reopened', async () => {
    const { page, errors } = await editor();
    const startFile = join(scratchDir, 'drums.json');
    writeFileSync(startFile, JSON.stringify({ format: 'mixgraph', version: 2, ...START, name: 'Drums' }));
    await openFile(page, startFile);
    await expect.poll(() => page.locator('.session-name').textContent()).toBe('Drums');
    await nodeBox(page, 'drums').waitFor();

    await page.getByRole('button', { name: 'Session' }).click();
    await page.getByRole('menuitem', { name: 'New lesson from this session' }).click();
    const panel = authoring(page);
    await panel.waitFor();
    await panel.getByLabel('Lesson name').fill('Drums on the bus');
    expect(await panel.getByRole('listitem', { name: /^Step \d+$/ }).count()).toBe(1);

    // Add step: the panel shows two steps at once (one place holds the lesson).
    await panel.getByRole('button', { name: 'Add step' }).click();
    expect(await panel.getByRole('listitem', { name: /^Step \d+$/ }).count()).toBe(2);
    await panel.getByRole('button', { name: 'Remove step 2' }).click();
    expect(await panel.getByRole('listitem', { name: /^Step \d+$/ }).count()).toBe(1);

    await panel.getByLabel('Title of step 1').fill('Kick to the bus');
    await panel.getByLabel('Text of step 1').fill('Connect the **Kick** to the *Drum bus*.');
    // The Markdown preview, live.
    await expect.poll(() => panel.getByLabel('Preview of step 1').locator('strong').textContent()).toBe('Kick');

    // Add check ▾ lists every type with a sentence; Path from A to B enters pick mode.
    await panel.getByRole('button', { name: 'Add check to step 1' }).click();
    const menu = panel.getByRole('menu');
    expect(await menu.getByRole('menuitem').count()).toBe(6);
    expect(await menu.getByRole('menuitem', { name: /^Path from A to B/ }).textContent()).toContain('The signal flows from one node to another');
    await menu.getByRole('menuitem', { name: /^Path from A to B/ }).click();
    const banner = page.getByRole('status').filter({ hasText: 'Click the source node' });
    await banner.waitFor();
    await screenshot(page, '170-authoring-pick');
    // Escape cancels: no check, no banner.
    await page.keyboard.press('Escape');
    await banner.waitFor({ state: 'detached' });
    expect(await panel.getByRole('listitem', { name: /^Check \d+ of step 1$/ }).count()).toBe(0);

    await panel.getByRole('button', { name: 'Add check to step 1' }).click();
    await panel.getByRole('menu').getByRole('menuitem', { name: /^Path from A to B/ }).click();
    await banner.waitFor();
    await clickNode(page, 'kick');
    await page.getByRole('status').filter({ hasText: 'Click the node the signal must reach' }).waitFor();
    await clickNode(page, 'drums');
    const card = panel.getByRole('listitem', { name: 'Check 1 of step 1' });
    await card.waitFor();
    expect(await card.getByRole('button', { name: 'from: Kick (pick again)' }).count()).toBe(1);
    expect(await card.getByRole('button', { name: 'to: Drum bus (pick again)' }).count()).toBe(1);
    // Picking selected nothing and moved nothing on the canvas.
    expect((await docOf(page)).nodes.find((n) => n.id === 'kick')!.position).toEqual(START.nodes.find((n: { id: string }) => n.id === 'kick').position);
    const tick = card.getByRole('checkbox', { name: 'Kick reaches Drum bus' });
    expect(await tick.isChecked()).toBe(false);
    expect(await card.textContent()).toContain('Expected a path from Kick to Drum bus; Kick goes straight to the Master.');

    // The solution on the canvas: the tick follows the cable.
    await drag(page, await centreOf(port(page, 'kick', 'out', 'source')), await centreOf(port(page, 'drums', 'in', 'target')));
    await expect.poll(async () => (await docOf(page)).edges).toContainEqual({ from: 'kick', fromPort: 'out', to: 'drums', toPort: 'in' });
    await expect.poll(() => tick.isChecked()).toBe(true);
    await screenshot(page, '171-authoring-ticked');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => tick.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect.poll(() => tick.isChecked()).toBe(true);

    // The lesson's own undo: removing the check and taking it back.
    await card.getByRole('button', { name: 'Remove check 1 of step 1' }).click();
    await card.waitFor({ state: 'detached' });
    await panel.getByRole('button', { name: 'Undo lesson edit' }).click();
    await card.waitFor();

    // Kept across a reload.
    await page.reload();
    await authoring(page).getByRole('listitem', { name: 'Check 1 of step 1' }).waitFor();
    expect(await authoring(page).getByLabel('Title of step 1').inputValue()).toBe('Kick to the bus');

    // Save lesson file: the start (Kick straight to the Master), not the canvas.
    const [download] = await Promise.all([page.waitForEvent('download'), authoring(page).getByRole('button', { name: 'Save lesson file' }).click()]);
    expect(download.suggestedFilename()).toBe('Drums_on_the_bus.lesson.json');
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(saved).toMatchObject({ kind: 'lesson', name: 'Drums on the bus', steps: [{ title: 'Kick to the bus', text: 'Connect the **Kick** to the *Drum bus*.', checks: [{ type: 'path', from: 'kick', to: 'drums' }] }] });
    expect(saved.session.edges).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'kick', to: 'master' })]));
    expect(saved.session.edges).not.toContainEqual(expect.objectContaining({ from: 'kick', to: 'drums' }));

    // Closed, then opened again with Open file…: the student's panel, with the step and its check.
    await authoring(page).getByRole('button', { name: 'Close lesson' }).click();
    await openFile(page, (await download.path())!);
    const student = page.getByRole('complementary', { name: 'Lesson: Drums on the bus' });
    await student.waitFor();
    expect(await student.getByRole('status').textContent()).toBe('Step 1 of 1');
    expect(await student.locator('.lesson-step.current .lesson-step-title').textContent()).toContain('Kick to the bus');
    expect(await student.getByRole('checkbox', { name: 'Kick reaches Drum bus' }).isChecked()).toBe(false);
    // The start is the open session: the kick goes to the master.
    expect((await docOf(page)).edges).toContainEqual({ from: 'kick', fromPort: 'out', to: 'master', toPort: 'in' });
    expect(errors).toEqual([]);
  }, 90_000);

  it('mastering to a loudness target is completed in the editor: Measure renders the session and the loudness checks tick; a loudness check added then is prefilled from it', async () => {
    const { page, errors } = await editor();
    await page.getByRole('button', { name: 'Session' }).click();
    await page.getByRole('menuitem', { name: 'Lessons…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lessons' });
    await dialog.getByRole('button', { name: /^Mastering to a loudness target/ }).click();
    await dialog.getByRole('button', { name: /^Open lesson Mastering to a loudness target/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const panel = page.getByRole('complementary', { name: /^Lesson: Mastering to a loudness target/ });
    await panel.waitFor();
    // The student's solution, as a student would have built it.
    await openFile(page, join(ROOT, 'presets/lessons/mastering-to-a-loudness-target.solution.json'));
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Step 2 of 2');
    const integrated = panel.getByRole('checkbox', { name: /integrated loudness/i });
    expect(await integrated.isChecked()).toBe(false);
    // Not measured live: the check says how to get it.
    expect(await panel.locator('.lesson-check.unmeasured').first().textContent()).toContain('Press Measure to check');
    await panel.getByRole('button', { name: 'Measure' }).click();
    await expect.poll(() => panel.getByRole('status').textContent(), { timeout: 30_000 }).toBe('All 2 steps done.');
    // All done: the steps fold; opened by hand, both loudness checks are ticked.
    await panel.getByRole('button', { name: /Reach -14 LUFS/ }).click();
    expect(await integrated.isChecked()).toBe(true);
    expect(await panel.getByRole('checkbox', { name: /true peak/i }).isChecked()).toBe(true);
    // What was measured is shown: the same figure as `mixgraph check` (tests/lessons/builtin.test.ts).
    expect(await panel.locator('.lesson-check.pass').filter({ hasText: 'integrated loudness' }).textContent()).toContain('It is -13.96 LUFS.');
    await screenshot(page, '172-lesson-measured');

    // Authoring on the measured session: a loudness check starts from what was measured (-13.96 LUFS ± 1 LU).
    await panel.getByRole('button', { name: 'Edit lesson' }).click();
    const editing = authoring(page);
    await editing.getByRole('button', { name: 'Add check to step 2' }).click();
    await editing.getByRole('menu').getByRole('menuitem', { name: /^Mix loudness or true peak/ }).click();
    const card = editing.getByRole('listitem', { name: 'Check 3 of step 2' });
    await card.waitFor();
    expect(await card.getByLabel('min').inputValue()).toBe('-15');
    expect(await card.getByLabel('max').inputValue()).toBe('-13');
    expect(await card.getByRole('checkbox').isChecked()).toBe(true);
    // A range that the solution misses unticks it at once.
    await card.getByLabel('max').fill('-20');
    await card.getByLabel('min').fill('-25');
    await expect.poll(() => card.getByRole('checkbox').isChecked()).toBe(false);
    expect(await card.textContent()).toContain("Expected the mix's integrated loudness from -25 to -20 LUFS; it is -13.96 LUFS.");
    // An invalid lesson is refused with what and where.
    await card.getByLabel('min').fill('-10');
    await editing.getByRole('button', { name: 'Save lesson file' }).click();
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { mixgraph: { store: { getState(): { notices: { text: string }[] } } } }).mixgraph.store.getState().notices.map((n) => n.text))).join('\n')).toContain('Step 2 (“Reach -14 LUFS”), check 3 (min): min -10 is above max -20');
    await screenshot(page, '173-authoring-refused');
    expect(errors).toEqual([]);
  }, 90_000);

  it('Save lesson package: the lesson with the start\'s audio in one .mixgraph file, opened again on a clean profile as the lesson with its audio', async () => {
    const { page, errors } = await editor();
    // The demo session: four stems.
    await page.getByRole('button', { name: 'Session' }).click();
    await page.getByRole('menuitem', { name: 'New lesson from this session' }).click();
    const panel = authoring(page);
    await panel.getByLabel('Lesson name').fill('EQ on the drums');
    await panel.getByLabel('Text of step 1').fill('Switch the **Drums EQ** off and on: hear what it does.');
    await panel.getByRole('button', { name: 'Add check to step 1' }).click();
    await panel.getByRole('menu').getByRole('menuitem', { name: /^Node bypassed or playing/ }).click();
    await page.getByRole('status').filter({ hasText: 'Click the node to check' }).waitFor();
    await clickNode(page, 'drums_eq');
    const card = panel.getByRole('listitem', { name: 'Check 1 of step 1' });
    // Prefilled from the session now: the EQ plays, so the check says so, and passes.
    expect(await card.getByLabel('must be').inputValue()).toBe('playing');
    expect(await card.getByRole('checkbox').isChecked()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.getByRole('button', { name: 'Save lesson package' }).click()]);
    expect(download.suggestedFilename()).toBe('EQ_on_the_drums.mixgraph');
    const path = join(scratchDir, download.suggestedFilename());
    await download.saveAs(path);
    const opened = readPackage(new Uint8Array(readFileSync(path)), { label: 'EQ_on_the_drums.mixgraph' });
    expect(opened.lesson).toMatchObject({ name: 'EQ on the drums', steps: [{ checks: [{ type: 'bypass', node: 'drums_eq', bypassed: false }] }] });
    expect(opened.sources.size).toBe(4);

    // A clean profile (another student's browser): Open file… opens the lesson, its start and its audio.
    const clean = await editor();
    await openFile(clean.page, path);
    const student = clean.page.getByRole('complementary', { name: 'Lesson: EQ on the drums' });
    await student.waitFor();
    expect(await student.getByRole('status').textContent()).toBe('All 1 steps done.');
    await student.getByRole('button', { name: /Step 1/ }).click();
    expect(await student.getByRole('checkbox', { name: /Drums EQ/ }).isChecked()).toBe(true);
    await expect.poll(() => clean.page.evaluate(() => (window as unknown as { mixgraph: { store: { getState(): { notices: { text: string }[] } } } }).mixgraph.store.getState().notices.map((n) => n.text).join('\n'))).toContain('Opened the lesson “EQ on the drums” from EQ_on_the_drums.mixgraph with 4 audio files.');
    expect(errors).toEqual([]);
    expect(clean.errors).toEqual([]);
  }, 90_000);
});
