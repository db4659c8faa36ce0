// The preset library the editor offers: the built-in presets shipped in presets/ (chains, node
// presets, session templates; bundled by Vite and checked like any file) and the user's own, kept
// in IndexedDB (the `presets` store) and exported and imported as ordinary preset files.
import { getDefinition } from '../../../nodes/registry.ts';
import type { ChainDoc, NodePresetDoc, SessionDoc } from '../../model/document.ts';
import { formatProblem } from '../../model/validate.ts';
import { loadChainValue } from '../../presets/chain.ts';
import { parseJson, PresetError } from '../../presets/json.ts';
import { loadNodePresetValue, loadSessionValue, saveDocument } from '../../presets/load.ts';
import type { Db, PresetRecord } from '../persist/db.ts';

export type PresetDoc = ChainDoc | NodePresetDoc;

export interface PresetEntry {
  /** "built-in:chains/streaming" or the user's preset id. */
  id: string;
  origin: 'built-in' | 'yours';
  kind: 'chain' | 'node-preset' | 'template';
  name: string;
  description: string;
  author: string;
  tags: string[];
  /** The node type of a node preset. */
  type?: string;
  doc: ChainDoc | NodePresetDoc | SessionDoc;
}

const chainFiles = import.meta.glob('../../../presets/chains/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;
const nodeFiles = import.meta.glob('../../../presets/nodes/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;
const templateFiles = import.meta.glob('../../../presets/templates/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

function entryOf(id: string, origin: PresetEntry['origin'], doc: ChainDoc | NodePresetDoc | SessionDoc): PresetEntry {
  const kind = doc.kind === 'session' ? 'template' : doc.kind;
  return {
    id,
    origin,
    kind,
    name: doc.name,
    description: doc.meta.description,
    author: doc.meta.author,
    tags: doc.meta.tags,
    ...(doc.kind === 'node-preset' ? { type: doc.type } : {}),
    doc,
  };
}

function builtIn(files: Record<string, unknown>, folder: string, load: (v: unknown) => { ok: true; doc: ChainDoc | NodePresetDoc | SessionDoc } | { ok: false; problems: { path: string; message: string }[] }): PresetEntry[] {
  return Object.entries(files).flatMap(([path, value]) => {
    const key = path.split('/').pop()!.replace(/\.json$/, '');
    const result = load(structuredClone(value));
    if (result.ok) return [entryOf(`built-in:${folder}/${key}`, 'built-in', result.doc)];
    console.warn(`presets/${folder}/${key}.json does not load: ${result.problems.map(formatProblem).join('; ')}`);
    return [];
  });
}

/** Every built-in preset that loads (a broken one is left out with a console warning). */
export const BUILT_IN: readonly PresetEntry[] = [
  ...builtIn(chainFiles, 'chains', loadChainValue),
  ...builtIn(nodeFiles, 'nodes', loadNodePresetValue),
  ...builtIn(templateFiles, 'templates', loadSessionValue),
].sort((a, b) => a.name.localeCompare(b.name));

/** A preset file's document, whatever kind it is; a session or album is refused with the way to open it. */
export function loadPresetText(text: string, name: string): PresetDoc {
  const value = parseJson(text, name);
  const kind = (value as { kind?: unknown } | null)?.kind;
  const fail = (problems: { path: string; message: string }[]): never => {
    const lines = problems.map((p) => `${name}: ${formatProblem(p)}`);
    throw new PresetError(lines.join('\n'), lines);
  };
  if (kind === 'chain') {
    const r = loadChainValue(value);
    return r.ok ? r.doc : fail(r.problems);
  }
  if (kind === 'node-preset') {
    const r = loadNodePresetValue(value);
    return r.ok ? r.doc : fail(r.problems);
  }
  if (kind === 'session') throw new PresetError(`${name} is a session, not a preset: open it with Session → Open file…`);
  throw new PresetError(`${name}: a preset file has "kind": "chain" or "node-preset"${typeof kind === 'string' ? `, not "${kind}"` : ''}`);
}

/** The user's presets, newest first; a stored one that no longer loads is left out with a warning. */
export async function userPresets(db: Db | null): Promise<PresetEntry[]> {
  if (!db) return [];
  const records = (await db.getAllFromIndex('presets', 'updated')).reverse();
  return records.flatMap((r) => {
    try {
      return [entryOf(r.id, 'yours', loadPresetText(r.text, r.name))];
    } catch (err) {
      console.warn(`stored preset "${r.name}" does not load: ${(err as Error).message}`);
      return [];
    }
  });
}

/** Keep a preset in the user's library; returns its entry. */
export async function keepPreset(db: Db, doc: PresetDoc): Promise<PresetEntry> {
  const record: PresetRecord = {
    id: `preset:${crypto.randomUUID()}`,
    kind: doc.kind,
    name: doc.name,
    ...(doc.kind === 'node-preset' ? { type: doc.type } : {}),
    tags: doc.meta.tags,
    updated: Date.now(),
    text: saveDocument(doc),
  };
  await db.put('presets', record);
  return entryOf(record.id, 'yours', doc);
}

export async function forgetPreset(db: Db, id: string): Promise<void> {
  await db.delete('presets', id);
}

/** Whether a preset matches a search: every word in its name, tags, description, type or node list. */
export function presetMatches(p: PresetEntry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = [p.name, p.description, p.author, ...p.tags, p.type ?? '', getDefinition(p.type ?? '')?.title ?? '', ...nodeList(p).map((n) => n.title)].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** What a preset holds, for the browser to show before it is applied. */
export function nodeList(p: PresetEntry): { id: string; title: string; label?: string }[] {
  if (p.doc.kind === 'node-preset') return [{ id: p.doc.type, title: getDefinition(p.doc.type)?.title ?? p.doc.type }];
  return p.doc.nodes.map((n) => ({ id: n.id, title: getDefinition(n.type)?.title ?? n.type, ...(n.label ? { label: n.label } : {}) }));
}
