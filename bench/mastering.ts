// Mastering benchmark (a benchmark, never a test): npm run bench (third part), or
//   tsx bench/mastering.ts [--minutes 3] [--runs 3] [--before REF [--before-minutes 1]]
//   1. `mixgraph analyze --json` of a 3-minute stereo 48 kHz 24-bit WAV as a whole process beside
//      ffmpeg's `ebur128=peak=true` on the same file (both whole processes: start, reading,
//      decoding, the true-peak filter), with where Mixgraph's time goes (process start and the CLI
//      bundle, then reading and decoding, then the measurement) and the figures both report.
//   2. `mixgraph master` (the streaming chain, auto-gain to -14 LUFS) of that file and `mixgraph
//      album` of three such tracks, as whole processes, with peak memory. With --before REF the same
//      commands also run on the sources at git commit REF (a temporary worktree sharing
//      node_modules), for a before/after table: 288a44e is issue 10 before phase B (Web Audio).
//   3. The LimiterCore alone (what each auto-gain try costs).
// ffmpeg is installed with apt-get when it is missing. Writes bench/results/mastering.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { LimiterCore } from '../src/dsp/limiter.ts';
import { ProgrammeAnalysis } from '../src/dsp/loudness.ts';
import { openWav, WavFileSource } from '../src/io/wav-source.ts';
import { encodeWav } from '../src/io/wav.ts';
import { songChannels } from '../tests/helpers/signals.ts';
import { option } from './options.ts';

const MINUTES = option('minutes', 3);
const RUNS = Math.max(1, Math.round(option('runs', 3)));
const BEFORE = (() => {
  const i = process.argv.indexOf('--before');
  return i >= 0 ? process.argv[i + 1] : null;
})();
const BEFORE_MINUTES = process.argv.includes('--before-minutes') ? option('before-minutes', 1) : MINUTES;
const RATE = 48000;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'mixgraph.js');
const RESULTS = join(ROOT, 'bench', 'results');
const CHAIN = join(ROOT, 'presets', 'chains', 'streaming.json');
const log = (line: string) => process.stderr.write(`${line}\n`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s2 = (x: number) => `${x.toFixed(2)} s`;
const ms = (x: number) => `${(x * 1000).toFixed(0)} ms`;

interface Timed {
  wallS: number;
  maxRssMB: number;
  stdout: string;
  stderr: string;
}

/** A whole process under GNU time: wall seconds and peak RSS. */
function timed(command: string, args: string[], cwd = ROOT): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCHTIME %e %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const line = /BENCHTIME ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !line) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(-1500)}`);
  return { wallS: Number(line[1]), maxRssMB: Number(line[2]) / 1024, stdout: r.stdout, stderr: r.stderr };
}

function ensureTools(): string {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (GNU time) is missing: apt-get install time');
  const has = () => spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
  if (!has()) {
    console.error('ffmpeg is missing: installing it with apt-get (Debian package ffmpeg)...');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'ffmpeg'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (!has()) throw new Error('ffmpeg could not be installed; install it (apt-get install ffmpeg) and run the bench again');
  }
  return execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0].split(' Copyright')[0];
}

/** ffmpeg's ebur128 summary: integrated, LRA and true peak, and its wall time as a whole process. */
function ffmpegLoudness(file: string): Timed & { integrated: number; lra: number; truePeak: number } {
  const r = timed('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-']);
  const summary = r.stderr.slice(r.stderr.lastIndexOf('Summary:'));
  const num = (re: RegExp) => Number(re.exec(summary)?.[1]);
  return { ...r, integrated: num(/I:\s+(-?[\d.]+) LUFS/), lra: num(/LRA:\s+(-?[\d.]+) LU/), truePeak: num(/Peak:\s+(-?[\d.]+) dBFS/) };
}

/** The inputs: a song of `minutes`, and an album of three songs (different seeds and levels). */
function inputs(dir: string, minutes: number): { song: string; album: string } {
  const seconds = minutes * 60;
  const song = join(dir, 'song.wav');
  writeFileSync(song, encodeWav(songChannels(seconds, RATE, -6, 3), RATE, '24'));
  const tracks = [0, 1, 2].map((k) => {
    const file = join(dir, `track${k}.wav`);
    writeFileSync(file, encodeWav(songChannels(seconds, RATE, -4 - 3 * k, 7 + k), RATE, '24'));
    return { title: `Track ${k + 1}`, source: `track${k}.wav` };
  });
  const album = join(dir, 'album.json');
  writeFileSync(album, JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'Bench', artist: 'Mixgraph', chain: CHAIN, target: -14, tracks }));
  return { song, album };
}

/** master and album of `files` with the CLI at `bin`. */
function masterAndAlbum(bin: string, files: { song: string; album: string }, dir: string, runs: number): { master: Timed[]; album: Timed[] } {
  const master: Timed[] = [];
  const album: Timed[] = [];
  for (let r = 0; r < runs; r++) {
    master.push(timed(process.execPath, [bin, 'master', CHAIN, files.song, '-o', join(dir, 'master.wav')], dir));
    album.push(timed(process.execPath, [bin, 'album', files.album, '-o', join(dir, `album-out-${r}`), '--allow-any-path'], dir));
    log(`${bin}: master ${s2(master[r].wallS)}, album ${s2(album[r].wallS)}`);
  }
  return { master, album };
}

const best = (xs: Timed[]) => xs.reduce((a, b) => (b.wallS < a.wallS ? b : a));

async function main(): Promise<void> {
  const ffmpegVersion = ensureTools();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, node ${process.version}`;
  const load = os.loadavg()[0];
  const dir = mkdtempSync(join(os.tmpdir(), 'mixgraph-bench-mastering-'));
  const md: string[] = [];
  const json: Record<string, unknown> = { date: new Date().toISOString(), machine, ffmpeg: ffmpegVersion, load, minutes: MINUTES, runs: RUNS };
  try {
    const files = inputs(dir, MINUTES);
    // ------------------------------------------------------------------ 1. analyze
    timed(process.execPath, [BIN, '--version']); // the bundle is built on the first start after a change
    const node0: number[] = [];
    const start: number[] = [];
    const cli: number[] = [];
    const ff: number[] = [];
    let ours: Record<string, number | null> = {};
    let theirs = ffmpegLoudness(files.song);
    for (let r = 0; r < RUNS; r++) {
      node0.push(timed(process.execPath, ['-e', '0']).wallS);
      start.push(timed(process.execPath, [BIN, '--version']).wallS);
      const a = timed(process.execPath, [BIN, 'analyze', files.song, '--json']);
      cli.push(a.wallS);
      ours = JSON.parse(a.stdout);
      theirs = ffmpegLoudness(files.song);
      ff.push(theirs.wallS);
    }
    // In this process, warmed up: reading and decoding in blocks, then the measurement of decoded blocks.
    const opened = (await openWav(files.song))!;
    const source = new WavFileSource(opened.fd, opened.info);
    const block = 8192;
    const buffers = [new Float32Array(block), new Float32Array(block)];
    const decodeAll = () => {
      for (let at = 0; at < source.frames; at += block) source.read(at, Math.min(block, source.frames - at), buffers);
    };
    const decoded: Float32Array[][] = [];
    for (let at = 0; at < source.frames; at += block) {
      const n = Math.min(block, source.frames - at);
      source.read(at, n, buffers);
      decoded.push(buffers.map((b) => b.slice(0, n)));
    }
    const measureAll = () => {
      const programme = new ProgrammeAnalysis(RATE, 2);
      for (const d of decoded) programme.add(d);
      return programme.report();
    };
    decodeAll();
    measureAll();
    let t = performance.now();
    decodeAll();
    const decodeS = (performance.now() - t) / 1000;
    t = performance.now();
    measureAll();
    const measureS = (performance.now() - t) / 1000;
    await opened.file.handle.close();
    const cliS = median(cli);
    const ffS = median(ff);
    md.push(`#### Loudness analysis: ${MINUTES} min stereo 48 kHz 24-bit WAV, whole processes, medians of ${RUNS} (load average ${load.toFixed(2)} at start)`);
    md.push('');
    md.push('| measure | time | note |');
    md.push('|---|---:|---|');
    md.push(`| \`mixgraph analyze --json\` | ${ms(cliS)} | ${((MINUTES * 60) / cliS).toFixed(0)}× real time |`);
    md.push(`| ffmpeg \`ebur128=peak=true\`, same file | ${ms(ffS)} | ${ffmpegVersion} |`);
    md.push(`| ratio ffmpeg / mixgraph (goal: at least 1) | **${(ffS / cliS).toFixed(2)}** | ${ffS >= cliS ? 'goal met' : 'goal missed'} |`);
    md.push(`| where mixgraph's time goes: \`node -e 0\` | ${ms(median(node0))} | Node itself |`);
    md.push(`| \`mixgraph --version\` | ${ms(median(start))} | + the launcher's source check and the CLI bundle |`);
    md.push(`| reading and decoding in 8192-frame blocks (in process, warm) | ${ms(decodeS)} | |`);
    md.push(`| the measurement: K-weighting, gating, 4× true peak (in process, warm) | ${ms(measureS)} | the rest of the process is its JIT warming up |`);
    md.push(`| agreement: integrated / LRA / true peak | ${ours.integrated} / ${ours.lra} / ${ours.truePeak} | ffmpeg: ${theirs.integrated} / ${theirs.lra} / ${theirs.truePeak} |`);
    md.push('');
    json.analyze = { cliS, ffmpegS: ffS, nodeS: median(node0), startS: median(start), decodeS, measureS, ours, ffmpeg: { integrated: theirs.integrated, lra: theirs.lra, truePeak: theirs.truePeak } };

    // ------------------------------------------------------------------ 2. master and album
    const after = masterAndAlbum(BIN, files, dir, RUNS);
    let before: { master: Timed[]; album: Timed[] } | null = null;
    let beforeAfter: { master: Timed[]; album: Timed[] } | null = null;
    if (BEFORE) {
      const tree = join(dir, 'before');
      execFileSync('git', ['worktree', 'add', '--detach', tree, BEFORE], { cwd: ROOT, stdio: 'ignore' });
      try {
        symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
        const shortDir = join(dir, 'short');
        mkdirSync(shortDir, { recursive: true });
        const short = BEFORE_MINUTES === MINUTES ? files : inputs(shortDir, BEFORE_MINUTES);
        log(`before (${BEFORE}, ${BEFORE_MINUTES} min): this runs the old Web Audio engine and can take many minutes`);
        before = masterAndAlbum(join(tree, 'bin', 'mixgraph.js'), short, dir, 1);
        beforeAfter = BEFORE_MINUTES === MINUTES ? after : masterAndAlbum(BIN, short, dir, RUNS);
      } finally {
        execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT, stdio: 'ignore' });
      }
    }
    md.push(`#### master and album, whole processes (the streaming chain: EQ, multiband, stereo, limiter, loudness; auto-gain to -14 LUFS), best of ${RUNS}`);
    md.push('');
    md.push('| command | audio | time | × real time | peak RSS |');
    md.push('|---|---:|---:|---:|---:|');
    const row = (name: string, minutes: number, r: Timed) => md.push(`| ${name} | ${minutes} min | ${s2(r.wallS)} | ${((minutes * 60) / r.wallS).toFixed(1)} | ${r.maxRssMB.toFixed(0)} MB |`);
    row('`mixgraph master`', MINUTES, best(after.master));
    row('`mixgraph album`, 3 tracks', 3 * MINUTES, best(after.album));
    if (before && beforeAfter) {
      row(`\`mixgraph master\` at ${BEFORE} (before: Web Audio)`, BEFORE_MINUTES, before.master[0]);
      if (beforeAfter !== after) row('`mixgraph master` now, same input', BEFORE_MINUTES, best(beforeAfter.master));
      row(`\`mixgraph album\`, 3 tracks, at ${BEFORE} (before)`, 3 * BEFORE_MINUTES, before.album[0]);
      if (beforeAfter !== after) row('`mixgraph album` now, same input', 3 * BEFORE_MINUTES, best(beforeAfter.album));
      md.push('');
      md.push(`Speed-up: master ${(before.master[0].wallS / best(beforeAfter.master).wallS).toFixed(0)}×, album ${(before.album[0].wallS / best(beforeAfter.album).wallS).toFixed(0)}×.`);
    }
    md.push('');
    json.master = after.master;
    json.album = after.album;
    json.before = before && { ref: BEFORE, minutes: BEFORE_MINUTES, ...before, now: beforeAfter };

    // ------------------------------------------------------------------ 3. the limiter core
    const song = songChannels(60, RATE, -3, 11);
    const core = new LimiterCore(RATE, 2);
    const out = [new Float32Array(128), new Float32Array(128)];
    t = performance.now();
    for (let i = 0; i + 128 <= song[0].length; i += 128) core.process([song[0].subarray(i, i + 128), song[1].subarray(i, i + 128)], out, 128);
    const coreS = (performance.now() - t) / 1000;
    md.push(`LimiterCore alone, 60 s stereo: ${(coreS * 1000).toFixed(0)} ms (${(60 / coreS).toFixed(0)}× real time): what one auto-gain try costs per minute of audio, besides the loudness measurement.`);
    json.limiterCoreS = coreS;
    const table = md.join('\n');
    console.log(table);
    json.markdown = table;
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'mastering.json'), JSON.stringify(json, null, 2) + '\n');
    log(`wrote ${join(RESULTS, 'mastering.json')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
