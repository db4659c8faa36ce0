// WAV files written block by block (src/io/wav-stream.ts) and read block by block from disk
// (src/io/wav-source.ts), with real files: the streamed file is encodeWav's file byte for byte in
// every format, however the blocks are cut; past 4 GiB the header is RF64 (EBU Tech 3306), which
// our reader and ffprobe read back, tested on sparse files (the size without the disk space).
import { execFile } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

import { openWav, ResampledSource, SourceChanged, WavFileSource } from '../../src/io/wav-source.ts';
import { WavFileWriter, WavWriteError } from '../../src/io/wav-stream.ts';
import { resample } from '../../src/io/resample.ts';
import { decodeWav, encodeWav, wavHeader, wavHeaderSize, WAV_FORMATS, type WavFormat } from '../../src/io/wav.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'mixgraph-wav-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic test audio with the awkward values: clipping above full scale, NaN, ±Infinity, denormals. */
function signal(frames: number, channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) =>
    Float32Array.from({ length: frames }, (_, i) => {
      if (i % 997 === 5) return NaN;
      if (i % 1009 === 7) return c ? -Infinity : Infinity;
      if (i % 401 === 3) return 1.3 * (c ? -1 : 1);
      if (i % 503 === 11) return 1e-40;
      return 0.7 * Math.sin(i * 0.0123 * (c + 1)) + 0.05 * Math.sin(i * 1.7);
    }),
  );
}

/** Write `data` through a WavFileWriter in blocks of the given sizes (cycled). */
async function stream(path: string, data: Float32Array[], rate: number, format: WavFormat, blocks: number[], metadata?: NonNullable<Parameters<typeof encodeWav>[3]>['metadata']): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const writer = new WavFileWriter(handle, { channels: data.length, sampleRate: rate, format, frames: data[0].length, metadata });
    for (let at = 0, k = 0; at < data[0].length; k++) {
      const n = Math.min(blocks[k % blocks.length], data[0].length - at);
      await writer.write(data, n, at);
      at += n;
    }
    await writer.finish();
  } finally {
    await handle.close();
  }
}

describe('WavFileWriter: the same file as encodeWav', () => {
  test.each(WAV_FORMATS.flatMap((f) => [1, 2, 3].map((ch) => [f, ch] as const)))('%s-bit, %i channel(s): byte for byte, whatever the blocks', async (format, channels) => {
    // An odd frame count (a pad byte for 24-bit mono), blocks of 1, 7, 128 and 100,000 frames
    // (more than the writer's own chunk), TPDF dither for 16-bit carried across blocks.
    const data = signal(200_001, channels);
    const expected = encodeWav(data, 44100, format);
    for (const blocks of [[100_000], [128, 7, 1, 4096], [200_001]]) {
      const path = join(dir, `s-${format}-${channels}-${blocks.join('_')}.wav`);
      await stream(path, data, 44100, format, blocks);
      const bytes = readFileSync(path);
      expect(bytes.length, `${blocks}`).toBe(expected.length);
      expect(Buffer.compare(bytes, Buffer.from(expected)), `blocks ${blocks}: bytes differ`).toBe(0);
    }
  });

  test('with tags (LIST/INFO and ID3 after the data): byte for byte', async () => {
    const data = signal(48_001, 2);
    const metadata = { title: 'Nacht – Fahrt', artist: 'The Examples', album: 'Night Drive', isrc: 'GB-AYE-24-00001', track: '2/9', software: 'Mixgraph' };
    for (const format of WAV_FORMATS) {
      const path = join(dir, `tags-${format}.wav`);
      await stream(path, data, 48000, format, [1000], metadata);
      expect(Buffer.compare(readFileSync(path), Buffer.from(encodeWav(data, 48000, format, { metadata }))), format).toBe(0);
    }
  });

  test('writing more or fewer frames than laid out is refused; a file-system failure is a WavWriteError', async () => {
    const data = signal(1000, 1);
    const handle = await open(join(dir, 'count.wav'), 'w');
    try {
      const writer = new WavFileWriter(handle, { channels: 1, sampleRate: 48000, format: '24', frames: 1000 });
      await writer.write(data, 600);
      await expect(writer.finish()).rejects.toThrow('laid out for 1000 frames; 600 were written');
      await expect(writer.write(data, 500, 600)).rejects.toThrow('1100 were written');
    } finally {
      await handle.close();
    }
    const readOnly = await open(join(dir, 'count.wav'), 'r');
    const writer = new WavFileWriter(readOnly, { channels: 1, sampleRate: 48000, format: '24', frames: 1000 });
    await writer.write(data, 1000);
    await expect(writer.finish()).rejects.toBeInstanceOf(WavWriteError);
    await readOnly.close();
  });
});

describe('RF64 past 4 GiB (EBU Tech 3306)', () => {
  const bytes = (frames: number, channels: number, format: WavFormat) => frames * channels * (format === '16' ? 2 : format === '24' ? 3 : 4);

  test('the container switches exactly when the RIFF size field (4 GiB - 1) cannot hold the file', () => {
    // 24-bit stereo: 6 bytes a frame, 44-byte header (36 of them counted in the RIFF size).
    const limit = Math.floor((0xffffffff - 36) / 6);
    expect(wavHeaderSize({ channels: 2, sampleRate: 48000, format: '24', frames: limit }).rf64).toBe(false);
    expect(wavHeaderSize({ channels: 2, sampleRate: 48000, format: '24', frames: limit + 1 }).rf64).toBe(true);
    // Metadata after the data counts too.
    expect(wavHeaderSize({ channels: 2, sampleRate: 48000, format: '24', frames: limit, extraBytes: 100 }).rf64).toBe(true);
    const riff = wavHeader({ channels: 2, sampleRate: 48000, format: '24', frames: limit });
    expect(String.fromCharCode(...riff.subarray(0, 4))).toBe('RIFF');
    expect(riff.length).toBe(44);
    const rf64 = wavHeader({ channels: 2, sampleRate: 48000, format: '24', frames: limit + 1 });
    expect(String.fromCharCode(...rf64.subarray(0, 4))).toBe('RF64');
    expect(String.fromCharCode(...rf64.subarray(12, 16))).toBe('ds64');
    expect(rf64.length).toBe(44 + 36);
  });

  test.each(WAV_FORMATS)('%s: a 5 GiB file (sparse) has an RF64 header our reader and ffprobe read back; its last frames read right', async (format) => {
    const channels = 2;
    const frames = Math.ceil((5 * 1024 ** 3) / bytes(1, channels, format));
    const header = wavHeader({ channels, sampleRate: 48000, format, frames });
    const path = join(dir, `big-${format}.wav`);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, header, 0, header.length, 0);
      // The last 1000 frames are real samples; everything before them is a hole.
      const tail = signal(1000, channels).map((c) => c.map((v) => (Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0)));
      const encoded = encodeWav(tail, 48000, format);
      const data = encoded.subarray(wavHeaderSize({ channels, sampleRate: 48000, format, frames: 1000 }).bytes);
      const end = header.length + bytes(frames, channels, format);
      ftruncateSync(fd, end - data.length);
      writeSync(fd, data, 0, data.length, end - data.length);
      closeSync(fd);
      const opened = (await openWav(path))!;
      try {
        expect(opened.info.container).toBe('RF64');
        expect(opened.info.frames).toBe(frames);
        expect(opened.info.dataStart).toBe(header.length);
        expect(opened.warnings).toEqual([]);
        const source = new WavFileSource(opened.fd, opened.info);
        const out = [new Float32Array(1000), new Float32Array(1000)];
        source.read(frames - 1000, 1000, out);
        const expected = decodeWav(encoded).channels;
        for (let c = 0; c < channels; c++) expect(out[c]).toEqual(expected[c]);
        // ...and the silence of the hole before them
        source.read(frames / 2, 10, out);
        expect([...out[0].subarray(0, 10)]).toEqual(new Array(10).fill(0));
      } finally {
        await opened.file.handle.close();
      }
      const probe = JSON.parse((await run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', path])).stdout);
      expect(Number(probe.streams[0].duration_ts)).toBe(frames);
    } finally {
      rmSync(path, { force: true });
    }
  });
});

describe('WavFileSource: a WAV file read from disk block by block', () => {
  test.each([['16'], ['24'], ['32f']] as const)('%s: any read, in order or not, equals the file decoded whole', async (format) => {
    const data = signal(50_000, 3);
    const bytes = encodeWav(data, 44100, format);
    const path = join(dir, `read-${format}.wav`);
    writeFileSync(path, bytes);
    const whole = decodeWav(bytes).channels;
    const opened = (await openWav(path))!;
    try {
      const source = new WavFileSource(opened.fd, opened.info);
      expect([source.frames, source.channels, source.sampleRate]).toEqual([50_000, 3, 44100]);
      const out = whole.map(() => new Float32Array(20_000));
      for (const [start, count] of [[0, 128], [128, 9000], [9128, 20_000], [3, 5], [49_000, 1000], [8191, 2]]) {
        source.read(start, count, out);
        for (let c = 0; c < 3; c++) expect(out[c].subarray(0, count), `${start}+${count}`).toEqual(whole[c].subarray(start, start + count));
      }
    } finally {
      await opened.file.handle.close();
    }
  });

  test('a file cut short while it is read is a SourceChanged error naming it, not silence', async () => {
    const path = join(dir, 'shrinks.wav');
    writeFileSync(path, encodeWav(signal(100_000, 1), 48000, '24'));
    const opened = (await openWav(path))!;
    try {
      const source = new WavFileSource(opened.fd, opened.info, '"shrinks.wav"');
      const out = [new Float32Array(1000)];
      source.read(0, 1000, out);
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, 44 + 3 * 50_000);
      closeSync(fd);
      expect(() => source.read(60_000, 1000, out)).toThrow(SourceChanged);
      expect(() => source.read(60_000, 1000, out)).toThrow('"shrinks.wav" became shorter while it was read');
    } finally {
      await opened.file.handle.close();
    }
  });
});

describe('ResampledSource: converted while it streams, the same samples as resample() of the whole file', () => {
  test.each([
    [44100, 48000, 3],
    [48000, 44100, 22], // over libsamplerate-js's 1,008,000-sample switch to pieces (21 s)
    [96000, 48000, 1],
  ])('%i -> %i Hz, %i s', async (from, to, seconds) => {
    const data = signal(Math.round(from * seconds), 2).map((c) => c.map((v) => (Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) * 0.9 : 0)));
    const path = join(dir, `rs-${from}-${to}.wav`);
    writeFileSync(path, encodeWav(data, from, '32f'));
    const opened = (await openWav(path))!;
    try {
      const source = await ResampledSource.create(new WavFileSource(opened.fd, opened.info), to);
      const whole = await resample(decodeWav(readFileSync(path)).channels, from, to);
      expect(source.frames).toBe(whole[0].length);
      const out = [new Float32Array(source.frames), new Float32Array(source.frames)];
      // Reads of odd sizes, in order, as a track reads: 128-frame blocks with a 37-frame one in between.
      for (let at = 0, k = 0; at < source.frames; k++) {
        const n = Math.min(k % 5 === 0 ? 37 : 128, source.frames - at);
        source.read(at, n, [out[0].subarray(at), out[1].subarray(at)]);
        at += n;
      }
      for (let c = 0; c < 2; c++) expect(out[c]).toEqual(whole[c]);
      // The end is flushed, not left at zero (the last 150 frames of a long file were silent before)
      expect(Math.max(...out[0].subarray(source.frames - 200).map(Math.abs))).toBeGreaterThan(0.01);
      expect(() => source.read(0, 10, out)).toThrow('reads forward only');
      source.destroy();
    } finally {
      await opened.file.handle.close();
    }
  });
});
