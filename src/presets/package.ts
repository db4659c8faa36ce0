// Session packages: one `.mixgraph` file (a zip, made and inflated with fflate) holding the document at
// its root (`session.json`, `lesson.json` or `chain.json`) and every audio file it names at the
// relative path the document names. No Node or DOM APIs: the CLI and the editor both use this.
//
// A package from a stranger is hostile input. Everything is checked from the zip's central directory
// BEFORE anything is inflated: the number of entries, every name (no `..`, no absolute path, no
// backslash or drive letter, nothing a file system would read differently), links and other
// non-files (the entry's external attributes), duplicates (also by case or Unicode normalisation),
// encryption, compression methods, declared sizes and ratios, entries sharing bytes, and each local
// header against its directory entry. Then, while inflating, the real output is counted (a header can
// lie): an entry that inflates past its declared size or a limit is refused mid-way, and its CRC-32
// must match. The document is loaded by the ordinary loader; every audio file it names must be there.
import { Inflate, zipSync, type Zippable } from 'fflate';

import { fileParams, type ChainDoc, type SessionDoc } from '../model/document.ts';
import { formatProblem } from '../model/validate.ts';
import { loadChainValue } from './chain.ts';
import { loadLessonValue, saveLesson, type LessonDoc } from './lesson.ts';
import { documentText, DocumentTextError, MAX_BYTES, parseJson, PresetError } from './json.ts';
import { loadSessionValue, saveSession } from './load.ts';

export const PACKAGE_EXTENSION = '.mixgraph';
/** The documents a package may hold at its root, in the order they are looked for. */
export const PACKAGE_DOCUMENTS = ['session.json', 'lesson.json', 'chain.json'] as const;
export type PackageDocumentName = (typeof PACKAGE_DOCUMENTS)[number];

export interface PackageLimits {
  /** Entries in the central directory (folders included). */
  maxEntries: number;
  /** Inflated bytes of one entry. */
  maxEntryBytes: number;
  /** Inflated bytes of every entry together. */
  maxTotalBytes: number;
  /** Inflated / compressed, for entries over `ratioFloor` bytes: deflate bombs reach about 1000:1. */
  maxRatio: number;
  ratioFloor: number;
  /** The document (JSON), as for any document file. */
  maxDocumentBytes: number;
}

export const DEFAULT_PACKAGE_LIMITS: Readonly<PackageLimits> = {
  maxEntries: 1000,
  maxEntryBytes: 2 * 1024 ** 3, // an audio file's limit
  maxTotalBytes: 2 * 1024 ** 3,
  maxRatio: 200,
  ratioFloor: 1024 * 1024,
  maxDocumentBytes: MAX_BYTES,
};

/** A package refused, one line per problem (the package's name first). */
export class PackageError extends PresetError {
  override name = 'PackageError';
}

export interface PackageEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Where the entry's data starts in the package. */
  dataStart: number;
  directory: boolean;
}

export interface OpenedPackage {
  /** The document's name at the root. */
  document: PackageDocumentName;
  /** Loaded, migrated and validated like a file (for a lesson: its starting session). */
  doc: SessionDoc | ChainDoc;
  /** The lesson, when lesson.json holds one ("kind": "lesson"); its audio is its starting session's. */
  lesson?: LessonDoc;
  /** Every entry, in the package's order. */
  entries: PackageEntry[];
  /** Each distinct source the document names -> the name of the package entry holding it. */
  sources: Map<string, string>;
  /** Inflate one entry, checked as it inflates (sizes, limits, CRC). */
  read(name: string): Uint8Array;
}

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const mib = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`);
const show = (s: string) => JSON.stringify(s);

// ------------------------------------------------------------------ CRC-32 (the zip's, IEEE)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

class Crc32 {
  private c = 0xffffffff;
  update(data: Uint8Array): void {
    let c = this.c;
    for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    this.c = c;
  }
  get value(): number {
    return (this.c ^ 0xffffffff) >>> 0;
  }
}

// ------------------------------------------------------------------ names

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const WINDOWS_BAD = /[<>:"|?*]/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a name cannot be a file in a package (or a path a document names), or null. */
export function packageNameProblem(name: string): string | null {
  if (name === '') return 'has an empty name';
  if (CONTROL.test(name)) return 'has control characters in its name';
  if (name.includes('\\')) return 'has a backslash in its name (a Windows path separator; a package uses "/")';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (new TextEncoder().encode(name).length > 1024) return 'has a name longer than 1024 bytes';
  const parts = name.replace(/\/$/, '').split('/');
  for (const part of parts) {
    if (part === '..') return 'leads out of the package (a ".." in its path)';
    if (part === '.' || part === '') return 'has an empty or "." part in its path';
    if (new TextEncoder().encode(part).length > 255) return 'has a part of its path longer than 255 bytes';
    if (WINDOWS_BAD.test(part)) return `has a character a file name cannot hold on every system (${part.match(WINDOWS_BAD)![0]})`;
    if (WINDOWS_RESERVED.test(part)) return `uses "${part}", a device name on Windows`;
    if (/[. ]$/.test(part)) return 'has a part ending in a dot or a space (Windows would change it)';
  }
  return null;
}

/** The package entry a document's source names: "./stems/kick.wav" -> "stems/kick.wav", or why not. */
export function packagePath(source: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = source.split('/').filter((p, i, all) => !(p === '.' && all.length > 1)).join('/');
  const problem = packageNameProblem(name);
  if (problem) return { ok: false, message: `${show(source)} cannot be in a package: it ${problem}` };
  return { ok: true, name };
}

/** How two names compare on a file system that folds case and Unicode forms (macOS, Windows). */
const folded = (name: string) => name.normalize('NFC').toLowerCase();

// ------------------------------------------------------------------ the central directory

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;

function findEnd(b: Uint8Array): number {
  // The end record is 22 bytes plus a comment of at most 65,535.
  for (let at = b.length - 22; at >= Math.max(0, b.length - 22 - 65535); at--) {
    if (u32(b, at) === EOCD && at + 22 + u16(b, at + 20) === b.length) return at;
  }
  return -1;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const UNIX_HOSTS = new Set([3, 19]); // Unix, macOS (OS X)
const DOS_DIRECTORY = 0x10;
const DOS_REPARSE_POINT = 0x400;

function fileTypeProblem(madeBy: number, external: number, name: string): string | null {
  const host = madeBy >> 8;
  if (UNIX_HOSTS.has(host)) {
    const mode = external >>> 16;
    const type = mode & S_IFMT;
    if (type === S_IFLNK) return 'is a symbolic link; a package holds only files';
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return 'is not a regular file (a device, FIFO or socket); a package holds only files';
    if (type === S_IFDIR && !name.endsWith('/')) return 'is marked as a folder but named as a file';
  }
  if (external & DOS_REPARSE_POINT) return 'is a link (a Windows reparse point); a package holds only files';
  if (external & DOS_DIRECTORY && !name.endsWith('/') && !UNIX_HOSTS.has(host)) return 'is marked as a folder but named as a file';
  return null;
}

/** Every entry of the central directory, checked; throws PackageError listing every problem. */
export function readDirectory(b: Uint8Array, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS, label = 'package'): PackageEntry[] {
  const fail = (lines: string[]): never => {
    const prefixed = lines.map((l) => `${label}: ${l}`);
    throw new PackageError(prefixed.join('\n'), prefixed);
  };
  if (b.length < 22 || u32(b, 0) !== LOCAL && u32(b, 0) !== EOCD) fail(['is not a Mixgraph package (not a zip file); a package is a .mixgraph file made by Save package or `mixgraph pack`']);
  const end = findEnd(b);
  if (end < 0) fail(['is not a whole zip file (no end record: cut short or damaged)']);
  if (end >= 20 && u32(b, end - 20) === ZIP64_LOCATOR) fail(['is a ZIP64 archive (over 4 GiB or 65,535 entries); Mixgraph packages are smaller']);
  if (u16(b, end + 4) !== 0 || u16(b, end + 6) !== 0) fail(['is split over several disks; a package is one file']);
  const count = u16(b, end + 10);
  const cdSize = u32(b, end + 12);
  const cdStart = u32(b, end + 16);
  if (count !== u16(b, end + 8)) fail(['is damaged (its entry counts disagree)']);
  if (count > limits.maxEntries) fail([`has ${count} entries; a package may have at most ${limits.maxEntries}`]);
  if (cdStart + cdSize > end) fail(['is damaged (its directory lies outside the file)']);

  const problems: string[] = [];
  const entries: PackageEntry[] = [];
  let at = cdStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || u32(b, at) !== CENTRAL) fail([`is damaged (directory entry ${i + 1} of ${count} is not where the directory says)`]);
    const madeBy = u16(b, at + 4);
    const flags = u16(b, at + 8);
    const method = u16(b, at + 10);
    const crc = u32(b, at + 16);
    const compressedSize = u32(b, at + 20);
    const size = u32(b, at + 24);
    const nameLength = u16(b, at + 28);
    const extraLength = u16(b, at + 30);
    const commentLength = u16(b, at + 32);
    const external = u32(b, at + 38);
    const localOffset = u32(b, at + 42);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) fail([`is damaged (directory entry ${i + 1} runs past the directory)`]);
    const rawName = b.subarray(at + 46, at + 46 + nameLength);
    at = next;
    let name: string;
    try {
      name = utf8.decode(rawName);
    } catch {
      problems.push(`entry ${i + 1} has a name that is not UTF-8 text`);
      continue;
    }
    const where = `entry ${show(name)}`;
    const bad = packageNameProblem(name);
    if (bad) {
      problems.push(`${where} ${bad}; refused`);
      continue;
    }
    const type = fileTypeProblem(madeBy, external, name);
    if (type) {
      problems.push(`${where} ${type}; refused`);
      continue;
    }
    if (flags & 0x41) {
      problems.push(`${where} is encrypted; a package cannot be opened with a password: make it again without one`);
      continue;
    }
    if (method !== 0 && method !== 8) {
      problems.push(`${where} uses compression method ${method}; a package uses "stored" (0) or "deflate" (8)`);
      continue;
    }
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      problems.push(`${where} has ZIP64 sizes (over 4 GiB); refused`);
      continue;
    }
    const directory = name.endsWith('/');
    if (directory && size !== 0) problems.push(`${where} is a folder with content; refused`);
    if (method === 0 && size !== compressedSize) problems.push(`${where} is stored, but its sizes disagree (${compressedSize} and ${size} bytes); the package is damaged`);
    if (size > limits.maxEntryBytes) problems.push(`${where} would inflate to ${mib(size)}; an entry may have at most ${mib(limits.maxEntryBytes)}`);
    if (size > limits.ratioFloor && size / Math.max(1, compressedSize) > limits.maxRatio) {
      problems.push(`${where} would inflate ${Math.round(size / Math.max(1, compressedSize))} times over (${mib(compressedSize)} to ${mib(size)}; at most ${limits.maxRatio} times): refused as a possible zip bomb`);
    }
    // The local header: where the data is, and it must agree with the directory.
    if (localOffset + 30 > cdStart || u32(b, localOffset) !== LOCAL) {
      problems.push(`${where} points at no file data (the package is damaged)`);
      continue;
    }
    const localNameLength = u16(b, localOffset + 26);
    const localExtra = u16(b, localOffset + 28);
    const localMethod = u16(b, localOffset + 8);
    const localName = b.subarray(localOffset + 30, localOffset + 30 + localNameLength);
    if (localMethod !== method || localNameLength !== nameLength || !localName.every((x, k) => x === rawName[k])) {
      problems.push(`${where}: its file data is labelled differently from its directory entry (another name or method); refused`);
      continue;
    }
    const dataStart = localOffset + 30 + localNameLength + localExtra;
    if (dataStart + compressedSize > cdStart) {
      problems.push(`${where}: its data runs past the end of the file data (the package is damaged)`);
      continue;
    }
    entries.push({ name, method, compressedSize, size, crc, dataStart, directory });
  }
  if (at !== cdStart + cdSize) problems.push('is damaged (its directory is not the size the end record says)');

  // Names that collide on some file system, and a name used as both a file and a folder.
  const byFolded = new Map<string, string>();
  const files = new Set<string>();
  for (const e of entries) {
    const key = folded(e.name.replace(/\/$/, ''));
    const other = byFolded.get(key);
    if (other !== undefined) {
      const how = other === e.name ? 'twice' : other.normalize('NFC') === e.name.normalize('NFC') ? `twice (as ${show(other)} and ${show(e.name)}, which differ only in Unicode form)` : `twice (as ${show(other)} and ${show(e.name)}, which differ only in case)`;
      problems.push(`holds ${show(e.name)} ${how}; every file needs its own name`);
    } else byFolded.set(key, e.name);
    if (!e.directory) files.add(key);
  }
  for (const e of entries) {
    const parts = folded(e.name.replace(/\/$/, '')).split('/');
    for (let k = 1; k < parts.length; k++) {
      const prefix = parts.slice(0, k).join('/');
      if (files.has(prefix)) problems.push(`holds ${show(prefix)} as a file and as a folder (${show(e.name)}); refused`);
    }
  }
  // Entries sharing their bytes: many names for one compressed stream make a bomb without a big ratio.
  const ranges = entries.filter((e) => e.compressedSize > 0).sort((x, y) => x.dataStart - y.dataStart);
  for (let k = 1; k < ranges.length; k++) {
    if (ranges[k].dataStart < ranges[k - 1].dataStart + ranges[k - 1].compressedSize) problems.push(`entries ${show(ranges[k - 1].name)} and ${show(ranges[k].name)} share their data; refused as a possible zip bomb`);
  }
  const declared = entries.reduce((s, e) => s + e.size, 0);
  if (declared > limits.maxTotalBytes) problems.push(`would inflate to ${mib(declared)} in all; a package may hold at most ${mib(limits.maxTotalBytes)}`);
  if (problems.length) fail(problems);
  return entries;
}

// ------------------------------------------------------------------ inflating, counted

/** Compressed bytes per push: fflate inflates a push at once, about 1000 times its size at worst. */
const PUSH = 1024;

function inflateEntry(b: Uint8Array, e: PackageEntry, limit: number, label: string): Uint8Array {
  const fail = (line: string): never => {
    throw new PackageError(`${label}: ${line}`, [`${label}: ${line}`]);
  };
  const data = b.subarray(e.dataStart, e.dataStart + e.compressedSize);
  const crc = new Crc32();
  let out: Uint8Array;
  if (e.method === 0) {
    if (data.length > limit) fail(`${show(e.name)} is ${mib(data.length)}; at most ${mib(limit)} here`);
    out = data.slice();
  } else {
    out = new Uint8Array(Math.min(e.size, limit));
    let filled = 0;
    const inflater = new Inflate((chunk) => {
      // The header's size is a claim: the real output is counted, and more than claimed is refused.
      if (filled + chunk.length > e.size) fail(`${show(e.name)} inflates to more than the ${mib(e.size)} its header says; refused as a possible zip bomb`);
      if (filled + chunk.length > limit) fail(`${show(e.name)} inflates past ${mib(limit)}, the limit here; refused`);
      out.set(chunk, filled);
      filled += chunk.length;
    });
    try {
      for (let i = 0; i < data.length; i += PUSH) inflater.push(data.subarray(i, Math.min(data.length, i + PUSH)), i + PUSH >= data.length);
      if (data.length === 0) inflater.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof PackageError) throw err;
      fail(`${show(e.name)} is damaged: its compressed data does not inflate (${(err as Error).message})`);
    }
    if (filled !== e.size) fail(`${show(e.name)} is damaged: it inflates to ${mib(filled)}, its header says ${mib(e.size)}`);
  }
  crc.update(out);
  if (crc.value !== e.crc) fail(`${show(e.name)} is damaged: its checksum (CRC-32) does not match`);
  return out;
}

// ------------------------------------------------------------------ reading a package

/**
 * Open a package: check its directory, load its document, and check that every audio file the
 * document names is in it. Inflates only the document; audio comes through `read`. Throws
 * PackageError (one line per problem, each starting with `label`).
 */
export function readPackage(bytes: Uint8Array, options: { label?: string; limits?: Partial<PackageLimits> } = {}): OpenedPackage {
  const label = options.label ?? 'package';
  const limits = { ...DEFAULT_PACKAGE_LIMITS, ...options.limits };
  const fail = (lines: string[]): never => {
    const prefixed = lines.map((l) => `${label}: ${l}`);
    throw new PackageError(prefixed.join('\n'), prefixed);
  };
  const entries = readDirectory(bytes, limits, label);
  const byName = new Map(entries.map((e) => [e.name, e]));

  const found = PACKAGE_DOCUMENTS.filter((d) => byName.has(d));
  if (found.length === 0) {
    const nested = entries.find((e) => (PACKAGE_DOCUMENTS as readonly string[]).includes(e.name.split('/').pop()!));
    fail([nested ? `has its document at ${show(nested.name)}; it must be at the package's root (as ${show(nested.name.split('/').pop()!)})` : `holds no document: a package has ${PACKAGE_DOCUMENTS.join(', ')} at its root`]);
  }
  if (found.length > 1) fail([`holds ${found.join(' and ')}; a package holds one document`]);
  const document = found[0];

  let total = 0;
  const read = (name: string): Uint8Array => {
    const e = byName.get(name);
    if (!e || e.directory) return fail([`has no file ${show(name)}`]);
    const data = inflateEntry(bytes, e, Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total), label);
    total += data.length;
    return data;
  };

  const docEntry = byName.get(document)!;
  if (docEntry.size > limits.maxDocumentBytes) fail([`${document} is ${mib(docEntry.size)}; a document may have at most ${mib(limits.maxDocumentBytes)}`]);
  const docBytes = inflateEntry(bytes, docEntry, limits.maxDocumentBytes, label);
  total += docBytes.length;
  let text: string;
  try {
    text = documentText(docBytes);
  } catch (err) {
    if (err instanceof DocumentTextError) return fail([`${document}: ${err.message}`]);
    throw err;
  }
  const docLabel = `${label}: ${document}`;
  let value: unknown;
  try {
    value = parseJson(text, docLabel);
  } catch (err) {
    if (err instanceof PresetError) throw new PackageError(err.message, err.problems);
    throw err;
  }
  // lesson.json holds a lesson, or (as packages made before lessons had a kind of their own) a session.
  const isLesson = document === 'lesson.json' && typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'lesson';
  const loaded = document === 'chain.json' ? loadChainValue(value) : isLesson ? loadLessonValue(value) : loadSessionValue(value);
  if (!loaded.ok) {
    const lines = loaded.problems.map((p) => `${docLabel}: ${formatProblem(p)}`);
    throw new PackageError(lines.join('\n'), lines);
  }
  const lesson = loaded.doc.kind === 'lesson' ? loaded.doc : undefined;
  const doc = loaded.doc.kind === 'lesson' ? loaded.doc.session : loaded.doc;

  // Every audio file the document names must be in the package, at that path.
  const sources = new Map<string, string>();
  const problems: string[] = [];
  const byNfc = new Map(entries.map((e) => [e.name.normalize('NFC'), e]));
  const byFold = new Map(entries.map((e) => [folded(e.name), e]));
  for (const s of fileParams(doc)) {
    if (sources.has(s.value)) continue;
    const path = packagePath(s.value);
    if (!path.ok) {
      problems.push(`${document}: node "${s.node}": ${path.message}`);
      continue;
    }
    const entry = byName.get(path.name) ?? byNfc.get(path.name.normalize('NFC'));
    if (entry && !entry.directory) {
      sources.set(s.value, entry.name);
      continue;
    }
    const near = byFold.get(folded(path.name));
    problems.push(`${document} names ${show(s.value)} (node "${s.node}"), which is not in the package${near ? ` (it holds ${show(near.name)}: names must match exactly, case included)` : ''}`);
  }
  if (problems.length) fail(problems);
  return lesson ? { document, doc, lesson, entries, sources, read } : { document, doc, entries, sources, read };
}

// ------------------------------------------------------------------ writing a package

export interface PackageFile {
  /** The path in the package: the source exactly as the document names it (normalised). */
  name: string;
  bytes: Uint8Array;
}

/**
 * A package of `doc` and its audio: the document at the root as `documentName` (session.json,
 * chain.json for a chain, lesson.json for a lesson), each file at its path. Audio is stored as it is (audio barely deflates,
 * and a stored entry cannot be a bomb); the document is deflated. Checks what the reader checks, so a
 * package that this writes always opens: every source the document names must be among `files`.
 */
export function writePackage(written: SessionDoc | ChainDoc | LessonDoc, files: readonly PackageFile[], options: { documentName?: PackageDocumentName; mtime?: Date } = {}): Uint8Array {
  const documentName = options.documentName ?? (written.kind === 'chain' ? 'chain.json' : written.kind === 'lesson' ? 'lesson.json' : 'session.json');
  // A lesson's audio is its starting session's.
  const doc = written.kind === 'lesson' ? written.session : written;
  const problems: string[] = [];
  const byName = new Map<string, Uint8Array>();
  const seen = new Map<string, string>();
  for (const f of files) {
    const bad = packageNameProblem(f.name);
    if (bad) {
      problems.push(`${show(f.name)} cannot be in a package: it ${bad}`);
      continue;
    }
    if ((PACKAGE_DOCUMENTS as readonly string[]).includes(f.name)) problems.push(`${show(f.name)} is the name of a package's document; give the audio file another name`);
    const key = folded(f.name);
    const other = seen.get(key);
    if (other !== undefined && other !== f.name) problems.push(`${show(other)} and ${show(f.name)} differ only in case or Unicode form; a package could not be opened on every system`);
    seen.set(key, f.name);
    byName.set(f.name, f.bytes);
  }
  for (const s of fileParams(doc)) {
    const path = packagePath(s.value);
    if (!path.ok) problems.push(`node "${s.node}": ${path.message}`);
    else if (!byName.has(path.name)) problems.push(`node "${s.node}" names ${show(s.value)}, which is not among the files to pack`);
  }
  if (problems.length) throw new PackageError(problems.join('\n'), problems);
  const mtime = options.mtime ?? new Date();
  const attrs = { os: 3, attrs: (S_IFREG | 0o644) << 16, mtime };
  const zippable: Zippable = { [documentName]: [new TextEncoder().encode(written.kind === 'lesson' ? saveLesson(written) : saveSession(written)), { ...attrs, level: 6 }] };
  for (const [name, bytes] of byName) zippable[name] = [bytes, { ...attrs, level: 0 }];
  const total = [...byName.values()].reduce((s, x) => s + x.length, 0);
  if (total > DEFAULT_PACKAGE_LIMITS.maxTotalBytes) throw new PackageError(`the audio comes to ${mib(total)}; a package may hold at most ${mib(DEFAULT_PACKAGE_LIMITS.maxTotalBytes)}`);
  return zipSync(zippable);
}
