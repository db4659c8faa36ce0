// Where an inserted chain goes: on the whole mix (offered, and chosen first, when the master has
// more than one input) or on one connection; and whether it goes in as its nodes or as one group.
import { useMemo } from 'react';
import { masterInputs } from '../../model/commands.ts';
import { edgeKey, type SessionDoc } from '../../model/document.ts';
import { describeEdge } from '../mastering/chains.ts';
import type { InsertWhere } from './insert.ts';

export function WherePicker({ doc, where, onWhere, asGroup, onAsGroup }: { doc: SessionDoc; where: InsertWhere | null; onWhere(w: InsertWhere): void; asGroup: boolean; onAsGroup(v: boolean): void }) {
  const edges = useMemo(() => doc.edges.map((e) => ({ id: edgeKey(e), edge: e, text: describeEdge(doc, e) })), [doc]);
  const inputs = masterInputs(doc).length;
  const edgeId = where?.kind === 'edge' ? edgeKey(where.edge) : (edges.find((e) => e.edge.to === doc.nodes.find((n) => n.type === 'master')?.id)?.id ?? edges[0]?.id ?? '');
  return (
    <fieldset className="where-picker">
      <legend>Where</legend>
      {inputs > 0 && (
        <label className="where-option">
          <input type="radio" name="where" checked={where?.kind === 'mix'} onChange={() => onWhere({ kind: 'mix' })} />
          <span>
            On the whole mix
            <small>
              A new bus in front of the master collects {inputs === 1 ? 'what reaches it' : `all ${inputs} connections into it`}, then the chain.
            </small>
          </span>
        </label>
      )}
      <label className="where-option">
        <input
          type="radio"
          name="where"
          checked={where?.kind === 'edge'}
          disabled={edges.length === 0}
          onChange={() => {
            const e = edges.find((x) => x.id === edgeId);
            if (e) onWhere({ kind: 'edge', edge: e.edge });
          }}
        />
        <span>On one connection</span>
      </label>
      <label className="chain-field where-edge">
        <span>Between</span>
        <select
          value={edgeId}
          disabled={where?.kind !== 'edge'}
          onChange={(e) => {
            const x = edges.find((y) => y.id === e.target.value);
            if (x) onWhere({ kind: 'edge', edge: x.edge });
          }}
        >
          {edges.length === 0 && <option value="">No connections in this session</option>}
          {edges.map((e) => (
            <option key={e.id} value={e.id}>
              {e.text}
            </option>
          ))}
        </select>
      </label>
      <label className="field-bool where-group">
        <input type="checkbox" checked={asGroup} onChange={(e) => onAsGroup(e.target.checked)} />
        Insert as one group (its knobs on the group)
      </label>
    </fieldset>
  );
}
