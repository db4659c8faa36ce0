// Album documents ("kind": "album"): the tracks of a release, mastered through one chain to one
// target with their level relations kept. This file checks the document; src/mastering/album.ts
// does the work. Paths (the chain file, the sources) are relative to the album file and checked by
// the same path rule as a session's audio files when they are opened.
import type { z } from 'zod';
import type { ChainDoc } from '../model/document.ts';
import type { Problem } from '../model/validate.ts';
import { parseIsrc } from '../io/isrc.ts';
import { FORMAT, FORMAT_VERSION } from '../model/document.ts';
import { loadChainValue } from './chain.ts';
import { parseJson } from './json.ts';
import { kindProblem, migrateValue, orThrow, saveSession, shapeCheck } from './load.ts';
import { ALBUM_CEILING_RANGE, ALBUM_MAX_TRACKS, ALBUM_TARGET_RANGE, ALBUM_TRACK_GAIN_RANGE, albumFileSchema, outOfRange } from './schema.ts';

export { outOfRange };

type AlbumFile = z.output<typeof albumFileSchema>;

export interface AlbumTrack {
  title: string;
  /** An audio file or a session file (.json or .mixgraph), relative to the album file. */
  source: string;
  /** Validated, 12 characters without dashes. */
  isrc?: string;
  /** Performer when it differs from the album's artist. */
  artist?: string;
  /** dB added before the chain, on top of the album gain: the engineer's intended level offset. */
  gain: number;
}

export interface AlbumDoc extends Omit<AlbumFile, 'chain' | 'tracks' | 'types' | '$schema'> {
  /** A path to a chain file, or the chain itself. */
  chain: string | ChainDoc;
  tracks: AlbumTrack[];
}

export const MAX_TRACKS = ALBUM_MAX_TRACKS;
export const TARGET_RANGE = ALBUM_TARGET_RANGE;
export const CEILING_RANGE = ALBUM_CEILING_RANGE;
export const TRACK_GAIN_RANGE = ALBUM_TRACK_GAIN_RANGE;

export type AlbumResult = { ok: true; doc: AlbumDoc } | { ok: false; problems: Problem[] };

export function loadAlbumValue(value: unknown): AlbumResult {
  const migrated = migrateValue(value);
  if (!migrated.ok) return migrated;
  const raw = migrated.value;
  const wrong = kindProblem(raw, 'album');
  if (wrong) return { ok: false, problems: [wrong] };
  // An inline chain is checked by the chain loader, as a chain file is (its problems under `chain.`);
  // the album's own shape check sees a stand-in for it.
  const inline = typeof raw.chain === 'object' && raw.chain !== null && !Array.isArray(raw.chain) ? (raw.chain as Record<string, unknown>) : undefined;
  const shaped = shapeCheck(albumFileSchema, inline ? { ...raw, chain: 'inline' } : raw);
  const problems: Problem[] = shaped.ok ? [] : shaped.problems;
  let chain: string | ChainDoc | undefined = typeof raw.chain === 'string' ? raw.chain : undefined;
  if (inline) {
    const result = loadChainValue({ format: FORMAT, version: FORMAT_VERSION, ...inline });
    if (result.ok) chain = result.doc;
    else problems.push(...result.problems.map((p) => ({ ...p, path: `chain.${p.path}` })));
  }

  const tracks: AlbumTrack[] = [];
  if (Array.isArray(raw.tracks) && raw.tracks.length <= ALBUM_MAX_TRACKS) {
    const isrcs = new Map<string, number>();
    raw.tracks.forEach((t: unknown, i: number) => {
      if (typeof t !== 'object' || t === null || typeof (t as { isrc?: unknown }).isrc !== 'string') return;
      const parsed = parseIsrc((t as { isrc: string }).isrc);
      if (!parsed.ok) return problems.push({ path: `tracks[${i}].isrc`, message: parsed.message });
      const other = isrcs.get(parsed.isrc);
      if (other !== undefined) problems.push({ path: `tracks[${i}].isrc`, message: `the same ISRC as tracks[${other}]; every recording has its own code` });
      else isrcs.set(parsed.isrc, i);
    });
  }
  if (problems.length || !shaped.ok || chain === undefined) return { ok: false, problems };
  const data = shaped.data;
  if (typeof data.chain === 'string' && data.chain.trim() === '') return { ok: false, problems: [{ path: 'chain', message: 'must be the path of a chain file or a chain object' }] };
  for (const t of data.tracks) {
    const track: AlbumTrack = { title: t.title, source: t.source, gain: t.gain };
    if (t.isrc !== undefined) track.isrc = (parseIsrc(t.isrc) as { isrc: string }).isrc;
    if (t.artist) track.artist = t.artist;
    tracks.push(track);
  }
  const doc: AlbumDoc = { format: FORMAT, version: FORMAT_VERSION, kind: 'album', name: data.name, artist: data.artist, chain, target: data.target, tracks };
  if (data.ceiling !== undefined) doc.ceiling = data.ceiling;
  return { ok: true, doc };
}

/** Parse and check an album; throws PresetError with one line per problem. */
export function loadAlbum(textIn: string, name = 'album'): AlbumDoc {
  return orThrow(loadAlbumValue(parseJson(textIn, name)), name);
}

/** The file form of an album: the newest version; an inline chain as a chain file writes it. */
export function saveAlbum(doc: AlbumDoc): string {
  const out: Record<string, unknown> = { format: FORMAT, version: FORMAT_VERSION, kind: 'album', name: doc.name, artist: doc.artist };
  if (typeof doc.chain === 'string') out.chain = doc.chain;
  else {
    const { format: _f, version: _v, ...chain } = JSON.parse(saveSession(doc.chain)) as Record<string, unknown>;
    out.chain = chain;
  }
  out.target = doc.target;
  if (doc.ceiling !== undefined) out.ceiling = doc.ceiling;
  out.tracks = doc.tracks.map((t) => {
    const track: Record<string, unknown> = { title: t.title, source: t.source };
    if (t.isrc !== undefined) track.isrc = t.isrc;
    if (t.artist !== undefined) track.artist = t.artist;
    track.gain = t.gain;
    return track;
  });
  return JSON.stringify(out, null, 2) + '\n';
}
