// The one reading path for audio bytes, in the CLI and in the editor alike: recognise the format,
// decode WAV with our own strict reader (src/io/wav-read.ts) and the compressed formats with the
// host's decoder, then apply one set of checks. Messages never name the file: callers add it.
import { AudioFormatError, MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio-limits.ts';
import { decodeWav, isWav } from './wav-read.ts';

export { AudioFormatError } from './audio-limits.ts';

export type AudioContainer = 'wav' | 'flac' | 'ogg' | 'mp3';

export interface DecodedAudio {
  channels: Float32Array[];
  sampleRate: number;
  container: AudioContainer;
  /** The rate stored in the file, when its header states one (WAV, FLAC, OGG, MP3). */
  fileRate: number | null;
  /** Odd but readable (a file cut short): shown to the user, never fatal. */
  warnings: string[];
}

/** Decodes FLAC, OGG and MP3: node-web-audio-api in Node, the AudioContext in the browser. */
export type CompressedDecoder = (bytes: Uint8Array, container: Exclude<AudioContainer, 'wav'>, fileRate: number | null) => Promise<{ channels: Float32Array[]; sampleRate: number }>;

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The container `bytes` start with, or null. */
export function sniffAudio(bytes: Uint8Array): AudioContainer | null {
  if (isWav(bytes)) return 'wav';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (bytes.length >= 3 && ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  // An MPEG audio frame header: 11 sync bits, a known version and layer, a bitrate that is not "bad".
  if (bytes.length >= 4 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x18) !== 0x08 && (bytes[1] & 0x06) !== 0 && (bytes[2] & 0xf0) !== 0xf0) return 'mp3';
  return null;
}

/** Why `bytes` are not audio Mixgraph reads, in words that point to the fix. */
export function notAudioReason(bytes: Uint8Array): string {
  const formats = 'Mixgraph reads WAV, FLAC, MP3 and OGG';
  if (bytes.length === 0) return 'the file is empty';
  if (bytes.length >= 8 && ascii(bytes, 4, 4) === 'ftyp') return `it is an MP4/M4A/AAC file; ${formats}: convert it first (for example ffmpeg -i IN.m4a OUT.wav)`;
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'FORM') return `it is an AIFF file; ${formats}: convert it first (for example ffmpeg -i IN.aiff OUT.wav)`;
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'PK\u0003\u0004') return `it is a zip archive, not audio; ${formats}`;
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF') return `it is a RIFF file of type ${JSON.stringify(ascii(bytes, 8, 4))}, not a WAVE file; ${formats}`;
  const head = bytes.subarray(0, 64);
  if (head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0x80)) return `it looks like text, not audio; ${formats}`;
  return `not an audio format Mixgraph recognises; ${formats}`;
}

/** FLAC STREAMINFO: the rate (20 bits at byte 18) and channels (3 bits, minus one), or null. */
function flacHeader(bytes: Uint8Array): { rate: number; channels: number } | null {
  if (bytes.length < 22) return null;
  return { rate: (bytes[18] << 12) | (bytes[19] << 4) | (bytes[20] >> 4), channels: ((bytes[20] >> 1) & 7) + 1 };
}

/**
 * The rate an OGG or MP3 file decodes at, from its first header (null when it cannot be told), so
 * the host's decoder can be asked for the file's own rate and the conversion to the render's left
 * to libsamplerate. OGG: the Vorbis identification header's rate, or 48 kHz for Opus (its decoders
 * always give 48 kHz). MP3: the first frame header after an ID3v2 tag.
 */
export function compressedRate(bytes: Uint8Array, container: 'ogg' | 'mp3'): number | null {
  const u32 = (at: number) => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  if (container === 'ogg') {
    if (bytes.length < 28) return null;
    const packet = 27 + bytes[26]; // after the segment table
    if (bytes.length >= packet + 16 && bytes[packet] === 1 && ascii(bytes, packet + 1, 6) === 'vorbis') return u32(packet + 12) || null;
    if (bytes.length >= packet + 8 && ascii(bytes, packet, 8) === 'OpusHead') return 48000;
    return null;
  }
  let at = 0;
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === 'ID3') at = 10 + (((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f));
  // The first frame sync within a little padding after the tag
  for (const end = Math.min(bytes.length - 3, at + 4096); at < end; at++) {
    if (bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) continue;
    const version = (bytes[at + 1] >> 3) & 3; // 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1
    const index = (bytes[at + 2] >> 2) & 3;
    if (version === 1 || index === 3) continue;
    return [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]][version][index];
  }
  return null;
}

function checkRate(rate: number, where: string): void {
  if (!(rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE)) throw new AudioFormatError(`${where} says ${rate} Hz; Mixgraph reads ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz`);
}

/** The checks every decoded file passes, whatever decoded it. */
export function checkDecoded(channels: readonly Float32Array[], sampleRate: number): void {
  if (channels.length < 1 || channels.length > MAX_CHANNELS) throw new AudioFormatError(`it has ${channels.length} channels; Mixgraph reads 1 to ${MAX_CHANNELS}`);
  checkRate(sampleRate, 'its format');
  if (channels[0].length === 0) throw new AudioFormatError('it holds no audio');
  let count = 0;
  let first = -1;
  for (const c of channels) {
    for (let i = 0; i < c.length; i++) {
      if (!Number.isFinite(c[i])) {
        if (first < 0 || i < first) first = i;
        count++;
      }
    }
  }
  if (count) throw nonFiniteError(count, first, sampleRate);
}

export function nonFiniteError(count: number, firstFrame: number, sampleRate: number): AudioFormatError {
  return new AudioFormatError(
    `it holds ${count} sample${count === 1 ? '' : 's'} that ${count === 1 ? 'is' : 'are'} not a number (NaN or infinite), the first at ${(firstFrame / sampleRate).toFixed(3)} s; ` +
      'Mixgraph refuses the file rather than play silence or noise in their place: export it again from the program that made it',
  );
}

/**
 * Decode audio bytes: WAV by our reader (any rate it allows, 8 to 32-bit PCM, float, A-law, µ-law),
 * other formats by `decodeCompressed`. Throws AudioFormatError for everything it refuses.
 */
export async function decodeAudio(bytes: Uint8Array, decodeCompressed: CompressedDecoder): Promise<DecodedAudio> {
  const container = sniffAudio(bytes);
  if (container === null) throw new AudioFormatError(notAudioReason(bytes));
  if (container === 'wav') {
    const wav = decodeWav(bytes);
    if (wav.nonFinite) throw nonFiniteError(wav.nonFinite, wav.firstNonFinite, wav.sampleRate);
    return { channels: wav.channels, sampleRate: wav.sampleRate, container, fileRate: wav.sampleRate, warnings: wav.warnings };
  }
  let fileRate: number | null = null;
  if (container === 'flac') {
    const h = flacHeader(bytes);
    if (!h) throw new AudioFormatError('the FLAC file is cut short (no stream information)');
    checkRate(h.rate, 'the FLAC header');
    fileRate = h.rate;
  } else fileRate = compressedRate(bytes, container);
  let decoded: { channels: Float32Array[]; sampleRate: number };
  try {
    decoded = await decodeCompressed(bytes, container, fileRate);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/^Failed to execute 'decodeAudioData'[^:]*:\s*/, '').split('\n')[0];
    throw new AudioFormatError(`the ${container.toUpperCase()} data cannot be decoded (${reason || 'the decoder gave no reason'})`);
  }
  checkDecoded(decoded.channels, decoded.sampleRate);
  return { ...decoded, container, fileRate, warnings: [] };
}
