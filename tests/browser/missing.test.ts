// A session whose audio is not here, in Chromium: each missing file shows on its track with the
// file's name and Relink (pick a file, or drop one on the track); the first Play says which sources
// are silent and why; a source that reaches no master is marked.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dropFiles, nodeBox, screenshot, sineWavBytes } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

const meterValue = (page: Page, name: string) => page.getByRole('meter', { name }).getAttribute('aria-valuenow').then(Number);

const SESSION = {
  format: 'mixgraph',
  version: 2,
  kind: 'session',
  name: 'Sent without audio',
  nodes: [
    { id: 'kick', type: 'track', label: 'Kick', position: { x: 0, y: 0 }, params: { source: 'stems/kick.wav' } },
    { id: 'snare', type: 'track', label: 'Snare', position: { x: 0, y: 120 }, params: { source: 'stems/snare.wav' } },
    { id: 'pad', type: 'generator', label: 'Pad', position: { x: 0, y: 240 }, params: { frequency: 220, level: -30 } },
    { id: 'bus', type: 'bus', label: 'Drums', position: { x: 200, y: 60 } },
    { id: 'master', type: 'master', position: { x: 400, y: 60 } },
  ],
  edges: [
    { from: 'kick', to: 'bus' },
    { from: 'snare', to: 'bus' },
    { from: 'bus', to: 'master' },
  ],
};

describe('missing audio', () => {
  it('shows each missing file on its track with Relink; the first Play names the silent sources and why; relinking by picking and by dropping brings the sound back', async () => {
    const { page, errors } = await editor();
    await page.getByLabel('Open session file', { exact: true }).setInputFiles({ name: 'sent.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SESSION)) });
    await nodeBox(page, 'kick').waitFor();
    // The placeholders: the file's name and Relink on each track.
    for (const [id, file] of [['kick', 'kick.wav'], ['snare', 'snare.wav']]) {
      const node = nodeBox(page, id);
      expect(await node.locator('.missing-file').textContent()).toContain(file);
      expect(await node.getByRole('button', { name: `Relink ${id === 'kick' ? 'Kick' : 'Snare'}` }).isVisible()).toBe(true);
    }
    // The generator reaches no master: marked, the tracks (connected) not.
    expect(await nodeBox(page, 'pad').locator('.mix-node-unheard').textContent()).toBe('Reaches no master');
    expect(await nodeBox(page, 'kick').locator('.mix-node-unheard').count()).toBe(0);
    await screenshot(page, '82-missing-audio');

    // The first Play says what will be silent, and why.
    await page.getByRole('button', { name: 'Play' }).click();
    const warning = page.locator('.notice-warning');
    await warning.waitFor();
    const text = await warning.textContent();
    expect(text).toContain('3 sources are silent');
    expect(text).toContain('Kick: its file stems/kick.wav is not loaded');
    expect(text).toContain('Snare: its file stems/snare.wav is not loaded');
    expect(text).toContain('Pad: nothing connects it to the master');
    await screenshot(page, '83-silent-on-play');
    await page.getByRole('button', { name: 'Pause' }).click();
    await warning.getByRole('button', { name: 'Dismiss' }).click();
    // Said once: the same reasons are not said again on the next Play.
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(300);
    expect(await page.locator('.notice-warning').count()).toBe(0);

    // Relink by picking a file: the track plays it (while the transport runs), under the session's name for it.
    await page.getByLabel('Audio file for Kick', { exact: true }).setInputFiles({ name: 'kick-take2.wav', mimeType: 'audio/wav', buffer: Buffer.from(sineWavBytes(4, 60)) });
    await expect.poll(() => nodeBox(page, 'kick').locator('.mix-node-missing').count()).toBe(0);
    await page.locator('.notice-info', { hasText: 'Kick plays kick-take2.wav now (as “stems/kick.wav”)' }).waitFor();
    await expect.poll(() => meterValue(page, 'Kick node level'), { timeout: 10_000, interval: 100 }).toBeGreaterThan(-20);

    // Relink by dropping a file on the track; a file that is not audio is refused and changes nothing.
    const snare = (await nodeBox(page, 'snare').boundingBox())!;
    const on = { x: snare.x + snare.width / 2, y: snare.y + 10 };
    await dropFiles(page, [{ name: 'notes.txt', type: 'text/plain', bytes: Array.from(new TextEncoder().encode('not audio')) }], on, '[data-testid="node-snare"]');
    await page.locator('.notice-error', { hasText: 'notes.txt: cannot decode it as audio' }).waitFor();
    expect(await nodeBox(page, 'snare').locator('.mix-node-missing').count()).toBe(1);
    await dropFiles(page, [{ name: 'snare.wav', bytes: sineWavBytes(4, 200) }], on, '[data-testid="node-snare"]');
    await expect.poll(() => nodeBox(page, 'snare').locator('.mix-node-missing').count()).toBe(0);
    await expect.poll(() => meterValue(page, 'Snare node level'), { timeout: 10_000, interval: 100 }).toBeGreaterThan(-20);
    // No track was added by the drops: they were relinks.
    expect(await page.locator('.react-flow__node').count()).toBe(5);
    await page.getByRole('button', { name: 'Stop' }).click();
    await screenshot(page, '84-relinked');
    expect(errors).toEqual([]);
  }, 60_000);
});
