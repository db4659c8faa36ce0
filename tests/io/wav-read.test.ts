// The one audio reader: every WAV encoding it takes decodes to the right numbers, every file it
// refuses is refused with its reason, whatever decodes it.
import { describe, expect, test } from 'vitest';

import { decodeCompressed } from '../../src/engine/node.ts';
import { AudioFormatError, decodeAudio } from '../../src/io/audio.ts';
import { decodeWav, encodeWav } from '../../src/io/wav.ts';
import { chunk, float32, pcm16, REFUSED, TRUNCATED, wavBytes } from '../helpers/wav-bytes.ts';

const nodeDecoder = (b: Uint8Array, _c: unknown, rate: number | null) => decodeCompressed(b, rate ?? 48000);

describe('WAV encodings', () => {
  test('8-bit PCM is unsigned: 0 -> -1, 128 -> 0, 255 -> 127/128', () => {
    const w = decodeWav(wavBytes({ bits: 8, data: Uint8Array.of(0, 128, 255, 64) }));
    expect([...w.channels[0]]).toEqual([-1, 0, 127 / 128, -0.5]);
    expect(w.format).toBe('8');
  });

  test('32-bit integer PCM: full scale is 2^31', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setInt32(0, -2147483648, true);
    new DataView(data.buffer).setInt32(4, 1073741824, true);
    expect([...decodeWav(wavBytes({ bits: 32, data })).channels[0]]).toEqual([-1, 0.5]);
  });

  test('64-bit float is read (to float32 precision)', () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setFloat64(0, 0.25, true);
    new DataView(data.buffer).setFloat64(8, -0.75, true);
    const w = decodeWav(wavBytes({ tag: 3, bits: 64, data }));
    expect([...w.channels[0]]).toEqual([0.25, -0.75]);
    expect(w.format).toBe('64f');
  });

  test('G.711 A-law and µ-law: the ITU tables (0xd5 / 0xff are the smallest positive steps, 0x80 / 0x80 the largest negative)', () => {
    const a = decodeWav(wavBytes({ tag: 6, bits: 8, data: Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a) })).channels[0];
    // A-law: 0xd5 -> +8, 0x55 -> -8, 0xaa -> +32256, 0x2a -> -32256 (of 32768)
    expect([...a].map((v) => Math.round(v * 32768))).toEqual([8, -8, 32256, -32256]);
    const u = decodeWav(wavBytes({ tag: 7, bits: 8, data: Uint8Array.of(0xff, 0x7f, 0x80, 0x00) })).channels[0];
    // µ-law: 0xff -> 0, 0x7f -> 0, 0x80 -> +32124, 0x00 -> -32124
    expect([...u].map((v) => Math.round(v * 32768))).toEqual([0, 0, 32124, -32124]);
  });

  test('WAVE_FORMAT_EXTENSIBLE 24-bit stereo and RF64 decode like their plain forms', () => {
    const samples = [0.5, -0.25, 0.125, -1];
    const plain = encodeWav([Float32Array.from([0.5, 0.125]), Float32Array.from([-0.25, -1])], 48000, '24');
    const data = plain.subarray(44);
    const ext = decodeWav(wavBytes({ channels: 2, bits: 24, fmtSize: 40, subFormat: 1, data }));
    expect([...ext.channels[0], ...ext.channels[1]]).toEqual([samples[0], samples[2], samples[1], samples[3]]);
    const rf64 = decodeWav(wavBytes({ channels: 2, bits: 24, data, container: 'RF64' }));
    expect(rf64.info.container).toBe('RF64');
    expect([...rf64.channels[0]]).toEqual([0.5, 0.125]);
  });

  test('chunks before and between fmt and data, odd-sized and padded, are skipped', () => {
    const w = decodeWav(wavBytes({ before: [chunk('JUNK', new Uint8Array(27))], between: [chunk('LIST', new Uint8Array(5)), chunk('bext', new Uint8Array(602))], data: pcm16(480) }));
    expect(w.channels[0].length).toBe(480);
    expect(w.channels[0][100]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440 * 100) / 48000), 4);
  });

  test('a file cut short is read with a warning; the frames it holds are all there', () => {
    const w = decodeWav(TRUNCATED.bytes);
    expect(w.channels[0].length).toBe(28800);
    expect(w.warnings.join()).toMatch(TRUNCATED.warning);
  });

  test('a float file reports its NaN and infinite samples (and decodes them as 0)', () => {
    const w = decodeWav(wavBytes({ tag: 3, bits: 32, data: float32([0.5, NaN, -Infinity, 0.25]) }));
    expect(w.nonFinite).toBe(2);
    expect(w.firstNonFinite).toBe(1);
    expect([...w.channels[0]]).toEqual([0.5, 0, 0, 0.25]);
  });
});

describe('refused files', () => {
  test.each(REFUSED.map((f) => [f.name, f] as const))('%s is refused with its reason', async (_name, f) => {
    const failure = await decodeAudio(f.bytes, nodeDecoder).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(AudioFormatError);
    expect((failure as Error).message).toMatch(f.reason);
  });

  test('a header whose data size claims 4 GiB allocates only for the bytes that are there', () => {
    const bytes = wavBytes({ data: pcm16(100), dataSize: 0xfffffff0 });
    const w = decodeWav(bytes);
    expect(w.channels[0].length).toBe(100);
  });
});
