// The mastering side of the editor in Chromium: insert a shipped chain between two nodes, read the
// loudness meter while playing, add a reference file, switch A/B at matched loudness, and compare
// the mix with the reference. Screenshots go to tests/.artifacts/screenshots/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import { decodeWav, encodeWav } from '../../src/io/wav.ts';
import { docOf, exportWav, nodeBox, paramOf, ROOT, screenshot } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();
const SR = 48000;

/** The reference: 6 s of a 440 Hz tone at -12 dBFS with a 3 kHz overtone at -24 dBFS, stereo. */
function referenceChannels(): Float32Array[] {
  const n = 6 * SR;
  const left = new Float32Array(n);
  for (let i = 0; i < n; i++) left[i] = 0.25 * Math.sin((2 * Math.PI * 440 * i) / SR) + 0.063 * Math.sin((2 * Math.PI * 3000 * i) / SR);
  return [left, left.slice()];
}

interface Monitoring {
  source: string;
  trimDb: number;
  engine: string | null;
}
const monitoring = (page: Page) => page.evaluate(() => (window as unknown as { mixgraph: { audio: { monitoring: Monitoring } } }).mixgraph.audio.monitoring);

async function scanAxe(page: Page) {
  await page.addScriptTag({ content: readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8') });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document);
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, count: v.nodes.length, examples: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('mastering in the browser', () => {
  it('inserts the streaming chain between the mix bus and the master EQ; the session still plays; a bad chain file changes nothing', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    await page.getByRole('button', { name: 'Insert chain…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Insert a chain' });
    await dialog.waitFor();

    // A chain file that is not a chain: a clear notice, the document untouched.
    await page.getByLabel('Chain file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"mixgraph","version":1,"kind":"chain","nodes":[{"id":"m","type":"master"}],"edges":[]}') });
    await page.locator('.notice-error', { hasText: 'broken.json is not a chain Mixgraph can insert; nothing changed' }).waitFor();
    expect(await docOf(page)).toEqual(before);

    await dialog.getByRole('combobox', { name: 'Between' }).selectOption({ label: 'Mix bus → Master EQ' });
    await dialog.getByRole('radio', { name: 'Streaming master (-14 LUFS)' }).check();
    await screenshot(page, '40-insert-chain-dialog');
    await dialog.getByRole('button', { name: 'Insert' }).click();
    await dialog.waitFor({ state: 'detached' });

    for (const id of ['eq', 'multiband', 'stereo', 'limiter', 'loudness']) await nodeBox(page, id).waitFor();
    const after = await docOf(page);
    expect(after.nodes.length).toBe(before.nodes.length + 5);
    expect(after.edges).not.toContainEqual({ from: 'mix_bus', fromPort: 'out', to: 'master_eq', toPort: 'in' });
    expect(after.edges).toContainEqual({ from: 'mix_bus', fromPort: 'out', to: 'eq', toPort: 'in' });
    expect(after.edges).toContainEqual({ from: 'loudness', fromPort: 'out', to: 'master_eq', toPort: 'in' });
    expect(await page.locator('.react-flow__edge').count()).toBe(after.edges.length);

    // Still plays, through the inserted chain: the new loudness meter reads the music.
    await page.getByRole('button', { name: 'Play' }).click();
    const master = page.getByRole('meter', { name: 'Master level' });
    await expect.poll(async () => Number(await master.getAttribute('aria-valuenow')), { timeout: 20_000, interval: 200 }).toBeGreaterThan(-60);
    // The inserted nodes are selected; select the meter alone, as a click on the empty canvas and then on it would.
    await page.evaluate(() => (window as unknown as { mixgraph: { store: { select(ids: string[]): void } } }).mixgraph.store.select([]));
    await nodeBox(page, 'loudness').click();
    await page.getByRole('complementary', { name: 'Inspector: Loudness' }).waitFor();
    const momentary = page.getByRole('meter', { name: 'Momentary loudness' });
    const reading = () => page.evaluate(() => (window as unknown as { mixgraph: { audio: { reading(id: string, name: string): number | undefined } } }).mixgraph.audio.reading('loudness', 'momentary'));
    await expect.poll(async () => Number((await momentary.getAttribute('data-value')) || -Infinity), { timeout: 20_000, interval: 200, message: `engine reads ${await reading()}` }).toBeGreaterThan(-40);
    await screenshot(page, '41-chain-inserted-playing');

    // One undo step takes it all out again.
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await nodeBox(page, 'multiband').waitFor({ state: 'detached' });
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 60_000);

  it('the loudness view shows finite momentary, short-term and integrated loudness and true peak while playing', async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'master_loudness').click();
    await page.getByRole('complementary', { name: 'Inspector: Loudness' }).waitFor();
    const integrated = page.getByRole('meter', { name: 'Integrated loudness' });
    expect(await integrated.getAttribute('aria-valuetext')).toBe('no reading yet');
    await page.getByRole('button', { name: 'Play' }).click();
    // BS.1770 gating needs one 400 ms block before there is an integrated figure.
    const value = (name: string) => page.getByRole('meter', { name }).getAttribute('data-value');
    await expect.poll(async () => Number((await value('Integrated loudness')) || NaN), { timeout: 20_000, interval: 200 }).toBeGreaterThan(-40);
    // One snapshot of the attributes: the meter keeps moving while it plays.
    const shown = await integrated.evaluate((e) => ({ value: e.getAttribute('data-value'), now: e.getAttribute('aria-valuenow'), text: e.getAttribute('aria-valuetext') }));
    const lufs = Number(shown.value);
    expect(lufs).toBeLessThan(0);
    expect(shown.text).toBe(`${shown.value} LUFS`);
    expect(Number(shown.now)).toBe(lufs);
    for (const name of ['Momentary loudness', 'Short-term loudness', 'True peak']) expect(Number.isFinite(Number((await value(name)) || NaN)), name).toBe(true);
    // The demo's limiter holds true peaks at its -1 dBTP ceiling (+0.3 dB: the live meter's interpolation).
    expect(Number(await value('True peak'))).toBeLessThanOrEqual(-0.7);
    // Difference to the target (-14 LUFS): the meter's own delta, against the figure shown.
    await expect.poll(async () => Number((await value('Difference to target (-14 LUFS)')) || NaN)).not.toBeNaN();
    await screenshot(page, '42-loudness-view');
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(errors).toEqual([]);
  }, 40_000);

  it('A/B with a reference file at matched loudness, and the comparison panel shows both columns', async () => {
    const { page, errors } = await editor();
    const channels = referenceChannels();
    const referenceLufs = analyze(channels, SR).integrated;

    await page.getByLabel('Reference audio file').setInputFiles({ name: 'reference.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(channels, SR, '24')) });
    await nodeBox(page, 'reference').waitFor();
    const ab = page.getByRole('button', { name: 'Listening: Mix' });
    expect(await ab.getAttribute('aria-pressed')).toBe('false');

    await page.getByRole('button', { name: 'Play' }).click();
    await ab.click();
    const toReference = page.getByRole('button', { name: 'Listening: Reference' });
    await toReference.waitFor({ timeout: 30_000 }); // bounces the mix offline first
    expect(await toReference.getAttribute('aria-pressed')).toBe('true');
    const text = (await page.getByRole('status', { name: 'Loudness match' }).textContent()) ?? '';
    const m = /^matched: mix (-\d+\.\d) LUFS, reference (-\d+\.\d) LUFS$/.exec(text);
    expect(m, text).not.toBeNull();
    const [mixShown, refShown] = [Number(m![1]), Number(m![2])];
    // The reference measured in the browser from the decoded file = measured here from the samples (24-bit: ±0.05 LU).
    expect(Math.abs(refShown - referenceLufs)).toBeLessThanOrEqual(0.05 + 0.05);
    const state = await monitoring(page);
    expect(state.source).toBe('reference');
    expect(state.engine).toBe('reference');
    expect(Math.abs(state.trimDb - (mixShown - refShown))).toBeLessThanOrEqual(0.1); // shown figures are rounded to 0.1
    await screenshot(page, '43-ab-reference');

    // The mix figure is the loudness of what Export WAV writes (the same offline bounce), measured here: ±0.05 LU for rounding.
    const download = await exportWav(page, {}, 90_000);
    const wav = decodeWav(new Uint8Array(readFileSync(await download.path())));
    expect(Math.abs(mixShown - analyze(wav.channels, wav.sampleRate).integrated)).toBeLessThanOrEqual(0.05 + 0.05);

    await toReference.click();
    await page.getByRole('button', { name: 'Listening: Mix' }).waitFor();
    expect(await monitoring(page)).toMatchObject({ source: 'mix', engine: 'mix' });
    await page.getByRole('button', { name: 'Stop' }).click(); // the 11 s demo may have ended by now

    await page.getByRole('button', { name: 'Compare' }).click();
    const panel = page.getByRole('dialog', { name: 'Compare with the reference' });
    await panel.getByRole('table').first().waitFor({ timeout: 30_000 });
    for (const row of ['Integrated loudness', 'Loudness range', 'True peak']) {
      const cells = panel.getByRole('row', { name: new RegExp(`^${row}`) }).getByRole('cell');
      const [mix, ref] = [await cells.nth(0).textContent(), await cells.nth(1).textContent()];
      expect(mix, `${row}, mix`).toMatch(/^-?\d+\.\d (LUFS|LU|dBTP)$/);
      expect(ref, `${row}, reference`).toMatch(/^-?\d+\.\d (LUFS|LU|dBTP)$/);
    }
    const integratedRow = panel.getByRole('row', { name: /^Integrated loudness/ }).getByRole('cell');
    expect(await integratedRow.nth(0).textContent()).toBe(`${mixShown.toFixed(1)} LUFS`);
    expect(await integratedRow.nth(1).textContent()).toBe(`${refShown.toFixed(1)} LUFS`);
    // A steady tone has no loudness range.
    expect(await panel.getByRole('row', { name: /^Loudness range/ }).getByRole('cell').nth(1).textContent()).toBe('0.0 LU');
    // Both spectra drawn: a bar per band and series (the reference's tones and silence between bars may fall below the chart floor).
    expect(await panel.locator('.compare-chart .series-mix').count()).toBeGreaterThan(20);
    expect(await panel.locator('.compare-chart .series-reference').count()).toBeGreaterThan(1);
    await screenshot(page, '44-compare-panel');
    expect(await scanAxe(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 150_000);

  it('Loudness report: the figures and verdicts of the demo; Match target -16 LUFS sets the master gain, and the exported master measures -16 ±0.5 LUFS', async () => {
    const { page, errors } = await editor();
    await page.getByRole('button', { name: 'Loudness report…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Loudness report' });
    const rows = dialog.getByRole('table', { name: 'Delivery targets' }).locator('tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBe(5);
    const integrated = async () => Number.parseFloat((await dialog.locator('[data-figure="Integrated loudness"]').textContent()) ?? '');
    const before = await integrated();
    expect(before).toBeGreaterThan(-20); // the demo is mastered loud (its chain aims at -14)
    const gainBefore = Number(await paramOf(page, 'master_gain', 'gain'));
    // Measured in a Web Worker, not on the main thread
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('measure.worker')))).toBe(true);

    await dialog.getByLabel('For').selectOption('apple'); // Apple Music: -16 LUFS
    expect(await dialog.getByRole('spinbutton').inputValue()).toBe('-16');
    await dialog.getByRole('button', { name: 'Set gain before the limiter' }).click();
    await page.locator('.notice', { hasText: 'Matched -16 LUFS: Output trim set to' }).waitFor({ timeout: 90_000 }); // master_gain's label
    const gainAfter = Number(await paramOf(page, 'master_gain', 'gain'));
    expect(gainAfter).toBeLessThan(gainBefore); // quieter: turned down before the limiter
    // The report re-measures the edited mix
    await expect.poll(integrated, { timeout: 60_000 }).toBeLessThan(-15);
    expect(Math.abs((await integrated()) - -16)).toBeLessThanOrEqual(0.5);
    expect(await dialog.locator('tr[data-target="apple"] td').last().textContent()).toBe('Pass');
    await screenshot(page, '45-loudness-report');
    expect(await scanAxe(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close loudness report' }).click();

    // What Export WAV writes, measured here: on the target, under the demo limiter's -1 dBTP ceiling
    const wav = decodeWav(new Uint8Array(readFileSync(await (await exportWav(page, { format: '32f' }, 90_000)).path())));
    const measured = analyze(wav.channels, wav.sampleRate);
    expect(Math.abs(measured.integrated - -16)).toBeLessThanOrEqual(0.5);
    expect(measured.truePeak).toBeLessThanOrEqual(-1 + 0.1);

    // One undo step puts the gain back
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    expect(Number(await paramOf(page, 'master_gain', 'gain'))).toBe(gainBefore);
    expect(errors).toEqual([]);
  }, 240_000);
});
