// Compressed files at another rate than the render's: decoded at their own rate (read from the header),
// then converted by libsamplerate, not by the host decoder (node-web-audio-api's resampling left a
// 10 kHz tone 13 dB above its own distortion). Real files made by ffmpeg; ffmpeg is required (CI installs it).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { loadAudio } from '../../src/cli/audio.ts';
import { compressedRate } from '../../src/io/audio.ts';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'mixgraph-compressed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FORMATS = [
  { ext: 'ogg', container: 'ogg' as const, args: ['-c:a', 'libvorbis', '-q:a', '8'] },
  { ext: 'mp3', container: 'mp3' as const, args: ['-c:a', 'libmp3lame', '-b:a', '320k'] },
  { ext: 'flac', container: null, args: ['-c:a', 'flac'] },
];

beforeAll(async () => {
  for (const f of FORMATS) {
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=10000:sample_rate=44100:duration=2', '-af', 'volume=0.5', '-ar', '44100', ...f.args, join(tmp, `tone.${f.ext}`)]);
  }
});

/** Level of the best-fitting 10 kHz sine against everything else, over the middle second (dB). */
function toneToResidual(x: Float32Array, rate: number, freq: number): number {
  const from = Math.round(rate * 0.5), to = Math.round(rate * 1.5);
  let sc = 0, cc = 0, ss = 0, cs = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    sc += x[i] * Math.sin(w); cc += x[i] * Math.cos(w);
    ss += Math.sin(w) ** 2; cs += Math.cos(w) ** 2;
  }
  const a = sc / ss, b = cc / cs;
  let tone = 0, rest = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    const fit = a * Math.sin(w) + b * Math.cos(w);
    tone += fit * fit; rest += (x[i] - fit) ** 2;
  }
  return 10 * Math.log10(tone / rest);
}

describe('compressed sources at another rate', () => {
  test.each(FORMATS.filter((f) => f.container))('the $ext header gives the file\'s rate', ({ ext, container }) => {
    expect(compressedRate(new Uint8Array(readFileSync(join(tmp, `tone.${ext}`))), container!)).toBe(44100);
  });

  test.each(FORMATS)('a 44.1 kHz $ext tone read at 48 kHz keeps its purity', async ({ ext }) => {
    const audio = await loadAudio(join(tmp, `tone.${ext}`), 48000);
    expect(audio.sampleRate).toBe(48000);
    expect(audio.fileRate).toBe(44100);
    const snr = toneToResidual(audio.channels[0], 48000, 10000);
    // Lossy codecs add their own noise; libsamplerate adds far less. 13 dB was the host decoder's.
    expect(snr).toBeGreaterThan(ext === 'flac' ? 70 : 40);
  });
});
