// Session packages in the editor: one .mixgraph file (src/presets/package.ts) with the session and
// every audio file it names, to hand on to anyone (a teacher's lesson, a mix for a colleague).
// Save package downloads one; Open file… and a drop on the canvas open one as a new session, the
// one open before being kept in Sessions. A package from a stranger is checked by readPackage
// (limits before anything is inflated) before any of it is used.
import { fileParams, type ChainDoc, type SessionDoc } from '../../model/document.ts';
import { PACKAGE_EXTENSION, PackageError, packagePath, readPackage, writePackage, type PackageFile } from '../../presets/package.ts';
import type { LessonDoc } from '../../presets/lesson.ts';
import type { LiveAudio } from '../audio.ts';
import { download } from '../download.ts';
import type { SessionKeeper } from '../persist/keeper.ts';
import type { EditorStore } from '../store.ts';
import { fileStem } from './names.ts';

/** What the browser may hold in memory for one package's audio (the format allows 2 GiB). */
const BROWSER_PACKAGE_BYTES = 1024 * 1024 * 1024;

/** Whether a dropped or picked file is a package: by its name, or by the zip signature. */
export async function isPackageFile(file: File): Promise<boolean> {
  if (file.name.toLowerCase().endsWith(PACKAGE_EXTENSION)) return true;
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** The package's bytes: the document (or `written`: a lesson whose start is `doc`) and every file it names, or why it cannot be made. */
export async function buildPackage(doc: SessionDoc | ChainDoc, audio: LiveAudio, written: SessionDoc | ChainDoc | LessonDoc = doc): Promise<{ bytes: Uint8Array } | { missing: string[] } | { problem: string }> {
  const files: PackageFile[] = [];
  const missing: string[] = [];
  const done = new Set<string>();
  for (const ref of fileParams(doc)) {
    const path = packagePath(ref.value);
    if (!path.ok) return { problem: `node "${ref.node}": ${path.message}` };
    if (done.has(path.name)) continue;
    done.add(path.name);
    const bytes = await audio.sources.get(ref.value).catch(() => undefined);
    if (!bytes) missing.push(`${ref.node} (${ref.value})`);
    else files.push({ name: path.name, bytes: new Uint8Array(bytes) });
  }
  if (missing.length) return { missing };
  try {
    return { bytes: writePackage(written, files) };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

/** Save package: the session with its audio, as a download named after the session. */
export async function savePackage(store: EditorStore, audio: LiveAudio): Promise<boolean> {
  const doc = store.getState().doc;
  const built = await buildPackage(doc, audio);
  if ('missing' in built) {
    store.notify('error', `The package cannot be made: ${built.missing.length === 1 ? 'this file is' : 'these files are'} not loaded: ${built.missing.join(', ')}. Relink ${built.missing.length === 1 ? 'it' : 'them'} on the track, or use Save JSON (without audio).`);
    return false;
  }
  if ('problem' in built) {
    store.notify('error', `The package cannot be made: ${built.problem}`);
    return false;
  }
  const name = `${fileStem(doc.name)}${PACKAGE_EXTENSION}`;
  download(new Blob([built.bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), name);
  store.notify('info', `Saved ${name} (${(built.bytes.length / 1024 / 1024).toFixed(1)} MB, the session and its audio).`);
  return true;
}

/**
 * Open a package as a new session: checked and loaded first, then made the open session, then its
 * audio added (and so kept by autosave). A chain package is not a session: it is said so.
 */
export async function openPackageFile(file: File, store: EditorStore, audio: LiveAudio, keeper: SessionKeeper | undefined, onLesson?: (lesson: LessonDoc) => void): Promise<boolean> {
  if (file.size > BROWSER_PACKAGE_BYTES) {
    store.notify('error', `${file.name}: ${(file.size / 1024 / 1024).toFixed(0)} MiB is more than the editor opens at once (${BROWSER_PACKAGE_BYTES / 1024 / 1024} MiB); nothing changed. Render it with \`mixgraph render ${file.name}\`.`);
    return false;
  }
  let opened;
  try {
    opened = readPackage(new Uint8Array(await file.arrayBuffer()), { label: file.name, limits: { maxTotalBytes: BROWSER_PACKAGE_BYTES } });
  } catch (err) {
    const lines = err instanceof PackageError ? err.message : `${file.name}: ${(err as Error).message}`;
    store.notify('error', `${lines}\nNothing changed.`);
    return false;
  }
  if (opened.doc.kind !== 'session') {
    store.notify('error', `${file.name} holds a chain, not a session: insert it with Insert chain… → Chain file…, or from Presets. Nothing changed.`);
    return false;
  }
  // Every entry inflated (and checked) before the session changes: a bad one changes nothing.
  const audioFiles: [string, ArrayBuffer][] = [];
  try {
    for (const [source, entry] of opened.sources) {
      const bytes = opened.read(entry);
      audioFiles.push([source, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer]);
    }
  } catch (err) {
    store.notify('error', `${(err as Error).message}\nNothing changed.`);
    return false;
  }
  const doc = opened.doc as SessionDoc;
  if (keeper) await keeper.openNew(doc);
  else store.open(doc);
  for (const [source, bytes] of audioFiles) audio.sources.add(source, bytes);
  const n = audioFiles.length;
  // A lesson package: its starting session is open now, with its audio; the panel shows its steps.
  if (opened.lesson && onLesson) {
    onLesson(opened.lesson);
    store.notify('info', `Opened the lesson “${opened.lesson.name}” from ${file.name} with ${n} audio file${n === 1 ? '' : 's'}. The session you had is kept in Sessions.`);
    return true;
  }
  store.notify('info', `Opened ${file.name}: “${doc.name}” with ${n} audio file${n === 1 ? '' : 's'}. The session you had is kept in Sessions.`);
  return true;
}
