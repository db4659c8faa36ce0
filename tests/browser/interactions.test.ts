// The editor's other everyday interactions in Chromium, as a user meets them: dropping audio
// files and palette entries on the canvas, copy/paste/duplicate, Space for play, box select and
// delete, dragging an EQ band on its curve, the live meters while playing, and the zoom controls.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeCompressed } from '../../src/engine/node.ts';
import { decodeAudio } from '../../src/io/audio.ts';
import { encodeWav } from '../../src/io/wav.ts';
import { REFUSED, TRUNCATED } from '../helpers/wav-bytes.ts';
import { centreOf, docOf, drag, nodeBox, screenshot, selectionOf, type DocSummary } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();

interface StoreWindow {
  mixgraph: { store: { getState(): { canUndo: boolean; selection: readonly string[] } }; audio: { state: string } };
}

const canUndo = (page: Page) => page.evaluate(() => (window as unknown as StoreWindow).mixgraph.store.getState().canUndo);
const undoButton = (page: Page) => page.getByRole('button', { name: 'Undo', exact: true });
const nodeById = (doc: DocSummary, id: string) => doc.nodes.find((n) => n.id === id);

/** 0.5 s of a 440 Hz sine, mono 48 kHz 16-bit, as a WAV file's bytes. */
function sineWav(): number[] {
  const rate = 48000;
  const samples = new Float32Array(rate / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate);
  return Array.from(encodeWav([samples], rate, '16'));
}

/** A point on the canvas, in client coordinates, a fraction of the way across the pane. */
async function panePoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('.react-flow').boundingBox())!;
  return { x: Math.round(box.x + box.width * fx), y: Math.round(box.y + box.height * fy) };
}

/** Client coordinates to flow coordinates, from the viewport's transform. */
async function toFlow(page: Page, at: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.evaluate(({ x, y }) => {
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const m = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    return { x: (x - pane.left - m.e) / m.a, y: (y - pane.top - m.f) / m.d };
  }, at);
}

/** Drop files (name + bytes) on the React Flow pane at `at`, as the OS drag-and-drop does. */
async function dropFiles(page: Page, files: { name: string; type: string; bytes: number[] }[], at: { x: number; y: number }): Promise<void> {
  await page.evaluate(
    ({ files, at }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      const target = document.querySelector('.react-flow')!;
      const init = { dataTransfer: dt, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true };
      target.dispatchEvent(new DragEvent('dragenter', init));
      target.dispatchEvent(new DragEvent('dragover', init));
      target.dispatchEvent(new DragEvent('drop', init));
    },
    { files, at },
  );
}

describe('interacting with the editor in the browser', () => {
  it('dropping a WAV on the canvas adds a track named after it; an undecodable file is reported and changes nothing', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    expect(await canUndo(page)).toBe(false);

    // Garbage first: a message, no node, no undo step.
    const garbage = Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    await dropFiles(page, [{ name: 'broken.wav', type: 'audio/wav', bytes: garbage }], await panePoint(page, 0.5, 0.5));
    const notice = page.getByRole('status').locator('.notice', { hasText: 'broken.wav' });
    await notice.waitFor();
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('cannot decode it as audio: not an audio format Mixgraph recognises');
    expect(await docOf(page)).toEqual(before);
    expect(await canUndo(page)).toBe(false);

    // A real WAV: one track, labelled and sourced from the file.
    const at = await panePoint(page, 0.4, 0.3);
    const expected = await toFlow(page, at);
    await dropFiles(page, [{ name: 'Lead Vocal.wav', type: 'audio/wav', bytes: sineWav() }], at);
    await nodeBox(page, 'lead-vocal').waitFor();
    const after = await docOf(page);
    expect(after.nodes.length).toBe(before.nodes.length + 1);
    const track = nodeById(after, 'lead-vocal')!;
    expect(track.type).toBe('track');
    expect(track.label).toBe('Lead Vocal');
    expect(track.params.source).toBe('Lead Vocal.wav');
    expect(Math.abs(track.position!.x - expected.x)).toBeLessThan(2);
    expect(Math.abs(track.position!.y - expected.y)).toBeLessThan(2);
    expect(await nodeBox(page, 'lead-vocal').textContent()).toContain('Lead Vocal');
    await screenshot(page, '20-wav-dropped');

    // One undo step removes it.
    await undoButton(page).click();
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 30_000);

  it('refuses exactly the audio files the CLI refuses, with the same reason, and takes a file cut short', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    const at = await panePoint(page, 0.5, 0.5);
    for (const f of REFUSED) {
      // The reason the CLI's reading path gives for this file, computed here in Node.
      const reason = await decodeAudio(f.bytes, (b, _c, rate) => decodeCompressed(b, rate ?? 48000)).then(
        () => 'decoded',
        (err: Error) => err.message,
      );
      expect(reason).toMatch(f.reason);
      await dropFiles(page, [{ name: f.name, type: 'application/octet-stream', bytes: Array.from(f.bytes) }], at);
      const notice = page.getByRole('status').locator('.notice', { hasText: f.name });
      await notice.waitFor();
      expect(await notice.textContent()).toContain(`${f.name}: cannot decode it as audio: ${reason}. Nothing was added.`);
      await page.getByRole('status').locator('.notice', { hasText: f.name }).getByRole('button', { name: 'Dismiss' }).click();
    }
    expect(await docOf(page)).toEqual(before);
    await dropFiles(page, [{ name: TRUNCATED.name, type: 'audio/wav', bytes: Array.from(TRUNCATED.bytes) }], at);
    await nodeBox(page, 'cut').waitFor();
    // ... saying what the CLI says of it
    const warning = page.getByRole('status').locator('.notice', { hasText: 'cut.wav' });
    expect(await warning.textContent()).toMatch(TRUNCATED.warning);
    expect(errors).toEqual([]);
  });

  it('dragging "Add Reverb" from the palette onto the canvas adds a reverb at the drop point', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    const at = await panePoint(page, 0.6, 0.75);
    const expected = await toFlow(page, at);
    const button = page.getByRole('button', { name: 'Add Reverb', exact: true });
    const from = await centreOf(button);
    await button.evaluate(
      (el, { from, at }) => {
        const dt = new DataTransfer();
        const pane = document.querySelector('.react-flow')!;
        el.dispatchEvent(new DragEvent('dragstart', { dataTransfer: dt, clientX: from.x, clientY: from.y, bubbles: true, cancelable: true }));
        const init = { dataTransfer: dt, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true };
        pane.dispatchEvent(new DragEvent('dragenter', init));
        pane.dispatchEvent(new DragEvent('dragover', init));
        pane.dispatchEvent(new DragEvent('drop', init));
        el.dispatchEvent(new DragEvent('dragend', init));
      },
      { from, at },
    );
    const after = await docOf(page);
    const added = after.nodes.filter((n) => !before.nodes.some((b) => b.id === n.id));
    expect(added.map((n) => n.type)).toEqual(['reverb']);
    const reverb = added[0];
    await nodeBox(page, reverb.id).waitFor();
    expect(Math.abs(reverb.position!.x - expected.x)).toBeLessThan(2);
    expect(Math.abs(reverb.position!.y - expected.y)).toBeLessThan(2);
    expect(await selectionOf(page)).toEqual([reverb.id]);
    await screenshot(page, '21-palette-dropped');
    expect(errors).toEqual([]);
  }, 30_000);

  it('copies, pastes and duplicates a node with Ctrl+C / Ctrl+V / Ctrl+D; each is one undo step', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    await nodeBox(page, 'reverb').click();
    expect(await selectionOf(page)).toEqual(['reverb']);
    const original = nodeById(before, 'reverb')!;

    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await nodeBox(page, 'reverb2').waitFor();
    let doc = await docOf(page);
    expect(doc.nodes.length).toBe(before.nodes.length + 1);
    const pasted = nodeById(doc, 'reverb2')!;
    expect(pasted.type).toBe('reverb');
    expect(pasted.params).toEqual(original.params);
    expect(pasted.position).toEqual({ x: original.position!.x + 40, y: original.position!.y + 40 });
    expect(await selectionOf(page)).toEqual(['reverb2']);

    await page.keyboard.press('Control+d');
    await nodeBox(page, 'reverb3').waitFor();
    doc = await docOf(page);
    expect(doc.nodes.length).toBe(before.nodes.length + 2);
    expect(nodeById(doc, 'reverb3')!.type).toBe('reverb');
    expect(nodeById(doc, 'reverb3')!.params).toEqual(original.params);
    expect(await selectionOf(page)).toEqual(['reverb3']);
    await screenshot(page, '22-pasted-duplicated');

    await undoButton(page).click();
    await nodeBox(page, 'reverb3').waitFor({ state: 'detached' });
    doc = await docOf(page);
    expect(doc.nodes.map((n) => n.id)).toEqual([...before.nodes.map((n) => n.id), 'reverb2']);
    await undoButton(page).click();
    await nodeBox(page, 'reverb2').waitFor({ state: 'detached' });
    expect(await docOf(page)).toEqual(before);
    expect(await canUndo(page)).toBe(false);
    expect(errors).toEqual([]);
  }, 30_000);

  it('Space toggles play and pause when the focus is on the canvas', async () => {
    const { page, errors } = await editor();
    // Click the empty pane (below the graph), as a user would before pressing Space.
    const empty = await panePoint(page, 0.5, 0.97);
    await page.mouse.click(empty.x, empty.y);
    await page.keyboard.press('Space');
    const pause = page.getByRole('button', { name: 'Pause', exact: true });
    await pause.waitFor();
    expect(await pause.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => (window as unknown as StoreWindow).mixgraph.audio.state)).toBe('playing');

    await page.keyboard.press('Space');
    const play = page.getByRole('button', { name: 'Play', exact: true });
    await play.waitFor();
    expect(await play.getAttribute('aria-pressed')).toBe('false');
    expect(await page.evaluate(() => (window as unknown as StoreWindow).mixgraph.audio.state)).toBe('paused');
    expect(errors).toEqual([]);
  }, 30_000);

  it('box-selects two nodes by dragging on the empty pane; Delete removes both; one Undo restores them with their edges', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    const a = (await nodeBox(page, 'keys_send').boundingBox())!;
    const b = (await nodeBox(page, 'vox_send').boundingBox())!;
    const from = { x: Math.min(a.x, b.x) - 6, y: Math.min(a.y, b.y) - 6 };
    const to = { x: Math.max(a.x + a.width, b.x + b.width) + 6, y: Math.max(a.y + a.height, b.y + b.height) + 6 };
    // The drag must start on the empty pane, not on a node or an edge.
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.classList.contains('react-flow__pane'), from)).toBe(true);
    await drag(page, from, to, { steps: 12 });
    expect([...(await selectionOf(page))].sort()).toEqual(['keys_send', 'vox_send']);
    await screenshot(page, '23-box-selected');

    await page.keyboard.press('Delete');
    await nodeBox(page, 'keys_send').waitFor({ state: 'detached' });
    await nodeBox(page, 'vox_send').waitFor({ state: 'detached' });
    const after = await docOf(page);
    const gone = new Set(['keys_send', 'vox_send']);
    expect(after.nodes.map((n) => n.id)).toEqual(before.nodes.map((n) => n.id).filter((id) => !gone.has(id)));
    expect(after.edges).toEqual(before.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to)));
    expect(after.edges.length).toBeLessThan(before.edges.length);

    await undoButton(page).click();
    expect(await docOf(page)).toEqual(before);
    expect(await canUndo(page)).toBe(false);
    await nodeBox(page, 'keys_send').waitFor();
    await nodeBox(page, 'vox_send').waitFor();
    expect(errors).toEqual([]);
  }, 30_000);

  it("drags an EQ band's handle up and to the right: gain rises, frequency moves, all in one undo step", async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'vox_eq').click();
    await page.getByRole('complementary', { name: 'Inspector: Vox EQ' }).waitFor();
    const original = nodeById(await docOf(page), 'vox_eq')!.params.bands as { type: string; frequency: number; gain: number }[];
    const band = original.findIndex((b) => b.type === 'peaking' && b.frequency === 3000);
    expect(band).toBeGreaterThanOrEqual(0);
    const handle = page.locator(`.eq-curve .band-handle[data-band="${band}"]`);
    await handle.scrollIntoViewIfNeeded();
    const start = await centreOf(handle);
    await drag(page, start, { x: start.x + 25, y: start.y - 25 }, { steps: 10 });

    const bands = nodeById(await docOf(page), 'vox_eq')!.params.bands as { type: string; frequency: number; gain: number }[];
    expect(bands[band].gain).toBeGreaterThan(original[band].gain + 1);
    expect(bands[band].frequency).toBeGreaterThan(original[band].frequency);
    // The other bands are untouched.
    expect(bands.filter((_, i) => i !== band)).toEqual(original.filter((_, i) => i !== band));
    // The band's fields follow, and the frequency field (in Hz, now above 1 kHz) says Hz, not kHz.
    const group = page.getByRole('group', { name: `Band ${band + 1}` });
    const frequency = group.getByRole('textbox', { name: 'Frequency value in Hz' });
    expect(await frequency.inputValue()).toBe(String(bands[band].frequency));
    expect(await frequency.locator('xpath=..').locator('.knob-unit').textContent()).toBe('Hz');
    expect(await group.getByRole('textbox', { name: 'Gain value in dB' }).inputValue()).toBe(String(bands[band].gain));
    await screenshot(page, '24-eq-band-dragged');

    await undoButton(page).click();
    expect(nodeById(await docOf(page), 'vox_eq')!.params.bands).toEqual(original);
    expect(await canUndo(page)).toBe(false);
    expect(errors).toEqual([]);
  }, 30_000);

  it("while playing, a compressor's gain-reduction meter moves and the master's spectrum is drawn", async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'drums_comp').click();
    const gr = page.getByRole('meter', { name: 'Gain reduction' });
    await gr.waitFor();
    expect(Number(await gr.getAttribute('aria-valuenow'))).toBe(0);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(async () => Number(await gr.getAttribute('aria-valuenow')), { timeout: 5_000, interval: 100 }).toBeGreaterThan(0);
    await screenshot(page, '25-gain-reduction');

    await nodeBox(page, 'master').click();
    const spectrum = page.getByRole('img', { name: 'Master spectrum analyser' });
    await spectrum.waitFor();
    const painted = () =>
      spectrum.evaluate((c) => {
        const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      });
    await expect.poll(painted, { timeout: 5_000, interval: 200 }).toBeGreaterThan(100);
    await screenshot(page, '26-spectrum');
    await page.getByRole('button', { name: 'Stop' }).click();
    expect(errors).toEqual([]);
  }, 30_000);

  it('has named zoom controls and a minimap; Zoom In changes the viewport', async () => {
    const { page, errors } = await editor();
    const controls = page.locator('[aria-label="Zoom controls"]');
    const zoomIn = controls.getByRole('button', { name: 'Zoom In', exact: true });
    const zoomOut = controls.getByRole('button', { name: 'Zoom Out', exact: true });
    const fit = controls.getByRole('button', { name: 'Fit View', exact: true });
    for (const b of [zoomIn, zoomOut, fit]) expect(await b.isVisible()).toBe(true);
    expect(await page.getByRole('img', { name: 'Overview of the graph' }).isVisible()).toBe(true);

    const scale = () => page.locator('.react-flow__viewport').evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a);
    const start = await scale();
    await zoomIn.click();
    await expect.poll(scale, { timeout: 5_000 }).toBeGreaterThan(start * 1.1);
    await fit.click();
    await expect.poll(async () => Math.abs((await scale()) - start), { timeout: 5_000 }).toBeLessThan(start * 0.02);
    expect(errors).toEqual([]);
  }, 30_000);

  it('below zoom 0.2 the graph draws on one canvas: a node dragged there moves by the pointer / zoom, in one undo step', async () => {
    const { page, errors } = await editor();
    const before = await docOf(page);
    const scale = () => page.locator('.react-flow__viewport').evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a);
    const zoomOut = page.locator('[aria-label="Zoom controls"]').getByRole('button', { name: 'Zoom Out', exact: true });
    for (let i = 0; i < 20 && (await scale()) >= 0.19; i++) await zoomOut.click();
    await expect.poll(scale, { timeout: 5_000 }).toBeLessThan(0.2);
    const overview = page.getByRole('img', { name: /^Overview of 25 nodes and \d+ connections/ });
    await overview.waitFor();
    await nodeBox(page, 'master').waitFor({ state: 'detached' }); // React Flow draws no node DOM now
    await screenshot(page, '27-overview');

    // The master's box on screen, from its position and the viewport's transform.
    const master = nodeById(before, 'master')!;
    const at = await page.evaluate(({ x, y }) => {
      const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
      const m = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
      return { x: pane.left + m.e + (x + 30) * m.a, y: pane.top + m.f + (y + 30) * m.d, zoom: m.a };
    }, master.position!);
    const pixel = (p: { x: number; y: number }) =>
      page.evaluate(({ x, y }) => {
        const c = document.querySelector<HTMLCanvasElement>('.overview-canvas')!;
        const r = c.getBoundingClientRect();
        const k = c.width / r.width;
        return Array.from(c.getContext('2d')!.getImageData(Math.round((x - r.left) * k), Math.round((y - r.top) * k), 1, 1).data.slice(0, 3));
      }, p);
    const to = { x: at.x + 60, y: at.y + 30 };
    expect(await pixel(to)).not.toEqual([230, 180, 34]);
    await drag(page, at, to, { steps: 10 });
    expect(await selectionOf(page)).toEqual(['master']);
    const moved = nodeById(await docOf(page), 'master')!.position!;
    expect(moved.x - master.position!.x).toBeCloseTo(60 / at.zoom, 0);
    expect(moved.y - master.position!.y).toBeCloseTo(30 / at.zoom, 0);
    // The selected node is drawn in the accent colour where it now is.
    await expect.poll(() => pixel(to), { timeout: 5_000 }).toEqual([230, 180, 34]);

    await undoButton(page).click();
    expect(await docOf(page)).toEqual(before);
    expect(await canUndo(page)).toBe(false);

    // Fit View counts the hidden nodes: the demo fits at a readable zoom and its nodes come back.
    await page.locator('[aria-label="Zoom controls"]').getByRole('button', { name: 'Fit View', exact: true }).click();
    await nodeBox(page, 'master').waitFor();
    expect(await overview.count()).toBe(0);
    expect(await scale()).toBeGreaterThan(0.2);
    expect(errors).toEqual([]);
  }, 30_000);
});
