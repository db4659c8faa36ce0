// Render benchmark (a benchmark, never a test): npm run bench (second part), or
//   tsx bench/render.ts [--seconds 180] [--runs 2] [--long 10,30,60] [--no-long]
//
//   1. The 16-track session of issue 10 (bench/session16.ts), 180 s at 48 kHz stereo from 24-bit WAV
//      stems, as whole processes that read the stems and write a 24-bit WAV file: `mixgraph render`
//      (every core, and --threads 1), ffmpeg running the same processing as one -filter_complex
//      graph (its default threads, and -threads 1 -filter_complex_threads 1), and the same graph
//      hand-wired on node-web-audio-api's native nodes (bench/native-graph.ts).
//   2. A 16-track session of 60-minute 24-bit WAV stems rendered to 10, 30 and 60 minutes: the
//      time (it should scale linearly) and the peak resident memory of the process (goal: 500 MB).
// Wall time and peak RSS come from /usr/bin/time (GNU time; Debian package `time`). The stems are
// generated into a temporary folder and deleted afterwards. Writes bench/results/render.json.
// Run it when the machine is idle, under the test lock: flock /tmp/mixgraph-test.lock npx tsx bench/render.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeWav } from '../src/io/wav.ts';
import { benchSession, ffmpegGraph, RATE, TRACKS, writeStems } from './session16.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(arg('seconds') ?? 180);
const RUNS = Math.max(1, Number(arg('runs') ?? 2));
const LONG = process.argv.includes('--no-long') ? [] : (arg('long') ?? '10,30,60').split(',').map(Number);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'mixgraph.js');
const RESULTS = join(ROOT, 'bench', 'results');
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => os.loadavg()[0];

interface Timed {
  wallS: number;
  cpuS: number;
  maxRssMB: number;
  stdout: string;
}

/** Run a whole process under GNU time: wall seconds, CPU seconds (user + system) and peak RSS. */
function timed(command: string, args: string[], cwd = ROOT): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCHTIME %e %U %S %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const line = /BENCHTIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !line) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(-2000)}`);
  return { wallS: Number(line[1]), cpuS: Number(line[2]) + Number(line[3]), maxRssMB: Number(line[4]) / 1024, stdout: r.stdout };
}

function ensureTools(): string {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (GNU time) is missing: apt-get install time');
  const ff = spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' });
  if (ff.status !== 0) throw new Error('ffmpeg is missing: apt-get install ffmpeg');
  return ff.stdout.split('\n')[0];
}

interface Variant {
  name: string;
  run: () => Timed;
  results: Timed[];
}

const best = (v: Variant) => v.results.reduce((a, b) => (b.wallS < a.wallS ? b : a));

async function main(): Promise<void> {
  const ffmpegVersion = ensureTools();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, node ${process.version}`;
  const loadStart = load();
  log(`render bench: ${machine}, load ${loadStart.toFixed(2)}`);
  const dir = mkdtempSync(join(os.tmpdir(), 'mixgraph-bench-render-'));
  const md: string[] = [];
  const json: Record<string, unknown> = { date: new Date().toISOString(), machine, ffmpeg: ffmpegVersion, loadStart };
  try {
    // ------------------------------------------------------------------ 1. 16 tracks, 180 s
    let t = performance.now();
    // The stems are 0.5 s longer than the render, so every variant renders exactly SECONDS.
    await writeStems(dir, SECONDS + 0.5);
    log(`stems: ${TRACKS} × ${SECONDS} s mono 24-bit written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const session = join(dir, 'session.json');
    writeFileSync(session, JSON.stringify(benchSession((i) => `s${i}.wav`)));
    const out = (name: string) => join(dir, `out-${name}.wav`);
    const inputs = Array.from({ length: TRACKS }, (_, i) => ['-i', join(dir, `s${i}.wav`)]).flat();
    const ffmpeg = (one: boolean) => [
      '-hide_banner', '-nostats', '-y', ...(one ? ['-threads', '1', '-filter_complex_threads', '1'] : []), ...inputs,
      '-filter_complex', ffmpegGraph(), '-map', '[out]', '-t', String(SECONDS), '-c:a', 'pcm_s24le', out(one ? 'ffmpeg1' : 'ffmpeg'),
    ];
    const render = (threads: number | null) => ['render', session, '-o', out(`mixgraph${threads ?? ''}`), '--duration', String(SECONDS), ...(threads ? ['--threads', String(threads)] : [])];
    const variants: Variant[] = [
      { name: `mixgraph render (every core: ${os.availableParallelism()} threads)`, run: () => timed(process.execPath, [BIN, ...render(null)]), results: [] },
      { name: 'mixgraph render --threads 1', run: () => timed(process.execPath, [BIN, ...render(1)]), results: [] },
      { name: 'ffmpeg -filter_complex (default threads)', run: () => timed('ffmpeg', ffmpeg(false)), results: [] },
      { name: 'ffmpeg -filter_complex, -threads 1 -filter_complex_threads 1', run: () => timed('ffmpeg', ffmpeg(true)), results: [] },
      { name: 'hand-wired node-web-audio-api native nodes (bench/native-graph.ts)', run: () => timed(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'bench/native-graph.ts'), dir, String(SECONDS), out('native')]), results: [] },
    ];
    // Warm the CLI's bundle (bin/launch.js builds it on the first start after a change).
    timed(process.execPath, [BIN, '--version']);
    for (let r = 0; r < RUNS; r++) {
      for (const v of r % 2 ? [...variants].reverse() : variants) {
        const result = v.run();
        v.results.push(result);
        log(`${v.name}, run ${r + 1}: ${result.wallS.toFixed(2)} s (${(SECONDS / result.wallS).toFixed(1)}x real time), CPU ${result.cpuS.toFixed(2)} s, peak RSS ${result.maxRssMB.toFixed(0)} MB`);
      }
    }
    const same = readFileSync(out('mixgraph')).equals(readFileSync(out('mixgraph1')));
    const mix = decodeWav(readFileSync(out('mixgraph')));
    const ff = decodeWav(readFileSync(out('ffmpeg')));
    const level = (c: Float32Array[]) => 20 * Math.log10(Math.sqrt(c.reduce((s, x) => s + x.reduce((a, v) => a + v * v, 0), 0) / (c.length * c[0].length)));
    const ours = best(variants[0]);
    const ours1 = best(variants[1]);
    const ffDefault = best(variants[2]);
    const ffOne = best(variants[3]);
    const native = best(variants[4]);
    const loadAfter = load();
    md.push(`#### Render: ${TRACKS} tracks (gain, pan, 4-band EQ, compressor each), 2 buses, master; ${SECONDS} s at ${RATE} Hz stereo; whole processes, 24-bit WAV stems in, a 24-bit WAV file out; best of ${RUNS} (load average ${loadStart.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end)`);
    md.push('');
    md.push('| process | run times (s) | best (s) | × real time | CPU (s) | peak RSS (MB) |');
    md.push('|---|---|---:|---:|---:|---:|');
    for (const v of variants) {
      const b = best(v);
      md.push(`| ${v.name} | ${v.results.map((x) => x.wallS.toFixed(2)).join(', ')} | ${b.wallS.toFixed(2)} | ${(SECONDS / b.wallS).toFixed(1)} | ${b.cpuS.toFixed(2)} | ${b.maxRssMB.toFixed(0)} |`);
    }
    md.push('');
    md.push(`Output: every core and --threads 1 give ${same ? 'the same file, byte for byte' : '**different files**'}; RMS ${level(mix.channels).toFixed(2)} dBFS (ffmpeg's graph ${level(ff.channels).toFixed(2)} dBFS: its acompressor and shelves are not Mixgraph's).`);
    md.push('');
    const goals = [
      { goal: 'at least 2× faster than ffmpeg (default threads)', measured: `${(ffDefault.wallS / ours.wallS).toFixed(2)}×`, pass: ffDefault.wallS / ours.wallS >= 2 },
      { goal: 'at least 2× faster than ffmpeg -threads 1 (reported too)', measured: `${(ffOne.wallS / ours.wallS).toFixed(2)}×`, pass: ffOne.wallS / ours.wallS >= 2 },
      { goal: 'at least 2× faster than the hand-wired native graph', measured: `${(native.wallS / ours.wallS).toFixed(2)}×`, pass: native.wallS / ours.wallS >= 2 },
      { goal: `at least 40× real time on ${os.availableParallelism()} cores`, measured: `${(SECONDS / ours.wallS).toFixed(1)}×`, pass: SECONDS / ours.wallS >= 40 },
      { goal: 'the same file whatever the number of threads', measured: same ? 'identical' : 'different', pass: same },
    ];
    json.render = { seconds: SECONDS, runs: RUNS, variants: variants.map((v) => ({ name: v.name, results: v.results })), identical: same, goals, loadAfter, oneThreadSpeed: SECONDS / ours1.wallS };
    for (const f of ['mixgraph', 'mixgraph1', 'ffmpeg', 'ffmpeg1', 'native']) rmSync(out(f), { force: true });
    for (let i = 0; i < TRACKS; i++) rmSync(join(dir, `s${i}.wav`), { force: true });

    // ------------------------------------------------------------------ 2. 60-minute stems
    const longRows: { minutes: number; wallS: number; cpuS: number; maxRssMB: number; fileGB: number }[] = [];
    if (LONG.length) {
      const longest = Math.max(...LONG);
      t = performance.now();
      await writeStems(dir, longest * 60 + 0.5);
      log(`stems: ${TRACKS} × ${longest} min mono 24-bit (${((TRACKS * (longest * 60 + 0.5) * RATE * 3) / 1e9).toFixed(1)} GB) written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const loadLong = load();
      for (const minutes of LONG) {
        const file = out(`long${minutes}`);
        const r = timed(process.execPath, [BIN, 'render', session, '-o', file, '--duration', String(minutes * 60)]);
        const fileGB = statSync(file).size / 1e9;
        rmSync(file, { force: true });
        longRows.push({ minutes, wallS: r.wallS, cpuS: r.cpuS, maxRssMB: r.maxRssMB, fileGB });
        log(`long: ${minutes} min in ${r.wallS.toFixed(1)} s (${((minutes * 60) / r.wallS).toFixed(1)}x real time), peak RSS ${r.maxRssMB.toFixed(0)} MB, file ${fileGB.toFixed(2)} GB`);
      }
      const perMinute = longRows.map((r) => r.wallS / r.minutes);
      const peak = Math.max(...longRows.map((r) => r.maxRssMB));
      md.push(`#### Long sessions: ${TRACKS} tracks of ${longest}-minute 24-bit WAV stems, the same processing, rendered to 10, 30 and 60 minutes (every core; load average ${loadLong.toFixed(2)} at start, ${load().toFixed(2)} at end)`);
      md.push('');
      md.push('| rendered | time (s) | × real time | seconds per minute of audio | CPU (s) | peak RSS (MB) | output file |');
      md.push('|---:|---:|---:|---:|---:|---:|---:|');
      for (const r of longRows) md.push(`| ${r.minutes} min | ${r.wallS.toFixed(1)} | ${((r.minutes * 60) / r.wallS).toFixed(1)} | ${(r.wallS / r.minutes).toFixed(2)} | ${r.cpuS.toFixed(1)} | ${r.maxRssMB.toFixed(0)} | ${r.fileGB.toFixed(2)} GB |`);
      md.push('');
      goals.push(
        { goal: 'peak resident memory at most 500 MB while a 60-minute session renders', measured: `${peak.toFixed(0)} MB`, pass: peak <= 500 },
        {
          goal: 'time linear in the length (seconds per minute within 15 % of each other)',
          measured: perMinute.map((x) => x.toFixed(2)).join(' / ') + ' s per minute',
          pass: Math.max(...perMinute) / Math.min(...perMinute) <= 1.15,
        },
      );
      json.long = longRows;
    }
    md.push('| goal | measured | result |');
    md.push('|---|---|---|');
    for (const g of goals) md.push(`| ${g.goal} | ${g.measured} | ${g.pass ? 'met' : 'missed'} |`);
    const table = md.join('\n');
    console.log(table);
    json.markdown = table;
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'render.json'), JSON.stringify(json, null, 2) + '\n');
    log(`wrote ${join(RESULTS, 'render.json')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
