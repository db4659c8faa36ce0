// Export WAV in Chromium through the runtime in a Web Worker: the editor's file is the CLI's file
// sample for sample, the dialog shows the render's progress, and Cancel stops it at once and writes
// nothing. Screenshots go to tests/.artifacts/screenshots/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import { decodeWav } from '../../src/io/wav.ts';
import { exportWav, ROOT, screenshot } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();
const DEMO = join(ROOT, 'presets/demo/demo.json');

/** `mixgraph render` of the demo, decoded. */
function cliRender(format: '32f' | '16', rate = 48000): ReturnType<typeof decodeWav> {
  const scratch = mkdtempSync(join(tmpdir(), 'mixgraph-export-'));
  try {
    const out = join(scratch, 'cli.wav');
    execFileSync(process.execPath, [join(ROOT, 'bin/mixgraph.js'), 'render', DEMO, '-o', out, '--bit-depth', format, '--sample-rate', String(rate)], { stdio: 'ignore' });
    return decodeWav(new Uint8Array(readFileSync(out)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The demo with every track playing one long file made in the page (`seconds` of a mono 16-bit
 * 48 kHz tone): an export that takes long enough to watch and to cancel.
 */
async function openLongDemo(page: Page, seconds: number): Promise<void> {
  await page.evaluate((seconds) => {
    interface W {
      mixgraph: { store: { getState(): { doc: { nodes: { type: string; params: Record<string, unknown> }[] } }; open(doc: unknown): void }; audio: { sources: { add(name: string, bytes: ArrayBuffer): void } } };
    }
    const { store, audio } = (window as unknown as W).mixgraph;
    const rate = 48000;
    const frames = seconds * rate;
    const bytes = new ArrayBuffer(44 + 2 * frames);
    const v = new DataView(bytes);
    const text = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
    text(0, 'RIFF');
    v.setUint32(4, 36 + 2 * frames, true);
    text(8, 'WAVEfmt ');
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 1, true);
    v.setUint32(24, rate, true);
    v.setUint32(28, 2 * rate, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    text(36, 'data');
    v.setUint32(40, 2 * frames, true);
    for (let i = 0; i < frames; i++) v.setInt16(44 + 2 * i, Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / rate)), true);
    audio.sources.add('long.wav', bytes);
    const doc = structuredClone(store.getState().doc);
    for (const n of doc.nodes) if (n.type === 'track') n.params.source = 'long.wav';
    store.open(doc);
  }, seconds);
}

describe('Export WAV through the runtime in a worker', () => {
  it("the demo exported at 48 kHz 32-bit float is `mixgraph render`'s file sample for sample, with the same length", async () => {
    const { page, errors } = await editor();
    const download = await exportWav(page, { format: '32f' });
    const browser = decodeWav(new Uint8Array(readFileSync(await download.path())));
    const cli = cliRender('32f');
    expect(browser.format).toBe('32f');
    expect(browser.sampleRate).toBe(48000);
    expect(browser.channels[0].length).toBe(cli.channels[0].length);
    for (let c = 0; c < 2; c++) {
      const a = browser.channels[c];
      const b = cli.channels[c];
      let differ = 0;
      let first = -1;
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
          differ++;
          if (first < 0) first = i;
        }
      }
      expect(differ, `channel ${c}: ${differ} samples differ, the first at frame ${first}`).toBe(0);
    }
    // Not two silences: the demo at its level.
    expect(analyze(browser.channels, 48000).integrated).toBeGreaterThan(-20);
    expect(errors).toEqual([]);
  }, 120_000);

  it('at 44.1 kHz 16-bit (TPDF dither) the export has the CLI render’s length and loudness', async () => {
    const { page, errors } = await editor();
    const download = await exportWav(page, { sampleRate: '44100', format: '16' });
    const browser = decodeWav(new Uint8Array(readFileSync(await download.path())));
    const cli = cliRender('16', 44100);
    expect(browser.channels[0].length).toBe(cli.channels[0].length);
    // The dither is random: the same loudness, and every sample within two LSBs of the CLI's.
    const a = analyze(browser.channels, 44100).integrated;
    const b = analyze(cli.channels, 44100).integrated;
    expect(Math.abs(a - b)).toBeLessThan(0.01);
    let worst = 0;
    for (let c = 0; c < 2; c++) for (let i = 0; i < browser.channels[c].length; i++) worst = Math.max(worst, Math.abs(browser.channels[c][i] - cli.channels[c][i]));
    expect(worst * 32768).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  }, 120_000);

  it('the dialog shows the render moving; Cancel stops it at once, writes no file and the editor exports again afterwards', async () => {
    const { page, errors } = await editor();
    await openLongDemo(page, 240);
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByRole('button', { name: 'Export WAV…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export WAV' });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const bar = dialog.getByRole('progressbar', { name: 'Rendering' });
    await bar.waitFor();
    const value = async () => Number((await bar.getAttribute('value')) ?? 0);
    await expect.poll(value, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0.02);
    const early = await value();
    await expect.poll(value, { timeout: 30_000, interval: 100 }).toBeGreaterThan(early + 0.02);
    expect(await page.getByRole('progressbar', { name: 'Export progress' }).isVisible()).toBe(true);
    await screenshot(page, '60-export-progress');
    const at = await value();
    expect(at).toBeLessThan(0.9); // still far from done: the cancel below stops a running render
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.notice', { hasText: 'Export cancelled: no file was written' }).waitFor({ timeout: 2_000 });
    expect(await bar.count()).toBe(0);
    expect(await page.getByRole('progressbar', { name: 'Export progress' }).count()).toBe(0);
    await screenshot(page, '61-export-cancelled');
    // The worker is gone: nothing arrives later (the whole render would take several more seconds).
    await page.waitForTimeout(3000);
    expect(downloads).toBe(0);
    expect(await page.getByRole('button', { name: 'Export WAV…', exact: true }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
