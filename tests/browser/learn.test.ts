// The Learn panel in real Chromium: a palette entry's description on hover and on keyboard focus, the
// panel opened from the palette and from the inspector with its text, params and picture, and Listen:
// one edit that plays (the master meter shows it), one Undo or one Remove example that restores the
// session exactly, also after the example's nodes were dragged about.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { getDefinition } from '../../nodes/registry.ts';
import { drag, centreOf, docOf, nodeBox, openDoc } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();
const SHOTS = '/tmp/mixgraph-learn-shots';
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

/** The whole session as the editor would save it (every field, in order). */
const savedJson = (page: Page) => page.evaluate(() => JSON.stringify((window as unknown as { mixgraph: { store: { getState(): { doc: unknown } } } }).mixgraph.store.getState().doc));
const masterDb = async (page: Page) => Number(await page.getByRole('meter', { name: 'Master level' }).getAttribute('aria-valuenow'));

/** A session with only a master: whatever the master hears comes from the example. */
const bare = {
  format: 'mixgraph', version: 2, kind: 'session', name: 'Bare', meta: { author: '', description: '', tags: [] },
  nodes: [{ id: 'master', type: 'master', label: 'Master', position: { x: 600, y: 200 }, params: { gain: 0 } }],
  edges: [],
};

describe('the Learn panel', () => {
  it('a palette entry shows its description on hover and on keyboard focus; ? (key or button) opens its Learn panel', async () => {
    const { page, errors } = await editor();
    const palette = page.getByRole('navigation', { name: 'Node palette' });
    const eq = palette.getByRole('button', { name: 'Add EQ', exact: true });
    await eq.hover();
    const tip = page.getByRole('tooltip');
    await tip.waitFor();
    expect(await tip.textContent()).toContain(getDefinition('eq')!.description);
    await page.mouse.move(700, 500);
    await expect.poll(() => tip.count()).toBe(0);
    // Keyboard only: from the search field, Tab along the entries (one stop each) to the EQ.
    await page.getByRole('searchbox', { name: /Search nodes/ }).focus();
    for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) !== 'Add EQ'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Add EQ');
    await tip.waitFor();
    expect(await tip.textContent()).toContain(getDefinition('eq')!.description);
    await shot(page, 'learn-01-palette-focus');
    await page.keyboard.press('?');
    const panel = page.getByRole('complementary', { name: 'Learn: EQ' });
    await panel.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('learn-title');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    // The ? button beside an entry, with the same description on hover.
    const learnDelay = palette.getByRole('button', { name: 'Learn about Delay' });
    await learnDelay.hover();
    expect(await page.getByRole('tooltip').textContent()).toContain(getDefinition('delay')!.description);
    await learnDelay.click();
    const delay = page.getByRole('complementary', { name: 'Learn: Delay' });
    // The taps picture, drawn from the example's settings: 375 ms, feedback 0.45.
    const taps = delay.getByRole('img', { name: /Delay taps/ });
    expect(await taps.getAttribute('aria-label')).toMatch(/an echo every 375 ms.*0\.45 times/);
    // One line per echo, each 0.45 times as high as the one before (heights are linear amplitude).
    const d = (await taps.locator('path.echoes').getAttribute('d'))!;
    const heights = [...d.matchAll(/M[\d.]+ ([\d.]+)V([\d.]+)/g)].map((m) => Number(m[1]) - Number(m[2]));
    expect(heights.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < heights.length; i++) expect(heights[i] / heights[i - 1]).toBeCloseTo(0.45, 1);
    await shot(page, 'learn-02-delay-from-palette');
    expect(errors).toEqual([]);
  }, 60_000);

  it('from the inspector, about the demo’s vocal EQ: its text, every param and its curve; Listen adds one marked input in one edit and plays; Undo and Remove example each restore the session', async () => {
    const { page, errors } = await editor();
    const before = await savedJson(page);
    const nodesBefore = (await docOf(page)).nodes.length;
    await nodeBox(page, 'vox_eq').click();
    await page.getByRole('complementary', { name: /^Inspector/ }).getByRole('button', { name: 'Learn about EQ' }).click();
    const panel = page.getByRole('complementary', { name: 'Learn: EQ' });
    await panel.waitFor();
    const def = getDefinition('eq')!;
    const text = (await panel.textContent())!;
    for (const part of [def.description, def.learn!.why, def.learn!.typical, def.learn!.pitfall, def.learn!.listen.hear]) expect(text).toContain(part);
    for (const label of ['Bands', 'Type', 'Frequency', 'Gain', 'Q', 'On']) expect(await panel.locator('dt', { hasText: new RegExp(`^${label}`) }).count(), label).toBeGreaterThan(0);
    expect(text).toContain('Shown with the settings of “Vox EQ”');
    // The curve: the inspector's own Cookbook response, drawn from this node's bands (a high-pass at 120 Hz).
    const curve = panel.getByRole('img', { name: 'EQ magnitude response' }).locator('polyline.curve');
    const points = (await curve.getAttribute('points'))!.trim().split(' ');
    expect(points.length).toBeGreaterThan(100);
    const firstY = Number(points[0].split(',')[1]);
    expect(firstY, 'the high-pass pulls the lowest frequencies far down').toBeGreaterThan(120);
    await shot(page, 'learn-03-eq-from-inspector');

    await panel.getByRole('button', { name: '▶ Listen' }).click();
    await panel.getByRole('button', { name: 'Remove example' }).waitFor();
    const doc = await docOf(page);
    expect(doc.nodes.length).toBe(nodesBefore + 1);
    const added = doc.nodes.find((n) => n.label?.startsWith('Listen example'))!;
    expect(added.type).toBe('generator');
    expect(doc.edges.some((e) => e.from === added.id && e.to === 'vox_eq')).toBe(true);
    await nodeBox(page, added.id).waitFor();
    expect(await nodeBox(page, added.id).textContent()).toContain('Listen example');
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => masterDb(page), { timeout: 10_000, interval: 100 }).toBeGreaterThan(-60);
    // The demo plays too: the example's own output shows that it is the example sounding.
    const examplePeak = () => page.evaluate((id) => (window as unknown as { mixgraph: { audio: { portLevel(id: string, port?: string): { peakDb: number } } } }).mixgraph.audio.portLevel(id, 'out').peakDb, added.id);
    await expect.poll(examplePeak, { timeout: 10_000, interval: 100 }).toBeGreaterThan(-40);
    // One edit: one Undo takes it all away and the button says Listen again; Redo brings it back.
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await savedJson(page)).toBe(before);
    await panel.getByRole('button', { name: '▶ Listen' }).waitFor();
    await page.getByRole('button', { name: 'Redo' }).click();
    await panel.getByRole('button', { name: 'Remove example' }).click();
    expect(await savedJson(page)).toBe(before);
    expect((await docOf(page)).nodes.length).toBe(nodesBefore);
    await panel.getByRole('button', { name: '▶ Listen' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('from the palette on a session with only a master: a test signal into a new EQ into the master, heard; dragged about, then removed to the same JSON', async () => {
    const { page, errors } = await editor();
    await openDoc(page, bare);
    await nodeBox(page, 'master').waitFor();
    const before = await savedJson(page);
    await page.getByRole('navigation', { name: 'Node palette' }).getByRole('button', { name: 'Learn about EQ' }).click();
    const panel = page.getByRole('complementary', { name: 'Learn: EQ' });
    expect(await panel.textContent()).toContain('Drawn from the settings the Listen example uses');
    await panel.getByRole('button', { name: '▶ Listen' }).click();
    await panel.getByRole('button', { name: 'Remove example' }).waitFor();
    const doc = await docOf(page);
    expect(doc.nodes.map((n) => n.type).sort()).toEqual(['eq', 'generator', 'master']);
    expect(doc.edges.length).toBe(2);
    for (const n of doc.nodes.filter((n) => n.type !== 'master')) expect(n.label).toMatch(/^Listen example: /);
    const eq = doc.nodes.find((n) => n.type === 'eq')!;
    // Silent before the example, so the master meter shows the example's own sound.
    await expect.poll(() => masterDb(page), { timeout: 10_000, interval: 100 }).toBeGreaterThan(-60);
    await shot(page, 'learn-04-eq-example-playing');
    // The user drags the example's EQ somewhere else; Remove still finds and takes exactly it.
    const from = await centreOf(nodeBox(page, eq.id).locator('.mix-node-title, header').first());
    await drag(page, from, { x: from.x + 60, y: from.y + 140 });
    const moved = (await docOf(page)).nodes.find((n) => n.id === eq.id)!;
    expect(moved.position).not.toEqual(eq.position);
    await panel.getByRole('button', { name: 'Remove example' }).click();
    expect(await savedJson(page)).toBe(before);
    // It started the playback, so it stops it again.
    await expect.poll(() => page.getByRole('button', { name: 'Play' }).getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
  }, 60_000);
  it('a demo stem example (the compressor: the demo drums, 8:1) loads its audio, is heard at the master and moves the gain-reduction meter', async () => {
    const { page, errors } = await editor();
    await openDoc(page, bare);
    await nodeBox(page, 'master').waitFor();
    const before = await savedJson(page);
    await page.getByRole('navigation', { name: 'Node palette' }).getByRole('button', { name: 'Learn about Compressor' }).click();
    const panel = page.getByRole('complementary', { name: 'Learn: Compressor' });
    await panel.getByRole('button', { name: '▶ Listen' }).click();
    await panel.getByRole('button', { name: 'Remove example' }).waitFor();
    const doc = await docOf(page);
    const track = doc.nodes.find((n) => n.type === 'track')!;
    expect(track.params.source).toBe('listen-example/drums.wav');
    expect(track.label).toBe('Listen example: drums stem');
    await expect.poll(() => masterDb(page), { timeout: 10_000, interval: 100 }).toBeGreaterThan(-40);
    // The panel's transfer curve shows the example node's own reduction once it plays.
    const gr = panel.getByRole('meter', { name: 'Gain reduction' });
    await expect.poll(async () => Number(await gr.getAttribute('aria-valuenow')), { timeout: 10_000, interval: 100 }).toBeGreaterThan(3);
    // No warning (a silent source, audio not loaded) and no error was shown.
    const notices = await page.evaluate(() => (window as unknown as { mixgraph: { store: { getState(): { notices: { kind: string; text: string }[] } } } }).mixgraph.store.getState().notices);
    expect(notices.filter((n) => n.kind !== 'info')).toEqual([]);
    await shot(page, 'learn-05-compressor-stem');
    await panel.getByRole('button', { name: 'Remove example' }).click();
    expect(await savedJson(page)).toBe(before);
    expect(errors).toEqual([]);
  }, 60_000);
});
