// Which nodes get a channel strip in the Mixer view, and in what order: every node whose
// definition declares a strip (nodes/define.ts StripSpec), tracks first grouped by their mixing
// category in the format's order (drums, bass, guitar, keys, vocals, fx, other), then buses, then
// the master. Within a group the document's order is kept, so a strip never jumps while edited.
import { CATEGORIES } from '../../../nodes/track/definition.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import type { StripSpec } from '../../../nodes/define.ts';
import { walkNodes, type DocNode, type SessionDoc } from '../../model/document.ts';

export type MixCategory = (typeof CATEGORIES)[number];

/** One colour per mixing category, the same on the canvas and in the mixer. */
export const MIX_CATEGORY_COLORS: Record<MixCategory, string> = {
  drums: '#d0643b',
  bass: '#7a5cc7',
  guitar: '#c9a227',
  keys: '#3c9a8f',
  vocals: '#d04f8a',
  fx: '#4a86c8',
  other: '#7d8590',
};

export const MIX_CATEGORY_LABELS: Record<MixCategory, string> = {
  drums: 'Drums',
  bass: 'Bass',
  guitar: 'Guitar',
  keys: 'Keys',
  vocals: 'Vocals',
  fx: 'FX',
  other: 'Other',
};

export interface StripEntry {
  /** The node's path (a node inside a group has its group's path before it). */
  path: string;
  node: DocNode;
  spec: StripSpec;
  /** The track's category; undefined for buses and the master. */
  category?: MixCategory;
}

export interface StripGroup {
  /** 'drums' ... 'other' for tracks, 'bus' and 'master' for the rest. */
  key: string;
  title: string;
  color?: string;
  strips: StripEntry[];
}

/** A node's mixing category, when its type has one (its strip declares the param). */
export function mixCategoryOf(node: DocNode): MixCategory | undefined {
  const param = getDefinition(node.type)?.strip?.category;
  if (!param) return undefined;
  const value = node.params[param] as MixCategory;
  return (CATEGORIES as readonly string[]).includes(value) ? value : 'other';
}

export function mixerStrips(doc: SessionDoc): StripGroup[] {
  const byKey = new Map<string, StripEntry[]>();
  for (const { node, path } of walkNodes(doc)) {
    const spec = getDefinition(node.type)?.strip;
    if (!spec) continue;
    const category = spec.kind === 'track' ? mixCategoryOf(node) : undefined;
    const key = spec.kind === 'track' ? category! : spec.kind;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push({ path, node, spec, category });
  }
  const groups: StripGroup[] = [];
  for (const c of CATEGORIES) {
    const strips = byKey.get(c);
    if (strips) groups.push({ key: c, title: MIX_CATEGORY_LABELS[c], color: MIX_CATEGORY_COLORS[c], strips });
  }
  if (byKey.has('bus')) groups.push({ key: 'bus', title: 'Buses', strips: byKey.get('bus')! });
  if (byKey.has('master')) groups.push({ key: 'master', title: 'Master', strips: byKey.get('master')! });
  return groups;
}
