// `mixgraph render`: real renders through the binary, read back with decodeWav.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';

import { frames, peakDb, readWav, run, scratch, sessionJson, sineWav, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT }); // these tests spawn the CLI, see helpers.ts

const dir = scratch();

const toneSession = sessionJson(
  [
    { id: 'g', type: 'generator', params: { frequency: 1000, level: -6 } },
    { id: 'master', type: 'master' },
  ],
  [['g', 'master']],
);
write(dir, 'tone.json', toneSession);

describe('render a generator session with --duration', () => {
  const cases = [44100, 48000].flatMap((rate) => (['16', '24', '32f'] as const).map((depth) => ({ rate, depth })));
  test.each(cases)('$rate Hz, $depth: exact frame count, -6 dBFS sine peak within 0.1 dB', async ({ rate, depth }) => {
    const out = `tone-${rate}-${depth}.wav`;
    const r = await run(['render', 'tone.json', '-o', out, '--duration', '0.1', '--sample-rate', String(rate), '--bit-depth', depth], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const wav = readWav(join(dir, out));
    expect(wav.sampleRate).toBe(rate);
    expect(wav.format).toBe(depth);
    expect(wav.channels).toHaveLength(2);
    expect(frames(wav)).toBe(Math.round(0.1 * rate));
    for (const c of wav.channels) expect(Math.abs(peakDb(c) - -6)).toBeLessThan(0.1);
    // The report: file, duration, rate, depth, and levels per channel.
    expect(r.stdout).toContain(`wrote ${out}`);
    expect(r.stdout).toContain(`(${Math.round(0.1 * rate)} frames)`);
    expect(r.stdout).toContain(`${rate} Hz`);
    expect(r.stdout).toMatch(/peak dBFS\s+L\s+-6\.0\d\s+R\s+-6\.0\d/);
    expect(r.stdout).toMatch(/RMS dBFS\s+L\s+-9\.0\d\s+R\s+-9\.0\d/);
  });

  test('defaults are 48 kHz and 24-bit; the output folder is created', async () => {
    const r = await run(['render', 'tone.json', '-o', 'new/deeper/tone.wav', '--duration', '0.1'], dir);
    expect(r.code).toBe(0);
    const wav = readWav(join(dir, 'new/deeper/tone.wav'));
    expect(wav.sampleRate).toBe(48000);
    expect(wav.format).toBe('24');
    expect(frames(wav)).toBe(4800);
  });

  test('a session with only generators needs --duration', async () => {
    const r = await run(['render', 'tone.json', '-o', 'nope.wav'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('tone.json: this session has only generators; give --duration SECONDS');
    expect(existsSync(join(dir, 'nope.wav'))).toBe(false);
  });

  test('progress on stderr for a long render, one line per step; none for a short one', async () => {
    const long = await run(['render', 'tone.json', '-o', 'long.wav', '--duration', '21', '--sample-rate', '8000'], dir);
    expect(long.code).toBe(0);
    const lines = long.stderr.trim().split('\n');
    expect(lines.every((l) => /^rendering +\d+%$/.test(l))).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toBe('rendering 100%');
    const short = await run(['render', 'tone.json', '-o', 'short.wav', '--duration', '1'], dir);
    expect(short.stderr).toBe('');
  });
});

describe('render a session with tracks (default duration)', () => {
  const rate = 48000;
  // 0.5 s of sine at the render rate, so no resampling: 24000 frames.
  write(dir, 'stems/sine16.wav', sineWav(0.5, rate, '16'));
  write(dir, 'stems/sine32f.wav', sineWav(0.5, rate, '32f'));
  write(dir, 'stems/sine24-44k.wav', sineWav(0.5, 44100, '24'));

  test('duration = file length + offset; the audio starts at the offset', async () => {
    write(
      dir,
      'track.json',
      sessionJson(
        [
          { id: 'kick', type: 'track', params: { source: 'stems/sine16.wav', offset: 100 } },
          { id: 'master', type: 'master' },
        ],
        [['kick', 'master']],
      ),
    );
    const r = await run(['render', 'track.json', '-o', 'track.wav', '--bit-depth', '32f'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const wav = readWav(join(dir, 'track.wav'));
    expect(frames(wav)).toBe(24000 + 4800);
    const [left] = wav.channels;
    // Silent before the offset, then the sine at -6 dBFS less the -3 dB of a centred mono track.
    expect(peakDb(left, 0, 4790)).toBeLessThan(-120);
    expect(Math.abs(peakDb(left, 4800) - (-6.02 - 3.01))).toBeLessThan(0.1);
  });

  test('a delay after the track adds its tail', async () => {
    // time 100 ms, feedback 0.5: echoes until 60 dB down = 0.1 * (1 + ceil(3 / log10(2))) = 1.1 s.
    write(
      dir,
      'delay.json',
      sessionJson(
        [
          { id: 'vox', type: 'track', params: { source: 'stems/sine32f.wav', offset: 100 } },
          { id: 'echo', type: 'delay', params: { time: 100, feedback: 0.5, mix: 0.5 } },
          { id: 'master', type: 'master' },
        ],
        [
          ['vox', 'echo'],
          ['echo', 'master'],
        ],
      ),
    );
    const r = await run(['render', 'delay.json', '-o', 'delay.wav'], dir);
    expect(r.code).toBe(0);
    const wav = readWav(join(dir, 'delay.wav'));
    expect(frames(wav)).toBe(24000 + 4800 + Math.round(1.1 * rate));
    expect(r.stdout).toContain(`(${24000 + 4800 + Math.round(1.1 * rate)} frames)`);
    // The echoes are there after the dry signal has ended.
    expect(peakDb(wav.channels[0], 28800 + 100, 28800 + 4800)).toBeGreaterThan(-20);
  });

  test('files at another rate are decoded at the render rate', async () => {
    write(
      dir,
      'resample.json',
      sessionJson(
        [
          { id: 't', type: 'track', params: { source: 'stems/sine24-44k.wav' } },
          { id: 'master', type: 'master' },
        ],
        [['t', 'master']],
      ),
    );
    const r = await run(['render', 'resample.json', '-o', 'resample.wav', '--sample-rate', '48000', '--bit-depth', '16'], dir);
    expect(r.code).toBe(0);
    const wav = readWav(join(dir, 'resample.wav'));
    expect(Math.abs(frames(wav) - 24000)).toBeLessThanOrEqual(2);
    expect(Math.abs(peakDb(wav.channels[1]) - (-6.02 - 3.01))).toBeLessThan(0.2);
  });

  test('only empty tracks: asks for --duration; with it, renders silence', async () => {
    write(
      dir,
      'empty.json',
      sessionJson(
        [
          { id: 't', type: 'track', params: { source: '' } },
          { id: 'master', type: 'master' },
        ],
        [['t', 'master']],
      ),
    );
    const r = await run(['render', 'empty.json', '-o', 'empty.wav'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^empty\.json: .*empty.*give --duration SECONDS\n$/);
    const ok = await run(['render', 'empty.json', '-o', 'empty.wav', '--duration', '0.1', '--bit-depth', '24'], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/peak dBFS\s+L\s+-inf\s+R\s+-inf/);
    expect(frames(readWav(join(dir, 'empty.wav')))).toBe(4800);
  });

  test('no temporary files are left beside the outputs', () => {
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
