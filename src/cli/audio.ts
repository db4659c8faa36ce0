// Reading audio files for every command: the file is opened and checked as a regular file within the
// size limit (src/io/files.ts), then decoded by the one reading path (src/io/audio.ts) that the editor
// uses too, so all of them accept and refuse the same files with the same reasons.
import { AudioFormatError, decodeAudio, type DecodedAudio } from '../io/audio.ts';
import { MAX_AUDIO_BYTES } from '../io/audio-limits.ts';
import { InputRefused, readRegularFile } from '../io/files.ts';
import { decodeCompressed } from '../engine/node.ts';
import { resample } from '../io/resample.ts';
import { CliError } from './errors.ts';


export type ReadAudio = DecodedAudio;

/** Why `path` could not be read or decoded, without naming it: for callers that word their own line. */
export class AudioReadError extends Error {
  constructor(
    readonly stage: 'read' | 'decode',
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Read and decode `path`, converted to `rate` when given and different from the file's (null keeps
 * the file's own rate). Throws AudioReadError.
 */
export async function loadAudio(path: string, rate: number | null): Promise<ReadAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, MAX_AUDIO_BYTES);
  } catch (err) {
    if (err instanceof InputRefused) throw new AudioReadError('read', err.message);
    throw err;
  }
  let audio: DecodedAudio;
  try {
    audio = await decodeAudio(bytes, (b, _container, fileRate) => decodeCompressed(b, rate ?? fileRate ?? 48000));
  } catch (err) {
    if (err instanceof AudioFormatError) throw new AudioReadError('decode', err.message);
    throw err;
  }
  if (rate !== null && audio.sampleRate !== rate) audio = { ...audio, channels: await resample(audio.channels, audio.sampleRate, rate), sampleRate: rate };
  return audio;
}

/**
 * loadAudio for a command's own input: problems become one CliError line naming `what` and the file;
 * warnings (a file cut short) go to `warn`.
 */
export async function readAudio(path: string, rate: number | null, what = 'audio file', warn?: (line: string) => void): Promise<ReadAudio> {
  try {
    const audio = await loadAudio(path, rate);
    for (const w of audio.warnings) warn?.(`mixgraph: warning: ${what} ${JSON.stringify(path)}: ${w}`);
    return audio;
  } catch (err) {
    if (err instanceof AudioReadError) throw new CliError(`mixgraph: cannot ${err.stage} ${what} ${JSON.stringify(path)}: ${err.reason}`);
    throw err;
  }
}
