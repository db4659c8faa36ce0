// Delivery metadata in WAV files, checked with the readers people use: ffprobe (ffmpeg) and music-metadata,
// besides our own readWavMetadata. Real files in a temp folder, every format at 44.1 and 48 kHz.
// ffprobe/ffmpeg are required: without them these tests fail (CI installs ffmpeg), they do not skip.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { decodeWav, encodeWav, readWavMetadata, type WavFormat, type WavMetadataInput } from '../../src/io/wav.ts';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'mixgraph-metadata-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MISSING_FFMPEG = 'ffprobe/ffmpeg not found on PATH: install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) to run the WAV metadata tests';

async function tool(name: 'ffprobe' | 'ffmpeg', args: string[]): Promise<string> {
  try {
    return (await run(name, args, { encoding: 'utf8', maxBuffer: 16 << 20 })).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(MISSING_FFMPEG);
    throw error;
  }
}

interface Probe {
  format: { duration: string; tags?: Record<string, string> };
  streams: { codec_name: string; sample_rate: string; channels: number; bits_per_sample: number; duration_ts: number }[];
}
const probe = async (path: string): Promise<Probe> => JSON.parse(await tool('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]));

beforeAll(async () => {
  await tool('ffprobe', ['-version']);
});

// music-metadata 11.16 warns "Data chunk size exceeds file size" for every WAV, also one without any
// metadata (it compares the chunk size after subtracting it from what remains): not a problem of ours.
const realWarnings = (warnings: { message: string }[]) => warnings.filter((w) => w.message !== 'Data chunk size exceeds file size');

const chunkIds = (bytes: Uint8Array) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ids: { id: string; at: number; size: number }[] = [];
  for (let p = 12; p + 8 <= bytes.length; ) {
    const size = view.getUint32(p + 4, true);
    ids.push({ id: String.fromCharCode(...bytes.subarray(p, p + 4)), at: p, size });
    p += 8 + size + (size & 1);
  }
  return ids;
};

/** The same file without the given chunks (RIFF size fixed up). */
function withoutChunks(bytes: Uint8Array, drop: string[]): Uint8Array {
  const parts = [bytes.subarray(0, 12)];
  for (const c of chunkIds(bytes)) if (!drop.includes(c.id)) parts.push(bytes.subarray(c.at, c.at + 8 + c.size + (c.size & 1)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

const META: WavMetadataInput = {
  title: 'Björk – Jóga',
  artist: '東京事変',
  album: 'Homogenic (Ünïcode “edition”)',
  isrc: 'gb-aye-97-00102', // any accepted form in, 12 upper-case characters out
  comment: 'Mastered with Mixgraph – −14 LUFS',
  date: '1997-09-22',
  track: 2,
  software: 'Mixgraph 0.1.0',
};
const ISRC = 'GBAYE9700102';

/** A signal on the format's exact grid (k / 2^(bits-1), or any float for 32f), so that decoding must give it back exactly. */
function gridSignal(frames: number, format: WavFormat, phase: number): Float32Array {
  const scale = format === '16' ? 32768 : format === '24' ? 8388608 : 0;
  return Float32Array.from({ length: frames }, (_, i) => {
    const x = 0.8 * Math.sin(2 * Math.PI * 997 * (i / 48000) + phase);
    return scale ? Math.round(x * scale) / scale : x;
  });
}

const CASES = (['16', '24', '32f'] as const).flatMap((format) => [44100, 48000].map((rate) => ({ format, rate, label: `${format === '32f' ? '32-bit float' : `${format}-bit`} at ${rate} Hz` })));

/** Exact equality of samples or bytes, without vitest's slow element-by-element diff of large typed arrays. */
function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>) {
  expect(actual.length).toBe(expected.length);
  let differing = 0;
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) differing++;
  expect(differing, 'values that differ').toBe(0);
}

describe('WAV metadata read back by ffprobe, music-metadata and readWavMetadata', () => {
  test.each(CASES)('$label', async ({ format, rate }) => {
    const frames = Math.round(rate * 0.25) + 1; // 0.25 s and one frame: a duration that is not a round number
    const channels = [gridSignal(frames, format, 0), gridSignal(frames, format, 1)];
    // dither off so that the grid signal survives 16-bit exactly; dither itself is tested in tests/cli/units.test.ts
    const bytes = encodeWav(channels, rate, format, { metadata: META, dither: false });
    const path = join(tmp, `meta-${format}-${rate}.wav`);
    writeFileSync(path, bytes);

    // Layout: audio chunks first, then CSET (text is non-ASCII), LIST/INFO and id3; sizes add up.
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    const ids = chunkIds(bytes);
    expect(ids.map((c) => c.id)).toEqual([...(format === '32f' ? ['fmt ', 'fact'] : ['fmt ']), 'data', 'CSET', 'LIST', 'id3 ']);
    const last = ids[ids.length - 1];
    expect(last.at + 8 + last.size + (last.size & 1)).toBe(bytes.length);
    // Before the metadata the file is byte for byte the one written without it (except the RIFF size).
    const plain = encodeWav(channels, rate, format, { dither: false });
    expectSame(bytes.subarray(8, plain.length), plain.subarray(8));

    const ff = await probe(path);
    expect(ff.format.tags).toEqual({
      title: 'Björk – Jóga',
      artist: '東京事変',
      album: 'Homogenic (Ünïcode “edition”)',
      ISRC, // INFO "ISRC": ffmpeg drops the id3 chunk when INFO is present (see src/io/metadata.ts)
      comment: 'Mastered with Mixgraph – −14 LUFS',
      date: '1997-09-22',
      track: '2',
      encoder: 'Mixgraph 0.1.0',
    });
    const [stream] = ff.streams;
    expect(ff.streams).toHaveLength(1);
    expect(stream.codec_name).toBe({ '16': 'pcm_s16le', '24': 'pcm_s24le', '32f': 'pcm_f32le' }[format]);
    expect(Number(stream.sample_rate)).toBe(rate);
    expect(stream.channels).toBe(2);
    expect(stream.bits_per_sample).toBe(format === '16' ? 16 : format === '24' ? 24 : 32);
    expect(stream.duration_ts).toBe(frames); // exact frame count: the metadata is not taken for audio
    expect(Number(ff.format.duration)).toBeCloseTo(frames / rate, 5); // printed with 6 decimals

    const mm = await parseFile(path);
    expect(mm.common.title).toBe('Björk – Jóga');
    expect(mm.common.artist).toBe('東京事変');
    expect(mm.common.album).toBe('Homogenic (Ünïcode “edition”)');
    expect(mm.common.isrc).toEqual([ISRC]);
    expect(mm.common.comment?.map((c) => c.text)).toEqual(['Mastered with Mixgraph – −14 LUFS']);
    expect(mm.common.year).toBe(1997);
    expect(mm.common.date).toBe('1997-09-22');
    expect(mm.common.track.no).toBe(2);
    // INFO decoded as UTF-8 thanks to the CSET chunk: the native RIFF tags are right too, not mojibake.
    expect(mm.native.exif?.find((t) => t.id === 'INAM')?.value).toBe('Björk – Jóga');
    expect(mm.native['ID3v2.3']?.find((t) => t.id === 'TSRC')?.value).toBe(ISRC);
    expect(mm.format.sampleRate).toBe(rate);
    expect(mm.format.bitsPerSample).toBe(format === '16' ? 16 : format === '24' ? 24 : 32);
    expect(mm.format.numberOfChannels).toBe(2);
    expect(mm.format.numberOfSamples).toBe(frames);
    expect(realWarnings(mm.quality.warnings)).toEqual([]);

    expect(readWavMetadata(bytes)).toEqual({ ...META, isrc: ISRC, track: '2' });

    const decoded = decodeWav(readFileSync(path));
    expect(decoded.sampleRate).toBe(rate);
    expect(decoded.format).toBe(format);
    // exact: the same samples, and no metadata bytes taken as audio
    expect(decoded.channels).toHaveLength(2);
    expectSame(decoded.channels[0], channels[0]);
    expectSame(decoded.channels[1], channels[1]);
  });

  test('ffmpeg reads our ID3v2.3 tag itself when there is no INFO list (TSRC, UTF-16 text, TYER+TDAT date)', async () => {
    const bytes = withoutChunks(encodeWav([gridSignal(4801, '24', 0)], 48000, '24', { metadata: META }), ['CSET', 'LIST']);
    const path = join(tmp, 'id3-only.wav');
    writeFileSync(path, bytes);
    const ff = await probe(path);
    expect(ff.format.tags).toEqual({
      title: 'Björk – Jóga',
      artist: '東京事変',
      album: 'Homogenic (Ünïcode “edition”)',
      TSRC: ISRC, // ffmpeg has no common name for TSRC and shows the frame id
      comment: 'Mastered with Mixgraph – −14 LUFS',
      date: '1997-09-22', // ffmpeg merges v2.3 TYER 1997 + TDAT 2209
      track: '2',
      encoder: 'Mixgraph 0.1.0',
    });
    expect(ff.streams[0].duration_ts).toBe(4801);
    const mm = await parseFile(path);
    expect([mm.common.title, mm.common.artist, mm.common.album, mm.common.isrc]).toEqual(['Björk – Jóga', '東京事変', 'Homogenic (Ünïcode “edition”)', [ISRC]]);
    expect(readWavMetadata(bytes)).toEqual({ ...META, isrc: ISRC, track: '2' });
  });

  test('ASCII-only text: no CSET chunk, INFO strings padded to even sizes', async () => {
    const meta = { title: 'Intro', artist: 'The Band', album: 'First', isrc: 'USRC17607839', track: '1/12' };
    const frames = 999;
    const bytes = encodeWav([gridSignal(frames, '16', 0)], 44100, '16', { metadata: meta, dither: false });
    expect(chunkIds(bytes).map((c) => c.id)).toEqual(['fmt ', 'data', 'LIST', 'id3 ']);
    // INFO strings are NUL-terminated, sizes count the NUL, odd sizes get a pad byte: "The Band" + NUL = 9 (+1)
    const list = chunkIds(bytes).find((c) => c.id === 'LIST')!;
    const info = bytes.subarray(list.at + 12, list.at + 8 + list.size);
    const subchunks: [string, number][] = [];
    for (let q = 0; q < info.length; ) {
      const size = info[q + 4] | (info[q + 5] << 8);
      subchunks.push([String.fromCharCode(...info.subarray(q, q + 4)), size]);
      expect(info[q + 8 + size - 1]).toBe(0);
      q += 8 + size + (size & 1);
    }
    expect(subchunks).toEqual([['INAM', 6], ['IART', 9], ['IPRD', 6], ['ITRK', 5], ['ISRC', 13]]);
    // ID3 text frames in ISO-8859-1 (encoding byte 0) when the text is ASCII
    const id3 = chunkIds(bytes).find((c) => c.id === 'id3 ')!;
    const tit2 = Buffer.from(bytes.subarray(id3.at + 8)).indexOf('TIT2');
    expect([...bytes.subarray(id3.at + 8 + tit2 + 10, id3.at + 8 + tit2 + 16)]).toEqual([0, ...Buffer.from('Intro')]);
    const path = join(tmp, 'ascii.wav');
    writeFileSync(path, bytes);
    const ff = await probe(path);
    expect(ff.format.tags).toEqual({ title: 'Intro', artist: 'The Band', album: 'First', ISRC: 'USRC17607839', track: '1/12' });
    const mm = await parseFile(path);
    expect([mm.common.title, mm.common.artist, mm.common.album, mm.common.isrc, mm.common.track]).toEqual(['Intro', 'The Band', 'First', ['USRC17607839'], { no: 1, of: 12 }]);
    expect(realWarnings(mm.quality.warnings)).toEqual([]);
    expect(readWavMetadata(bytes)).toEqual(meta);
    expectSame(decodeWav(bytes).channels[0], gridSignal(frames, '16', 0));
  });

  test('an odd-length data chunk (mono 24-bit, odd frames) is padded and the chunks after it still read', async () => {
    const frames = 4411; // 13233 bytes of data: one pad byte before the metadata
    const bytes = encodeWav([gridSignal(frames, '24', 0)], 44100, '24', { metadata: { title: 'Odd', isrc: 'GB-AYE-24-00001' } });
    const data = chunkIds(bytes).find((c) => c.id === 'data')!;
    expect(data.size).toBe(13233);
    expect(bytes[data.at + 8 + data.size]).toBe(0);
    const path = join(tmp, 'odd.wav');
    writeFileSync(path, bytes);
    const ff = await probe(path);
    expect(ff.format.tags).toEqual({ title: 'Odd', ISRC: 'GBAYE2400001' });
    expect(ff.streams[0].duration_ts).toBe(frames);
    expect((await parseFile(path)).common.isrc).toEqual(['GBAYE2400001']);
    expectSame(decodeWav(bytes).channels[0], gridSignal(frames, '24', 0));
  });

  test('decodeWav and readWavMetadata read a file ffmpeg wrote (extensible fmt, bext, INFO before data)', async () => {
    const path = join(tmp, 'from-ffmpeg.wav');
    await tool('ffmpeg', [
      '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000:duration=0.1',
      '-c:a', 'pcm_s24le', '-write_bext', '1',
      // ffmpeg's own way to store an ISRC in a WAV: its "ISRC" key goes to INFO ISRC, as ours does
      '-metadata', 'title=Jóga', '-metadata', 'artist=東京', '-metadata', 'album=Homogenic', '-metadata', 'ISRC=GB-AYE-97-00102',
      path,
    ]);
    const bytes = new Uint8Array(readFileSync(path));
    const ids = chunkIds(bytes).map((c) => c.id);
    expect(ids).toEqual(['fmt ', 'bext', 'LIST', 'data']); // ffmpeg puts its tags before the audio
    expect(bytes[20] | (bytes[21] << 8)).toBe(0xfffe); // WAVE_FORMAT_EXTENSIBLE, as ffmpeg writes 24-bit
    const decoded = decodeWav(bytes);
    expect(decoded.format).toBe('24');
    expect(decoded.channels[0].length).toBe(4800);
    // ffmpeg's sine source has amplitude 1/8: -18.06 dBFS peak
    expect(Math.max(...decoded.channels[0].map(Math.abs))).toBeCloseTo(0.125, 3);
    expect(readWavMetadata(bytes)).toEqual({ title: 'Jóga', artist: '東京', album: 'Homogenic', isrc: 'GBAYE9700102', software: expect.stringMatching(/^Lavf/) });
  });

  test('readWavMetadata reads an ID3v2.4 tag (UTF-8, syncsafe frame sizes, TDRC) as music-metadata does', async () => {
    // Other taggers write v2.4: build one by the spec (ID3v2.4.0 structure, sections 3.1 and 4) and compare readers.
    const syncsafe = (n: number) => [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];
    const frame = (id: string, text: string) => {
      const body = [3, ...Buffer.from(text, 'utf8')]; // encoding 3 = UTF-8
      return [...Buffer.from(id), ...syncsafe(body.length), 0, 0, ...body];
    };
    const long = 'x'.repeat(200); // a frame over 127 bytes, where syncsafe and plain sizes differ
    const frames = [...frame('TIT2', 'Jóga'), ...frame('TPE1', '東京'), ...frame('TSRC', 'GBAYE9700102'), ...frame('TDRC', '1997-09-22'), ...frame('TALB', long)];
    const tag = Uint8Array.from([...Buffer.from('ID3'), 4, 0, 0, ...syncsafe(frames.length), ...frames]);
    const plain = encodeWav([gridSignal(480, '24', 0)], 48000, '24');
    const bytes = new Uint8Array(plain.length + 8 + tag.length + (tag.length & 1));
    bytes.set(plain);
    bytes.set([...Buffer.from('id3 '), tag.length & 0xff, (tag.length >> 8) & 0xff, 0, 0], plain.length);
    bytes.set(tag, plain.length + 8);
    new DataView(bytes.buffer).setUint32(4, bytes.length - 8, true);
    const path = join(tmp, 'id3v24.wav');
    writeFileSync(path, bytes);
    const mm = await parseFile(path);
    expect([mm.common.title, mm.common.artist, mm.common.isrc, mm.common.date, mm.common.album]).toEqual(['Jóga', '東京', ['GBAYE9700102'], '1997-09-22', long]);
    expect(readWavMetadata(bytes)).toEqual({ title: 'Jóga', artist: '東京', isrc: 'GBAYE9700102', date: '1997-09-22', album: long });
    expect((await probe(path)).format.tags).toEqual({ title: 'Jóga', artist: '東京', TSRC: 'GBAYE9700102', date: '1997-09-22', album: long });
  });

  test('bad metadata is refused before anything is written; empty metadata changes nothing', () => {
    const x = [new Float32Array(10)];
    expect(() => encodeWav(x, 48000, '24', { metadata: { isrc: 'US-RC1-76-0783' } })).toThrow(
      new RangeError('ISRC "US-RC1-76-0783": the designation code must be 5 digits (expected CC-XXX-YY-NNNNN, e.g. GB-AYE-24-00001)'),
    );
    expect(() => encodeWav(x, 48000, '24', { metadata: { date: '22/09/1997' } })).toThrow('metadata date "22/09/1997" must be YYYY, YYYY-MM or YYYY-MM-DD');
    expect(() => encodeWav(x, 48000, '24', { metadata: { track: 0 } })).toThrow('metadata track "0" must be a positive whole number');
    expect(() => encodeWav(x, 48000, '24', { metadata: { title: 'a\0b' } })).toThrow('metadata title contains a NUL character');
    expect(encodeWav(x, 48000, '16', { metadata: {} })).toEqual(encodeWav(x, 48000, '16'));
    expect(encodeWav(x, 48000, '16', { metadata: { title: '', isrc: undefined } })).toEqual(encodeWav(x, 48000, '16'));
  });
});
