// The editor in Chromium, as a new user meets it: the demo opens, plays, exports, and passes an
// accessibility scan. Screenshots of each state go to tests/.artifacts/screenshots/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.ts';
import { sessionLength } from '../../src/compiler/duration.ts';
import { analyze } from '../../src/dsp/loudness.ts';
import { decodeWav, readWavMetadata } from '../../src/io/wav.ts';
import { loadSession } from '../../src/presets/load.ts';
import { fillParams } from '../../src/model/params.ts';
import { getDefinition } from '../../nodes/registry.ts';
import type { Params } from '../../nodes/define.ts';
import { audioLength, exportWav, nodeBox, ROOT, screenshot } from './harness.ts';
import { useEditors } from './suite.ts';

const DEMO_DIR = join(ROOT, 'presets/demo');
const demoText = readFileSync(join(DEMO_DIR, 'demo.json'), 'utf8');
const demo = loadSession(demoText, 'demo.json');

/** The demo's length from its plan and its stems, computed here without the browser. */
function expectedDemoSeconds(): number {
  const result = compile(demo);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  const seconds = sessionLength(result.plan, (source) => {
    const wav = decodeWav(readFileSync(join(DEMO_DIR, source)));
    return { duration: wav.channels[0].length / wav.sampleRate } as AudioBuffer;
  }).seconds;
  expect(seconds).toBeGreaterThan(5); // four stems of 9.6 s plus the reverb tail
  return seconds;
}

const editor = useEditors();

describe('the demo session in the browser', () => {
  it('loads: every demo node is drawn, the transport is ready, nothing is logged as an error', async () => {
    const { page, errors } = await editor();
    expect(await page.title()).toBe('Mixgraph');
    for (const node of demo.nodes) {
      expect(await nodeBox(page, node.id).isVisible(), `node ${node.id} is drawn`).toBe(true);
    }
    expect(await page.locator('.react-flow__edge').count()).toBe(demo.edges.length);
    expect(await page.getByRole('button', { name: 'Play' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    expect(await page.locator('.session-name').textContent()).toBe('Demo mix');
    await screenshot(page, '01-demo-loaded');
    expect(errors).toEqual([]);
  }, 30_000);

  it('Play makes the master meter rise above -60 dBFS; Stop returns to the start', async () => {
    const { page, errors } = await editor();
    const meter = page.getByRole('meter', { name: 'Master level' });
    expect(Number(await meter.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(-60);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 5_000, interval: 100 })
      .toBeGreaterThan(-60);
    expect(await page.getByRole('button', { name: 'Pause' }).getAttribute('aria-pressed')).toBe('true');
    // The live context decoded the stems: its idea of the length is the plan's.
    expect(await audioLength(page)).toBeCloseTo(expectedDemoSeconds(), 2);
    const position = page.getByRole('status', { name: 'Position' });
    await expect.poll(() => position.textContent()).not.toBe('0:00.0');
    await screenshot(page, '02-playing');
    await page.getByRole('button', { name: 'Stop' }).click();
    expect(await page.getByRole('button', { name: 'Play' }).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => position.textContent()).toBe('0:00.0');
    expect(errors).toEqual([]);
  }, 30_000);

  it("while it plays, the runtime's levels are there by node id and port: each track, a send's aux output, the master's speakers", async () => {
    const { page, errors } = await editor();
    await page.getByRole('button', { name: 'Play' }).click();
    type Level = { peak: [number, number]; rms: [number, number] } | null;
    const levels = () =>
      page.evaluate(() => {
        const { levels } = (window as unknown as { mixgraph: { audio: { levels: { get(id: string, port?: string): Level } | null } } }).mixgraph.audio;
        const get = (id: string, port?: string) => levels?.get(id, port) ?? null;
        return { drums: get('drums', 'out'), vox: get('vox'), send: get('vox_send', 'send'), master: get('master', 'speakers'), missing: get('drums', 'nope') };
      });
    await expect.poll(async () => (await levels()).master?.peak[0] ?? 0, { timeout: 10_000, interval: 100 }).toBeGreaterThan(0.01);
    const l = await levels();
    for (const key of ['drums', 'vox', 'send', 'master'] as const) {
      const v = l[key]!;
      expect(v, key).not.toBeNull();
      // Linear, a peak at or above the RMS, both within full scale
      for (const c of [0, 1]) {
        expect(v.peak[c], key).toBeGreaterThanOrEqual(v.rms[c]);
        expect(v.peak[c], key).toBeLessThanOrEqual(1.0001);
      }
    }
    expect(l.missing).toBeNull();
    // The master meter in the transport reads the same figure (dBFS of the speakers' peak)
    const meter = Number(await page.getByRole('meter', { name: 'Master level' }).getAttribute('aria-valuenow'));
    expect(meter).toBeGreaterThan(-60);
    await page.getByRole('button', { name: 'Stop' }).click();
    expect(errors).toEqual([]);
  }, 30_000);

  it('Export WAV downloads a stereo 48 kHz file as long as the session (longest stem plus tails)', async () => {
    const { page, errors } = await editor();
    const expectedSeconds = expectedDemoSeconds();
    const download = await exportWav(page); // the defaults: 48 kHz, 24-bit, titled after the session
    expect(download.suggestedFilename()).toBe('Demo_mix.wav');
    const path = await download.path();
    const wav = decodeWav(new Uint8Array(readFileSync(path)));
    expect(wav.channels.length).toBe(2);
    expect(wav.sampleRate).toBe(48000);
    expect(wav.format).toBe('24');
    const seconds = wav.channels[0].length / wav.sampleRate;
    expect(Math.abs(seconds - expectedSeconds) * 1000, `${seconds} s exported, ${expectedSeconds} s expected`).toBeLessThan(3);
    // Sound, not silence, and nothing non-finite.
    let peak = 0;
    for (const c of wav.channels) for (const v of c) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeGreaterThan(0.05);
    expect(peak).toBeLessThanOrEqual(1);
    expect(Number.isFinite(peak)).toBe(true);
    // The browser's engine and the CLI's must agree on level: the same session rendered by
    // `mixgraph render` has the same integrated loudness (a centred mono track was once 3 dB
    // louder in the browser: 0.8 LU on the whole demo). Both run the runtime now: export.test.ts
    // compares the samples themselves.
    const scratch = mkdtempSync(join(tmpdir(), 'mixgraph-demo-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'bin/mixgraph.js'), 'render', join(DEMO_DIR, 'demo.json'), '-o', join(scratch, 'cli.wav'), '--bit-depth', '32f'], { stdio: 'ignore' });
      const cli = decodeWav(new Uint8Array(readFileSync(join(scratch, 'cli.wav'))));
      const browser = analyze(wav.channels, 48000).integrated;
      const node = analyze(cli.channels, 48000).integrated;
      expect(Math.abs(browser - node), `browser ${browser.toFixed(2)} LUFS, CLI ${node.toFixed(2)} LUFS`).toBeLessThanOrEqual(0.2);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    // The notice reports the file's loudness, as analyze() measures what was written.
    const lufs = analyze(wav.channels, 48000).integrated.toFixed(1);
    await page.locator('.notice', { hasText: `Exported Demo_mix.wav (48 kHz, 24-bit PCM): ${lufs} LUFS` }).waitFor();
    expect(await page.getByRole('button', { name: 'Export WAV…' }).isEnabled()).toBe(true);
    await screenshot(page, '03-exported');
    expect(errors).toEqual([]);
  }, 180_000);

  it('Export WAV at 44.1 kHz 16-bit with title, artist, album and ISRC in the file; a bad ISRC blocks the export', async () => {
    const { page, errors } = await editor();
    // The page loads no more than 2 MiB of script: libsamplerate (2 MB of WebAssembly in a string) is
    // fetched only when a file needs converting; bundled with the page it tripled the editor's load.
    const scripts = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.initiatorType === 'script' || /\.js$/.test(e.name)).map((e) => ({ name: e.name, bytes: e.decodedBodySize })),
    );
    expect(scripts.reduce((sum, s) => sum + s.bytes, 0), JSON.stringify(scripts)).toBeLessThan(2 * 1024 * 1024);
    await page.getByRole('button', { name: 'Export WAV…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export WAV' });
    const isrc = dialog.getByLabel('ISRC', { exact: true });
    await isrc.fill('GB-AYE-24-0001'); // one digit short
    await dialog.getByRole('alert').filter({ hasText: 'the designation code must be 5 digits' }).waitFor();
    expect(await isrc.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('button', { name: 'Export', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, '05-export-bad-isrc');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    const download = await exportWav(page, { sampleRate: '44100', format: '16', title: 'Night Drive (Master)', artist: 'The Examples', album: 'Night Drive', isrc: 'gb-aye-24-00001' });
    expect(download.suggestedFilename()).toBe('Night_Drive_Master_.wav');
    const bytes = new Uint8Array(readFileSync(await download.path()));
    const wav = decodeWav(bytes);
    expect(wav.sampleRate).toBe(44100);
    expect(wav.format).toBe('16');
    expect(Math.abs(wav.channels[0].length / 44100 - expectedDemoSeconds()) * 1000).toBeLessThan(3);
    expect(readWavMetadata(bytes)).toMatchObject({ title: 'Night Drive (Master)', artist: 'The Examples', album: 'Night Drive', isrc: 'GBAYE2400001' });
    await page.locator('.notice', { hasText: 'ISRC GB-AYE-24-00001' }).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('passes an axe scan (no serious or critical violations) with the demo loaded and a node selected', async () => {
    const { page, errors } = await editor();
    await nodeBox(page, 'master_comp').click();
    await page.getByRole('complementary', { name: 'Inspector: Glue comp' }).waitFor();
    await page.addScriptTag({ content: readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8') });
    const scan = () =>
      page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
        const { violations } = await axe.run(document);
        return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, count: v.nodes.length, examples: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
    const serious = (found: Awaited<ReturnType<typeof scan>>) => found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious(await scan())).toEqual([]);
    await screenshot(page, '04-node-selected');
    // An EQ with a band: the curve, the list fields and a select in the inspector.
    await nodeBox(page, 'bass_eq').click();
    await page.getByRole('complementary', { name: 'Inspector: Bass EQ' }).waitFor();
    expect(serious(await scan())).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it("the pan node's law in the browser: a mono signal at centre is -3 dB each side, a stereo one is balanced", async () => {
    const { page, errors } = await editor();
    // A -6 dBFS sine, mono (the generator) or made stereo (L = R) by a stereo-width node at width 1,
    // through a pan node; the editor's own offline render (what Export WAV writes), peaks in dBFS.
    const n = (id: string, type: string, params: Params = {}) => ({ id, type, params: fillParams(getDefinition(type)!, params) });
    const peaks = (stereo: boolean, pan: number) =>
      page.evaluate(
        async (doc) => {
          const audio = (window as unknown as { mixgraph: { audio: { render(d: unknown): Promise<Float32Array[]> } } }).mixgraph.audio;
          const channels = await audio.render(doc);
          return channels.map((c) => 20 * Math.log10(c.subarray(4800).reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
        },
        {
          format: 'mixgraph',
          version: 1,
          kind: 'session',
          name: 'pan law',
          meta: { author: '', description: '', tags: [] },
          nodes: [n('g', 'generator', { level: -6, frequency: 1000 }), ...(stereo ? [n('w', 'stereo', { width: 1 })] : []), n('p', 'pan', { pan }), n('m', 'master')],
          edges: [...(stereo ? [['g', 'w'], ['w', 'p']] : [['g', 'p']]), ['p', 'm']].map(([from, to]) => ({ from, fromPort: 'out', to, toPort: 'in' })),
        },
      );
    const law = (deg: number) => 20 * Math.log10(Math.cos((deg * Math.PI) / 180));
    const [monoL, monoR] = await peaks(false, 0);
    expect(monoL).toBeCloseTo(-6 + law(45), 1); // -9.01 dBFS: equal power, not the balance law's -6
    expect(monoR).toBeCloseTo(-6 + law(45), 1);
    const [mono50L, mono50R] = await peaks(false, 0.5);
    expect(mono50L).toBeCloseTo(-6 + law(67.5), 1);
    expect(mono50R).toBeCloseTo(-6 + law(22.5), 1);
    const [stereoL, stereoR] = await peaks(true, 0);
    expect(stereoL).toBeCloseTo(-6, 1); // balance law at centre: untouched
    expect(stereoR).toBeCloseTo(-6, 1);
    const [stereo50L, stereo50R] = await peaks(true, 0.5);
    expect(stereo50L).toBeCloseTo(-6 + law(45), 1); // L·cos(π/4)
    expect(stereo50R).toBeCloseTo(-6 + 20 * Math.log10(1 + Math.SQRT1_2), 1); // R + L·sin(π/4)
    expect(errors).toEqual([]);
  }, 60_000);
});
