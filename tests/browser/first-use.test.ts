// The editor as a new user first meets it, in Chromium: the demo opens readable and laid out in
// rows, notices leave or can be dismissed and never sit on the minimap or the zoom controls,
// Ctrl/Cmd+A selects every node, Tab visits the nodes before the edges, and every palette entry
// explains itself on hover and on focus.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { docOf, nodeBox, screenshot, selectionOf } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

const zoomOf = (page: Page) => page.locator('.react-flow__viewport').evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a);

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
async function boxOf(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error(`${l} has no box`);
  return b;
}

/** Notify from the page, as the editor does after an export or a failed drop. */
const notify = (page: Page, kind: 'info' | 'error', text: string) =>
  page.evaluate(([k, t]) => (window as unknown as { mixgraph: { store: { notify(k: string, t: string): void } } }).mixgraph.store.notify(k, t), [kind, text] as const);

describe('first use', () => {
  it('the demo opens readable: every text on every node drawn at 10 px or more, all of it in view, mixing above the mastering chain, clear of the minimap and controls', async () => {
    const { page, errors } = await editor();
    const zoom = await zoomOf(page);
    // The issue: the demo opened at 24 % with text 2.5 px high.
    expect(zoom).toBeGreaterThan(0.9);
    const doc = await docOf(page);
    const pane = await boxOf(page.locator('.react-flow'));
    const minimap = await boxOf(page.locator('.react-flow__minimap'));
    const controls = await boxOf(page.locator('.react-flow__controls'));
    for (const n of doc.nodes) {
      const box = await boxOf(nodeBox(page, n.id));
      expect(box.x >= pane.x && box.y >= pane.y && box.x + box.width <= pane.x + pane.width && box.y + box.height <= pane.y + pane.height, `${n.id} in view`).toBe(true);
      expect(overlaps(box, minimap), `${n.id} clear of the minimap`).toBe(false);
      expect(overlaps(box, controls), `${n.id} clear of the zoom controls`).toBe(false);
    }
    // Every piece of text on a node, as drawn: its CSS size times the zoom.
    const smallest = await page.evaluate(() => {
      let min = Infinity;
      let where = '';
      const zoom = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
      for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node *')) {
        const own = [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim() !== '');
        if (!own || el.getClientRects().length === 0) continue;
        const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
        if (px < min) [min, where] = [px, `${el.className}: ${el.textContent}`];
      }
      return { min, where };
    });
    expect(smallest.min, smallest.where).toBeGreaterThanOrEqual(10);
    // Rows: the mastering chain (everything after the mix bus) lies below every track.
    const y = new Map(doc.nodes.map((n) => [n.id, n.position!.y]));
    const lowestTrack = Math.max(...doc.nodes.filter((n) => n.type === 'track').map((n) => n.position!.y));
    for (const id of ['master_comp', 'master_sat', 'master_gain', 'master_limiter', 'master_loudness', 'master']) expect(y.get(id)!, id).toBeGreaterThan(lowestTrack);
    await screenshot(page, '60-first-use-demo');
    expect(errors).toEqual([]);
  }, 30_000);

  it('notices: an info notice leaves by itself (not while the pointer is on it), an error stays until dismissed, and neither covers the minimap or the controls', async () => {
    const { page, errors } = await editor();
    await notify(page, 'error', 'Something failed: a long explanation of what went wrong, where, and how to fix it, long enough to wrap onto a second line in the notice.');
    await notify(page, 'info', 'Exported Demo_mix.wav (48 kHz, 24-bit PCM)');
    const info = page.locator('.notice-info');
    const error = page.locator('.notice-error');
    await info.waitFor();
    const minimap = await boxOf(page.locator('.react-flow__minimap'));
    const controls = await boxOf(page.locator('.react-flow__controls'));
    for (const n of [info, error]) {
      expect(overlaps(await boxOf(n), minimap)).toBe(false);
      expect(overlaps(await boxOf(n), controls)).toBe(false);
    }
    await screenshot(page, '61-notices');
    // Held while the pointer rests on it...
    await info.hover();
    await page.waitForTimeout(6500);
    expect(await info.count()).toBe(1);
    // ...and gone a few seconds after it leaves.
    await page.mouse.move(5, 5);
    await info.waitFor({ state: 'detached', timeout: 8_000 });
    expect(await error.count()).toBe(1);
    await error.getByRole('button', { name: 'Dismiss' }).click();
    await error.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  }, 40_000);

  it('Ctrl+A selects every node on the canvas (not the page text), and the inspector says so', async () => {
    const { page, errors } = await editor();
    const doc = await docOf(page);
    await page.locator('.react-flow__pane').click({ position: { x: 300, y: 780 } });
    await page.keyboard.press('Control+a');
    expect((await selectionOf(page)).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(doc.nodes.length);
    expect(await page.evaluate(() => String(window.getSelection()))).toBe('');
    await page.getByRole('complementary', { name: 'Inspector' }).getByText(`${doc.nodes.length} nodes selected`).waitFor();
    await screenshot(page, '62-select-all');
    // Not while typing: in the palette's search field Ctrl+A selects its text.
    await page.getByRole('searchbox', { name: /Search nodes/ }).click();
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  }, 30_000);

  it('Tab visits every node (with its buttons) before the first edge, in document order, then leaves the graph', async () => {
    const { page, errors } = await editor();
    const doc = await docOf(page);
    // From the last palette entry, Tab enters the graph.
    await page.getByRole('button', { name: 'Add Master' }).focus();
    const seen: string[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement;
        if (a.classList.contains('react-flow__node')) return `node:${a.dataset.id}`;
        if (a.closest('.react-flow__edge')) return 'edge';
        if (a.closest('.react-flow__node')) return 'button';
        return a.closest('.react-flow__viewport') ? 'other' : 'outside';
      });
      if (where === 'outside') break;
      seen.push(where);
    }
    const nodes = seen.filter((s) => s.startsWith('node:')).map((s) => s.slice(5));
    expect(nodes).toEqual(doc.nodes.map((n) => n.id));
    const firstEdge = seen.indexOf('edge');
    const lastNode = seen.map((s) => s.startsWith('node:')).lastIndexOf(true);
    expect(firstEdge).toBeGreaterThan(lastNode);
    expect(seen.filter((s) => s === 'edge').length).toBe(doc.edges.length);
    expect(seen).not.toContain('other');
    // Shift+Tab from outside comes back in on the last edge.
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('.react-flow__edge')))).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it('every palette entry shows its description on hover and on keyboard focus, and is described by it', async () => {
    const { page, errors } = await editor();
    const palette = page.getByRole('navigation', { name: 'Node palette' });
    const entries = palette.getByRole('button');
    const count = await entries.count();
    expect(count).toBeGreaterThan(10);
    for (let i = 0; i < count; i++) {
      const entry = entries.nth(i);
      await entry.hover();
      const tip = page.getByRole('tooltip');
      await tip.waitFor();
      const text = await tip.textContent();
      expect(text!.length, `${await entry.getAttribute('aria-label')}`).toBeGreaterThan(40);
      // The accessible description is the tooltip's text.
      const described = await entry.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby')!)?.textContent);
      expect(described).toBe(text);
      if (i === 5) await screenshot(page, '63-palette-hover');
    }
    await page.mouse.move(700, 500);
    await expect.poll(() => page.getByRole('tooltip').count()).toBe(0);
    // Keyboard: from the search field, Tab to the first entry.
    await page.getByRole('searchbox', { name: /Search nodes/ }).focus();
    await page.keyboard.press('Tab');
    const tip = page.getByRole('tooltip');
    await tip.waitFor();
    expect(await tip.textContent()).toContain('Plays one recorded audio file');
    await screenshot(page, '64-palette-focus');
    await page.keyboard.press('Tab');
    expect(await page.getByRole('tooltip').textContent()).toMatch(/^Test signal/);
    expect(errors).toEqual([]);
  }, 60_000);
});
