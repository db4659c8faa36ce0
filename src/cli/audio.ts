// Reading audio files for analyze, master and album: WAV decoded exactly by our own reader (any
// rate, up to 8 channels, no resampling); FLAC, MP3 and OGG through node-web-audio-api's decoder at
// the file's own rate where the header tells it (WAV, FLAC), else at the rate asked for.
import { readFile, stat } from 'node:fs/promises';

import { decodeFile, decodingContext } from '../engine/node.ts';
import type { Audio } from '../mastering/master.ts';
import { decodeWav, wavChunks } from '../io/wav.ts';
import { CliError, fsReason } from './errors.ts';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './limits.ts';

/** 2 GiB: larger files are refused before being read into memory. */
export const MAX_AUDIO_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** The sample rate a WAV or FLAC header states, or null for other formats. */
export function headerSampleRate(bytes: Uint8Array): number | null {
  const chunks = wavChunks(bytes);
  if (chunks) {
    // The first fmt chunk whose rate field (bytes 4-7 of its data) is in the file.
    const fmt = chunks.find((c) => c.id === 'fmt ' && c.start + 8 <= bytes.length);
    return fmt ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(fmt.start + 4, true) : null;
  }
  // FLAC: "fLaC", then the STREAMINFO block; its sample rate is 20 bits at byte 18 of the file.
  if (bytes.length >= 22 && String.fromCharCode(...bytes.subarray(0, 4)) === 'fLaC') return (bytes[18] << 12) | (bytes[19] << 4) | (bytes[20] >> 4);
  return null;
}

export interface ReadAudio extends Audio {
  /** The rate stored in the file, when its header states one. */
  fileRate: number | null;
}

/**
 * Read and decode `path`. `rate`: the rate to decode at; null keeps the file's own (48 kHz for
 * formats whose header we do not read). `what` names the file in messages.
 */
export async function readAudio(path: string, rate: number | null, what = 'audio file'): Promise<ReadAudio> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`mixgraph: ${what} ${JSON.stringify(path)} is a directory`);
    if (info.size > MAX_AUDIO_BYTES) throw new CliError(`mixgraph: ${what} ${JSON.stringify(path)} is ${info.size} bytes, more than the 2 GiB limit`);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`mixgraph: cannot read ${what} ${JSON.stringify(path)}: ${fsReason(err)}`);
  }
  const fileRate = headerSampleRate(bytes);
  if (fileRate !== null && (fileRate < MIN_SAMPLE_RATE || fileRate > MAX_SAMPLE_RATE)) {
    throw new CliError(`mixgraph: ${what} ${JSON.stringify(path)} is at ${fileRate} Hz; Mixgraph works from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz`);
  }
  const target = rate ?? fileRate ?? 48000;
  const isWav = bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF';
  if (isWav && fileRate === target) {
    try {
      const wav = decodeWav(bytes);
      if (wav.channels[0].length === 0) throw new Error('it holds no audio');
      return { channels: wav.channels, sampleRate: wav.sampleRate, fileRate };
    } catch (err) {
      // Encodings our reader does not take (8-bit, A-law, ...) go to the general decoder below.
      if (!/unsupported WAV encoding/.test((err as Error).message)) throw new CliError(`mixgraph: cannot decode ${what} ${JSON.stringify(path)}: ${(err as Error).message}`);
    }
  }
  let buffer: AudioBuffer;
  try {
    buffer = await decodeFile(decodingContext(target), path);
  } catch (err) {
    throw new CliError(`mixgraph: cannot decode ${what} ${JSON.stringify(path)}: ${(err as Error).message || 'not a format Mixgraph reads'} (Mixgraph reads WAV, FLAC, MP3 and OGG)`);
  }
  if (buffer.length === 0) throw new CliError(`mixgraph: cannot decode ${what} ${JSON.stringify(path)}: it holds no audio`);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice());
  return { channels, sampleRate: target, fileRate };
}
