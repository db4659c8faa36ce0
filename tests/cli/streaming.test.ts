// mixgraph render through the runtime, as the real binary on real files: sources streamed from disk
// (a WAV at another rate converted as it streams, a FLAC decoded whole and shared with the render
// threads), the output written block by block. The file is the same to the bit with 1, 2 and 3
// threads, and it is encodeWav of the runtime's own render of the same samples, byte for byte, in
// every format. Sessions up to 24 hours; Ctrl-C and SIGTERM leave nothing behind; memory does not
// grow with the length.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test, vi } from 'vitest';

import type { SourceAudio } from '../../nodes/define.ts';
import { loadAudio } from '../../src/cli/audio.ts';
import { compile } from '../../src/compiler/compile.ts';
import { formatDb, measureLevels } from '../../src/io/levels.ts';
import { encodeWav, wavHeader, type WavFormat } from '../../src/io/wav.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { loadSession, saveSession } from '../../src/presets/load.ts';
import { bounce } from '../../src/runtime/render.ts';
import { MemorySource } from '../../src/runtime/source.ts';
import { bufferFrom, chain, edge, node, session } from '../helpers/audio.ts';
import { BIN, run, scratch, sessionJson, TEST_TIMEOUT, write } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT });
const exec = promisify(execFile);
const dir = scratch();
const SR = 48000;

/** Everything a split has to get right, on stems of four kinds. */
function mixSession(): SessionDoc {
  const h = new History(
    session(
      [
        node('kick', 'track', { source: 'kick.wav', gain: -3 }),
        node('kick_eq', 'eq', { bands: [{ type: 'lowshelf', frequency: 80, gain: 3 }, { type: 'peaking', frequency: 2500, gain: -2, q: 1.4 }] }),
        node('kick_comp', 'compressor', { threshold: -20, ratio: 4, attack: 3 }),
        node('bass', 'track', { source: 'bass.wav', pan: -0.3 }),
        node('duck', 'compressor', { threshold: -35, ratio: 8, attack: 1, release: 80 }),
        node('vox', 'track', { source: 'vox.wav', pan: 0.2 }),
        node('vox_send', 'send', { level: -6 }),
        node('verb', 'reverb', { decay: 0.8, predelay: 5 }),
        node('pad', 'track', { source: 'pad.flac', gain: -6 }),
        node('echo', 'delay', { time: 43, feedback: 0.45, mix: 0.4 }),
        node('echo_fb', 'gain', { gain: -4 }),
        node('bus', 'bus', { gain: -1 }),
        node('slap', 'delay', { time: 9, feedback: 0.25, mix: 1 }),
        node('m_eq', 'eq', { bands: [{ type: 'highpass', frequency: 30 }, { type: 'highshelf', frequency: 9000, gain: 1.5 }] }),
        node('m_lim', 'limiter', { ceiling: -1 }),
        node('master', 'master'),
      ],
      [
        ...chain(['kick', 'kick_eq', 'kick_comp', 'bus']),
        ...chain(['bass', 'duck', 'bus']),
        edge('kick_eq', 'duck.sidechain'), // a sidechain from another track's chain
        ...chain(['vox', 'vox_send', 'bus']),
        edge('vox_send.send', 'verb'),
        edge('verb', 'bus'),
        ...chain(['pad', 'echo', 'bus']),
        edge('echo', 'echo_fb'), // a feedback loop inside the pad's chain
        edge('echo_fb', 'echo'),
        edge('bus', 'slap'), // and one through the bus
        edge('slap', 'bus'),
        ...chain(['bus', 'm_eq', 'm_lim', 'master']),
      ],
    ),
  );
  h.run(groupNodes(['kick_eq', 'kick_comp'], { id: 'drums' }));
  return h.doc;
}

beforeAll(async () => {
  const burst = (i: number) => (i % 9000 < 900 ? 0.7 * Math.sin(i * 0.03) * Math.exp(-(i % 9000) / 250) : 0);
  write(dir, 'kick.wav', encodeWav(bufferFrom(Math.round(2.1 * SR), burst), SR, '24'));
  write(dir, 'bass.wav', encodeWav(bufferFrom(Math.round(1.9 * SR), (i) => 0.5 * Math.sin((2 * Math.PI * 55 * i) / SR)), SR, '16', { dither: false }));
  // 44.1 kHz: converted to 48 kHz while it streams
  write(dir, 'vox.wav', encodeWav(bufferFrom(Math.round(1.5 * 44100), (i, c) => 0.3 * Math.sin((2 * Math.PI * (440 + 3 * c) * i) / 44100), 2), 44100, '32f'));
  write(dir, 'pad.wav', encodeWav(bufferFrom(Math.round(1.2 * SR), (i, c) => 0.25 * Math.sin(i * (0.011 + 0.001 * c)), 2), SR, '24'));
  await exec('ffmpeg', ['-v', 'error', '-y', '-i', join(dir, 'pad.wav'), join(dir, 'pad.flac')]);
  write(dir, 'mix.json', saveSession(mixSession()));
});

/** The runtime's own render of the session in this process: the sources read whole, as loadAudio reads them. */
async function inProcess(sessionFile: string): Promise<Float32Array[]> {
  const doc = loadSession(readFileSync(sessionFile, 'utf8'), sessionFile);
  const compiled = compile(doc);
  if (!compiled.ok) throw new Error('the session does not compile');
  const sources = new Map<string, SourceAudio>();
  let frames = 0;
  for (const name of ['kick.wav', 'bass.wav', 'vox.wav', 'pad.flac']) {
    const audio = await loadAudio(join(dir, name), SR);
    sources.set(name, new MemorySource(audio.channels, SR));
    frames = Math.max(frames, audio.channels[0].length);
  }
  const r = await run(['render', sessionFile, '-o', join(dir, 'length.wav'), '--threads', '1'], dir);
  const length = Number(/\((\d+) frames\)/.exec(r.stdout)![1]);
  expect(length).toBeGreaterThan(frames); // the tails of the reverb and delays after the longest track
  return bounce(compiled.plan, { sampleRate: SR, frames: length, sources: (s) => sources.get(s) });
}

describe('mixgraph render streams through the runtime', () => {
  let expected: Float32Array[];
  beforeAll(async () => {
    expected = await inProcess(join(dir, 'mix.json'));
  });

  test.each(['16', '24', '32f'] as const)('%s: 1, 2 and 3 threads write the same file, and it is encodeWav of the runtime render, byte for byte', async (format: WavFormat) => {
    const files: Buffer[] = [];
    for (const threads of ['1', '2', '3']) {
      const out = join(dir, `mix-${format}-${threads}.wav`);
      const r = await run(['render', 'mix.json', '-o', out, '--bit-depth', format, '--threads', threads], dir);
      expect(r.code, r.stderr).toBe(0);
      files.push(readFileSync(out));
      // The levels are measured as the blocks go by: the same figures as the whole render's
      const [l, rr] = expected.map((c) => measureLevels(c));
      expect(r.stdout).toContain(`peak dBFS    L ${formatDb(l.peakDb).padStart(7)}   R ${formatDb(rr.peakDb).padStart(7)}`);
      expect(r.stdout).toContain(`RMS dBFS     L ${formatDb(l.rmsDb).padStart(7)}   R ${formatDb(rr.rmsDb).padStart(7)}`);
    }
    expect(Buffer.compare(files[0], files[1]), '2 threads').toBe(0);
    expect(Buffer.compare(files[0], files[2]), '3 threads').toBe(0);
    expect(Buffer.compare(files[0], Buffer.from(encodeWav(expected, SR, format))), 'encodeWav of the runtime render').toBe(0);
  });

  test('--threads takes a whole number from 1 to 256', async () => {
    for (const bad of ['0', '1.5', 'two', '257']) {
      const r = await run(['render', 'mix.json', '-o', 'x.wav', '--threads', bad], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`mixgraph: --threads must be a whole number from 1 to 256, got ${JSON.stringify(bad)}\n`);
    }
  });
});

describe('sessions up to 24 hours', () => {
  /** A sparse WAV file: a real header for `frames` frames of 16-bit mono, and a hole for the samples. */
  function sparseWav(name: string, frames: number, rate = 8000): void {
    const header = wavHeader({ channels: 1, sampleRate: rate, format: '16', frames });
    const fd = openSync(join(dir, name), 'w');
    writeSync(fd, header);
    ftruncateSync(fd, header.length + 2 * frames);
    closeSync(fd);
  }

  test('--duration above 24 hours is refused; a session longer than 24 hours is refused before any work, with its length', async () => {
    const r = await run(['render', 'mix.json', '-o', 'long.wav', '--duration', '86401'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('mixgraph: --duration must be a number of seconds above 0 and at most 86400 (24 hours), got "86401"\n');
    sparseWav('day.wav', 8000 * (86400 + 1)); // 24 hours and a second at 8 kHz: 1.4 GB, sparse
    write(dir, 'day.json', sessionJson([{ id: 't', type: 'track', params: { source: 'day.wav' } }, { id: 'master', type: 'master' }], [['t', 'master']]));
    const started = Date.now();
    const day = await run(['render', 'day.json', '-o', 'day-out.wav'], dir);
    expect(day.code).toBe(1);
    expect(day.stderr).toBe('day.json: the session lasts 24 h 00 min 01.0 s (86401.0 s) with its effect tails, longer than the 24-hour limit (86400 s); give --duration SECONDS\n');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(existsSync(join(dir, 'day-out.wav'))).toBe(false);
  });

  test('a streamed WAV source has no 2 GiB limit (read whole, it would): a 3 GiB file plays', async () => {
    sparseWav('big.wav', Math.ceil((3 * 1024 ** 3) / 2), 48000); // 9.3 hours of 16-bit mono silence, sparse
    write(dir, 'big.json', sessionJson([{ id: 't', type: 'track', params: { source: 'big.wav' } }, { id: 'g', type: 'generator', params: { level: -20 } }, { id: 'master', type: 'master' }], [['t', 'master'], ['g', 'master']]));
    const r = await run(['render', 'big.json', '-o', 'big-out.wav', '--duration', '2'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('duration     2.000 s (96000 frames)');
  });
});

describe('Ctrl-C and SIGTERM during a long render', () => {
  beforeAll(() => {
    write(dir, 'tone.json', sessionJson([{ id: 'g', type: 'generator', params: { waveform: 'sawtooth', level: -12 } }, { id: 'e', type: 'eq', params: { bands: [{ type: 'lowpass', frequency: 3000 }] } }, { id: 'master', type: 'master' }], [['g', 'e'], ['e', 'master']]));
  });

  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s: the render stops, its temporary file is removed, the file that was there is untouched, exit %i', async (signal, status) => {
    const out = join(dir, `interrupted-${signal}.wav`);
    const before = encodeWav([new Float32Array(4800)], SR, '24');
    writeFileSync(out, before);
    // An hour of audio: far longer than the test waits.
    const child = spawn(process.execPath, [BIN, 'render', 'tone.json', '-o', out, '--duration', '3600'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Wait until the render is writing its temporary file
    const part = () => readdirSync(dir).filter((f) => f.startsWith('.mixgraph-') && f.endsWith('.part'));
    for (let waited = 0; part().length === 0; waited += 50) {
      if (waited > 60_000) throw new Error(`no temporary file appeared: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    const stopped = Date.now();
    child.kill(signal);
    expect(await exited).toBe(status);
    expect(Date.now() - stopped, 'stopped promptly').toBeLessThan(10_000);
    expect(stderr).toContain(`mixgraph: stopped by ${signal}; nothing was written`);
    expect(part(), 'temporary files left').toEqual([]);
    expect(Buffer.compare(readFileSync(out), Buffer.from(before)), 'the file that was there').toBe(0);
  });
});

describe('memory does not grow with the length of the session', () => {
  // Measured: 130 MB for 1 minute, 137 MB for 10 (two render threads). Holding the output in memory
  // would add 230 MB at 10 minutes (stereo float), holding the sources 230 MB more.
  test('1 and 10 minutes of four streamed tracks: peak resident memory within 40 MB of each other, under 300 MB', async () => {
    if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (GNU time) is needed to measure peak memory: apt-get install time');
    const minutes = 10;
    const frames = minutes * 60 * SR;
    const nodes = [];
    const edges: [string, string][] = [];
    for (let t = 0; t < 4; t++) {
      // 10 minutes of 16-bit mono each (58 MB), written in pieces
      const path = join(dir, `long${t}.wav`);
      const fd = openSync(path, 'w');
      writeSync(fd, wavHeader({ channels: 1, sampleRate: SR, format: '16', frames }));
      const piece = new Float32Array(SR * 10);
      for (let at = 0; at < frames; at += piece.length) {
        for (let i = 0; i < piece.length; i++) piece[i] = 0.3 * Math.sin((2 * Math.PI * (110 * (t + 1)) * (at + i)) / SR) * (0.6 + 0.4 * Math.sin((at + i) / (SR * 3)));
        const bytes = encodeWav([piece], SR, '16', { dither: false });
        writeSync(fd, bytes, 44, bytes.length - 44);
      }
      closeSync(fd);
      nodes.push({ id: `t${t}`, type: 'track', params: { source: `long${t}.wav`, pan: t / 2 - 0.75 } }, { id: `eq${t}`, type: 'eq', params: { bands: [{ type: 'highpass', frequency: 60 }] } }, { id: `c${t}`, type: 'compressor' });
      edges.push([`t${t}`, `eq${t}`], [`eq${t}`, `c${t}`], [`c${t}`, 'bus']);
    }
    write(dir, 'longs.json', sessionJson([...nodes, { id: 'bus', type: 'bus' }, { id: 'master', type: 'master' }], [...edges, ['bus', 'master']]));
    const peak = async (seconds: number) => {
      const { stderr } = await exec('/usr/bin/time', ['-f', 'PEAK %M', process.execPath, BIN, 'render', 'longs.json', '-o', `longs-${seconds}.wav`, '--duration', String(seconds)], { cwd: dir });
      return Number(/PEAK (\d+)/.exec(stderr)![1]) / 1024;
    };
    const one = await peak(60);
    const ten = await peak(minutes * 60);
    expect(ten - one, `peak RSS ${one.toFixed(0)} MB for 1 minute, ${ten.toFixed(0)} MB for 10`).toBeLessThan(40);
    expect(ten).toBeLessThan(300);
  });
});
