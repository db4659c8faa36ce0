// Mastering benchmark: npm run bench (third part) or tsx bench/mastering.ts [--minutes 3 --runs 3]
//   1. Loudness analysis of a 3-minute stereo 48 kHz WAV: Mixgraph's `analyze()` (BS.1770 / R128
//      with true peak) beside ffmpeg's `ebur128=peak=true` filter on the same file in the same run,
//      as a ratio (ffmpeg / Mixgraph: above 1 means Mixgraph is faster), plus `mixgraph analyze`
//      end to end (process start, file read, decode, analysis). The figures both report are printed
//      side by side, so speed is never bought with a different answer.
//   2. The limiter's render cost: 60 s of stereo through the limiter worklet beside the same
//      source through a native DynamicsCompressorNode, both in node-web-audio-api offline
//      contexts, as a ratio; and the LimiterCore alone (the DSP without the worklet bridge).
// ffmpeg is installed with apt-get when it is missing (the only network this machine has).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { AudioWorkletNode, OfflineAudioContext } from 'node-web-audio-api';

import { LimiterCore } from '../src/dsp/limiter.ts';
import { analyze } from '../src/dsp/loudness.ts';
import { workletModuleUrl } from '../src/engine/webaudio-node.ts';
import { decodeWav, encodeWav } from '../src/io/wav.ts';
import { LIMITER_PROCESSOR } from '../src/worklets/names.ts';
import { songChannels } from '../tests/helpers/signals.ts';
import { option } from './options.ts';

const MINUTES = option('minutes', 3);
const RUNS = Math.max(1, Math.round(option('runs', 3)));
const LIMITER_SECONDS = option('limiter-seconds', 60);
const RATE = 48000;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench', 'results');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

function ensureFfmpeg(): string {
  const has = () => spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
  if (!has()) {
    console.error('ffmpeg is missing: installing it with apt-get (Debian package ffmpeg)...');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'ffmpeg'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (!has()) throw new Error('ffmpeg could not be installed; install it (apt-get install ffmpeg) and run the bench again');
  }
  return execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0];
}

/** ffmpeg's ebur128 summary: integrated, LRA and true peak. */
function ffmpegLoudness(file: string): { seconds: number; integrated: number; lra: number; truePeak: number } {
  const t = performance.now();
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'], { encoding: 'utf8' });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-500)}`);
  const summary = r.stderr.slice(r.stderr.lastIndexOf('Summary:'));
  const num = (re: RegExp) => Number(re.exec(summary)?.[1]);
  return { seconds, integrated: num(/I:\s+(-?[\d.]+) LUFS/), lra: num(/LRA:\s+(-?[\d.]+) LU/), truePeak: num(/Peak:\s+(-?[\d.]+) dBFS/) };
}

async function limiterRender(kind: 'limiter' | 'native', seconds: number): Promise<number> {
  const length = Math.round(seconds * RATE);
  const ctx = new OfflineAudioContext(2, length, RATE);
  if (kind === 'limiter') await ctx.audioWorklet.addModule(await workletModuleUrl());
  const song = songChannels(seconds, RATE, -3, 11);
  const buffer = ctx.createBuffer(2, length, RATE);
  song.forEach((c, i) => buffer.copyToChannel(c as Float32Array<ArrayBuffer>, i));
  const src = ctx.createBufferSource();
  src.buffer = buffer;
  let processor: AudioNode;
  if (kind === 'limiter') {
    const node = new AudioWorkletNode(ctx, LIMITER_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2] });
    (node.parameters.get('ceiling') as AudioParam).value = -1;
    processor = node as unknown as AudioNode;
  } else {
    const comp = ctx.createDynamicsCompressor();
    comp.threshold.value = -6;
    comp.ratio.value = 20;
    comp.attack.value = 0.001;
    comp.release.value = 0.06;
    processor = comp as unknown as AudioNode;
  }
  (src as unknown as AudioNode).connect(processor);
  processor.connect(ctx.destination as unknown as AudioNode);
  src.start(0);
  const t = performance.now();
  await ctx.startRendering();
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const ffmpegVersion = ensureFfmpeg();
  mkdirSync(RESULTS, { recursive: true });
  const seconds = MINUTES * 60;
  const file = join(RESULTS, 'bench-loudness.wav');
  writeFileSync(file, encodeWav(songChannels(seconds, RATE, -6, 3), RATE, '24'));
  const load = os.loadavg()[0];

  // 1. Loudness analysis
  const ours: number[] = [];
  const cli: number[] = [];
  const theirs: number[] = [];
  let report = analyze(decodeWav(readFileSync(file)).channels, RATE);
  let ff = ffmpegLoudness(file);
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    const wav = decodeWav(readFileSync(file));
    report = analyze(wav.channels, wav.sampleRate);
    ours.push((performance.now() - t) / 1000);
    t = performance.now();
    execFileSync(process.execPath, [join(ROOT, 'bin/mixgraph.js'), 'analyze', file, '--json'], { encoding: 'utf8' });
    cli.push((performance.now() - t) / 1000);
    ff = ffmpegLoudness(file);
    theirs.push(ff.seconds);
  }
  const oursS = median(ours);
  const cliS = median(cli);
  const ffS = median(theirs);

  // 2. Limiter
  const lim: number[] = [];
  const nat: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    lim.push(await limiterRender('limiter', LIMITER_SECONDS));
    nat.push(await limiterRender('native', LIMITER_SECONDS));
  }
  const core = new LimiterCore(RATE, 2);
  const song = songChannels(LIMITER_SECONDS, RATE, -3, 11);
  const out = [new Float32Array(128), new Float32Array(128)];
  const t = performance.now();
  for (let i = 0; i + 128 <= song[0].length; i += 128) core.process([song[0].subarray(i, i + 128), song[1].subarray(i, i + 128)], out, 128);
  const coreS = (performance.now() - t) / 1000;
  const limS = median(lim);
  const natS = median(nat);

  const rows = [
    ['Measure', 'Value', 'Note'],
    [`Loudness analysis, ${MINUTES} min stereo 48 kHz: Mixgraph analyze()`, ms(oursS * 1000), `${(seconds / oursS).toFixed(0)}x real time; includes reading and decoding the WAV`],
    [`ffmpeg ebur128=peak=true, same file`, ms(ffS * 1000), ffmpegVersion],
    ['Ratio ffmpeg / Mixgraph (goal: above 1)', (ffS / oursS).toFixed(2), ffS > oursS ? 'Mixgraph is faster' : 'ffmpeg is faster'],
    ['`mixgraph analyze --json` end to end', ms(cliS * 1000), 'process start, tsx, decode, analysis, JSON'],
    ['Agreement: integrated / LRA / true peak', `${report.integrated.toFixed(2)} / ${report.lra.toFixed(2)} / ${report.truePeak.toFixed(2)}`, `ffmpeg: ${ff.integrated.toFixed(1)} / ${ff.lra.toFixed(1)} / ${ff.truePeak.toFixed(1)}`],
    [`Limiter worklet render, ${LIMITER_SECONDS} s stereo`, ms(limS * 1000), `${(LIMITER_SECONDS / limS).toFixed(1)}x real time`],
    ['DynamicsCompressorNode render, same source', ms(natS * 1000), `${(LIMITER_SECONDS / natS).toFixed(1)}x real time`],
    ['Ratio limiter / native compressor', (limS / natS).toFixed(2), 'the worklet bridge of node-web-audio-api dominates'],
    ['LimiterCore alone (no Web Audio)', ms(coreS * 1000), `${(LIMITER_SECONDS / coreS).toFixed(0)}x real time`],
  ];
  const table = rows.map((r, i) => `| ${r.join(' | ')} |${i === 0 ? `\n|${r.map(() => '---').join('|')}|` : ''}`).join('\n');
  console.log(`\n### Mastering (bench/mastering.ts, ${RUNS} runs, medians, load average ${load.toFixed(1)} at start)\n\n${table}\n`);
  writeFileSync(join(RESULTS, 'mastering.json'), JSON.stringify({ date: new Date().toISOString(), load, runs: RUNS, minutes: MINUTES, analyzeSeconds: oursS, cliSeconds: cliS, ffmpegSeconds: ffS, ffmpeg: ff, report, limiterSeconds: limS, nativeSeconds: natS, coreSeconds: coreS }, null, 2));
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
