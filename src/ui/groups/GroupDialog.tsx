// Group: collapse the selected nodes into one group node, naming it and choosing which inner
// parameters appear on it as its own knobs (they stay the inner nodes' params: a knob is a view).
// The same dialog edits an existing group's knobs. One undo step either way.
import { useMemo, useState } from 'react';
import { getDefinition } from '../../../nodes/registry.ts';
import { apply, freshId } from '../../model/commands.ts';
import { joinPath, nodeAt, type GroupBody } from '../../model/document.ts';
import { groupNodes, knobCandidates, setKnobs, type KnobChoice } from '../../model/groups.ts';
import { useServices } from '../context.ts';
import { Dialog } from '../mastering/Dialog.tsx';

export type GroupDialogProps = { onClose(): void } & ({ mode: 'create'; ids: readonly string[] } | { mode: 'knobs'; path: string });

const key = (c: { node: string; param: string }) => `${c.node}\u0000${c.param}`;

export function GroupDialog(props: GroupDialogProps) {
  const { store } = useServices();
  const { doc, scope } = store.getState();
  // The body the knobs are chosen from: the group's, or (before grouping) a trial grouping's.
  const trial = useMemo((): { body: GroupBody | null; problem: string | null } => {
    try {
      if (props.mode === 'knobs') return { body: nodeAt(doc, props.path)?.group ?? null, problem: null };
      const grouped = apply(doc, groupNodes(props.ids, { id: 'group_trial' }, scope || undefined)).doc;
      return { body: nodeAt(grouped, joinPath(scope, 'group_trial'))?.group ?? null, problem: null };
    } catch (err) {
      return { body: null, problem: (err as Error).message };
    }
  }, [doc, scope, props]);
  const candidates = useMemo(() => (trial.body ? knobCandidates(trial.body) : []), [trial.body]);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(trial.body?.exposed.map(key) ?? []));
  const [label, setLabel] = useState('');
  const byNode = useMemo(() => {
    const out = new Map<string, typeof candidates>();
    for (const c of candidates) out.set(c.node, [...(out.get(c.node) ?? []), c]);
    return [...out];
  }, [candidates]);

  const choices = (): KnobChoice[] => candidates.filter((c) => chosen.has(key(c))).map((c) => ({ node: c.node, param: c.param, label: c.label }));
  const submit = () => {
    if (props.mode === 'knobs') {
      if (store.run(setKnobs(props.path, choices()))) props.onClose();
      return;
    }
    const id = freshId(doc, 'group', scope || undefined);
    const name = label.trim() || `Group of ${props.ids.length}`;
    if (!store.run(groupNodes(props.ids, { id, label: name, knobs: choices() }, scope || undefined))) return;
    store.select([id]);
    store.notify('info', `Grouped ${props.ids.length} nodes as “${name}”. Double-click it (or Open group) to edit inside; Ungroup takes it apart.`);
    props.onClose();
  };
  const toggle = (k: string) => setChosen((s) => (s.has(k) ? new Set([...s].filter((x) => x !== k)) : new Set([...s, k])));
  const title = props.mode === 'create' ? `Group ${props.ids.length} node${props.ids.length === 1 ? '' : 's'}` : 'Knobs of the group';
  const inner = (id: string) => trial.body?.nodes.find((n) => n.id === id);
  return (
    <Dialog title={title} className="group-dialog" closeLabel="Close group dialog" onClose={props.onClose}>
      {trial.problem ? (
        <p className="export-problem" role="alert">
          {trial.problem}
        </p>
      ) : (
        <>
          {props.mode === 'create' && (
            <label className="chain-field">
              <span>Name</span>
              <input type="text" value={label} placeholder={`Group of ${props.ids.length}`} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
            </label>
          )}
          <p className="dialog-note">
            The knobs on the group’s face. Each one turns the inner node’s own parameter; everything else stays inside, a double-click away.
            {trial.body && ` The group has ${trial.body.inputs.length} input${trial.body.inputs.length === 1 ? '' : 's'} and ${trial.body.outputs.length} output${trial.body.outputs.length === 1 ? '' : 's'}.`}
          </p>
          <div className="knob-choices" role="group" aria-label="Knobs on the group">
            {byNode.map(([node, list]) => (
              <fieldset key={node}>
                <legend>
                  {inner(node)?.label || node} <small>{getDefinition(inner(node)?.type ?? '')?.title ?? 'Group'}</small>
                </legend>
                {list.map((c) => (
                  <label key={key(c)} className="field-bool">
                    <input type="checkbox" checked={chosen.has(key(c))} onChange={() => toggle(key(c))} />
                    {c.label.slice((inner(node)?.label ?? node).length).trim() || c.param}
                  </label>
                ))}
              </fieldset>
            ))}
            {candidates.length === 0 && <p className="dialog-note">Nothing inside can be a knob (lists such as EQ bands are edited inside).</p>}
          </div>
        </>
      )}
      <div className="dialog-actions">
        <span className="dialog-note">{chosen.size} knob{chosen.size === 1 ? '' : 's'}</span>
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={trial.problem !== null} onClick={submit}>
          {props.mode === 'create' ? 'Group' : 'Set knobs'}
        </button>
      </div>
    </Dialog>
  );
}
