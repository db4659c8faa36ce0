// Cable solo in Chromium with real audio: two test tones on different paths (440 Hz through a +6 dB
// gain, 2.5 kHz straight to the bus); a connection soloed from its context menu and by `S` plays only
// what flows through it. What reaches the speakers is measured twice, from the worklet's own output
// (its peak, posted with the meters) and from the AnalyserNode on that output (the two tones' bins):
// only the soloed cable's tone is heard, at that port's level, and End solo brings the whole mix back.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { edgeKey } from '../../src/model/edge-key.ts';
import { loadSession } from '../../src/presets/load.ts';
import { nodeBox, openDoc } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();
/** Screenshots for a person to look at, outside the repository. */
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/mixgraph-solo/${name}.png` });

const LOW = 440;
const HIGH = 2500;

const session = {
  format: 'mixgraph',
  version: 2,
  kind: 'session',
  name: 'Cable solo',
  nodes: [
    { id: 'a', type: 'generator', label: 'Tone A', position: { x: 40, y: 40 }, params: { frequency: LOW, level: -12 } },
    { id: 'boost', type: 'gain', label: 'Boost', position: { x: 340, y: 40 }, params: { gain: 6 } },
    { id: 'b', type: 'generator', label: 'Tone B', position: { x: 40, y: 330 }, params: { frequency: HIGH, level: -12 } },
    { id: 'bus', type: 'bus', label: 'Bus', position: { x: 640, y: 180 } },
    { id: 'm', type: 'master', position: { x: 940, y: 180 }, params: { gain: -6 } },
  ],
  edges: [
    { from: 'a', fromPort: 'out', to: 'boost', toPort: 'in' },
    { from: 'boost', fromPort: 'out', to: 'bus', toPort: 'in' },
    { from: 'b', fromPort: 'out', to: 'bus', toPort: 'in' },
    { from: 'bus', fromPort: 'out', to: 'm', toPort: 'in' },
  ],
};
const edgeId = (k: number) => edgeKey(session.edges[k]);
/** The session as the editor opens a file (checked, defaults filled in). */
const opened = () => loadSession(JSON.stringify(session), 'solo.json');

interface Heard {
  /** Peak (dBFS) of what the worklet gave the speakers. */
  out: number;
  /** Peak (dBFS) of each port the runtime meters. */
  ports: Record<string, number>;
  /** The analyser's strongest bin (dB) around each tone. */
  low: number;
  high: number;
}

/** What reaches the speakers now, and the ports' own meters (null before the audio has started). */
function heard(page: Page): Promise<Heard | null> {
  return page.evaluate(
    ([low, high]) => {
      type Audio = {
        outputLevel(): { peakDb: number };
        portLevel(id: string, port?: string): { peakDb: number };
        spectrum(id: string): { data: Float32Array; sampleRate: number } | null;
      };
      const audio = (window as unknown as { mixgraph: { audio: Audio } }).mixgraph.audio;
      const spectrum = audio.spectrum('m');
      if (!spectrum) return null; // audio not started yet
      const bin = (hz: number) => {
        const k = Math.round((hz * 2 * spectrum.data.length) / spectrum.sampleRate);
        let best = -Infinity;
        for (let i = k - 3; i <= k + 3; i++) best = Math.max(best, spectrum.data[i]);
        return best;
      };
      const ports: Record<string, number> = {};
      for (const [id, port] of [['a', 'out'], ['boost', 'out'], ['b', 'out'], ['bus', 'out'], ['m', 'speakers']]) ports[id] = audio.portLevel(id, port).peakDb;
      return { out: audio.outputLevel().peakDb, ports, low: bin(low), high: bin(high) };
    },
    [LOW, HIGH] as const,
  );
}

/** Poll until what is heard satisfies `ok`; the last reading is returned (and named on a time-out). */
async function hearUntil(page: Page, ok: (h: Heard) => boolean, what: string): Promise<Heard> {
  const until = Date.now() + 15_000;
  for (;;) {
    const last = await heard(page);
    if (last && ok(last)) return last;
    if (Date.now() > until) throw new Error(`${what}: not heard within 15 s; last heard ${JSON.stringify(last)}`);
    await page.waitForTimeout(150);
  }
}

/** A point on a connection's drawn path (30 % along: clear of the level label at its middle), on screen. */
function pointOn(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page
    .getByTestId(`rf__edge-${id}`)
    .locator('path.react-flow__edge-path')
    .evaluate((el) => {
      const path = el as SVGPathElement;
      const p = path.getPointAtLength(0.3 * path.getTotalLength());
      const m = path.getScreenCTM()!;
      return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
    });
}

async function soloFromMenu(page: Page, id: string) {
  const at = await pointOn(page, id);
  await page.mouse.click(at.x, at.y, { button: 'right' });
  const menu = page.getByRole('menu');
  await menu.waitFor();
  await menu.getByRole('menuitem', { name: /Solo this cable/ }).click();
  await expect.poll(() => menu.count()).toBe(0);
}

const status = (page: Page) => page.getByRole('status', { name: 'Cable solo' });
const near = (a: number, b: number, db: number) => Math.abs(a - b) <= db;

describe('cable solo', () => {
  it('a soloed cable sounding alone: only its tone reaches the speakers, at its port’s level; S solos the next one; one click ends it and the mix returns', async () => {
    const { page, errors } = await editor();
    await openDoc(page, opened());
    await nodeBox(page, 'boost').waitFor();
    await page.getByRole('button', { name: 'Play' }).click();

    // The mix: both tones, and the speakers get the master's output
    const mix = await hearUntil(page, (h) => h.ports.m > -20 && near(h.out, h.ports.m, 0.2) && h.high > h.low - 12, 'the mix');
    expect(mix.ports.a).toBeCloseTo(-12, 0);
    expect(mix.ports.boost).toBeCloseTo(-6, 0);

    // Solo Tone A → Boost from its context menu
    await soloFromMenu(page, edgeId(0));
    await expect.poll(() => status(page).textContent()).toContain('Solo: Tone A → Boost');
    await expect.poll(() => page.getByTestId(`rf__edge-${edgeId(0)}`).getAttribute('class')).toContain('edge-soloed');
    const stroke = await page.getByTestId(`rf__edge-${edgeId(0)}`).locator('path.react-flow__edge-path').evaluate((el) => getComputedStyle(el).stroke);
    expect(stroke).toBe('rgb(63, 208, 255)');
    await expect.poll(() => page.locator('.edge-solo-badge').count()).toBe(1);
    // Only Tone A, at its own port's level (-12 dBFS: before the boost, and no master -6 dB after it)
    const before = await hearUntil(page, (h) => near(h.out, h.ports.a, 0.2) && h.high < h.low - 40, 'Tone A alone at its port level');
    expect(before.out).toBeCloseTo(-12, 0);
    // The transport's meter reads what is heard: the soloed cable, not the master
    await expect.poll(async () => Number(await page.getByRole('meter', { name: 'Solo level' }).getAttribute('aria-valuenow')), { timeout: 5_000 }).toBeCloseTo(-12, 0);
    await shot(page, 'solo-01-cable-soloed');

    // Select the next cable (Boost → Bus) and press S: after the boost, 6 dB louder, still alone
    const next = await pointOn(page, edgeId(1));
    await page.mouse.click(next.x, next.y);
    await expect.poll(() => page.getByTestId(`rf__edge-${edgeId(1)}`).getAttribute('class')).toContain('selected');
    await page.keyboard.press('s');
    await expect.poll(() => status(page).textContent()).toContain('Solo: Boost → Bus');
    const after = await hearUntil(page, (h) => near(h.out, h.ports.boost, 0.2) && h.high < h.low - 40, 'Boost alone at its port level');
    expect(after.out - before.out).toBeCloseTo(6, 0);
    if (process.env.AUDIO_REPORT) console.log(`[measured] mix ${JSON.stringify(mix)}\n[measured] Tone A → Boost ${JSON.stringify(before)}\n[measured] Boost → Bus ${JSON.stringify(after)}`);
    expect(await page.getByTestId(`rf__edge-${edgeId(0)}`).getAttribute('class')).not.toContain('edge-soloed');

    // One click ends it: the whole mix again (both tones, the master's level)
    await status(page).getByRole('button', { name: /End solo/ }).click();
    await expect.poll(() => status(page).count()).toBe(0);
    await hearUntil(page, (h) => near(h.out, h.ports.m, 0.2) && h.high > h.low - 12, 'the mix back');
    expect(await page.locator('.edge-solo-badge').count()).toBe(0);
    expect(await page.getByRole('meter', { name: 'Master level' }).count()).toBe(1);
    expect(await page.getByTestId(`rf__edge-${edgeId(1)}`).getAttribute('class')).not.toContain('edge-soloed');
    expect(errors).toEqual([]);
  }, 60_000);

  it('a solo started while stopped plays nothing until Play, then only that cable; Escape ends it; deleting the soloed cable ends it with a notice', async () => {
    const { page, errors } = await editor();
    await openDoc(page, opened());
    await nodeBox(page, 'boost').waitFor();
    await soloFromMenu(page, edgeId(2));
    await expect.poll(() => status(page).textContent()).toContain('Solo: Tone B → Bus');
    expect(await page.evaluate(() => (window as unknown as { mixgraph: { audio: { state: string } } }).mixgraph.audio.state)).toBe('stopped');
    await shot(page, 'solo-02-stopped');

    await page.getByRole('button', { name: 'Play' }).click();
    await hearUntil(page, (h) => h.ports.b > -20 && near(h.out, h.ports.b, 0.2) && h.low < h.high - 40, 'Tone B alone');

    // Escape ends it
    await page.locator('.react-flow__pane').click({ position: { x: 700, y: 600 } });
    await page.keyboard.press('Escape');
    await expect.poll(() => status(page).count()).toBe(0);
    await hearUntil(page, (h) => near(h.out, h.ports.m, 0.2) && h.high > h.low - 12, 'the mix after Escape');

    // Soloed again, then the cable deleted: the solo ends by itself and says so
    await soloFromMenu(page, edgeId(2));
    await expect.poll(() => status(page).count()).toBe(1);
    const at = await pointOn(page, edgeId(2));
    await page.mouse.click(at.x, at.y);
    await page.keyboard.press('Delete');
    await expect.poll(() => status(page).count()).toBe(0);
    await expect.poll(() => page.getByText('Solo ended: Tone B → Bus was removed. The mix plays again.').count()).toBe(1);
    // The mix without Tone B: Tone A alone, through the master
    await hearUntil(page, (h) => near(h.out, h.ports.m, 0.2) && h.high < h.low - 40, 'the mix without Tone B');
    expect(errors).toEqual([]);
  }, 60_000);
});
