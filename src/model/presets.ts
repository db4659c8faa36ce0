// Node presets: one node's params saved for its type ("gentle vocal compressor") and applied to a
// node of that type as one undo step. Files and metadata (a track's source, its colour) are not part
// of a preset: applying one never swaps a track's audio.
import type { ParamValue, Params } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import type { Command } from './commands.ts';
import { FORMAT, FORMAT_VERSION, nodeAt, type DocNode, type NodePresetDoc, type SessionDoc, type SessionMeta } from './document.ts';
import { findNode } from './draft.ts';
import { fillParams } from './params.ts';
import { snapshotParams } from './validate.ts';

/** The params a node preset of this type holds (those that reach the sound). */
export function presetParams(node: DocNode): Params {
  const out: Params = {};
  for (const key of snapshotParams(node)) out[key] = structuredClone(node.params[key]);
  return out;
}

/** A node preset from a node's current params. */
export function nodePresetOf(node: DocNode, info: { name: string; meta?: Partial<SessionMeta> }): NodePresetDoc {
  if (node.group) throw new Error('a group is saved as a chain preset, not a node preset');
  if (!getDefinition(node.type)) throw new Error(`unknown node type "${node.type}"`);
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: 'node-preset',
    name: info.name,
    meta: { author: info.meta?.author ?? '', description: info.meta?.description ?? '', tags: [...(info.meta?.tags ?? [])] },
    type: node.type,
    params: presetParams(node),
  };
}

/** Set the node's params to the preset's (params it leaves out take their defaults). One undo step. */
export function applyNodePreset(path: string, preset: NodePresetDoc): Command {
  return {
    label: `Apply preset "${preset.name}"`,
    run(d) {
      const node = nodeAt(d as SessionDoc, path);
      if (!node) throw new Error(`Cannot apply "${preset.name}": no node at "${path}"`);
      if (node.type !== preset.type) throw new Error(`Cannot apply "${preset.name}": it is a preset for a ${preset.type}, and "${path}" is a ${node.type}`);
      const def = getDefinition(node.type)!;
      const filled = fillParams(def, preset.params);
      const target = findNode(d, path);
      for (const key of snapshotParams(node)) {
        const v = filled[key] as ParamValue;
        if (JSON.stringify(target.params[key]) !== JSON.stringify(v)) target.params[key] = structuredClone(v) as never;
      }
    },
  };
}
