// The browser's copy of the user's work, in IndexedDB (through idb): every session with its undo
// history, the audio it uses (each file once, by content hash) and the user's own presets.
//
// Stores:
//   sessions  summaries for the recent-sessions list (name, dates, node count, size, revision)
//   bodies    each session's document (as its file text), undo steps and viewport, by session id
//   audio     audio files by SHA-256 of their bytes, as Blobs, shared by every session that uses them
//   presets   the user's chain and node presets (as their file text)
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { HistorySteps } from '../store.ts';

export const DB_NAME = 'mixgraph';
const DB_VERSION = 1;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface SessionSummary {
  id: string;
  name: string;
  created: number;
  updated: number;
  nodeCount: number;
  /** Bytes of the document's JSON plus every audio file it uses. */
  size: number;
  /** Which stored audio each `source` of the session names: source path -> content hash. */
  audio: Record<string, string>;
  /** Bumped by every save: a tab that finds another number than its own knows another tab wrote. */
  revision: number;
}

export interface SessionBody {
  id: string;
  /** The session file (saveSession): restoring goes through the loader like any file. */
  text: string;
  /** Undo and redo steps, with the format version they were recorded against. */
  history?: HistorySteps & { format: number };
  viewport?: Viewport;
}

export interface AudioRecord {
  hash: string;
  blob: Blob;
  size: number;
}

export interface PresetRecord {
  id: string;
  kind: 'chain' | 'node-preset';
  name: string;
  /** The node type a node preset is for. */
  type?: string;
  tags: string[];
  updated: number;
  /** The preset file (chain or node-preset JSON). */
  text: string;
}

interface MixgraphDB extends DBSchema {
  sessions: { key: string; value: SessionSummary; indexes: { updated: number } };
  bodies: { key: string; value: SessionBody };
  audio: { key: string; value: AudioRecord };
  presets: { key: string; value: PresetRecord; indexes: { updated: number } };
}

export type Db = IDBPDatabase<MixgraphDB>;

export function openMixgraphDb(name = DB_NAME): Promise<Db> {
  return openDB<MixgraphDB>(name, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('sessions', { keyPath: 'id' }).createIndex('updated', 'updated');
      db.createObjectStore('bodies', { keyPath: 'id' });
      db.createObjectStore('audio', { keyPath: 'hash' });
      db.createObjectStore('presets', { keyPath: 'id' }).createIndex('updated', 'updated');
    },
  });
}

/** Every session, most recently changed first. */
export async function listSessions(db: Db): Promise<SessionSummary[]> {
  return (await db.getAllFromIndex('sessions', 'updated')).reverse();
}

/** SHA-256 of the bytes, in hex: the key audio is stored under, so each file is kept once. */
export async function contentHash(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Store audio under its content hash (a no-op when it is there already); returns the hash. */
export async function putAudio(db: Db, bytes: ArrayBuffer): Promise<string> {
  const hash = await contentHash(bytes);
  const tx = db.transaction('audio', 'readwrite');
  if (!(await tx.store.getKey(hash))) await tx.store.put({ hash, blob: new Blob([bytes]), size: bytes.byteLength });
  await tx.done;
  return hash;
}

export async function getAudio(db: Db, hash: string): Promise<ArrayBuffer | undefined> {
  const record = await db.get('audio', hash);
  return record ? record.blob.arrayBuffer() : undefined;
}

/** Bytes of the stored audio with these hashes (each counted once). */
export async function audioSize(db: Db, hashes: Iterable<string>): Promise<number> {
  let total = 0;
  for (const hash of new Set(hashes)) total += (await db.get('audio', hash))?.size ?? 0;
  return total;
}

/** Delete a session, and every audio file no other session uses, in one transaction. */
export async function deleteSession(db: Db, id: string): Promise<void> {
  const tx = db.transaction(['sessions', 'bodies', 'audio'], 'readwrite');
  const sessions = tx.objectStore('sessions');
  await sessions.delete(id);
  await tx.objectStore('bodies').delete(id);
  const used = new Set<string>();
  for (const s of await sessions.getAll()) for (const hash of Object.values(s.audio)) used.add(hash);
  const audio = tx.objectStore('audio');
  for (const hash of await audio.getAllKeys()) if (!used.has(hash)) await audio.delete(hash);
  await tx.done;
}

/** A copy of a session under a new id and name (the audio is shared, not copied). */
export async function duplicateSession(db: Db, id: string, newId: string, name: string, text: string): Promise<SessionSummary | null> {
  const tx = db.transaction(['sessions', 'bodies'], 'readwrite');
  const summary = await tx.objectStore('sessions').get(id);
  const body = await tx.objectStore('bodies').get(id);
  if (!summary || !body) {
    tx.abort();
    return null;
  }
  const now = Date.now();
  const copy: SessionSummary = { ...summary, id: newId, name, created: now, updated: now, revision: 1 };
  await tx.objectStore('sessions').put(copy);
  // The copy starts its own history: undoing in it must not undo the original's steps.
  await tx.objectStore('bodies').put({ id: newId, text, viewport: body.viewport });
  await tx.done;
  return copy;
}

/** Whether an error from IndexedDB means the disk or the origin's quota is full. */
export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  return name === 'QuotaExceededError' || /quota/i.test(String((err as Error)?.message ?? ''));
}
