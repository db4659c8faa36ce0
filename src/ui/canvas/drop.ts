import { MAX_AUDIO_BYTES } from '../../io/audio-limits.ts';
import { addNode, batch } from '../../model/commands.ts';
import type { Position } from '../../model/document.ts';
import type { LiveAudio } from '../audio.ts';
import type { EditorStore } from '../store.ts';

/**
 * Dropped audio files become tracks named after the file. Every file is decoded first, by the
 * reading path the CLI uses (its content decides, not its name); one that cannot be decoded is
 * reported with the CLI's reason and nothing is added for it.
 */
export async function dropAudioFiles(store: EditorStore, audio: LiveAudio, files: File[], at: Position): Promise<void> {
  const added: ReturnType<typeof addNode>[] = [];
  const used = new Set(store.getState().doc.nodes.map((n) => n.id));
  for (const file of files) {
    // The CLI's limit, checked before the file is read into memory.
    if (file.size > MAX_AUDIO_BYTES) {
      store.notify('error', `${file.name}: it is ${Math.round(file.size / 1024 / 1024)} MiB, more than the 2048 MiB limit. Nothing was added.`);
      continue;
    }
    const bytes = await file.arrayBuffer();
    const { problem, warnings } = await audio.inspect(bytes);
    if (problem !== null) {
      store.notify('error', `${file.name}: cannot decode it as audio: ${problem}. Nothing was added.`);
      continue;
    }
    for (const w of warnings) store.notify('info', `${file.name}: ${w}.`);
    const label = file.name.replace(/\.[^.]+$/, '');
    const base = label.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'track';
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}${i}`;
    used.add(id);
    audio.sources.add(file.name, bytes);
    added.push(addNode({ id, type: 'track', label, position: { x: at.x, y: at.y + added.length * 140 }, params: { source: file.name } }));
  }
  if (added.length) store.run(batch(added.length === 1 ? 'Add track' : `Add ${added.length} tracks`, added));
}
