// How a session lives in a room's Y.Doc. Shared by the room server (which validates what the teacher
// writes) and the editor (which writes and reads it).
//
// The session is not one JSON string (every knob turn would resend the whole document): each node is one
// entry of the Y.Map "nodes" keyed by its id, each edge one entry of "edges" keyed by its edge key, and every
// other top-level field of the saved session (format, version, kind, name, meta, types, snapshots,
// annotations) one entry of "head". An edit therefore travels as an update of the entries it changed: a parameter change is one
// node's JSON (a few hundred bytes), a new cable one edge. Entries are plain JSON values (Yjs ContentAny),
// replaced whole: only the teacher writes, so there are no concurrent edits inside a node to merge.
// "room" keeps what is not in the session: the order of nodes and edges (Y.Map has no order, and a fork
// should be the teacher's file in the teacher's order), the lesson the teacher has open (its file form, checked
// as a lesson file is) and the step of it the teacher shows. "audio" maps
// each source path the session names to the SHA-256 and size of its file on the room server's blob store.
import * as Y from 'yjs';
import { edgeKey } from '../model/edge-key.ts';
import { loadSessionValue } from '../presets/load.ts';
import { formatProblem } from '../model/validate.ts';
import type { SessionDoc } from '../model/document.ts';
import { loadLessonValue, type LessonDoc } from '../presets/lesson.ts';
import type { DocEdge } from '../presets/schema.ts';

export const ROOT_NAMES = ['head', 'nodes', 'edges', 'room', 'audio'] as const;
const ROOM_KEYS = new Set(['nodeOrder', 'edgeOrder', 'step', 'lesson']);
const SHA256 = /^[0-9a-f]{64}$/;
/** The largest audio file a room carries (also the blob store's limit). */
export const MAX_AUDIO_BYTES = 512 * 1024 * 1024;
const MAX_AUDIO_ENTRIES = 1000;

export type AudioEntry = { sha256: string; size: number };
export type RoomState = { session: Record<string, unknown> | null; step: number | null; lesson: Record<string, unknown> | null; audio: Record<string, AudioEntry> };
export type ReadResult = { ok: true; state: RoomState } | { ok: false; problems: string[] };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value that Yjs stored as plain JSON, not a nested shared type, a binary or a subdocument. */
function plain(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(plain);
  if (isRecord(v) && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every(plain);
  return false;
}

function ordered<T>(map: Y.Map<unknown>, order: unknown, where: string, problems: string[]): T[] {
  const out: T[] = [];
  const seen = new Set<string>();
  const keys = Array.isArray(order) ? order.filter((k): k is string => typeof k === 'string') : [];
  for (const key of [...keys, ...[...map.keys()].sort()]) {
    if (seen.has(key) || !map.has(key)) continue;
    seen.add(key);
    const value = map.get(key);
    if (!plain(value)) problems.push(`${where}["${key}"] is not plain JSON (a nested shared type, binary or subdocument)`);
    else out.push(value as T);
  }
  return out;
}

/**
 * The room's state read from a Y.Doc, with every structural problem (unknown roots or keys, entries that
 * are not plain JSON, a node whose id is not its key, an edge not under its own key, a malformed audio
 * entry). The session itself is checked by validateRoom; an empty document (nothing shared yet) is fine.
 */
export function readRoom(doc: Y.Doc): ReadResult {
  const problems: string[] = [];
  for (const name of doc.share.keys()) {
    if (!(ROOT_NAMES as readonly string[]).includes(name)) problems.push(`unknown part "${name}" (a room holds ${ROOT_NAMES.join(', ')})`);
  }
  const head = doc.getMap('head');
  const nodes = doc.getMap('nodes');
  const edges = doc.getMap('edges');
  const room = doc.getMap('room');
  const audioMap = doc.getMap('audio');
  for (const key of room.keys()) if (!ROOM_KEYS.has(key)) problems.push(`room["${key}"] is unknown (known: ${[...ROOM_KEYS].join(', ')})`);
  const step = room.get('step');
  if (step !== undefined && !(Number.isInteger(step) && (step as number) >= 0 && (step as number) < 10_000)) problems.push('room.step must be a whole number from 0');
  const lesson = room.get('lesson');
  if (lesson !== undefined && !(isRecord(lesson) && plain(lesson))) problems.push('room.lesson must be a lesson file (plain JSON)');
  for (const k of ['nodeOrder', 'edgeOrder']) {
    const o = room.get(k);
    if (o !== undefined && !(Array.isArray(o) && o.every((x) => typeof x === 'string'))) problems.push(`room.${k} must be a list of keys`);
  }
  const audio: Record<string, AudioEntry> = {};
  if (audioMap.size > MAX_AUDIO_ENTRIES) problems.push(`audio has ${audioMap.size} files; at most ${MAX_AUDIO_ENTRIES}`);
  for (const [path, value] of audioMap.entries()) {
    const ok = isRecord(value) && plain(value) && typeof value.sha256 === 'string' && SHA256.test(value.sha256) && Number.isInteger(value.size) && (value.size as number) >= 0 && (value.size as number) <= MAX_AUDIO_BYTES && Object.keys(value).length === 2;
    if (!ok || path.length > 1000) problems.push(`audio["${path.slice(0, 80)}"] must be { "sha256": 64 hex digits, "size": bytes up to ${MAX_AUDIO_BYTES} }`);
    else audio[path] = value as AudioEntry;
  }
  const empty = head.size === 0 && nodes.size === 0 && edges.size === 0;
  let session: Record<string, unknown> | null = null;
  if (!empty) {
    session = {};
    for (const [key, value] of head.entries()) {
      if (key === 'nodes' || key === 'edges') problems.push(`head["${key}"]: nodes and edges have their own maps`);
      else if (!plain(value)) problems.push(`head["${key}"] is not plain JSON`);
      else session[key] = value;
    }
    const nodeList = ordered<Record<string, unknown>>(nodes, room.get('nodeOrder'), 'nodes', problems);
    for (const [key, n] of nodes.entries()) if (!isRecord(n) || n.id !== key) problems.push(`nodes["${key.slice(0, 80)}"] must hold the node whose id it is`);
    const edgeList = ordered<DocEdge>(edges, room.get('edgeOrder'), 'edges', problems);
    for (const [key, e] of edges.entries()) {
      if (!isRecord(e) || roomEdgeKey(e as Partial<DocEdge>) !== key) problems.push(`edges["${key.slice(0, 120)}"] is not keyed by its own ends (from:port->to:port)`);
    }
    session.nodes = nodeList;
    session.edges = edgeList;
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, state: { session, step: (step as number | undefined) ?? null, lesson: (lesson as Record<string, unknown> | undefined) ?? null, audio } };
}

/**
 * readRoom, then the project's own validation of what it holds: the session as a session file
 * (loadSessionValue), the lesson as a lesson file (loadLessonValue: its checks name nodes of its own
 * starting session; a step beyond its last is refused too).
 */
export function validateRoom(doc: Y.Doc): { ok: true; state: RoomState; session: SessionDoc | null; lesson: LessonDoc | null } | { ok: false; problems: string[] } {
  const read = readRoom(doc);
  if (!read.ok) return read;
  let lesson: LessonDoc | null = null;
  if (read.state.lesson) {
    const loaded = loadLessonValue(structuredClone(read.state.lesson));
    if (!loaded.ok) return { ok: false, problems: loaded.problems.map((p) => `lesson: ${formatProblem(p)}`) };
    lesson = loaded.doc;
    if (read.state.step !== null && read.state.step >= lesson.steps.length) return { ok: false, problems: [`room.step ${read.state.step} is past the lesson's last step (${lesson.steps.length - 1})`] };
  }
  if (!read.state.session) return { ok: true, state: read.state, session: null, lesson };
  const loaded = loadSessionValue(structuredClone(read.state.session));
  if (!loaded.ok) return { ok: false, problems: loaded.problems.map(formatProblem) };
  return { ok: true, state: read.state, session: loaded.doc, lesson };
}

/** An edge's key with the default ports filled in (saved sessions leave out "out" and "in"). */
export const roomEdgeKey = (e: Partial<DocEdge>): string => edgeKey({ ...e, fromPort: e.fromPort ?? 'out', toPort: e.toPort ?? 'in' } as DocEdge);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function syncMap(map: Y.Map<unknown>, entries: Map<string, Json>): void {
  for (const key of [...map.keys()]) if (!entries.has(key)) map.delete(key);
  for (const [key, value] of entries) if (!map.has(key) || !same(map.get(key), value)) map.set(key, value);
}

/**
 * Writes a saved session (the object saveSession's JSON holds) into the Y.Doc, touching only the entries
 * that changed, in one transaction: one edit, one small update.
 */
export function writeSession(
  doc: Y.Doc,
  saved: Record<string, unknown>,
  extra: { step?: number | null; lesson?: Record<string, unknown> | null; audio?: Record<string, AudioEntry> } = {},
): void {
  const nodes = (saved.nodes ?? []) as { id: string }[];
  const edges = (saved.edges ?? []) as DocEdge[];
  doc.transact(() => {
    syncMap(doc.getMap('head'), new Map(Object.entries(saved).filter(([k]) => k !== 'nodes' && k !== 'edges' && k !== '$schema') as [string, Json][]));
    syncMap(doc.getMap('nodes'), new Map(nodes.map((n) => [n.id, n as unknown as Json])));
    syncMap(doc.getMap('edges'), new Map(edges.map((e) => [roomEdgeKey(e), e as unknown as Json])));
    const room = doc.getMap('room');
    const nodeOrder = nodes.map((n) => n.id);
    const edgeOrder = edges.map(roomEdgeKey);
    if (!same(room.get('nodeOrder'), nodeOrder)) room.set('nodeOrder', nodeOrder);
    if (!same(room.get('edgeOrder'), edgeOrder)) room.set('edgeOrder', edgeOrder);
    // The lesson before the step: a step is checked against the lesson it belongs to.
    if (extra.lesson !== undefined) {
      if (extra.lesson === null) room.delete('lesson');
      else if (!same(room.get('lesson'), extra.lesson)) room.set('lesson', extra.lesson as Json);
    }
    if (extra.step !== undefined) {
      if (extra.step === null) room.delete('step');
      else if (room.get('step') !== extra.step) room.set('step', extra.step);
    }
    if (extra.audio) syncMap(doc.getMap('audio'), new Map(Object.entries(extra.audio) as [string, Json][]));
  });
}
