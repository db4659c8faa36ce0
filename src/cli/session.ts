// Reading a session file and the audio files it names, with every problem as one line.
import { dirname, resolve } from 'node:path';

import { fileParams as docFileParams, type ChainDoc, type FileRef, type SessionDoc } from '../model/document.ts';
import { formatProblem, type Problem } from '../model/validate.ts';
import { documentText, DocumentTextError, MAX_BYTES, PresetError } from '../presets/json.ts';
import { loadChain } from '../presets/chain.ts';
import { loadSession } from '../presets/load.ts';
import { InputRefused, readRegularFile } from '../io/files.ts';
import { resolveSource } from '../io/paths.ts';
import { AudioReadError, loadAudio, openAudio, type OpenedAudio, type ReadAudio } from './audio.ts';
import type { SourceSpec } from '../engine/node.ts';
import { CliError } from './errors.ts';
import { extractPackage, isPackagePath, readChainPackage } from './package.ts';
import { PACKAGE_EXTENSION } from '../presets/package.ts';

export interface LoadedSession {
  doc: SessionDoc;
  /** The prefix of every message about it: the path as the user gave it (for a package, `song.mixgraph: session.json`). */
  name: string;
  /** The file read (the session file or the package), for the output checks. */
  file: string;
  /** The folder source paths are relative to (for a package, the private folder its audio was unpacked into). */
  dir: string;
  /** Files besides `file` and the sources that the job reads (none, or a package's unpacked audio). */
  also: string[];
  /** Call when done: removes a package's unpacked audio. */
  cleanup(): Promise<void>;
}

/**
 * The text of a Mixgraph JSON file: a regular file (checked once opened), refused unread when over the
 * size limit, in UTF-8 (UTF-16 files are named as such).
 */
export async function readDocumentText(path: string): Promise<string> {
  try {
    return documentText(await readRegularFile(path, MAX_BYTES));
  } catch (err) {
    if (err instanceof InputRefused || err instanceof DocumentTextError) {
      const zip = err instanceof DocumentTextError && (await looksLikeZip(path));
      throw new CliError(`mixgraph: cannot read ${JSON.stringify(path)}: ${zip ? `it is a zip file; if it is a Mixgraph package, name it ${PACKAGE_EXTENSION}` : err.message}`);
    }
    throw err;
  }
}

async function looksLikeZip(path: string): Promise<boolean> {
  try {
    const head = await readRegularFile(path, MAX_BYTES);
    return head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
  } catch {
    return false;
  }
}

/** Run a loader that throws PresetError, turning its problems into CliError lines. */
export function loadOrFail<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof PresetError) throw new CliError(err.problems);
    throw err;
  }
}

/** A session file, or a package (`.mixgraph`) whose audio is unpacked into a private folder. */
export async function readSession(path: string): Promise<LoadedSession> {
  if (isPackagePath(path)) {
    const unpacked = await extractPackage(path);
    if (unpacked.pkg.doc.kind !== 'session') {
      await unpacked.cleanup();
      throw new CliError(`${path}: holds ${unpacked.pkg.document}, a chain; give a session (a session file or a package of one)`);
    }
    return { doc: unpacked.pkg.doc, name: `${path}: ${unpacked.pkg.document}`, file: path, dir: unpacked.dir, also: unpacked.files, cleanup: unpacked.cleanup };
  }
  const text = await readDocumentText(path);
  const doc = loadOrFail(() => loadSession(text, path));
  return { doc, name: path, file: path, dir: dirname(resolve(path)), also: [], cleanup: async () => {} };
}

/** A chain file, or a package holding chain.json. */
export async function readChain(path: string): Promise<ChainDoc> {
  if (isPackagePath(path)) return readChainPackage(path);
  const text = await readDocumentText(path);
  return loadOrFail(() => loadChain(text, path));
}

export type FileParam = FileRef;

/** Every non-empty `file` param (a track's source) in the session, groups' inner nodes included. */
export function fileParams(doc: SessionDoc): FileParam[] {
  return docFileParams(doc);
}

export const problemAt = (name: string, f: FileParam, message: string): string =>
  `${name}: ${formatProblem({ path: f.jsonPath, node: f.node, message } satisfies Problem)}`;

/**
 * Apply the path rule to every file param and check that the files exist (without reading them).
 * Returns the absolute file for each distinct param value; throws a CliError listing every problem.
 */
export async function checkSources(session: LoadedSession, allowAnyPath: boolean): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const lines: string[] = [];
  const checked = new Map<string, Awaited<ReturnType<typeof resolveSource>>>();
  for (const f of fileParams(session.doc)) {
    let result = checked.get(f.value);
    if (!result) {
      result = await resolveSource(session.dir, f.value, allowAnyPath);
      checked.set(f.value, result);
    }
    if (result.ok) files.set(f.value, result.file);
    else lines.push(problemAt(session.name, f, result.message));
  }
  if (lines.length) throw new CliError(lines);
  return files;
}

/**
 * Read and decode every source file at `rate` (the one reading path of src/cli/audio.ts); every file
 * that fails is reported for each node using it, warnings (a file cut short) go to `warn`.
 * Returns the decoded audio by param value.
 */
export async function decodeSources(session: LoadedSession, files: Map<string, string>, rate: number, warn?: (line: string) => void): Promise<Map<string, ReadAudio>> {
  const decoded = new Map<string, ReadAudio>();
  const failed = new Map<string, string>();
  for (const [value, file] of files) {
    try {
      const audio = await loadAudio(file, rate);
      decoded.set(value, audio);
    } catch (err) {
      if (!(err instanceof AudioReadError)) throw err;
      failed.set(value, err.stage === 'read' ? `cannot read ${JSON.stringify(value)}: ${err.reason}` : `cannot decode ${JSON.stringify(value)} as audio: ${err.reason}`);
    }
  }
  if (failed.size) {
    const lines = fileParams(session.doc)
      .filter((f) => failed.has(f.value))
      .map((f) => problemAt(session.name, f, failed.get(f.value)!));
    throw new CliError(lines);
  }
  if (warn) for (const f of fileParams(session.doc)) for (const w of decoded.get(f.value)?.warnings ?? []) warn(`mixgraph: warning: ${problemAt(session.name, f, `${JSON.stringify(f.value)}: ${w}`)}`);
  return decoded;
}

/** A session's sources opened for a render: WAV files streamed, others decoded. Close when done. */
export interface SessionAudio {
  specs: Map<string, SourceSpec>;
  close(): Promise<void>;
}

/**
 * Open every source file for a render at `rate` (src/cli/audio.ts openAudio: WAV streamed from
 * disk, other formats decoded whole); every file that fails is reported for each node using it,
 * as decodeSources does, and nothing is left open.
 */
export async function openSessionAudio(session: LoadedSession, files: Map<string, string>, rate: number, warn?: (line: string) => void): Promise<SessionAudio> {
  const opened = new Map<string, OpenedAudio>();
  const failed = new Map<string, string>();
  const close = async () => {
    for (const a of opened.values()) await a.close();
  };
  try {
    for (const [value, file] of files) {
      try {
        opened.set(value, await openAudio(file, rate));
      } catch (err) {
        if (!(err instanceof AudioReadError)) throw err;
        failed.set(value, err.stage === 'read' ? `cannot read ${JSON.stringify(value)}: ${err.reason}` : `cannot decode ${JSON.stringify(value)} as audio: ${err.reason}`);
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  if (failed.size) {
    await close();
    const lines = fileParams(session.doc)
      .filter((f) => failed.has(f.value))
      .map((f) => problemAt(session.name, f, failed.get(f.value)!));
    throw new CliError(lines);
  }
  if (warn) for (const f of fileParams(session.doc)) for (const w of opened.get(f.value)?.warnings ?? []) warn(`mixgraph: warning: ${problemAt(session.name, f, `${JSON.stringify(f.value)}: ${w}`)}`);
  return { specs: new Map([...opened].map(([k, a]) => [k, a.spec])), close };
}
