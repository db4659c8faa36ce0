// What Mixgraph reads as audio, in one place: the WAV parser, the other decoders, the CLI and the editor
// all apply these bounds, so every reading path accepts and refuses the same files.

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192000;
/** Up to 7.1 surround; a stem or a mix has 1, 2 or 6. */
export const MAX_CHANNELS = 8;
/** Audio files larger than this are refused before they are read (checked on the opened file). */
export const MAX_AUDIO_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** An audio file Mixgraph refuses, with the reason in words a user can act on (without the file's name). */
export class AudioFormatError extends Error {
  override name = 'AudioFormatError';
}
