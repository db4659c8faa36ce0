// Where the editor puts nodes it adds in bulk (an inserted chain, a pasted preset): in a free row
// under everything else, left to right in signal order, on the demo's grid. Nothing new lands on
// top of an existing node, and the canvas brings the new row into view (store.reveal).
import type { Draft } from 'immer';
import type { Command } from '../../model/commands.ts';
import type { DocEdge, DocNode, Position, SessionDoc } from '../../model/document.ts';

/** The grid the demo is laid out on: a column per processing step, a row per strip (flow units). */
export const GRID = { column: 156, row: 120 } as const;

/** The left end of a free row under every node of `nodes` (positions as saved). */
export function freeRowBelow(nodes: readonly Pick<DocNode, 'position'>[]): Position {
  const placed = nodes.filter((n) => n.position).map((n) => n.position!);
  if (placed.length === 0) return { x: 0, y: 0 };
  return { x: Math.min(...placed.map((p) => p.x)), y: Math.max(...placed.map((p) => p.y)) + GRID.row + 20 };
}

/** Each new node's column: its distance in edges from the nodes that were there before (1 = fed by one). */
function columnsOf(added: ReadonlySet<string>, edges: readonly DocEdge[]): Map<string, number> {
  const depth = new Map<string, number>();
  const queue: string[] = [];
  for (const e of edges) {
    if (!added.has(e.from) && added.has(e.to) && !depth.has(e.to)) {
      depth.set(e.to, 1);
      queue.push(e.to);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const e of edges) {
      if (e.from !== queue[i] || !added.has(e.to) || depth.has(e.to)) continue;
      depth.set(e.to, depth.get(queue[i])! + 1);
      queue.push(e.to);
    }
  }
  let last = Math.max(0, ...depth.values());
  for (const id of added) if (!depth.has(id)) depth.set(id, ++last);
  return depth;
}

/**
 * `command`, with the nodes it adds moved into a free row under the graph (one command, so one
 * undo step). `onAdded` hears the new ids, to select and reveal them; `atEnd` (the master, after a
 * chain on the whole mix) is moved to the end of that row, so the row reads left to right.
 */
export function placedInFreeRow(command: Command, onAdded?: (ids: string[]) => void, atEnd?: string): Command {
  return {
    ...command,
    run(d: Draft<SessionDoc>) {
      const before = new Set(d.nodes.map((n) => n.id));
      const at = freeRowBelow(d.nodes as DocNode[]);
      command.run(d);
      const added = d.nodes.filter((n) => !before.has(n.id));
      const columns = columnsOf(new Set(added.map((n) => n.id)), d.edges as DocEdge[]);
      const rows = new Map<number, number>();
      for (const n of added) {
        const col = columns.get(n.id)!;
        const row = rows.get(col) ?? 0;
        rows.set(col, row + 1);
        n.position = { x: at.x + (col - 1) * GRID.column, y: at.y + row * GRID.row };
      }
      const end = atEnd ? d.nodes.find((n) => n.id === atEnd) : undefined;
      if (end) end.position = { x: at.x + Math.max(0, ...columns.values()) * GRID.column, y: at.y };
      onAdded?.(added.map((n) => n.id));
    },
  };
}
