// Copy, paste and duplicate: nodes with the edges between them, under fresh ids.
import { addNode, batch, connect, type Command } from '../model/commands.ts';
import type { DocEdge, DocNode, SessionDoc } from '../model/document.ts';

export interface Clip {
  nodes: DocNode[];
  edges: DocEdge[];
}

export function copy(doc: SessionDoc, ids: readonly string[]): Clip | null {
  const chosen = new Set(ids.filter((id) => doc.nodes.some((n) => n.id === id && n.type !== 'master')));
  if (chosen.size === 0) return null;
  return {
    nodes: doc.nodes.filter((n) => chosen.has(n.id)),
    edges: doc.edges.filter((e) => chosen.has(e.from) && chosen.has(e.to)),
  };
}

/** The command that pastes `clip` offset by `shift`, and the new ids (to select them). */
export function paste(doc: SessionDoc, clip: Clip, shift = 40): { command: Command; ids: string[] } {
  const used = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  for (const n of clip.nodes) {
    const base = n.id.replace(/\d+$/, '') || 'node';
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}${i}`;
    used.add(id);
    rename.set(n.id, id);
  }
  const commands = [
    ...clip.nodes.map((n) =>
      addNode({
        id: rename.get(n.id)!,
        type: n.type,
        label: n.label,
        params: n.params,
        bypass: n.bypass,
        position: { x: (n.position?.x ?? 0) + shift, y: (n.position?.y ?? 0) + shift },
      }),
    ),
    ...clip.edges.map((e) => connect({ ...e, from: rename.get(e.from)!, to: rename.get(e.to)! })),
  ];
  return { command: batch(clip.nodes.length === 1 ? 'Paste' : `Paste ${clip.nodes.length} nodes`, commands), ids: [...rename.values()] };
}
