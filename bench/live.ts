// Live play in headless Chromium: npx tsx bench/live.ts [-- --seconds 60 --warmup 3 --watch 0]
// The 16-track bench session (bench/session16.ts: per track gain, pan, 4 EQ bands, a compressor;
// two buses; the master) playing through the editor's own worklet host (src/engine/worklet.ts,
// the runtime in one AudioWorkletNode) in the production build, for `seconds` of audio.
//
// What it measures, and how:
// - the worklet's own time per 128-frame block. Chromium 156's AudioWorkletGlobalScope has no
//   performance.now(), only Date.now() (whole milliseconds). Summed per process() call, its deltas
//   are not to be trusted there: one run (a 44.1 kHz context) summed 0 ms over 20,676 blocks,
//   another 0.090 ms per block against the probe's 0.074. (They are still printed.) So the time is
//   measured by the worklet's probe: inside
//   one callback it processes 1,000 blocks of the same session back to back and times them as a
//   whole (Date.now: ±0.001 ms per block), 10 times. The transport jumps ahead by them (and that
//   callback underruns), so the probes run first, and the transport restarts at 0 before the
//   underrun window. The goal is at most 25 % of a block's duration (2.67 ms at 48 kHz);
// - underruns: Chromium's AudioContext.playbackStats where it exists (underrun events and
//   duration); besides, the blocks the worklet processed against those the context's clock says
//   it should have (a render that falls behind loses blocks), and how far the audio clock drifts
//   from the wall clock.
// - with --watch N, the first N nodes' output ports are watched for loudness (K-weighted in the
//   worklet, as the Mixer's strips and the edge labels ask for them) through the whole run.
// Prints a markdown table and writes bench/results/live.json. A benchmark, not a timed test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';

import { buildEditor, CHROMIUM_ARGS, CHROMIUM_PATH, previewBuild, VIEWPORT } from '../tests/browser/harness.ts';
import { option } from './options.ts';
import { benchSession, TRACKS, writeStems } from './session16.ts';

const SECONDS = option('seconds', 60);
const WARMUP = option('warmup', 3);
const WATCH = option('watch', 0);
const PROBES = 10;
const HERE = dirname(fileURLToPath(import.meta.url));

interface Sample {
  blocks: number;
  busyMs: number;
  maxBlockMs: number;
  clock: string;
  time: number;
  wall: number;
  sampleRate: number;
  stats: Record<string, number> | null;
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(os.tmpdir(), 'mixgraph-live-'));
  const load = os.loadavg();
  console.log(`# Live play (bench/live.ts): ${TRACKS} tracks, ${SECONDS} s in headless Chromium`);
  console.log(`load before: ${load.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
  try {
    await buildEditor(outDir);
    // The stems are served with the build, and the editor fetches them as it fetches the demo's.
    mkdirSync(join(outDir, 'stems'));
    await writeStems(join(outDir, 'stems'), SECONDS + WARMUP + 5);
    const server = await previewBuild(outDir);
    const port = (server.httpServer.address() as AddressInfo).port;
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      // Keep the native AudioContexts standardized-audio-context makes, to read playbackStats.
      await page.addInitScript(() => {
        const Native = window.AudioContext;
        const made: AudioContext[] = [];
        (window as unknown as { __contexts: AudioContext[] }).__contexts = made;
        window.AudioContext = class extends Native {
          constructor(options?: AudioContextOptions) {
            // 48 kHz, the bench's rate (headless Chromium's fake output defaults to 44.1 kHz).
            super({ ...options, sampleRate: 48000 });
            made.push(this);
          }
        } as typeof AudioContext;
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.getByTestId('node-master').waitFor();
      await page.evaluate(
        ({ doc, tracks }) => {
          const { store, audio } = (window as unknown as { mixgraph: { store: { open(d: unknown): void }; audio: { sources: { addUrl(name: string, url: string): void } } } }).mixgraph;
          for (let i = 0; i < tracks; i++) audio.sources.addUrl(`src${i}`, `/stems/s${i}.wav`);
          store.open(doc);
        },
        { doc: benchSession(), tracks: TRACKS },
      );
      const watched = await page.evaluate((count) => {
        const { store, audio } = (window as unknown as { mixgraph: { store: { getState(): { doc: { nodes: { id: string }[] } } }; audio: { watchLoudness(id: string): () => void } } }).mixgraph;
        const ids = store.getState().doc.nodes.slice(0, count).map((n) => n.id);
        for (const id of ids) audio.watchLoudness(id);
        return ids.length;
      }, WATCH);
      await page.getByRole('button', { name: 'Play' }).click();
      const meter = page.getByRole('meter', { name: 'Master level' });
      for (let t = 0; Number(await meter.getAttribute('aria-valuenow')) <= -60; t++) {
        if (t > 600) throw new Error('the session did not start playing within 60 s');
        await page.waitForTimeout(100);
      }
      const sample = () =>
        page.evaluate((): Sample => {
          const audio = (window as unknown as { mixgraph: { audio: { engine: { last: Sample | null; ctx: { currentTime: number; sampleRate: number } } } } }).mixgraph.audio;
          const last = audio.engine.last!;
          const native = (window as unknown as { __contexts: (AudioContext & { playbackStats?: Record<string, number> })[] }).__contexts.at(-1);
          const ps = native?.playbackStats;
          let stats: Record<string, number> | null = null;
          if (ps) {
            stats = {};
            // WebIDL attributes are enumerable getters on the prototype: for...in sees them.
            for (const k in ps) if (typeof (ps as Record<string, unknown>)[k] === 'number') stats[k] = (ps as Record<string, number>)[k];
          }
          return { blocks: last.blocks, busyMs: last.busyMs, maxBlockMs: last.maxBlockMs, clock: last.clock, time: audio.engine.ctx.currentTime, wall: Date.now(), sampleRate: audio.engine.ctx.sampleRate, stats };
        });
      await page.waitForTimeout(WARMUP * 1000);
      const probes = await page.evaluate(async (count) => {
        const audio = (window as unknown as { mixgraph: { audio: { engine: { probe(blocks: number): void; probes: { blocks: number; ms: number }[] } } } }).mixgraph.audio;
        const out: number[] = [];
        for (let k = 0; k < count; k++) {
          const before = audio.engine.probes.length;
          audio.engine.probe(1000);
          while (audio.engine.probes.length === before) await new Promise((r) => setTimeout(r, 20));
          const p = audio.engine.probes[audio.engine.probes.length - 1];
          out.push(p.ms / p.blocks);
          await new Promise((r) => setTimeout(r, 200));
        }
        return out;
      }, PROBES);
      // Back to the start: the underrun window plays the session as a listener hears it.
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.getByRole('button', { name: 'Play' }).click();
      await page.waitForTimeout(WARMUP * 1000);
      const a = await sample();
      await page.waitForTimeout(SECONDS * 1000);
      const b = await sample();
      const blocks = b.blocks - a.blocks;
      const sorted = [...probes].sort((x, y) => x - y);
      const msPerBlock = sorted[Math.floor(sorted.length / 2)];
      const summedMsPerBlock = (b.busyMs - a.busyMs) / blocks;
      const budget = (128 / b.sampleRate) * 1000;
      const expected = ((b.time - a.time) * b.sampleRate) / 128;
      const wall = (b.wall - a.wall) / 1000;
      const result = {
        tracks: TRACKS,
        watchedPorts: watched,
        seconds: b.time - a.time,
        sampleRate: b.sampleRate,
        clock: b.clock,
        blocks,
        msPerBlock,
        probesMsPerBlock: probes,
        summedMsPerBlock,
        blockMs: budget,
        shareOfBlock: msPerBlock / budget,
        maxBlockMs: b.maxBlockMs,
        missingBlocks: Math.round(expected - blocks),
        audioClockBehindWallS: wall - (b.time - a.time),
        playbackStatsBefore: a.stats,
        playbackStatsAfter: b.stats,
        chromium: browser.version(),
        load: { before: load, after: os.loadavg() },
      };
      const row = (k: string, v: string) => console.log(`| ${k} | ${v} |`);
      console.log('\n| live play, 16 tracks | |\n|---|---:|');
      row('ports watched for loudness (K-weighted in the worklet)', String(watched));
      row('audio played (context clock)', `${result.seconds.toFixed(1)} s at ${b.sampleRate} Hz`);
      row(`worklet time per 128-frame block (probe, median of ${PROBES} × 1,000 blocks, ${b.clock})`, `${msPerBlock.toFixed(3)} ms = ${(100 * result.shareOfBlock).toFixed(1)} % of ${budget.toFixed(2)} ms`);
      row('the probes, fastest to slowest', `${sorted[0].toFixed(3)} to ${sorted[sorted.length - 1].toFixed(3)} ms`);
      row(`summed per-call ${b.clock} deltas in the window, per block`, `${summedMsPerBlock.toFixed(3)} ms (longest call seen ${b.maxBlockMs.toFixed(0)} ms, probes included)`);
      row('blocks processed / expected by the context clock', `${blocks} / ${Math.round(expected)}`);
      row('audio clock behind the wall clock', `${result.audioClockBehindWallS.toFixed(3)} s over ${wall.toFixed(1)} s`);
      if (a.stats && b.stats) {
        for (const k of Object.keys(b.stats)) if (Number.isFinite(b.stats[k])) row(`playbackStats.${k} (during the run)`, String(+(b.stats[k] - (a.stats[k] ?? 0)).toFixed(4)));
      } else row('AudioContext.playbackStats', 'not in this Chromium');
      console.log(`\nChromium ${result.chromium}; load after: ${result.load.after.map((l) => l.toFixed(2)).join(' ')}`);
      mkdirSync(join(HERE, 'results'), { recursive: true });
      writeFileSync(join(HERE, 'results/live.json'), JSON.stringify(result, null, 2));
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
