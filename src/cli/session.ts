// Reading a session file and the audio files it names, with every problem as one line.
import { dirname, resolve } from 'node:path';

import { getDefinition } from '../../nodes/registry.ts';
import type { ChainDoc, SessionDoc } from '../model/document.ts';
import { formatProblem, type Problem } from '../model/validate.ts';
import { documentText, DocumentTextError, MAX_BYTES, PresetError } from '../presets/json.ts';
import { loadChain } from '../presets/chain.ts';
import { loadSession } from '../presets/load.ts';
import { InputRefused, readRegularFile } from '../io/files.ts';
import { resolveSource } from '../io/paths.ts';
import { AudioReadError, loadAudio, type ReadAudio } from './audio.ts';
import { CliError } from './errors.ts';

export interface LoadedSession {
  doc: SessionDoc;
  /** The path as the user gave it: the prefix of every message about this file. */
  name: string;
  /** The folder source paths are relative to. */
  dir: string;
}

/**
 * The text of a Mixgraph JSON file: a regular file (checked once opened), refused unread when over the
 * size limit, in UTF-8 (UTF-16 files are named as such).
 */
export async function readDocumentText(path: string): Promise<string> {
  try {
    return documentText(await readRegularFile(path, MAX_BYTES));
  } catch (err) {
    if (err instanceof InputRefused || err instanceof DocumentTextError) throw new CliError(`mixgraph: cannot read ${JSON.stringify(path)}: ${err.message}`);
    throw err;
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

export async function readSession(path: string): Promise<LoadedSession> {
  const text = await readDocumentText(path);
  const doc = loadOrFail(() => loadSession(text, path));
  return { doc, name: path, dir: dirname(resolve(path)) };
}

export async function readChain(path: string): Promise<ChainDoc> {
  const text = await readDocumentText(path);
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
