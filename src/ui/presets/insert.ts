// Inserting a chain, from the Insert chain dialog and the preset browser alike: on the whole mix (a
// new bus in front of the master collects everything that reached it, then the chain) or on one
// connection, as its nodes or as one group; placed in a free row, selected and brought into view.
// One undo step.
import { insertChain, insertChainOnMix, masterInputs } from '../../model/commands.ts';
import { edgeKey, type ChainDoc, type DocEdge, type SessionDoc } from '../../model/document.ts';
import { placedInFreeRow } from '../canvas/placement.ts';
import { describeEdge } from '../mastering/chains.ts';
import type { EditorStore } from '../store.ts';

export type InsertWhere = { kind: 'mix' } | { kind: 'edge'; edge: DocEdge };

/** Where a chain goes unless the user says otherwise: the whole mix when the master has several inputs. */
export function defaultWhere(doc: SessionDoc, selectedEdge?: DocEdge): InsertWhere | null {
  if (selectedEdge) return { kind: 'edge', edge: selectedEdge };
  const into = masterInputs(doc);
  if (into.length > 1) return { kind: 'mix' };
  if (into.length === 1) return { kind: 'edge', edge: into[0] };
  return doc.edges[0] ? { kind: 'edge', edge: doc.edges[0] } : null;
}

export function whereText(doc: SessionDoc, where: InsertWhere): string {
  return where.kind === 'mix' ? 'on the whole mix' : `between ${describeEdge(doc, where.edge).replace(' → ', ' and ')}`;
}

/** Insert `chain` (at the top level of the session); false when the store refused it (it said why). */
export function insertChainAt(store: EditorStore, chain: ChainDoc, where: InsertWhere, asGroup: boolean): boolean {
  const doc = store.getState().doc;
  let added: string[] = [];
  const master = doc.nodes.find((n) => n.type === 'master')?.id;
  const command =
    where.kind === 'mix'
      ? placedInFreeRow(insertChainOnMix(chain, { asGroup }), (ids) => (added = ids), master)
      : placedInFreeRow(insertChain(chain, where.edge, undefined, { asGroup }), (ids) => (added = ids));
  if (store.getState().scope) store.enter('');
  if (!store.run(command)) return false;
  store.select(added);
  // The master moved to the end of the new row (whole mix): show it with the chain.
  store.reveal(where.kind === 'mix' && master ? [...added, master] : added);
  store.notify('info', `Inserted ${chain.name}${asGroup ? ' as a group' : ''} ${whereText(doc, where)}.`);
  return true;
}

export { edgeKey };
