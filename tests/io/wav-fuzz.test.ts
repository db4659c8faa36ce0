// Fuzz the audio reader: 12,000 WAV files mutated by a seeded mutator (sizes, chunk lengths, format
// fields, truncation, insertions, deletions). Every file must be decoded or refused with an
// AudioFormatError; nothing else may be thrown, no file may take long (no hang), and the decoded
// samples may take at most 4 bytes per byte of the file (an 8-bit file's floats): the reader never
// allocates from what a header claims.
import { describe, expect, test } from 'vitest';

import { decodeCompressed } from '../../src/engine/node.ts';
import { AudioFormatError, decodeAudio } from '../../src/io/audio.ts';
import { encodeWav } from '../../src/io/wav.ts';
import { seededRandom } from '../../src/dsp/random.ts';
import { chunk, pcm16, wavBytes } from '../helpers/wav-bytes.ts';

const FILES = 12_000;
const random = seededRandom(0x5eed_f022);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

const tone = (n: number, f: number) => Float32Array.from({ length: n }, (_, i) => 0.4 * Math.sin((2 * Math.PI * f * i) / 48000));
const BASES: Uint8Array[] = [
  wavBytes({ data: pcm16(480) }),
  encodeWav([tone(300, 440), tone(300, 660)], 48000, '24', { metadata: { title: 'Fuzz', artist: 'Seed', isrc: 'GB-AYE-24-00001' } }),
  encodeWav([tone(200, 440), tone(200, 880)], 44100, '32f'),
  wavBytes({ bits: 8, data: Uint8Array.from({ length: 400 }, (_, i) => 128 + Math.round(100 * Math.sin(i / 5))) }),
  wavBytes({ channels: 2, bits: 24, fmtSize: 40, subFormat: 1, data: new Uint8Array(600).map((_, i) => i * 31) }),
  wavBytes({ data: pcm16(256), container: 'RF64' }),
  wavBytes({ tag: 6, bits: 8, data: new Uint8Array(300).map((_, i) => i * 7) }),
  wavBytes({ before: [chunk('JUNK', new Uint8Array(28))], between: [chunk('LIST', new Uint8Array(9))], data: pcm16(200) }),
];

const SPECIAL32 = [0, 1, 2, 3, 7, 8, 16, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, 4_000_000_000, 192_001, 7_999];
const SPECIAL16 = [0, 1, 2, 3, 6, 8, 9, 24, 32, 64, 0xfffe, 0xffff];

/** One to four mutations, most of them in the first 80 bytes (where every header field lives). */
function mutate(base: Uint8Array): Uint8Array {
  let b = base.slice();
  const spot = () => (random() < 0.75 ? int(Math.min(80, b.length)) : int(b.length));
  for (let k = 1 + int(4); k > 0 && b.length > 0; k--) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (int(8)) {
      case 0: // flip bits
        b[spot()] ^= 1 << int(8);
        break;
      case 1: {
        // a 32-bit field (chunk size, rate, byte rate) set to an edge value
        const at = Math.min(spot() & ~1, b.length - 4);
        if (at >= 0) view.setUint32(at, random() < 0.7 ? pick(SPECIAL32) : (random() * 2 ** 32) >>> 0, true);
        break;
      }
      case 2: {
        // a 16-bit field (tag, channels, block align, bits)
        const at = Math.min(spot() & ~1, b.length - 2);
        if (at >= 0) view.setUint16(at, pick(SPECIAL16), true);
        break;
      }
      case 3: // cut short anywhere
        b = b.slice(0, int(b.length));
        break;
      case 4: {
        // insert random bytes
        const at = spot();
        const extra = Uint8Array.from({ length: 1 + int(16) }, () => int(256));
        b = Uint8Array.from([...b.subarray(0, at), ...extra, ...b.subarray(at)]);
        break;
      }
      case 5: {
        // delete a range
        const at = spot();
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + 1 + int(12)))]);
        break;
      }
      case 6: {
        // repeat a piece (a second fmt or data header, say)
        const at = spot();
        const piece = b.subarray(at, at + 8 + int(24));
        b = Uint8Array.from([...b.subarray(0, at), ...piece, ...b.subarray(at)]);
        break;
      }
      default: // random byte
        b[spot()] = int(256);
    }
  }
  return b;
}

describe('audio reader fuzz', () => {
  test(`${FILES} mutated WAV files: each decoded or refused cleanly, quickly, within the memory bound`, { timeout: 120_000 }, async () => {
    let decoded = 0;
    let refused = 0;
    let slowest = 0;
    const others: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const bytes = mutate(BASES[i % BASES.length]);
      const t0 = performance.now();
      try {
        const audio = await decodeAudio(bytes, (b, _c, rate) => decodeCompressed(b, rate ?? 48000));
        decoded++;
        const samples = audio.channels.reduce((n, c) => n + c.length, 0);
        expect(audio.channels.length).toBeGreaterThanOrEqual(1);
        expect(audio.channels.length).toBeLessThanOrEqual(8);
        expect(audio.channels[0].length).toBeGreaterThan(0);
        expect(audio.sampleRate).toBeGreaterThanOrEqual(8000);
        expect(audio.sampleRate).toBeLessThanOrEqual(192000);
        // The stated bound: 4 bytes of float per byte of file (an 8-bit file), for our WAV reader.
        if (audio.container === 'wav') expect(samples * 4).toBeLessThanOrEqual(bytes.length * 4);
        for (const c of audio.channels) for (const v of c) if (!Number.isFinite(v)) throw new Error(`file ${i}: a non-finite sample was returned`);
      } catch (err) {
        if (err instanceof AudioFormatError) refused++;
        else others.push(`file ${i}: ${(err as Error)?.name}: ${(err as Error)?.message}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    expect(others).toEqual([]);
    // Both outcomes must be common, or the mutator is not testing anything.
    expect(decoded).toBeGreaterThan(FILES / 10);
    expect(refused).toBeGreaterThan(FILES / 10);
    // No file of a few kB takes long: nothing loops on a hostile header.
    expect(slowest).toBeLessThan(2000);
  });
});
