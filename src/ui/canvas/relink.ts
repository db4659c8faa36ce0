// Relink: the audio for a track whose file is not loaded (a session JSON opened without its audio,
// a share link) picked or dropped onto the track. The file is checked by the CLI's reading path
// first; it is kept under the name the session gives it, so the session itself does not change.
import { MAX_AUDIO_BYTES } from '../../io/audio-limits.ts';
import type { LiveAudio } from '../audio.ts';
import type { EditorStore } from '../store.ts';

export async function relinkSource(store: EditorStore, audio: LiveAudio, source: string, file: File, trackName: string): Promise<boolean> {
  if (file.size > MAX_AUDIO_BYTES) {
    store.notify('error', `${file.name}: it is ${Math.round(file.size / 1024 / 1024)} MiB, more than the 2048 MiB limit. ${trackName} is still silent.`);
    return false;
  }
  const bytes = await file.arrayBuffer();
  const { problem, warnings } = await audio.inspect(bytes);
  if (problem !== null) {
    store.notify('error', `${file.name}: cannot decode it as audio: ${problem}. ${trackName} is still silent.`);
    return false;
  }
  for (const w of warnings) store.notify('info', `${file.name}: ${w}.`);
  audio.sources.add(source, bytes);
  store.notify('info', `${trackName} plays ${file.name} now (as “${source}”).`);
  return true;
}
