import { MAX_AUDIO_BYTES } from '../../io/audio-limits.ts';
import { addNode, batch, connect, type Command } from '../../model/commands.ts';
import { graphAt, nodePorts, type Position, type SessionDoc } from '../../model/document.ts';
import type { LiveAudio } from '../audio.ts';
import { contentHash } from '../persist/db.ts';
import type { EditorStore } from '../store.ts';
import { suggestCategory } from '../../mixing/categories.ts';

/** A new track's category from its file name ("Kick In.wav": drums); nothing when the name says nothing. */
function suggestedCategory(fileName: string): { category?: string } {
  const category = suggestCategory(fileName);
  return category ? { category } : {};
}

/** `name`, or "name (2).wav"... when the session already plays other audio under that name. */
async function sourceName(audio: LiveAudio, name: string, bytes: ArrayBuffer): Promise<string> {
  const hash = await contentHash(bytes);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${stem} (${i})${ext}`;
    if (!audio.sources.has(candidate)) return candidate;
    const known = await audio.sources.get(candidate).catch(() => undefined);
    if (known && (await contentHash(known)) === hash) return candidate; // the same file again
  }
}

/**
 * Where a dropped track is connected: the selected node when one node is selected and takes audio
 * in (a bus, typically), else the master, so that the first Play is heard. Undefined: neither.
 */
export function dropTarget(doc: SessionDoc, selection: readonly string[], scope = ''): { id: string; port: string; name: string } | undefined {
  const graph = graphAt(doc, scope) ?? doc;
  const chosen = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
  const input = chosen && nodePorts(chosen).inputs.find((p) => p.role !== 'sidechain');
  if (chosen && input) return { id: chosen.id, port: input.id, name: chosen.label || chosen.id };
  // Inside a group nothing is connected for you: its output is where the group's sound goes.
  const master = scope ? undefined : doc.nodes.find((n) => n.type === 'master');
  return master ? { id: master.id, port: 'in', name: master.label || 'the master' } : undefined;
}

/**
 * Dropped audio files become tracks named after the file, connected to the selected bus or the
 * master, in one undo step. Every file is decoded first, by the reading path the CLI uses (its
 * content decides, not its name); one that cannot be decoded is reported with the CLI's reason and
 * nothing is added for it. A second, different file of the same name gets a name of its own.
 */
export async function dropAudioFiles(store: EditorStore, audio: LiveAudio, files: File[], at: Position): Promise<void> {
  const added: Command[] = [];
  const links: Command[] = [];
  const names: string[] = [];
  const { doc, selection, scope } = store.getState();
  const at_ = scope || undefined;
  const target = dropTarget(doc, selection, scope);
  const used = new Set((graphAt(doc, scope) ?? doc).nodes.map((n) => n.id));
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
    const source = await sourceName(audio, file.name, bytes);
    audio.sources.add(source, bytes);
    added.push(addNode({ id, type: 'track', label, position: { x: at.x, y: at.y + added.length * 120 }, params: { source, ...suggestedCategory(file.name) } }, at_));
    if (target) links.push(connect({ from: id, to: target.id, toPort: target.port }, at_));
    names.push(label);
  }
  if (!added.length) return;
  if (store.run(batch(added.length === 1 ? 'Add track' : `Add ${added.length} tracks`, [...added, ...links])) && target) {
    const what = names.length === 1 ? names[0] : `${names.length} tracks`;
    store.notify('info', `${what} → ${target.name}${target.id === doc.nodes.find((n) => n.type === 'master')?.id ? ' (select a bus first to send new tracks there)' : ''}.`);
  }
}
