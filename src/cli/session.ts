// Reading a session file and the audio files it names, with every problem as one line.
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { getDefinition } from '../../nodes/registry.ts';
import type { ChainDoc, SessionDoc } from '../model/document.ts';
import { formatProblem, type Problem } from '../model/validate.ts';
import { MAX_BYTES, PresetError } from '../presets/json.ts';
import { loadChain } from '../presets/chain.ts';
import { loadSession } from '../presets/load.ts';
import { resolveSource } from '../io/paths.ts';
import { CliError, fsReason } from './errors.ts';

export interface LoadedSession {
  doc: SessionDoc;
  /** The path as the user gave it: the prefix of every message about this file. */
  name: string;
  /** The folder source paths are relative to. */
  dir: string;
}

/** The text of a Mixgraph JSON file, refused unread when it is over the size limit. */
export async function readDocumentText(path: string, what: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`mixgraph: ${JSON.stringify(path)} is a directory, not ${what}`);
    size = info.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`mixgraph: cannot read ${JSON.stringify(path)}: ${fsReason(err)}`);
  }
  // Checked before reading: a huge file is refused without loading it into memory.
  if (size > MAX_BYTES) throw new CliError(`${path}: ${size} bytes is larger than the ${MAX_BYTES / 1024 / 1024} MiB limit for ${what}`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`mixgraph: cannot read ${JSON.stringify(path)}: ${fsReason(err)}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark some editors add
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

export async function readSession(path: string): Promise<LoadedSession> {
  const text = await readDocumentText(path, 'a session file');
  const doc = loadOrFail(() => loadSession(text, path));
  return { doc, name: path, dir: dirname(resolve(path)) };
}

export async function readChain(path: string): Promise<ChainDoc> {
  const text = await readDocumentText(path, 'a chain file');
  return loadOrFail(() => loadChain(text, path));
}

export interface FileParam {
  /** Index of the node in doc.nodes. */
  index: number;
  node: string;
  param: string;
  value: string;
}

/** Every non-empty `file` param (a track's source) in the session. */
export function fileParams(doc: SessionDoc): FileParam[] {
  const out: FileParam[] = [];
  doc.nodes.forEach((node, index) => {
    const def = getDefinition(node.type);
    if (!def) return;
    for (const [param, spec] of Object.entries(def.params)) {
      if (spec.kind !== 'string' || spec.format !== 'file') continue;
      const value = node.params[param];
      if (typeof value === 'string' && value !== '') out.push({ index, node: node.id, param, value });
    }
  });
  return out;
}

export const problemAt = (name: string, f: FileParam, message: string): string =>
  `${name}: ${formatProblem({ path: `nodes[${f.index}].params.${f.param}`, node: f.node, message } satisfies Problem)}`;

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
 * Decode each file with `decode`; every file that fails is reported for each node using it.
 * Returns the decoded value by param value.
 */
export async function decodeSources<T>(session: LoadedSession, files: Map<string, string>, decode: (file: string) => Promise<T>): Promise<Map<string, T>> {
  const decoded = new Map<string, T>();
  const failed = new Map<string, string>();
  for (const [value, file] of files) {
    try {
      decoded.set(value, await decode(file));
    } catch (err) {
      failed.set(value, decodeReason(err));
    }
  }
  if (failed.size) {
    const lines = fileParams(session.doc)
      .filter((f) => failed.has(f.value))
      .map((f) => problemAt(session.name, f, `cannot decode ${JSON.stringify(f.value)} as audio (${failed.get(f.value)})`));
    throw new CliError(lines);
  }
  return decoded;
}

function decodeReason(err: unknown): string {
  if ((err as NodeJS.ErrnoException)?.code) return fsReason(err);
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^Failed to execute 'decodeAudioData':\s*/, '').split('\n')[0] || 'unknown error';
}
