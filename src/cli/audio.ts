// Reading audio files for every command: the file is opened and checked as a regular file within the
// size limit (src/io/files.ts), then decoded by the one reading path (src/io/audio.ts) that the editor
// uses too, so all of them accept and refuse the same files with the same reasons.
import { AudioFormatError, decodeAudio, nonFiniteError, type DecodedAudio } from '../io/audio.ts';
import { MAX_AUDIO_BYTES } from '../io/audio-limits.ts';
import { InputRefused, readRegularFile } from '../io/files.ts';
import { countNonFinite, openWav } from '../io/wav-source.ts';
import type { SourceSpec } from '../engine/node.ts';
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
    // The host's decoder and the resampler are loaded when a file needs them: analyze of a WAV file
    // starts without them (and without the runtime they sit beside).
    // At the file's own rate when its header tells it: the conversion is libsamplerate's (below),
    // not the host decoder's (node-web-audio-api's: 13 dB SNR at 10 kHz).
    audio = await decodeAudio(bytes, async (b, _container, fileRate) => (await import('../engine/node.ts')).decodeCompressed(b, fileRate ?? rate ?? 48000));
  } catch (err) {
    if (err instanceof AudioFormatError) throw new AudioReadError('decode', err.message);
    throw err;
  }
  if (rate !== null && audio.sampleRate !== rate) audio = { ...audio, channels: await (await import('../io/resample.ts')).resample(audio.channels, audio.sampleRate, rate), sampleRate: rate };
  return audio;
}

/** An audio file ready to play: streamed from disk (WAV) or decoded whole (the other formats). */
export interface OpenedAudio {
  spec: SourceSpec;
  /** The file's own rate (what a delivery keeps when it is 44.1 or 48 kHz). */
  fileRate: number | null;
  channels: number;
  warnings: string[];
  /** Close the file (a streamed one stays open until then). */
  close(): Promise<void>;
}

/**
 * Open `path` for a render at `rate` (null: the file's own rate): a WAV file stays open and is read
 * in blocks while the render runs, converted on the fly when its rate differs, with no size limit;
 * any other format is read whole (at most 2 GiB) and decoded as loadAudio does. The same checks
 * and the same words as loadAudio; throws AudioReadError.
 */
export async function openAudio(path: string, rate: number | null): Promise<OpenedAudio> {
  let wav;
  try {
    wav = await openWav(path);
  } catch (err) {
    if (err instanceof InputRefused) throw new AudioReadError('read', err.message);
    if (err instanceof AudioFormatError) throw new AudioReadError('decode', err.message);
    throw err;
  }
  if (!wav) {
    const audio = await loadAudio(path, rate);
    return { spec: { kind: 'memory', channels: audio.channels, sampleRate: audio.sampleRate }, fileRate: audio.fileRate, channels: audio.channels.length, warnings: audio.warnings, close: async () => {} };
  }
  const { info } = wav;
  const close = () => wav.file.handle.close().catch(() => {});
  // Float files can hold NaN and infinities: refused like a file read whole, before any work.
  const bad = countNonFinite(wav.fd, info);
  if (bad.count) {
    await close();
    throw new AudioReadError('decode', nonFiniteError(bad.count, bad.first, info.sampleRate).message);
  }
  return { spec: { kind: 'wav', fd: wav.fd, info, sampleRate: rate ?? info.sampleRate }, fileRate: info.sampleRate, channels: info.channels, warnings: wav.warnings, close };
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

/** openAudio for a command's own input: problems become one CliError line, warnings go to `warn` (see readAudio). */
export async function openInput(path: string, rate: number | null, what = 'audio file', warn?: (line: string) => void): Promise<OpenedAudio> {
  try {
    const audio = await openAudio(path, rate);
    for (const w of audio.warnings) warn?.(`mixgraph: warning: ${what} ${JSON.stringify(path)}: ${w}`);
    return audio;
  } catch (err) {
    if (err instanceof AudioReadError) throw new CliError(`mixgraph: cannot ${err.stage} ${what} ${JSON.stringify(path)}: ${err.reason}`);
    throw err;
  }
}
