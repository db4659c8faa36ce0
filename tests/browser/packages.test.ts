// Sessions travel with their audio, in Chromium: Save package makes one .mixgraph file with the
// session and every file it plays; on a clean browser profile a drop of that file on the canvas
// opens it, and it plays and exports the same audio, sample for sample. A package that is not one
// (or is hostile) changes nothing and says why.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/dsp/loudness.ts';
import { decodeWav } from '../../src/io/wav.ts';
import { readPackage } from '../../src/presets/package.ts';
import { docOf, dropFiles, exportWav, nodeBox, openEditor, ROOT, screenshot, sineWavBytes, waitSaved } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

const meterValue = (page: Page, name: string) => page.getByRole('meter', { name }).getAttribute('aria-valuenow').then(Number);

async function menu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: /^Session/ }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

describe('session packages', () => {
  it('Save package, then a drop of it on a clean browser profile opens the session with its audio: it plays, and exports the same samples', async () => {
    const { page, errors } = await editor();
    await menu(page, 'New session…');
    const create = page.getByRole('dialog', { name: 'New session' });
    await create.getByLabel('Name').fill('Lesson 1');
    await create.getByRole('button', { name: 'Create' }).click();
    const pane = (await page.locator('.react-flow').boundingBox())!;
    await dropFiles(page, [{ name: 'tone a.wav', bytes: sineWavBytes(2, 440) }, { name: 'tone b.wav', bytes: sineWavBytes(1.5, 660) }], { x: pane.x + 150, y: pane.y + 150 });
    await nodeBox(page, 'tone-a').waitFor();
    await nodeBox(page, 'tone-b').waitFor();
    await waitSaved(page);
    const made = await docOf(page);
    const wavA = decodeWav(new Uint8Array(readFileSync(await (await exportWav(page, { format: '32f' })).path())));

    const [download] = await Promise.all([page.waitForEvent('download'), menu(page, 'Save package')]);
    expect(download.suggestedFilename()).toBe('Lesson_1.mixgraph');
    const bytes = new Uint8Array(readFileSync(await download.path()));
    // What is in it: the session at the root, each file at the path the session names.
    const opened = readPackage(bytes, { label: 'Lesson_1.mixgraph' });
    expect(opened.document).toBe('session.json');
    expect(opened.entries.map((e) => e.name).sort()).toEqual(['session.json', 'tone a.wav', 'tone b.wav']);
    expect(opened.doc.name).toBe('Lesson 1');
    // The CLI renders it as it is.
    const scratch = mkdtempSync(join(tmpdir(), 'mixgraph-pkg-'));
    try {
      writeFileSync(join(scratch, 'Lesson_1.mixgraph'), bytes);
      execFileSync(process.execPath, [join(ROOT, 'bin/mixgraph.js'), 'render', join(scratch, 'Lesson_1.mixgraph'), '-o', join(scratch, 'cli.wav'), '--bit-depth', '32f'], { stdio: 'pipe' });
      const cli = decodeWav(new Uint8Array(readFileSync(join(scratch, 'cli.wav'))));
      expect(Math.abs(analyze(cli.channels, 48000).integrated - analyze(wavA.channels, 48000).integrated)).toBeLessThan(0.2);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }

    // A clean profile: a new browser context has no storage of its own.
    const clean = await openEditor(editor.app());
    try {
      expect((await docOf(clean.page)).nodes.length).toBe(25); // the demo: nothing of Lesson 1 here
      const at = (await clean.page.locator('.react-flow').boundingBox())!;
      await dropFiles(clean.page, [{ name: 'Lesson_1.mixgraph', type: 'application/zip', bytes: Array.from(bytes) }], { x: at.x + 300, y: at.y + 300 });
      await clean.page.locator('.session-name', { hasText: 'Lesson 1' }).waitFor();
      await nodeBox(clean.page, 'tone-a').waitFor();
      expect(await docOf(clean.page)).toEqual(made);
      expect(await clean.page.locator('.mix-node.missing').count()).toBe(0);
      await screenshot(clean.page, '80-package-opened');
      await clean.page.getByRole('button', { name: 'Play' }).click();
      await expect.poll(() => meterValue(clean.page, 'tone a node level'), { timeout: 10_000, interval: 100 }).toBeGreaterThan(-12);
      await clean.page.getByRole('button', { name: 'Stop' }).click();
      const wavB = decodeWav(new Uint8Array(readFileSync(await (await exportWav(clean.page, { format: '32f' })).path())));
      expect(wavB.channels.length).toBe(wavA.channels.length);
      expect(wavB.channels[0].length).toBe(wavA.channels[0].length);
      let diff = 0;
      for (let c = 0; c < wavA.channels.length; c++) for (let i = 0; i < wavA.channels[c].length; i++) diff = Math.max(diff, Math.abs(wavA.channels[c][i] - wavB.channels[c][i]));
      expect(diff, 'the same audio, sample for sample').toBe(0);
      // Kept there too: a reload of the clean profile has it.
      await waitSaved(clean.page);
      await clean.page.reload();
      await nodeBox(clean.page, 'tone-b').waitFor();
      expect(await clean.page.locator('.mix-node.missing').count()).toBe(0);
      expect(clean.errors).toEqual([]);
    } finally {
      await clean.close();
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('Open file… takes a package too; a hostile one (zip-slip) and a chain package change nothing and say why; a package cannot be saved with audio missing', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    const input = page.getByLabel('Open session file', { exact: true });
    const session = JSON.stringify({ format: 'mixgraph', version: 2, kind: 'session', name: 'Evil', nodes: [{ id: 'master', type: 'master' }], edges: [] });
    const evil = zipSync({ 'session.json': new TextEncoder().encode(session), '../../etc/passwd': new TextEncoder().encode('x') });
    await input.setInputFiles({ name: 'evil.mixgraph', mimeType: 'application/zip', buffer: Buffer.from(evil) });
    const refused = page.locator('.notice-error', { hasText: 'evil.mixgraph' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Nothing changed');
    expect(await refused.textContent()).toMatch(/\.\./);
    expect(await docOf(page)).toEqual(before);
    await screenshot(page, '81-package-refused');

    const chain = JSON.stringify({ format: 'mixgraph', version: 2, kind: 'chain', name: 'C', nodes: [{ id: 'g', type: 'gain' }], edges: [{ from: 'input', to: 'g' }, { from: 'g', to: 'output' }] });
    await input.setInputFiles({ name: 'chain.mixgraph', mimeType: 'application/zip', buffer: Buffer.from(zipSync({ 'chain.json': new TextEncoder().encode(chain) })) });
    await page.locator('.notice-error', { hasText: 'chain.mixgraph holds a chain, not a session' }).waitFor();
    expect(await docOf(page)).toEqual(before);

    // A plain session whose audio is not here: the package cannot carry what it does not have.
    const missing = JSON.stringify({ format: 'mixgraph', version: 2, kind: 'session', name: 'No audio', nodes: [{ id: 'kick', type: 'track', params: { source: 'kick.wav' } }, { id: 'master', type: 'master' }], edges: [{ from: 'kick', to: 'master' }] });
    await input.setInputFiles({ name: 'no-audio.json', mimeType: 'application/json', buffer: Buffer.from(missing) });
    await nodeBox(page, 'kick').waitFor();
    await menu(page, 'Save package');
    await page.locator('.notice-error', { hasText: 'The package cannot be made: this file is not loaded: kick (kick.wav)' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
