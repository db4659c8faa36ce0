// Follow the signal: selecting a source marks its route to the master on the canvas and shows its
// gain ladder, from the params while stopped and measured by the runtime while playing.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeBox } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

/** Screenshots to look at, under /tmp (never in the worktree). */
const screenshot = (page: Page, name: string) => page.screenshot({ path: `/tmp/mixgraph-ladder/${name}.png` });

/** A -12 dBFS 1 kHz tone through an EQ (high-pass 80 Hz), a -6 dB gain and a bus to the master; another tone straight to the master. */
const LADDER = {
  format: 'mixgraph',
  version: 2,
  kind: 'session',
  name: 'Ladder',
  nodes: [
    { id: 'tone', type: 'generator', label: 'Tone', position: { x: 0, y: 0 }, params: { frequency: 1000, level: -12 } },
    { id: 'eq', type: 'eq', label: 'Tone EQ', position: { x: 230, y: 0 }, params: { bands: [{ type: 'highpass', frequency: 80, q: 0.707 }] } },
    { id: 'trim', type: 'gain', label: 'Trim', position: { x: 460, y: 0 }, params: { gain: -6 } },
    { id: 'bus', type: 'bus', label: 'Tone bus', position: { x: 690, y: 0 } },
    { id: 'master', type: 'master', label: 'Master', position: { x: 920, y: 60 } },
    { id: 'other', type: 'generator', label: 'Other', position: { x: 460, y: 230 }, params: { frequency: 440, level: -30 } },
  ],
  edges: [
    { from: 'tone', to: 'eq' },
    { from: 'eq', to: 'trim' },
    { from: 'trim', to: 'bus' },
    { from: 'bus', to: 'master' },
    { from: 'other', to: 'master' },
  ],
};
const ON_ROUTE = ['tone', 'eq', 'trim', 'bus', 'master'];
const ROUTE_EDGES = ['tone:out->eq:in', 'eq:out->trim:in', 'trim:out->bus:in', 'bus:out->master:in'];

const rung = (page: Page, path: string) => page.getByRole('region', { name: 'Gain ladder of Tone' }).locator(`li.ladder-rung[data-path="${path}"]`);
const nodeMarked = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((el) => el.classList.contains('on-route'));
const edgeMarked = (page: Page, id: string) => page.getByTestId(`rf__edge-${id}`).evaluate((el) => el.classList.contains('on-route'));

describe('follow the signal', () => {
  it('the gain ladder of a track: its route marked, the rungs from the params while stopped, measured while playing (-6 dB within 0.5 dB)', async () => {
    const { page, errors } = await editor();
    await page.getByLabel('Open session file', { exact: true }).setInputFiles({ name: 'ladder.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(LADDER)) });
    await nodeBox(page, 'trim').waitFor();
    const panel = page.getByRole('region', { name: 'Gain ladder of Tone' });
    expect(await panel.count()).toBe(0);

    // Select the source: the route lights up, the rest does not.
    await nodeBox(page, 'tone').click();
    await panel.waitFor();
    for (const id of ON_ROUTE) expect(await nodeMarked(page, id), `${id} on the route`).toBe(true);
    expect(await nodeMarked(page, 'other')).toBe(false);
    for (const id of ROUTE_EDGES) expect(await edgeMarked(page, id), `${id} on the route`).toBe(true);
    expect(await edgeMarked(page, 'other:out->master:in')).toBe(false);
    const stroke = await page.getByTestId('rf__edge-trim:out->bus:in').locator('path.react-flow__edge-path').evaluate((el) => getComputedStyle(el).stroke);
    expect(stroke).toBe('rgb(79, 209, 197)');

    // Stopped: from the params. The rungs in signal order, the gain's -6 dB, the level after each.
    expect(await panel.getAttribute('data-mode')).toBe('params');
    expect(await panel.locator('li.ladder-rung').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.path))).toEqual(ON_ROUTE);
    await expect.poll(() => panel.locator('.ladder-source').textContent()).toMatch(/its level −12\.0 dBFS peak/);
    expect(await rung(page, 'trim').locator('.ladder-change').textContent()).toBe('−6.0 dB');
    // The EQ's change is a static figure (its response at 1 kHz), so the levels after it are estimates, and it says so.
    expect(await rung(page, 'eq').locator('.ladder-change').textContent()).toBe('≈ ±0.0 dB');
    expect(await rung(page, 'eq').getAttribute('data-kind')).toBe('static');
    expect(await rung(page, 'eq').getAttribute('title')).toMatch(/at 1 kHz/);
    expect(await rung(page, 'trim').locator('.ladder-level').textContent()).toBe('≈ −18.0 dBFS');
    expect(await rung(page, 'master').locator('.ladder-level').textContent()).toBe('≈ −18.0 dBFS');
    expect(await panel.locator('.ladder-mode').textContent()).toMatch(/^Stopped: from the parameters/);
    // Readable: the smallest text in the panel (it is not scaled with the canvas) at 10.5 px or more.
    const sizes = await panel.locator('*').evaluateAll((els) => els.filter((e) => e.textContent?.trim()).map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10.5);
    await screenshot(page, 'ladder-01-stopped');

    // Playing: measured. The gain's change within 0.5 dB of -6 dB, the tone's level at its -12 dBFS.
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => panel.getAttribute('data-mode'), { timeout: 10_000 }).toBe('measured');
    await expect.poll(async () => Number((await rung(page, 'trim').getAttribute('data-measured-change')) || NaN), { timeout: 10_000 }).toBeGreaterThan(-6.5);
    const trim = Number(await rung(page, 'trim').getAttribute('data-measured-change'));
    expect(Math.abs(trim + 6), `measured gain change ${trim} dB`).toBeLessThanOrEqual(0.5);
    expect(await rung(page, 'trim').locator('.ladder-change').textContent()).toMatch(/^−[56]\.\d dB$/);
    const toneLevel = Number(await rung(page, 'tone').getAttribute('data-measured-level'));
    expect(Math.abs(toneLevel + 12), `tone level ${toneLevel} dBFS`).toBeLessThanOrEqual(0.5);
    // The EQ's high-pass leaves a 1 kHz tone as it is (measured within 0.5 dB); the master hears the other tone too.
    expect(Math.abs(Number(await rung(page, 'eq').getAttribute('data-measured-change')))).toBeLessThanOrEqual(0.5);
    expect(await panel.locator('.ladder-mode').textContent()).toMatch(/^Playing: measured/);
    await screenshot(page, 'ladder-02-playing');

    // Stopped again: back to the params' figures.
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => panel.getAttribute('data-mode')).toBe('params');
    expect(await rung(page, 'trim').locator('.ladder-change').textContent()).toBe('−6.0 dB');

    // Another node selected: no ladder, no marks. × hides the ladder for that source.
    await nodeBox(page, 'trim').click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(await nodeMarked(page, 'tone')).toBe(false);
    await nodeBox(page, 'tone').click();
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Close the gain ladder' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(await edgeMarked(page, 'trim:out->bus:in')).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);

  it("the demo's vocal: the main path to the master and its send to the plate as a second route, up to where it joins the mix bus", async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'vox').click();
    const panel = page.getByRole('region', { name: 'Gain ladder of Vox' });
    await panel.waitFor();
    const main = panel.getByRole('group', { name: 'Main path' });
    const send = panel.getByRole('group', { name: 'Send from Vox send' });
    const paths = (g: typeof main) => g.locator('li.ladder-rung').evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.path}${(r as HTMLElement).dataset.port === 'send' ? '.send' : ''}`));
    expect(await paths(main)).toEqual(['vox', 'vox_eq', 'vox_comp', 'vox_send', 'mix_bus', 'master_eq', 'master_comp', 'master_sat', 'master_gain', 'master_limiter', 'master_loudness', 'master']);
    expect(await paths(send)).toEqual(['vox_send.send', 'reverb_bus', 'reverb', 'mix_bus']);
    expect(await send.locator('.ladder-join').textContent()).toBe('joins the main path');
    // The send's level is exact from its params; the plate's change only the signal can say.
    const sendLevel = (await page.evaluate(() => (window as unknown as { mixgraph: { store: { getState(): { doc: { nodes: { id: string; params: Record<string, number> }[] } } } } }).mixgraph.store.getState().doc.nodes.find((n) => n.id === 'vox_send')!.params.level)) as number;
    expect(await send.locator('li[data-path="vox_send"] .ladder-change').textContent()).toBe(`${sendLevel < 0 ? '−' : '+'}${Math.abs(sendLevel).toFixed(1)} dB`);
    expect(await send.locator('li[data-path="reverb"] .ladder-change').textContent()).toBe('depends');
    // Before the first Play the vocal's file is not decoded: its levels are given relative to the file.
    expect(await main.locator('li[data-path="vox"] .ladder-level').textContent()).toMatch(/^file −\d+\.\d dB$/);
    // The whole route is marked, the send's branch too; the drums' chain is not.
    for (const id of ['vox', 'vox_send', 'reverb', 'mix_bus', 'master']) expect(await nodeMarked(page, id), id).toBe(true);
    expect(await nodeMarked(page, 'drums')).toBe(false);
    expect(await edgeMarked(page, 'vox_send:send->reverb_bus:in')).toBe(true);
    expect(await edgeMarked(page, 'keys_send:send->reverb_bus:in')).toBe(false);
    await screenshot(page, 'ladder-03-demo-vox');

    // Playing the vocal's file: its peak is known once decoded, and a gain's change measured on music is its dB.
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => panel.locator('.ladder-source').textContent(), { timeout: 10_000 }).toMatch(/^its level −\d+\.\d dBFS peak \(the peak of stems\/vox\.wav\)$/);
    await expect.poll(() => panel.getAttribute('data-mode'), { timeout: 10_000 }).toBe('measured');
    const measured = async (path: string) => Number((await main.locator(`li[data-path="${path}"]`).getAttribute('data-measured-change')) || NaN);
    await expect.poll(() => measured('master_gain'), { timeout: 10_000 }).toBeGreaterThan(1.5);
    expect(Math.abs((await measured('master_gain')) - 2), 'Output trim +2 dB, measured').toBeLessThanOrEqual(0.5);
    expect(Math.abs(await measured('vox_send')), "the send's main output passes the vocal unchanged").toBeLessThanOrEqual(0.5);
    await screenshot(page, 'ladder-04-demo-vox-playing');
    await page.getByRole('button', { name: 'Stop' }).click();
    expect(errors).toEqual([]);
  }, 60_000);
});
