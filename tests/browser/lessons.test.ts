// Lessons in Chromium: a built-in lesson opened from Lessons…, its starting session the open
// session, its panel ticking checks live as the student connects nodes by dragging between handles.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { centreOf, docOf, drag, nodeBox, port, screenshot, settledBox } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

const check = (page: Page, label: string) => page.getByRole('complementary', { name: /^Lesson:/ }).getByRole('checkbox', { name: label });


describe('lessons', () => {
  it('signal flow 101: the step stays unticked while the kick goes straight to the master, and ticks and moves on once kick → bus → master is connected', async () => {
    const { page, errors } = await editor();
    await page.getByRole('button', { name: 'Session' }).click();
    await page.getByRole('menuitem', { name: 'Lessons…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lessons' });
    // Every built-in lesson, each with its description.
    expect(await dialog.locator('.lesson-name').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Signal flow 101/), expect.stringMatching(/compressor/i)]));
    expect(await dialog.locator('.lesson-name').count()).toBe(6);
    await dialog.getByRole('button', { name: /^Signal flow 101/ }).click();
    expect(await dialog.locator('.lesson-description').textContent()).toContain('A bus adds several signals together');
    await dialog.getByRole('button', { name: 'Open lesson Signal flow 101: source to bus to master' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The starting session is the open session.
    await nodeBox(page, 'kick').waitFor();
    const start = await docOf(page);
    expect(start.nodes.map((n) => n.id).sort()).toEqual(['drums', 'hats', 'kick', 'master']);
    const panel = page.getByRole('complementary', { name: 'Lesson: Signal flow 101: source to bus to master' });
    expect(await panel.getByRole('status').textContent()).toBe('Step 1 of 3');
    expect(await panel.locator('.lesson-step.current .lesson-step-title').textContent()).toContain('Route the kick through the drum bus');
    expect(await panel.locator('.lesson-text').textContent()).toContain('Delete that cable');
    // The step's Markdown rendered: bold and a list, no asterisks left.
    expect(await panel.locator('.lesson-text strong').first().textContent()).toBe('Kick');
    expect(await panel.locator('.lesson-text li').count()).toBe(2);
    expect(await panel.locator('.lesson-text').textContent()).not.toContain('**');
    // Unticked, with the engine's words: what was expected, what is there.
    expect(await check(page, 'Kick reaches Drum bus').isChecked()).toBe(false);
    expect(await panel.locator('.lesson-check.fail').first().textContent()).toContain('Expected a path from Kick to Drum bus; Kick goes straight to the Master.');
    await screenshot(page, '160-lesson-open');

    await settledBox(page, nodeBox(page, 'kick'));
    await drag(page, await centreOf(port(page, 'kick', 'out', 'source')), await centreOf(port(page, 'drums', 'in', 'target')));
    await expect.poll(async () => (await docOf(page)).edges).toContainEqual({ from: 'kick', fromPort: 'out', to: 'drums', toPort: 'in' });
    await expect.poll(() => check(page, 'Kick reaches Drum bus').isChecked()).toBe(true);
    // Half the step: the bus does not reach the master yet, and the step is still the current one.
    expect(await check(page, 'Drum bus reaches the Master').isChecked()).toBe(false);
    expect(await panel.locator('.lesson-check.fail').textContent()).toContain('Expected a path from Drum bus to the Master; Drum bus is not connected to anything.');
    expect(await panel.getByRole('status').textContent()).toBe('Step 1 of 3');

    await drag(page, await centreOf(port(page, 'drums', 'out', 'source')), await centreOf(port(page, 'master', 'in', 'target')));
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Step 2 of 3');
    expect(await panel.locator('.lesson-step.done .lesson-step-title').textContent()).toContain('Route the kick through the drum bus');
    expect(await panel.locator('.lesson-step.current .lesson-step-title').textContent()).toContain('The hats join the bus');
    expect(await check(page, 'Hats reaches Drum bus').isChecked()).toBe(false);
    await screenshot(page, '161-lesson-step-done');

    // Undo takes the connection back: the step is not done any more.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Step 1 of 3');
    expect(errors).toEqual([]);
  }, 60_000);

});
