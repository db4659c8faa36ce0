// Automatic left-to-right layout of the whole graph (ELK's layered algorithm).
import type { ELK } from 'elkjs/lib/elk.bundled.js';
import type { Graph, Position } from '../model/document.ts';

// ELK is 1.6 MB (three quarters of the bundle): load it on the first "Auto layout", not with the page.
let elk: Promise<ELK> | null = null;
const loadElk = (): Promise<ELK> => (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default()));

export async function autoLayout(doc: Graph, sizeOf: (id: string) => { width: number; height: number } | undefined): Promise<{ id: string; position: Position }[]> {
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph = await (await loadElk()).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.nodeNode': '40',
    },
    children: doc.nodes.map((n) => ({ id: n.id, width: sizeOf(n.id)?.width ?? 180, height: sizeOf(n.id)?.height ?? 120 })),
    // Inside a group, edges from its own ports (`input`, `output`) have no node to lay out.
    edges: doc.edges.filter((e) => ids.has(e.from) && ids.has(e.to)).map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  return (graph.children ?? []).map((c) => ({ id: c.id, position: { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) } }));
}
