// A graph that explains itself: each node's key values on its face, sends drawn as side paths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { edgeKey } from '../../src/model/edge-key.ts';
import { loadSession } from '../../src/presets/load.ts';
import { nodeBox, paramOf, ROOT, screenshot } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();
const demo = loadSession(readFileSync(join(ROOT, 'presets/demo/demo.json'), 'utf8'), 'demo.json');

/** The canvas's zoom, from the viewport's transform (React Flow scales one element). */
const zoomOf = (page: Page) => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);

describe('the graph explains itself', () => {
  it('every node shows its summary, readable at the zoom the demo opens with; an edit in the inspector changes it', async () => {
    const { page, errors } = await editor();
    const summary = (id: string) => nodeBox(page, id).locator('.mix-node-summary');
    expect(await summary('master_comp').textContent()).toBe('2:1 @ -14 dB · makeup +1 dB');
    expect(await summary('vox_send').textContent()).toBe('send -10 dB');
    expect(await summary('reverb').textContent()).toBe('1.8 s · mix 100 %');
    expect(await summary('master_limiter').textContent()).toBe('ceiling -1 dBTP');
    expect(await summary('vox_eq').textContent()).toMatch(/^HP 120 Hz · /);
    const zoom = await zoomOf(page);
    for (const n of demo.nodes) {
      const box = summary(n.id);
      expect(await box.count(), `${n.id} has a summary`).toBe(1);
      const { fontSize, clipped } = await box.evaluate((el) => ({ fontSize: parseFloat(getComputedStyle(el).fontSize), clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1 }));
      expect(fontSize * zoom, `${n.id}: on-screen size at zoom ${zoom}`).toBeGreaterThanOrEqual(10.5);
      expect(clipped, `${n.id}: "${await box.textContent()}" fits its node`).toBe(false);
    }

    await nodeBox(page, 'master_comp').click();
    const field = page.getByRole('textbox', { name: 'Threshold value in dB' });
    await field.fill('-24');
    await field.press('Enter');
    expect(await paramOf(page, 'master_comp', 'threshold')).toBe(-24);
    await expect.poll(() => summary('master_comp').textContent()).toBe('2:1 @ -24 dB · makeup +1 dB');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => summary('master_comp').textContent()).toBe('2:1 @ -14 dB · makeup +1 dB');
    expect(errors).toEqual([]);
  }, 30_000);

  it("the sends' aux outputs and the reverb return are drawn as side paths (dashed, send colour); the insert edges are not", async () => {
    const { page, errors } = await editor();
    const side = new Set(['keys_send:send->reverb_bus:in', 'vox_send:send->reverb_bus:in', 'reverb_bus:out->reverb:in', 'reverb:out->mix_bus:in']);
    for (const e of demo.edges) {
      const id = edgeKey(e);
      const path = page.getByTestId(`rf__edge-${id}`).locator('path.react-flow__edge-path');
      const { dash, stroke } = await path.evaluate((el) => ({ dash: getComputedStyle(el).strokeDasharray, stroke: getComputedStyle(el).stroke }));
      if (side.has(id)) {
        expect(dash, `${id} is dashed`).not.toBe('none');
        expect(stroke, `${id} in the send colour`).toBe('rgb(160, 123, 224)');
      } else {
        expect(dash, `${id} is solid`).toBe('none');
        expect(stroke, `${id} in the insert colour`).not.toBe('rgb(160, 123, 224)');
      }
    }
    await screenshot(page, 'explain-01-summaries-and-side-paths');
    expect(errors).toEqual([]);
  }, 30_000);
});
