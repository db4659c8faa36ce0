// The mixing craft in the editor, in Chromium with real audio: the Mixer view (strips editing the
// same document as the graph), Level tracks with its undo (the levelled session measured again in
// Node through the runtime), and Align to… with its undo on material made for it (a track 30 ms
// late, one inverted, one unrelated). Screenshots go to tests/.artifacts/screenshots/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/io/wav-read.ts';
import { encodeWav } from '../../src/io/wav.ts';
import { levelTracks } from '../../src/mixing/level.ts';
import { memoryAudio } from '../../src/mixing/render.ts';
import { loadSession } from '../../src/presets/load.ts';
import { centreOf, docOf, dropFiles, nodeBox, paramOf, ROOT, screenshot, selectionOf, type DocSummary } from './harness.ts';
import { useEditors } from './suite.ts';
import { bandStems } from '../helpers/stems.ts';

const editor = useEditors();
const SR = 48000;

async function openMixer(page: Page) {
  await page.getByRole('button', { name: 'Mixer', exact: true }).click();
  const mixer = page.getByRole('region', { name: 'Mixer' });
  await mixer.waitFor();
  return mixer;
}

/** Open a session holding only a master (through the Open file input, as a person would). */
async function openEmpty(page: Page) {
  const empty = { format: 'mixgraph', version: 1, kind: 'session', name: 'Align test', nodes: [{ id: 'out', type: 'master', position: { x: 700, y: 200 } }], edges: [] };
  await page.getByLabel('Open session file', { exact: true }).setInputFiles({ name: 'align.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(empty)) });
  await expect.poll(async () => (await docOf(page)).nodes.map((n) => n.id)).toEqual(['out']);
}

/** A deterministic noise (xorshift), so a test's material is the same on every run. */
function noise(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 4294967296) * 2 - 1;
  };
}

/** 4 s of drum-like hits: noise bursts decaying over 40 ms at uneven times, at about -12 dBFS peaks. */
function hits(): Float32Array {
  const out = new Float32Array(4 * SR);
  const rnd = noise(7);
  let t = 0.05;
  const gaps = [0.31, 0.23, 0.37, 0.19, 0.29, 0.41, 0.17, 0.33];
  for (let k = 0; t < 3.8; k++) {
    const start = Math.round(t * SR);
    for (let i = 0; i < 0.2 * SR && start + i < out.length; i++) out[start + i] += 0.25 * rnd() * Math.exp(-i / (0.04 * SR));
    t += gaps[k % gaps.length];
  }
  return out;
}

const wav = (samples: Float32Array) => Array.from(encodeWav([samples], SR, '24'));

describe('mixing in the browser', () => {
  it('the Mixer view: a strip per track, bus and master, grouped by category, editing the same document', async () => {
    const { page, errors } = await editor();
    const mixer = await openMixer(page);
    // Grouped and ordered by category, then the buses, then the master.
    const groups = await mixer.getByRole('group').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(groups).toEqual(['Drums', 'Bass', 'Keys', 'Vocals', 'Buses', 'Master']);
    const strips = await mixer.locator('.strip').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(strips).toEqual(['Strip Drums', 'Strip Bass', 'Strip Keys', 'Strip Vox', 'Strip Drum bus', 'Strip Reverb bus', 'Strip Mix bus', 'Strip Master']);

    // A fader at -6 dB writes -6 dB; one Undo takes it back.
    const before = await paramOf(page, 'bass', 'gain');
    const gain = mixer.getByLabel('Gain of Bass (dB)');
    await gain.fill('-6');
    await gain.press('Enter');
    expect(await paramOf(page, 'bass', 'gain')).toBe(-6);
    expect(await mixer.getByLabel('Fader Bass').inputValue()).toBe('-6');
    // The slider moves in 0.1 dB steps from the keyboard.
    await mixer.getByLabel('Fader Bass').press('ArrowUp');
    expect(await paramOf(page, 'bass', 'gain')).toBe(-5.9);
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await paramOf(page, 'bass', 'gain')).toBe(before);

    // Pan, mute, solo and polarity write the track's own params (the canvas's M and S agree).
    const keysPan = await paramOf(page, 'keys', 'pan');
    await mixer.getByLabel('Pan Keys').fill('-0.5');
    expect(await paramOf(page, 'keys', 'pan')).toBe(-0.5);
    await mixer.getByRole('button', { name: 'Mute Keys' }).click();
    expect(await paramOf(page, 'keys', 'mute')).toBe(true);
    expect(await page.getByTestId('node-keys').getByRole('button', { name: 'Mute Keys' }).getAttribute('aria-pressed')).toBe('true');
    await mixer.getByRole('button', { name: 'Solo Vox' }).click();
    expect(await paramOf(page, 'vox', 'solo')).toBe(true);
    await mixer.getByRole('button', { name: 'Invert polarity of Drums' }).click();
    expect(await paramOf(page, 'drums', 'invert')).toBe(true);
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Undo' }).click();
    for (const [id, p, v] of [['keys', 'pan', keysPan], ['keys', 'mute', false], ['vox', 'solo', false], ['drums', 'invert', false]] as const) expect(await paramOf(page, id as string, p as string), `${id} ${p}`).toBe(v);

    // A click on a strip's name selects its node in the graph.
    await mixer.getByRole('button', { name: 'Vox', exact: true }).click();
    expect(await selectionOf(page)).toEqual(['vox']);
    await page.getByRole('complementary', { name: 'Inspector: Vox' }).waitFor();

    // The category: changed in the strip, shown on both views; the strip moves to its group.
    await mixer.getByLabel('Category of Keys').selectOption('guitar');
    expect(await paramOf(page, 'keys', 'category')).toBe('guitar');
    await mixer.getByRole('group', { name: 'Guitar' }).getByRole('region', { name: 'Strip Keys' }).waitFor();
    expect(await nodeBox(page, 'keys').locator('.mix-node-category').textContent()).toBe('Guitar');
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await nodeBox(page, 'keys').locator('.mix-node-category').textContent()).toBe('Keys');

    // A dropped file's name suggests its category (nothing was set yet, so nothing is overridden).
    const pane = await centreOf(page.locator('.react-flow__pane'));
    await dropFiles(page, [{ name: 'Snare Top.wav', bytes: wav(hits()) }], pane);
    await nodeBox(page, 'snare-top').waitFor();
    expect(await paramOf(page, 'snare-top', 'category')).toBe('drums');
    await mixer.getByRole('group', { name: 'Drums' }).getByRole('region', { name: 'Strip Snare Top' }).waitFor();

    // The meters move while playing, with peak hold.
    await page.getByRole('button', { name: 'Play' }).click();
    const meter = mixer.getByRole('meter', { name: 'Drums level' });
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 20_000, interval: 200 }).toBeGreaterThan(-40);
    await page.waitForTimeout(500);
    await screenshot(page, '60-mixer-view');
    await page.getByRole('button', { name: 'Stop' }).click();
    // The strips pass an axe scan (no serious or critical violations), as the rest of the editor does.
    await page.addScriptTag({ content: readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const { violations } = await axe.run(document.querySelector('.mixer')!);
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('Level tracks: every track lands within 0.5 LU of the target (measured again in Node), one Undo restores every gain', async () => {
    const { page, errors } = await editor();
    // Keys 12 dB hotter than the demo has it.
    const mixer = await openMixer(page);
    await mixer.getByLabel('Gain of Keys (dB)').fill('9');
    await mixer.getByLabel('Gain of Keys (dB)').press('Enter');
    const tracks = ['drums', 'bass', 'keys', 'vox'];
    const gains = async () => Object.fromEntries(await Promise.all(tracks.map(async (id) => [id, await paramOf(page, id, 'gain')])));
    const before = await gains();
    expect(before.keys).toBe(9);

    await page.getByRole('button', { name: 'Level tracks…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Level tracks' });
    expect(await dialog.getByLabel('Target loudness (LUFS)').inputValue()).toBe('-18');
    await dialog.getByRole('button', { name: 'Measure' }).click();
    const report = dialog.getByRole('table', { name: 'Level report' });
    await report.waitFor({ timeout: 120_000 });
    expect(await report.locator('tbody tr').count()).toBe(4);
    const keysRow = await report.locator('tr', { has: page.getByRole('rowheader', { name: 'Keys', exact: true }) }).locator('td').allTextContents();
    // Measured over the target, gain 9 before, lowered after.
    expect(Number(keysRow[0])).toBeGreaterThan(-17);
    expect(Number(keysRow[1])).toBe(9);
    expect(Number(keysRow[2])).toBeLessThan(9);
    await screenshot(page, '61-level-tracks');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    const after = await gains();
    expect(after).not.toEqual(before);
    expect(await page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toContain('Level tracks to -18 LUFS');

    // The saved document, measured through the runtime in Node: every track at -18 LUFS ± 0.5 LU.
    const json = await page.evaluate(() => {
      const w = window as unknown as { mixgraph: { store: { getState(): { doc: unknown } } } };
      return JSON.stringify(w.mixgraph.store.getState().doc);
    });
    const doc = loadSession(json);
    const stems = new Map<string, Float32Array[]>();
    let rate = 0;
    for (const id of tracks) {
      const decoded = decodeWav(new Uint8Array(readFileSync(join(ROOT, 'presets/demo/stems', `${id}.wav`))));
      stems.set(`stems/${id}.wav`, decoded.channels);
      rate = decoded.sampleRate;
    }
    const check = await levelTracks(doc, { audio: memoryAudio(stems, rate) });
    for (const t of check.tracks) {
      // 0.5 LU: the issue's tolerance (the analysis lands within 0.1 LU; here the files play at
      // their own 44.1 kHz rather than the editor's 48 kHz conversion).
      expect(Math.abs(t.loudness! - -18), `${t.label} at ${t.loudness} LUFS`).toBeLessThan(0.5);
    }

    // One Undo restores every gain.
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await gains()).toEqual(before);
    expect(errors).toEqual([]);
  }, 180_000);

  it('Align to…: a track 30 ms late is moved back to the sample, an inverted one flipped, an unrelated one left unticked; one Undo', async () => {
    const { page, errors } = await editor();
    await openEmpty(page);
    const reference = hits();
    const late = new Float32Array(reference.length);
    const delay = Math.round(0.03 * SR); // 1440 samples
    for (let i = delay; i < late.length; i++) late[i] = 0.8 * reference[i - delay];
    const inverted = reference.map((v) => -0.7 * v);
    const pad = new Float32Array(reference.length);
    for (let i = 0; i < pad.length; i++) pad[i] = 0.1 * (Math.sin((2 * Math.PI * 220 * i) / SR) + Math.sin((2 * Math.PI * 277.2 * i) / SR)) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 0.5 * i) / SR));
    const pane = await centreOf(page.locator('.react-flow__pane'));
    await dropFiles(page, [
      { name: 'overhead.wav', bytes: wav(reference) },
      { name: 'kick.wav', bytes: wav(late) },
      { name: 'snare.wav', bytes: wav(inverted) },
      { name: 'pad.wav', bytes: wav(pad) },
    ], pane);
    for (const id of ['overhead', 'kick', 'snare', 'pad']) await nodeBox(page, id).waitFor();
    const before: DocSummary = await docOf(page);

    await page.getByRole('button', { name: 'Align to…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Align to a reference' });
    await dialog.getByLabel('Reference track').selectOption({ label: 'overhead' });
    await dialog.getByRole('button', { name: 'Measure' }).click();
    const table = dialog.getByRole('table', { name: 'Alignment proposals' });
    await table.waitFor({ timeout: 60_000 });
    const row = async (label: string) => (await table.locator('tr', { has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td').allTextContents()).slice(1);
    const kick = await row('kick');
    expect(kick[0]).toBe('late 30.00');
    expect(kick[1]).toBe('same');
    const snare = await row('snare');
    expect(snare[1]).toBe('inverted');
    expect(await dialog.getByLabel('Apply to kick').isChecked()).toBe(true);
    expect(await dialog.getByLabel('Apply to snare').isChecked()).toBe(true);
    // The pad shares nothing with the overhead: low confidence, unticked.
    expect(Number((await row('pad'))[2].replace(' %', ''))).toBeLessThan(50);
    expect(await dialog.getByLabel('Apply to pad').isChecked()).toBe(false);
    await screenshot(page, '62-align');
    await dialog.getByRole('button', { name: 'Apply 2' }).click();
    await dialog.waitFor({ state: 'detached' });
    // To the sample: -1440 samples at 48 kHz is -30 ms exactly.
    expect(await paramOf(page, 'kick', 'offset')).toBe(-30);
    expect(await paramOf(page, 'kick', 'invert')).toBe(false);
    expect(await paramOf(page, 'snare', 'invert')).toBe(true);
    expect(await paramOf(page, 'snare', 'offset')).toBe(0);
    expect(await paramOf(page, 'pad', 'offset')).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 120_000);

  it('Mix check: a masking pair is found, hinted on both nodes, and its fix adds the cut in one step; Duck under… keys a compressor in one step', async () => {
    const { page, errors } = await editor();
    await openEmpty(page);
    // Two pads in one register (tests/helpers/stems.ts), the masking pair mixcheck.test.ts finds in Node.
    const stems = bandStems(8, SR);
    const pane = await centreOf(page.locator('.react-flow__pane'));
    await dropFiles(page, [
      { name: 'keys.wav', bytes: Array.from(encodeWav(stems.get('keys.wav')!, SR, '24')) },
      { name: 'pad.wav', bytes: Array.from(encodeWav(stems.get('pad.wav')!, SR, '24')) },
    ], pane);
    for (const id of ['keys', 'pad']) await nodeBox(page, id).waitFor();
    const before = await docOf(page);

    await page.getByRole('button', { name: 'Mix check…' }).click();
    const panel = page.getByRole('dialog', { name: 'Mix check' });
    await panel.getByRole('button', { name: 'Check the mix' }).click();
    const findings = panel.getByRole('list', { name: 'Findings' });
    await findings.waitFor({ timeout: 60_000 });
    const masking = findings.locator('li.finding-masking').first();
    await masking.waitFor();
    expect(await masking.locator('.finding-tracks button').allTextContents()).toEqual(expect.arrayContaining(['keys', 'pad']));
    // The nodes concerned carry a hint on the canvas.
    for (const id of ['keys', 'pad']) expect(await nodeBox(page, id).locator('.mix-node-hint').textContent()).toMatch(/^Masking/);
    await screenshot(page, '63-mix-check');
    const fixText = (await masking.locator('.finding-fix span').textContent())!;
    expect(fixText).toMatch(/^Cut (keys|pad) by [\d.]+ dB at/);
    await masking.getByRole('button', { name: /^Fix:/ }).click();
    // The cut: a new EQ after the track that needs the band less, with one peaking band cutting.
    const after = await docOf(page);
    const eq = after.nodes.find((n) => n.type === 'eq');
    expect(eq, 'an EQ was added').toBeDefined();
    const bands = eq!.params.bands as { type: string; gain: number; frequency: number }[];
    expect(bands.some((b) => b.type === 'peaking' && b.gain < 0)).toBe(true);
    expect(after.edges.some((e) => e.to === eq!.id && (e.from === 'keys' || e.from === 'pad'))).toBe(true);
    // The hints go with the document they were found in; the panel asks for a new check.
    await expect.poll(() => page.locator('.mix-node-hint').count()).toBe(0);
    await panel.getByText('The session changed since this check').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await docOf(page)).toEqual(before);
    await panel.getByRole('button', { name: 'Close mix check' }).click();

    // Duck under…: the pad dips under the keys through a compressor inserted after it, one step.
    const mixer = await openMixer(page);
    await mixer.getByRole('button', { name: 'Duck pad under…' }).click();
    const duck = page.getByRole('dialog', { name: 'Duck pad under…' });
    await duck.getByLabel('Duck under', { exact: true }).selectOption({ label: 'keys' });
    await duck.getByRole('button', { name: 'Duck', exact: true }).click();
    await duck.waitFor({ state: 'detached' });
    const ducked = await docOf(page);
    const comp = ducked.nodes.find((n) => n.type === 'compressor');
    expect(comp).toBeDefined();
    expect(ducked.edges).toContainEqual({ from: 'keys', fromPort: 'out', to: comp!.id, toPort: 'sidechain' });
    expect(ducked.edges).toContainEqual({ from: 'pad', fromPort: 'out', to: comp!.id, toPort: 'in' });
    expect(await page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toContain('Duck pad under keys');
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await docOf(page)).toEqual(before);
    expect(errors).toEqual([]);
  }, 120_000);

  it('Match bypass loudness: a bypassed +6 dB gain plays its input 6 dB down, matched it plays as loud as processed; off again, 6 dB down', async () => {
    const { page, errors } = await editor();
    const session = {
      format: 'mixgraph', version: 1, kind: 'session', name: 'Matched bypass',
      nodes: [
        { id: 'tone', type: 'generator', label: 'Tone', position: { x: 0, y: 0 }, params: { frequency: 1000, level: -20 } },
        { id: 'boost', type: 'gain', label: 'Boost', position: { x: 400, y: 0 }, params: { gain: 6 } },
        { id: 'out', type: 'master', position: { x: 800, y: 0 } },
      ],
      edges: [{ from: 'tone', to: 'boost' }, { from: 'boost', to: 'out' }],
    };
    await page.getByLabel('Open session file', { exact: true }).setInputFiles({ name: 'match.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(session)) });
    await nodeBox(page, 'boost').waitFor();
    await page.getByRole('button', { name: 'Play' }).click();
    const peak = async () => Number((await page.locator('.edge-level[aria-label="Level from boost out"]').getAttribute('data-peak')) ?? NaN);
    const settlesAt = (db: number) => expect.poll(async () => Math.abs((await peak()) - db), { timeout: 15_000, interval: 200 }).toBeLessThan(0.5);
    await settlesAt(-14);
    await page.getByRole('button', { name: 'Bypass Boost' }).click();
    await settlesAt(-20);
    const match = page.getByRole('button', { name: 'Match bypass loudness' });
    await match.click();
    expect(await match.getAttribute('aria-pressed')).toBe('true');
    // The match was measured while the gain still processed and kept through the bypass: the input
    // comes back up by the measured +6 dB (gliding with a 0.5 s time constant).
    await settlesAt(-14);
    await match.click();
    expect(await match.getAttribute('aria-pressed')).toBe('false');
    await settlesAt(-20);
    expect(errors).toEqual([]);
  }, 60_000);

  it('per-edge levels while playing read the calibrated level of a known tone; Gain staging names the clipping stage, the master and a cold one, with fixes', async () => {
    const { page, errors } = await editor();
    // A 1 kHz sine at -6 dBFS peak (RMS -9.03 dBFS) into a gain of +8 dB (peak +2 dBFS: hot and
    // clipping at the master), and a 500 Hz sine at -60 dBFS (too cold).
    const session = {
      format: 'mixgraph', version: 1, kind: 'session', name: 'Staging',
      nodes: [
        { id: 'tone', type: 'generator', label: 'Tone', position: { x: 0, y: 0 }, params: { frequency: 1000, level: -6 } },
        { id: 'hot', type: 'gain', label: 'Hot gain', position: { x: 400, y: 0 }, params: { gain: 8 } },
        { id: 'quiet', type: 'generator', label: 'Quiet', position: { x: 0, y: 220 }, params: { frequency: 500, level: -60 } },
        { id: 'out', type: 'master', position: { x: 800, y: 100 } },
      ],
      edges: [{ from: 'tone', to: 'hot' }, { from: 'hot', to: 'out' }, { from: 'quiet', to: 'out' }],
    };
    await page.getByLabel('Open session file', { exact: true }).setInputFiles({ name: 'staging.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(session)) });
    await nodeBox(page, 'quiet').waitFor();
    await page.getByRole('button', { name: 'Gain staging…' }).click();
    const panel = page.getByRole('dialog', { name: 'Gain staging' });
    await page.getByRole('button', { name: 'Play' }).click();

    const label = (id: string) => page.locator(`.edge-level[aria-label="Level from ${id} out"]`);
    const figure = async (id: string, what: 'peak' | 'rms') => Number((await label(id).getAttribute(`data-${what}`)) ?? NaN);
    // Within 0.2 dB: a 2048-frame window of a 1 kHz sine catches its crest to 0.01 dB and holds
    // whole cycles but one fraction (RMS off by < 0.05 dB); the rest is the generator's own ramp.
    await expect.poll(() => figure('tone', 'peak'), { timeout: 20_000, interval: 200 }).toBeCloseTo(-6, 0);
    expect(Math.abs((await figure('tone', 'peak')) - -6)).toBeLessThan(0.2);
    expect(Math.abs((await figure('tone', 'rms')) - -9.03)).toBeLessThan(0.2);
    expect(Math.abs((await figure('hot', 'peak')) - 2)).toBeLessThan(0.2);
    expect(await label('hot').getAttribute('data-zone')).toBe('hot');
    expect(Math.abs((await figure('quiet', 'peak')) - -60)).toBeLessThan(0.2);
    expect(await label('quiet').getAttribute('data-zone')).toBe('cold');
    // Short-term loudness (BS.1770, K-weighted): a 1 kHz sine at 0 dBFS in both channels is
    // +0.007 LUFS (the worklet test measures -19.993 at -20 dBFS), so -6 dBFS reads -6.0 and +2 dBFS +2.0, within 0.3 LU.
    const lufs = async (id: string) => Number((await label(id).getAttribute('data-lufs')) || NaN);
    await expect.poll(async () => Math.abs((await lufs('tone')) - -6.0), { timeout: 10_000, interval: 200 }).toBeLessThan(0.3);
    await expect.poll(async () => Math.abs((await lufs('hot')) - 2.0), { timeout: 10_000, interval: 200 }).toBeLessThan(0.3);
    expect(await label('tone').textContent()).toMatch(/^pk -6\.\d dBFS · -[56]\.\d LUFS$/);

    const issues = panel.getByRole('table', { name: 'Gain staging issues' });
    const rowOf = (name: string) => issues.locator('tr', { has: page.getByRole('button', { name, exact: true }) });
    await expect.poll(() => issues.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    expect(await rowOf('Hot gain').locator('td').allTextContents()).toEqual([expect.stringMatching(/^2\.\d$/), 'Clips', expect.stringMatching(/^Lower the level into Hot gain \(or its gain\) by 8\.[05] dB$/)]);
    expect((await rowOf('Master').locator('td').allTextContents())[1]).toBe('Clips');
    expect((await rowOf('Master').locator('td').allTextContents())[2]).toMatch(/^Lower the mix into the master by 8\.[05] dB/);
    expect(await rowOf('Quiet').locator('td').allTextContents()).toEqual([expect.stringMatching(/^-60\.\d$/), 'Too cold', 'Raise the level into Quiet (or its gain) by 40.0 dB']);
    expect(await rowOf('Tone').count()).toBe(0);
    await screenshot(page, '64-edge-levels-gain-staging');
    // A click selects the stage in the graph.
    await rowOf('Hot gain').getByRole('button', { name: 'Hot gain' }).click();
    expect(await selectionOf(page)).toEqual(['hot']);
    // The Master strip shows the short-term loudness of what it sends out: the +2 dBFS tone (and the
    // -60 dBFS one, 62 dB under it): +2.0 LUFS, within 0.3 LU, beside its peak meter.
    await panel.getByRole('button', { name: 'Close gain staging' }).click();
    const mixer = await openMixer(page);
    const master = mixer.getByRole('status', { name: /^Short-term loudness of / });
    const stripLufs = async () => Number((await master.getAttribute('data-lufs')) || NaN);
    await expect.poll(async () => Math.abs((await stripLufs()) - 2.0), { timeout: 10_000, interval: 200 }).toBeLessThan(0.3);
    expect(await master.textContent()).toMatch(/^[12]\.\d$/);
    await screenshot(page, '65-mixer-loudness');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => label('tone').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);
});
