// Snapshots in Chromium: the whole session's settings stored under a name, switched A/B while the
// mix plays (the running graph takes the new values at once: the master meter moves by the master
// gain between them), each switch one undo step, kept with the session across a reload.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { paramOf, screenshot, waitSaved } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

/** The master meter's average over `ms` (dBFS; the meter's peak hold smooths it). */
async function masterLevel(page: Page, ms = 1200): Promise<number> {
  const meter = page.getByRole('meter', { name: 'Master level' });
  const values: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    values.push(Number(await meter.getAttribute('aria-valuenow')));
    await page.waitForTimeout(60);
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

async function setMasterGain(page: Page, db: number): Promise<void> {
  await page.getByTestId('node-master').click();
  const field = page.getByRole('complementary', { name: 'Inspector: Master' }).getByRole('textbox', { name: 'Gain value in dB' });
  await field.fill(String(db));
  await field.press('Enter');
}

describe('snapshots', () => {
  it('A/B while playing: each switch changes the sound at once (the master meter follows the master gain) and is one undo step; kept across a reload', async () => {
    const { page, errors } = await editor();
    const bar = page.getByRole('toolbar', { name: 'Snapshots' });
    await bar.getByRole('button', { name: 'Store a snapshot' }).click(); // A: as the demo is
    await setMasterGain(page, -12);
    await page.getByRole('button', { name: 'Mute Keys' }).click();
    await bar.getByRole('button', { name: 'Store a snapshot' }).click(); // B: 12 dB down, keys muted
    const a = bar.getByRole('button', { name: 'Snapshot A' });
    const b = bar.getByRole('button', { name: 'Snapshot B' });
    expect(await b.getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.getByRole('meter', { name: 'Master level' }).getAttribute('aria-valuenow').then(Number), { timeout: 10_000 }).toBeGreaterThan(-60);
    const levels: { a: number[]; b: number[] } = { a: [], b: [] };
    for (let round = 0; round < 2; round++) {
      await a.click();
      expect(await a.getAttribute('aria-pressed')).toBe('true');
      expect(await paramOf(page, 'master', 'gain')).toBe(0);
      expect(await paramOf(page, 'keys', 'mute')).toBe(false);
      await page.waitForTimeout(400); // the meter's hold falls 20 dB/s
      levels.a.push(await masterLevel(page));
      await b.click();
      expect(await paramOf(page, 'master', 'gain')).toBe(-12);
      await page.waitForTimeout(1000);
      levels.b.push(await masterLevel(page));
    }
    await screenshot(page, '105-snapshots-playing');
    expect(await page.getByRole('button', { name: 'Pause' }).getAttribute('aria-pressed')).toBe('true'); // it played on throughout
    await page.getByRole('button', { name: 'Stop' }).click();
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    // 12 dB of master gain (the keys' share is small): the music's own swings allow a few dB.
    expect(mean(levels.a) - mean(levels.b), JSON.stringify(levels)).toBeGreaterThan(9);
    expect(mean(levels.a) - mean(levels.b), JSON.stringify(levels)).toBeLessThan(16);

    // Each switch is one undo step: undo the last (to B) gives A's settings back.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    expect(await paramOf(page, 'master', 'gain')).toBe(0);
    expect(await a.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    expect(await paramOf(page, 'master', 'gain')).toBe(-12);

    // Kept with the session: reload, and both are there and still switch.
    await waitSaved(page);
    await page.reload();
    await page.getByTestId('node-master').waitFor();
    expect(await bar.getByRole('button', { name: /^Snapshot / }).allTextContents()).toEqual(['A', 'B']);
    await a.click();
    expect(await paramOf(page, 'master', 'gain')).toBe(0);
    // Manage: rename one.
    await bar.getByRole('button', { name: 'Manage snapshots' }).click();
    const dialog = page.getByRole('dialog', { name: 'Snapshots' });
    await dialog.getByRole('textbox', { name: 'Name of snapshot 2' }).fill('Quiet');
    await screenshot(page, '106-snapshots-manage');
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await bar.getByRole('button', { name: /^Snapshot / }).allTextContents()).toEqual(['A', 'Quiet']);
    expect(errors).toEqual([]);
  }, 90_000);
});
