// Album documents ("kind": "album"): the tracks of a release, mastered through one chain to one
// target with their level relations kept. This file checks the document; src/mastering/album.ts
// does the work. Paths (the chain file, the sources) are relative to the album file and checked by
// the same path rule as a session's audio files when they are opened.
import type { ChainDoc } from '../model/document.ts';
import { formatProblem, type Problem } from '../model/validate.ts';
import { parseIsrc } from '../io/isrc.ts';
import { FORMAT, FORMAT_VERSION } from '../model/document.ts';
import { loadChainValue } from './chain.ts';
import { parseJson, PresetError } from './json.ts';
import { migrateValue } from './load.ts';

export interface AlbumTrack {
  title: string;
  /** An audio file or a session file (.json), relative to the album file. */
  source: string;
  /** Validated, 12 characters without dashes. */
  isrc?: string;
  /** Performer when it differs from the album's artist. */
  artist?: string;
  /** dB added before the chain, on top of the album gain: the engineer's intended level offset. */
  gain: number;
}

export interface AlbumDoc {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  kind: 'album';
  name: string;
  artist: string;
  /** A path to a chain file, or the chain itself. */
  chain: string | ChainDoc;
  /** Integrated loudness of the whole album, LUFS. */
  target: number;
  /** True-peak ceiling for every limiter in the chain, dBTP; absent keeps the chain's. */
  ceiling?: number;
  tracks: AlbumTrack[];
}

export const MAX_TRACKS = 99; // a CUE sheet's limit
export const TARGET_RANGE = [-36, -5] as const;
export const CEILING_RANGE = [-12, 0] as const;
export const TRACK_GAIN_RANGE = [-24, 24] as const;

const TOP_FIELDS = new Set(['format', 'version', 'kind', 'name', 'artist', 'chain', 'target', 'ceiling', 'tracks']);
const TRACK_FIELDS = new Set(['title', 'source', 'isrc', 'artist', 'gain']);

type Loose = Record<string, unknown>;
const isRecord = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown, path: string, problems: Problem[], required: boolean, max = 200): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || (required && v.trim() === '') || v.length > max) {
    problems.push({ path, message: `must be ${required ? 'a non-empty' : 'a'} string of at most ${max} characters` });
    return undefined;
  }
  return v;
}

/**
 * Why `v` is not a finite number within `range` ("must be a number from -36 to -5 LUFS, got ..."),
 * or null when it is. `shown` is the value the message quotes (the option's text on the command line).
 */
export function outOfRange(v: unknown, range: readonly [number, number], unit: string, shown: unknown = v): string | null {
  if (typeof v === 'number' && Number.isFinite(v) && v >= range[0] && v <= range[1]) return null;
  return `must be a number from ${range[0]} to ${range[1]} ${unit}, got ${JSON.stringify(shown)}`;
}

function number(v: unknown, path: string, range: readonly [number, number], unit: string, problems: Problem[]): number | undefined {
  const message = outOfRange(v, range, unit);
  if (message === null) return v as number;
  problems.push({ path, message });
  return undefined;
}

export type AlbumResult = { ok: true; doc: AlbumDoc } | { ok: false; problems: Problem[] };

export function loadAlbumValue(value: unknown): AlbumResult {
  const migrated = migrateValue(value);
  if (!migrated.ok) return migrated;
  const raw = migrated.value;
  const problems: Problem[] = [];
  for (const key of Object.keys(raw)) if (!TOP_FIELDS.has(key)) problems.push({ path: key, message: `unknown field; known: ${[...TOP_FIELDS].join(', ')}` });
  if (raw.kind !== 'album') {
    const hint = raw.kind === 'session' || raw.kind === 'chain' ? `: this file is a ${raw.kind}, not an album` : '';
    return { ok: false, problems: [{ path: 'kind', message: `expected "album", got ${JSON.stringify(raw.kind)}${hint}` }] };
  }
  const name = text(raw.name, 'name', problems, true);
  const artist = text(raw.artist, 'artist', problems, true);
  const target = number(raw.target, 'target', TARGET_RANGE, 'LUFS', problems);
  const ceiling = raw.ceiling === undefined ? undefined : number(raw.ceiling, 'ceiling', CEILING_RANGE, 'dBTP', problems);

  let chain: string | ChainDoc | undefined;
  if (typeof raw.chain === 'string') {
    if (raw.chain.trim() === '') problems.push({ path: 'chain', message: 'must be the path of a chain file or a chain object' });
    else chain = raw.chain;
  } else if (isRecord(raw.chain)) {
    // An inline chain may leave out format and version: it lives inside a file that has them.
    const result = loadChainValue({ format: FORMAT, version: FORMAT_VERSION, ...raw.chain });
    if (result.ok) chain = result.doc;
    else problems.push(...result.problems.map((p) => ({ ...p, path: `chain.${p.path}` })));
  } else problems.push({ path: 'chain', message: 'is required: the path of a chain file (e.g. "../chains/streaming.json") or a chain object' });

  const tracks: AlbumTrack[] = [];
  if (!Array.isArray(raw.tracks) || raw.tracks.length === 0) problems.push({ path: 'tracks', message: 'must be a list of at least one track: { "title": ..., "source": ... }' });
  else if (raw.tracks.length > MAX_TRACKS) problems.push({ path: 'tracks', message: `${raw.tracks.length} tracks; an album has at most ${MAX_TRACKS} (the CUE sheet's limit)` });
  else {
    const isrcs = new Map<string, number>();
    raw.tracks.forEach((t: unknown, i: number) => {
      const path = `tracks[${i}]`;
      if (!isRecord(t)) return problems.push({ path, message: 'must be an object with title and source' });
      for (const key of Object.keys(t)) if (!TRACK_FIELDS.has(key)) problems.push({ path: `${path}.${key}`, message: `unknown field; known: ${[...TRACK_FIELDS].join(', ')}` });
      const title = text(t.title, `${path}.title`, problems, true);
      const source = text(t.source, `${path}.source`, problems, true, 1024);
      const trackArtist = text(t.artist, `${path}.artist`, problems, false);
      const gain = t.gain === undefined ? 0 : number(t.gain, `${path}.gain`, TRACK_GAIN_RANGE, 'dB', problems);
      let isrc: string | undefined;
      if (t.isrc !== undefined) {
        if (typeof t.isrc !== 'string') problems.push({ path: `${path}.isrc`, message: 'must be a string like "GB-AYE-24-00001"' });
        else {
          const parsed = parseIsrc(t.isrc);
          if (!parsed.ok) problems.push({ path: `${path}.isrc`, message: parsed.message });
          else {
            isrc = parsed.isrc;
            const other = isrcs.get(isrc);
            if (other !== undefined) problems.push({ path: `${path}.isrc`, message: `the same ISRC as tracks[${other}]; every recording has its own code` });
            else isrcs.set(isrc, i);
          }
        }
      }
      if (title !== undefined && source !== undefined && gain !== undefined) {
        const track: AlbumTrack = { title, source, gain };
        if (isrc) track.isrc = isrc;
        if (trackArtist) track.artist = trackArtist;
        tracks.push(track);
      }
    });
  }
  if (problems.length || name === undefined || artist === undefined || target === undefined || chain === undefined) return { ok: false, problems };
  const doc: AlbumDoc = { format: FORMAT, version: FORMAT_VERSION, kind: 'album', name, artist, chain, target, tracks };
  if (ceiling !== undefined) doc.ceiling = ceiling;
  return { ok: true, doc };
}

/** Parse and check an album; throws PresetError with one line per problem. */
export function loadAlbum(textIn: string, name = 'album'): AlbumDoc {
  const result = loadAlbumValue(parseJson(textIn, name));
  if (!result.ok) {
    const lines = result.problems.map((p) => `${name}: ${formatProblem(p)}`);
    throw new PresetError(lines.join('\n'), lines);
  }
  return result.doc;
}
