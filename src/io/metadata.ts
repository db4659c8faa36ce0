// Delivery metadata in WAV files: title, artist, album, ISRC and a few more, laid out so that ffprobe
// (ffmpeg) and music-metadata both read back title, artist, album and ISRC (tests/io/metadata.test.ts).
//
// Layout, found by experiment with ffprobe 5.1 and music-metadata 11.16. Both an INFO list and an ID3 tag,
// as Mp3tag and foobar2000 write WAV tags:
// - `LIST`/`INFO` (INAM title, IART artist, IPRD album, ICMT comment, ICRD date, ITRK track, ISFT software,
//   ISRC): the RIFF-native tags, which Windows and most DAWs show, and the ones ffmpeg uses.
// - `id3 ` holding an ID3v2.3 tag (TIT2, TPE1, TALB, TSRC, COMM, TYER/TDAT, TRCK, TSSE): what taggers and
//   players prefer, and where music-metadata finds the ISRC (TSRC -> common.isrc; INFO `ISRC` maps to
//   nothing common there).
// - So the ISRC is in both. ffmpeg reads the id3 chunk but throws it away whenever the file also has INFO
//   tags ("Discarding ID3 tags because more suitable tags were found"): with INFO it shows only what INFO
//   holds, without INFO it shows the ID3 frames (ISRC as tags.TSRC). INFO has no ISRC field as such: its
//   `ISRC` id is "source", the supplier of the original (RIFF MCI spec, 1991). We still put the ISRC there:
//   it is the only place an ffmpeg-based tool sees the code (ffprobe: tags.ISRC) while INFO readers keep
//   their tags; ffmpeg's own WAV writer puts its "ISRC" key there too; and for a reader that follows the
//   letter of the spec an ISRC is an exact name of the source recording. Writing ID3 only would make
//   ffprobe show TSRC but leave INFO-only readers with nothing.
// - ID3 v2.3 rather than v2.4: every ID3 reader handles 2.3, while some older ones (Windows before
//   Windows 10, for one) skip 2.4. Non-ASCII text is UTF-16 with a BOM (encoding 1), ASCII-only
//   text ISO-8859-1 (encoding 0). The chunk id is lower-case `id3 `, as Picard and foobar2000 write it;
//   ffmpeg and music-metadata accept `ID3 ` too.
// - INFO text is UTF-8, NUL-terminated, padded to an even size. INFO has no declared encoding of its own:
//   ffmpeg passes the bytes through (UTF-8 shows right) while music-metadata reads ISO-8859-1 unless a
//   `CSET` chunk (RIFF MCI) says code page 65001, so a CSET chunk is written before the LIST when any text
//   is non-ASCII. Readers that do not know CSET skip it like any unknown chunk.
// - All of these go after the `data` chunk: the canonical 44-byte header of a 16/24-bit PCM file stays as
//   it was, so even readers that hard-code the data offset play the file, and a reader that stops at
//   `data` loses only the tags. ffmpeg and music-metadata read chunks after `data` in a file (ffmpeg not
//   from a pipe, where it stops at `data`).

import { normalizeIsrc, parseIsrc } from './isrc.ts';
import { wavChunks } from './wav-read.ts';

export interface WavMetadata {
  title?: string;
  artist?: string;
  /** INFO IPRD ("product"), ID3 TALB. */
  album?: string;
  /** Stored as 12 characters, upper case, no dashes; any form parseIsrc accepts is taken. */
  isrc?: string;
  comment?: string;
  /** ISO date: YYYY, YYYY-MM or YYYY-MM-DD (the INFO ICRD format). */
  date?: string;
  /** Track number, "3" or "3/12" (number of tracks). */
  track?: string;
  /** Software that made the file (INFO ISFT, ID3 TSSE). */
  software?: string;
}

export type WavMetadataInput = Omit<WavMetadata, 'track'> & { track?: number | string };

const INFO_IDS = [
  ['title', 'INAM'],
  ['artist', 'IART'],
  ['album', 'IPRD'],
  ['comment', 'ICMT'],
  ['date', 'ICRD'],
  ['track', 'ITRK'],
  ['software', 'ISFT'],
  ['isrc', 'ISRC'],
] as const;

const ID3_TEXT_IDS = [
  ['title', 'TIT2'],
  ['artist', 'TPE1'],
  ['album', 'TALB'],
  ['isrc', 'TSRC'],
  ['track', 'TRCK'],
  ['software', 'TSSE'],
] as const;

const CODE_PAGE_UTF8 = 65001;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const utf8 = new TextEncoder();

/** Check and normalise metadata: drops empty fields, validates ISRC, date and track. Throws RangeError naming the field. */
export function normalizeMetadata(input: WavMetadataInput): WavMetadata {
  const out: WavMetadata = {};
  for (const [key, raw] of Object.entries(input) as [keyof WavMetadataInput, unknown][]) {
    if (raw === undefined || raw === '') continue;
    if (!['title', 'artist', 'album', 'isrc', 'comment', 'date', 'track', 'software'].includes(key)) throw new RangeError(`unknown metadata field ${JSON.stringify(key)}`);
    const value = typeof raw === 'number' && key === 'track' ? String(raw) : raw;
    if (typeof value !== 'string') throw new RangeError(`metadata ${key} must be a string, not ${typeof raw}`);
    // A NUL would end the INFO string early; other control characters (newlines in a comment) are fine.
    if (value.includes('\0')) throw new RangeError(`metadata ${key} contains a NUL character`);
    if (LONE_SURROGATE.test(value)) throw new RangeError(`metadata ${key} contains a lone UTF-16 surrogate`);
    out[key] = value;
  }
  if (out.isrc !== undefined) out.isrc = normalizeIsrc(out.isrc);
  if (out.date !== undefined && !/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(out.date)) {
    throw new RangeError(`metadata date ${JSON.stringify(out.date)} must be YYYY, YYYY-MM or YYYY-MM-DD`);
  }
  if (out.track !== undefined && !/^[1-9]\d*(\/[1-9]\d*)?$/.test(out.track)) {
    throw new RangeError(`metadata track ${JSON.stringify(out.track)} must be a positive whole number, optionally "n/total"`);
  }
  return out;
}

/** The chunks (CSET, LIST/INFO, id3) that carry `meta`, ready to append after the data chunk; empty if there is nothing to write. */
export function metadataChunks(input: WavMetadataInput): Uint8Array {
  const meta = normalizeMetadata(input);
  const chunks: Uint8Array[] = [];
  const infoFields = INFO_IDS.filter(([key]) => meta[key] !== undefined);
  if (infoFields.some(([key]) => /[^\x00-\x7f]/.test(meta[key]!))) {
    const cset = new Uint8Array(8); // code page, country, language, dialect (0 = unspecified)
    new DataView(cset.buffer).setUint16(0, CODE_PAGE_UTF8, true);
    chunks.push(chunk('CSET', cset));
  }
  if (infoFields.length > 0) {
    const parts = [ascii('INFO'), ...infoFields.map(([key, id]) => chunk(id, concat([utf8.encode(meta[key]!), new Uint8Array(1)])))];
    chunks.push(chunk('LIST', concat(parts)));
  }
  const id3 = id3v23Tag(meta);
  if (id3) chunks.push(chunk('id3 ', id3));
  return concat(chunks);
}

/** An ID3v2.3 tag with a text frame per field (no padding, no unsynchronisation), or null if there are none. */
function id3v23Tag(meta: WavMetadata): Uint8Array | null {
  const frames: Uint8Array[] = [];
  for (const [key, id] of ID3_TEXT_IDS) {
    const value = meta[key];
    if (value !== undefined) frames.push(id3Frame(id, id3Text(value)));
  }
  if (meta.date !== undefined) {
    // v2.3 has no full date frame: TYER is the year, TDAT the day and month as DDMM.
    frames.push(id3Frame('TYER', id3Text(meta.date.slice(0, 4))));
    if (meta.date.length === 10) frames.push(id3Frame('TDAT', id3Text(meta.date.slice(8, 10) + meta.date.slice(5, 7))));
  }
  if (meta.comment !== undefined) {
    // COMM: encoding, language, empty short description (terminated in that encoding), text.
    const text = id3Text(meta.comment);
    const unicode = text[0] === 1;
    const description = unicode ? [0xff, 0xfe, 0, 0] : [0];
    frames.push(id3Frame('COMM', concat([Uint8Array.of(text[0]), ascii('eng'), Uint8Array.from(description), text.subarray(1)])));
  }
  if (frames.length === 0) return null;
  const body = concat(frames);
  if (body.length >= 2 ** 28) throw new RangeError('metadata is too large for an ID3 tag (256 MiB)');
  const header = Uint8Array.of(0x49, 0x44, 0x33, 3, 0, 0, ...syncsafe(body.length));
  return concat([header, body]);
}

/** Encoding byte + text: ISO-8859-1 when the text is ASCII, else UTF-16LE with a BOM. No terminator (optional in v2.3). */
function id3Text(value: string): Uint8Array {
  if (!/[^\x00-\x7f]/.test(value)) return concat([Uint8Array.of(0), ascii(value)]);
  const out = new Uint8Array(3 + value.length * 2);
  out[0] = 1;
  out[1] = 0xff;
  out[2] = 0xfe;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    out[3 + 2 * i] = unit & 0xff;
    out[4 + 2 * i] = unit >> 8;
  }
  return out;
}

function id3Frame(id: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(10 + data.length);
  out.set(ascii(id), 0);
  new DataView(out.buffer).setUint32(4, data.length, false); // v2.3: plain big-endian size; flags stay 0
  out.set(data, 10);
  return out;
}

function syncsafe(n: number): number[] {
  return [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];
}

/** A RIFF chunk: id, little-endian size, data, and a pad byte when the size is odd (not counted in the size). */
function chunk(id: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + (data.length & 1));
  out.set(ascii(id), 0);
  new DataView(out.buffer).setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- Reading ------------------------------------------------------------------------------------------

/**
 * Read the metadata of a WAV file: LIST/INFO (UTF-8 when a CSET chunk says 65001 or the bytes are valid
 * UTF-8, else ISO-8859-1) and an `id3 `/`ID3 ` chunk with an ID3v2.3 or 2.4 tag. Where both have a field,
 * ID3 wins (it declares its encoding), except the date, where the more precise one wins. The ISRC comes
 * from TSRC, else from INFO `ISRC` when that holds a valid code. Unsynchronised ID3 tags and ID3v2.2 are not read (we do not write them, nor do the
 * common taggers for WAV).
 */
export function readWavMetadata(bytes: Uint8Array): WavMetadata {
  const text = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  const chunks = wavChunks(bytes);
  if (!chunks) throw new Error('not a WAV file (no RIFF/WAVE header)');
  let codePage: number | undefined;
  const infoRaw: { id: string; data: Uint8Array }[] = [];
  let id3: WavMetadata = {};
  for (const { id, start, size } of chunks) {
    const data = bytes.subarray(start, Math.min(start + size, bytes.length));
    if (id === 'CSET' && data.length >= 2) codePage = data[0] | (data[1] << 8);
    else if (id === 'LIST' && data.length >= 4 && text(start) === 'INFO') {
      for (let q = 4; q + 8 <= data.length; ) {
        const subSize = new DataView(data.buffer, data.byteOffset + q + 4, 4).getUint32(0, true);
        infoRaw.push({ id: String.fromCharCode(...data.subarray(q, q + 4)), data: data.subarray(q + 8, Math.min(q + 8 + subSize, data.length)) });
        q += 8 + subSize + (subSize & 1);
      }
    } else if (id === 'id3 ' || id === 'ID3 ') id3 = readId3(data);
  }
  const info: WavMetadata = {};
  for (const { id, data } of infoRaw) {
    const key = INFO_IDS.find(([, infoId]) => infoId === id)?.[0];
    if (!key) continue;
    const end = data.indexOf(0);
    const value = decodeInfo(end < 0 ? data : data.subarray(0, end), codePage);
    if (value !== '') info[key] = value;
  }
  // INFO's ISRC is free text ("source") in files from elsewhere: only a valid code counts as an ISRC.
  if (info.isrc !== undefined) {
    const parsed = parseIsrc(info.isrc);
    if (parsed.ok) info.isrc = parsed.isrc;
    else delete info.isrc;
  }
  const out: WavMetadata = { ...info, ...id3 };
  if (info.date && (!id3.date || info.date.length > id3.date.length)) out.date = info.date;
  return out;
}

function decodeInfo(data: Uint8Array, codePage: number | undefined): string {
  if (codePage === CODE_PAGE_UTF8 || codePage === undefined) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      // not UTF-8: fall through to the RIFF default
    }
  }
  return new TextDecoder(codePage === 1252 ? 'windows-1252' : 'latin1').decode(data);
}

function readId3(tag: Uint8Array): WavMetadata {
  if (tag.length < 10 || tag[0] !== 0x49 || tag[1] !== 0x44 || tag[2] !== 0x33) return {};
  const version = tag[3];
  const flags = tag[5];
  if ((version !== 3 && version !== 4) || flags & 0x80) return {};
  const size = ((tag[6] & 0x7f) << 21) | ((tag[7] & 0x7f) << 14) | ((tag[8] & 0x7f) << 7) | (tag[9] & 0x7f);
  const end = Math.min(10 + size, tag.length);
  const view = new DataView(tag.buffer, tag.byteOffset, tag.byteLength);
  let p = 10;
  if (flags & 0x40) {
    // extended header: v2.3 size excludes its own 4 bytes, v2.4 size is syncsafe and includes them
    const ext = view.getUint32(p, false);
    p += version === 3 ? 4 + ext : ((ext >> 24) << 21) | (((ext >> 16) & 0x7f) << 14) | (((ext >> 8) & 0x7f) << 7) | (ext & 0x7f);
  }
  const frames = new Map<string, string>();
  while (p + 10 <= end && tag[p] !== 0) {
    const id = String.fromCharCode(tag[p], tag[p + 1], tag[p + 2], tag[p + 3]);
    const raw = view.getUint32(p + 4, false);
    const frameSize = version === 4 ? ((raw >> 24) << 21) | (((raw >> 16) & 0x7f) << 14) | (((raw >> 8) & 0x7f) << 7) | (raw & 0x7f) : raw;
    const data = tag.subarray(p + 10, Math.min(p + 10 + frameSize, end));
    const frameFlags = tag[p + 9];
    p += 10 + frameSize;
    if (frameFlags !== 0 || data.length < 1 || frames.has(id)) continue; // compressed/encrypted/grouped: not ours
    if (id === 'COMM' && data.length >= 4) {
      // encoding, language, description, text: keep the first comment with an empty description
      const [description, text] = splitTerminated(data.subarray(4), data[0]);
      if (decodeId3(description, data[0]) === '') frames.set(id, decodeId3(text, data[0]));
    } else if (id[0] === 'T' && id !== 'TXXX') {
      frames.set(id, decodeId3(data.subarray(1), data[0]));
    }
  }
  const out: WavMetadata = {};
  for (const [key, id] of ID3_TEXT_IDS) {
    const value = frames.get(id);
    if (value) out[key] = value;
  }
  const comment = frames.get('COMM');
  if (comment) out.comment = comment;
  const tdrc = frames.get('TDRC');
  const year = frames.get('TYER');
  const ddmm = frames.get('TDAT');
  if (tdrc) out.date = tdrc;
  else if (year) out.date = ddmm && /^\d{4}$/.test(ddmm) ? `${year}-${ddmm.slice(2)}-${ddmm.slice(0, 2)}` : year;
  return out;
}

/** Split at the first terminator of the encoding (one NUL, or two on an even offset for UTF-16). */
function splitTerminated(data: Uint8Array, encoding: number): [Uint8Array, Uint8Array] {
  const wide = encoding === 1 || encoding === 2;
  for (let i = 0; i + (wide ? 1 : 0) < data.length; i += wide ? 2 : 1) {
    if (data[i] === 0 && (!wide || data[i + 1] === 0)) return [data.subarray(0, i), data.subarray(i + (wide ? 2 : 1))];
  }
  return [data, new Uint8Array(0)];
}

/** Decode ID3 text; a trailing terminator is dropped, and of several NUL-separated values (v2.4) the first is kept. */
function decodeId3(data: Uint8Array, encoding: number): string {
  const [first] = splitTerminated(data, encoding);
  if (encoding === 0) return new TextDecoder('latin1').decode(first);
  if (encoding === 3) return new TextDecoder('utf-8').decode(first);
  if (encoding === 2) return new TextDecoder('utf-16be').decode(first);
  // encoding 1: UTF-16 with a BOM (TextDecoder drops it when it matches the decoder's endianness)
  if (first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be').decode(first);
  return new TextDecoder('utf-16le').decode(first);
}
