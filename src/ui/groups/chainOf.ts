// A chain preset from what the user has: the selected nodes (grouped on a scratch copy of the
// document, then turned into a chain: the model checks it has one input, one output, no sources) or
// a group node.
import { apply } from '../../model/commands.ts';
import { joinPath, nodeAt, type ChainDoc, type SessionDoc, type SessionMeta } from '../../model/document.ts';
import { groupNodes, groupToChain } from '../../model/groups.ts';

const SCRATCH = 'preset_scratch';

export function chainOfSelection(doc: SessionDoc, ids: readonly string[], scope: string, info: { name: string; meta: SessionMeta }): ChainDoc {
  const grouped = apply(doc, groupNodes(ids, { id: SCRATCH }, scope || undefined)).doc;
  const node = nodeAt(grouped, joinPath(scope, SCRATCH))!;
  return groupToChain(node, info);
}

export function chainOfGroup(doc: SessionDoc, path: string, info: { name: string; meta: SessionMeta }): ChainDoc {
  const node = nodeAt(doc, path);
  if (!node?.group) throw new Error(`"${path}" is not a group`);
  return groupToChain(node, info);
}
