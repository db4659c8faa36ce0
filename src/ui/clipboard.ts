// Copy, paste and duplicate: nodes with the edges between them, under fresh ids.
import { addNode, batch, connect, type Command } from '../model/commands.ts';
import { graphAt, type DocEdge, type DocNode, type SessionDoc } from '../model/document.ts';

export interface Clip {
  nodes: DocNode[];
  edges: DocEdge[];
}

/** The selected nodes (of the open group, `scope`) with the edges between them; the master is never copied. */
export function copy(doc: SessionDoc, ids: readonly string[], scope = ''): Clip | null {
  const graph = graphAt(doc, scope) ?? doc;
  const chosen = new Set(ids.filter((id) => graph.nodes.some((n) => n.id === id && n.type !== 'master')));
  if (chosen.size === 0) return null;
  return {
    nodes: graph.nodes.filter((n) => chosen.has(n.id)),
    edges: graph.edges.filter((e) => chosen.has(e.from) && chosen.has(e.to)),
  };
}

/** The command that pastes `clip` offset by `shift`, and the new ids (to select them). */
export function paste(doc: SessionDoc, clip: Clip, shift = 40, scope = ''): { command: Command; ids: string[] } {
  const at = scope || undefined;
  const used = new Set((graphAt(doc, scope) ?? doc).nodes.map((n) => n.id));
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
        ...(n.group ? { group: n.group } : {}),
        position: { x: (n.position?.x ?? 0) + shift, y: (n.position?.y ?? 0) + shift },
      }, at),
    ),
    ...clip.edges.map((e) => connect({ ...e, from: rename.get(e.from)!, to: rename.get(e.to)! }, at)),
  ];
  return { command: batch(clip.nodes.length === 1 ? 'Paste' : `Paste ${clip.nodes.length} nodes`, commands), ids: [...rename.values()] };
}
