import { addNode, batch } from '../../model/commands.ts';
import type { Position } from '../../model/document.ts';
import type { LiveAudio } from '../audio.ts';
import type { EditorStore } from '../store.ts';

const AUDIO_FILE = /\.(wav|wave|flac|mp3|ogg|oga)$/i;

/**
 * Dropped audio files become tracks named after the file. Every file is decoded first;
 * one that cannot be decoded is reported and nothing is added for it.
 */
export async function dropAudioFiles(store: EditorStore, audio: LiveAudio, files: File[], at: Position): Promise<void> {
  const added: ReturnType<typeof addNode>[] = [];
  const used = new Set(store.getState().doc.nodes.map((n) => n.id));
  for (const file of files) {
    if (!AUDIO_FILE.test(file.name)) {
      store.notify('error', `${file.name}: not an audio file Mixgraph reads (WAV, FLAC, MP3, OGG).`);
      continue;
    }
    const bytes = await file.arrayBuffer();
    const ok = await audio.canDecode(bytes);
    if (!ok) {
      store.notify('error', `${file.name}: this file could not be decoded as audio; nothing was added.`);
      continue;
    }
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
