import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ListParam, ParamSpec, ParamValue } from '../../../nodes/define.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import type { NodeViewProps } from '../../../nodes/view.ts';
import { removeNodes, rename, setParam } from '../../model/commands.ts';
import { graphAt, joinPath, type DocNode } from '../../model/document.ts';
import { groupKnobs, ungroup } from '../../model/groups.ts';
import { nodePresetOf } from '../../model/presets.ts';
import { useServices } from '../context.ts';
import { chainOfGroup, chainOfSelection } from '../groups/chainOf.ts';
import { GroupDialog } from '../groups/GroupDialog.tsx';
import { PresetBrowser } from '../presets/PresetBrowser.tsx';
import { SavePresetDialog } from '../presets/SavePresetDialog.tsx';
import { onFrame } from '../meters/hub.ts';
import { Meter } from '../meters/Meter.tsx';
import { useEditor } from '../store.ts';
import { CATEGORY_COLORS } from '../theme.ts';
import { nodeViews } from '../views.ts';
import { learn } from '../learn/state.ts';
import { Knob } from './Knob.tsx';

interface FieldProps {
  name: string;
  spec: ParamSpec;
  value: ParamValue;
  onChange(value: ParamValue): void;
  begin(): void;
  end(): void;
}

function Field({ name, spec, value, onChange, begin, end }: FieldProps) {
  const label = spec.label ?? name;
  switch (spec.kind) {
    case 'number':
      return <Knob label={label} spec={spec} value={value as number} onChange={onChange} onGestureStart={begin} onGestureEnd={end} />;
    case 'bool':
      return (
        <label className="field-bool">
          <input type="checkbox" checked={value as boolean} onChange={(e) => onChange(e.target.checked)} />
          {label}
        </label>
      );
    case 'enum':
      return (
        <label className="field-enum">
          <span>{label}</span>
          <select value={value as string} onChange={(e) => onChange(e.target.value)}>
            {spec.options.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
      );
    case 'string':
      return (
        <label className="field-string">
          <span>{label}</span>
          <input type={spec.format === 'color' ? 'color' : 'text'} value={value as string} maxLength={spec.maxLength} onChange={(e) => onChange(e.target.value)} />
        </label>
      );
    case 'list':
      return <ListField name={name} spec={spec} value={value as Record<string, unknown>[]} onChange={onChange} begin={begin} end={end} />;
  }
}

function ListField({ spec, value, onChange, begin, end }: { name: string; spec: ListParam; value: Record<string, unknown>[]; onChange(v: ParamValue): void; begin(): void; end(): void }) {
  const setItem = (i: number, key: string, v: ParamValue) => onChange(value.map((item, k) => (k === i ? { ...item, [key]: v } : item)));
  const blank = () => Object.fromEntries(Object.entries(spec.item).map(([k, s]) => [k, s.default]));
  return (
    <fieldset className="field-list">
      <legend>{spec.label}</legend>
      {value.map((item, i) => (
        <div className="list-item" key={i} role="group" aria-label={`Band ${i + 1}`}>
          {Object.entries(spec.item).map(([key, itemSpec]) => (
            <Field
              key={key}
              name={key}
              spec={{ ...itemSpec, label: `${itemSpec.label ?? key}` }}
              value={item[key] as ParamValue}
              onChange={(v) => setItem(i, key, v)}
              begin={begin}
              end={end}
            />
          ))}
          <button type="button" aria-label={`Remove band ${i + 1}`} onClick={() => onChange(value.filter((_, k) => k !== i))}>
            Remove
          </button>
        </div>
      ))}
      {value.length < spec.maxItems && (
        <button type="button" onClick={() => onChange([...value, blank()])}>
          Add band
        </button>
      )}
    </fieldset>
  );
}

/** Left and right peak meters (the master's). */
function ChannelMeters({ id }: { id: string }) {
  const { audio } = useServices();
  const left = useCallback(() => audio.channelPeakDb(id, 0), [audio, id]);
  const right = useCallback(() => audio.channelPeakDb(id, 1), [audio, id]);
  return (
    <div className="channel-meters">
      <Meter label="Master left peak" read={left} />
      <Meter label="Master right peak" read={right} />
    </div>
  );
}

type InspectorDialog = null | { kind: 'group' } | { kind: 'knobs' } | { kind: 'save-chain' } | { kind: 'save-node' } | { kind: 'presets' };

/** The knobs of a group, as the inspector shows any params: each turns the inner node's own. */
function GroupKnobs({ path }: { path: string }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const knobs = useMemo(() => groupKnobs(doc, path), [doc, path]);
  const begin = useCallback(() => store.beginGesture(`Adjust ${path}`), [store, path]);
  const end = useCallback(() => store.endGesture(), [store]);
  if (knobs.length === 0) return <p className="dialog-note">No knobs on this group: choose some with Knobs…, or open it to edit inside.</p>;
  return (
    <div className="fields" role="group" aria-label="Group knobs">
      {knobs.map((k) => (
        <Field key={k.id} name={k.id} spec={{ ...k.spec, label: k.label }} value={k.value} onChange={(v) => store.run(setParam(path, k.id, v))} begin={begin} end={end} />
      ))}
    </div>
  );
}

function NodeInspector({ node, path }: { node: DocNode; path: string }) {
  const { store, audio } = useServices();
  const def = getDefinition(node.type)!;
  const [dialog, setDialog] = useState<InspectorDialog>(null);
  const close = useCallback(() => setDialog(null), []);
  const begin = useCallback(() => store.beginGesture(`Adjust ${path}`), [store, path]);
  const end = useCallback(() => store.endGesture(), [store]);
  const set = useCallback((name: string, value: ParamValue) => store.run(setParam(path, name, value)), [store, path]);
  const live = useMemo<NodeViewProps['live']>(
    () => ({
      onFrame,
      reduction: () => audio.reduction(path),
      spectrum: () => audio.spectrum(path),
      peakDb: () => audio.peakDb(path),
      read: (name: string) => audio.reading(path, name),
    }),
    [audio, path],
  );
  const View = nodeViews[node.type];
  const readLevel = useCallback(() => audio.peakDb(path), [audio, path]);
  const name = node.label || node.id;
  const group = node.group;
  return (
    <aside className="inspector" aria-label={`Inspector: ${name}`}>
      <header style={{ borderColor: CATEGORY_COLORS[def.category] }}>
        <h2>{def.title}</h2>
        <label>
          <span>Label</span>
          <input type="text" value={node.label ?? ''} placeholder={node.id} maxLength={200} onChange={(e) => store.run(rename(path, e.target.value))} />
        </label>
        <p className="description">
          {group ? `${group.nodes.length} nodes inside, ${group.inputs.length} in and ${group.outputs.length} out. ${def.description}` : def.description}
        </p>
        {def.learn && (
          <button type="button" className="inspector-learn" onClick={() => learn.open(node.type, path)}>
            Learn about {def.title}
          </button>
        )}
      </header>
      {group ? (
        <>
          <div className="inspector-actions">
            <button type="button" onClick={() => store.enter(path)}>
              Open group
            </button>
            <button type="button" onClick={() => setDialog({ kind: 'knobs' })}>
              Knobs…
            </button>
            <button type="button" onClick={() => store.run(ungroup(path)) && store.notify('info', `Ungrouped “${name}”: its nodes are back in place.`)}>
              Ungroup
            </button>
            <button type="button" onClick={() => setDialog({ kind: 'save-chain' })}>
              Save as chain preset…
            </button>
          </div>
          <Meter label={`${name} output level`} read={readLevel} />
          <GroupKnobs path={path} />
        </>
      ) : (
        <>
          {View && <View id={path} params={node.params} setParam={set} beginGesture={begin} endGesture={end} live={live} />}
          <Meter label={`${name} output level`} read={readLevel} />
          {node.type === 'master' && <ChannelMeters id={path} />}
          <div className="fields">
            {Object.entries(def.params).map(([key, spec]) => (
              <Field key={key} name={key} spec={spec} value={node.params[key]} onChange={(v) => set(key, v)} begin={begin} end={end} />
            ))}
          </div>
          {Object.keys(def.params).length > 0 && (
            <section className="inspector-section" aria-label="Node presets">
              <h3>Presets</h3>
              <div className="inspector-actions">
                <button type="button" onClick={() => setDialog({ kind: 'presets' })}>
                  Apply a preset…
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'save-node' })}>
                  Save as node preset…
                </button>
              </div>
            </section>
          )}
        </>
      )}
      {dialog?.kind === 'knobs' && <GroupDialog mode="knobs" path={path} onClose={close} />}
      {dialog?.kind === 'save-chain' && (
        <SavePresetDialog kind="chain" what={`the ${group?.nodes.length ?? 0} nodes of “${name}”`} defaultName={name} make={(info) => chainOfGroup(store.getState().doc, path, info)} onClose={close} />
      )}
      {dialog?.kind === 'save-node' && <SavePresetDialog kind="node-preset" what={`“${name}” (${def.title})`} defaultName={`${name} settings`} make={(info) => nodePresetOf(node, info)} onClose={close} />}
      {dialog?.kind === 'presets' && <PresetBrowser forNode={path} onClose={close} />}
    </aside>
  );
}

/** Several nodes selected: group them, save them as a chain preset, or delete them. */
function SelectionInspector({ ids }: { ids: readonly string[] }) {
  const { store } = useServices();
  const scope = useEditor(store, (s) => s.scope);
  const asked = useEditor(store, (s) => s.asked);
  const [dialog, setDialog] = useState<InspectorDialog>(null);
  const close = useCallback(() => setDialog(null), []);
  // Ctrl/Cmd+G asks for the group dialog (App's shortcuts); a request from before this view is old.
  const seen = useRef(asked?.serial ?? 0);
  useEffect(() => {
    if (asked && asked.serial > seen.current && asked.kind === 'group') setDialog({ kind: 'group' });
    seen.current = asked?.serial ?? 0;
  }, [asked]);
  return (
    <aside className="inspector inspector-empty" aria-label="Inspector">
      <p>{ids.length} nodes selected.</p>
      <div className="inspector-actions">
        <button type="button" onClick={() => setDialog({ kind: 'group' })} title="Ctrl/Cmd+G">
          Group…
        </button>
        <button type="button" onClick={() => setDialog({ kind: 'save-chain' })}>
          Save as chain preset…
        </button>
        <button type="button" onClick={() => store.run(removeNodes(ids, scope || undefined))}>
          Delete
        </button>
      </div>
      {dialog?.kind === 'group' && <GroupDialog mode="create" ids={ids} onClose={close} />}
      {dialog?.kind === 'save-chain' && (
        <SavePresetDialog kind="chain" what={`${ids.length} nodes`} defaultName="My chain" make={(info) => chainOfSelection(store.getState().doc, ids, scope, info)} onClose={close} />
      )}
    </aside>
  );
}

export function Inspector() {
  const { store } = useServices();
  const selection = useEditor(store, (s) => s.selection);
  const doc = useEditor(store, (s) => s.doc);
  const scope = useEditor(store, (s) => s.scope);
  const asked = useEditor(store, (s) => s.asked);
  const [grouping, setGrouping] = useState<string[] | null>(null);
  // Ctrl/Cmd+G on one selected node groups it too (SelectionInspector handles several).
  const seen = useRef(asked?.serial ?? 0);
  useEffect(() => {
    if (asked && asked.serial > seen.current && asked.kind === 'group' && store.getState().selection.length === 1) setGrouping([...store.getState().selection]);
    seen.current = asked?.serial ?? 0;
  }, [asked, store]);
  const graph = graphAt(doc, scope) ?? doc;
  const node = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
  if (selection.length > 1) return <SelectionInspector ids={selection} />;
  if (!node) {
    return (
      <aside className="inspector inspector-empty" aria-label="Inspector">
        <p>{scope ? 'Inside the group: its inputs come in on the left, its outputs leave on the right. Select a node to see and change its parameters.' : 'Select a node to see and change its parameters.'}</p>
      </aside>
    );
  }
  return (
    <>
      <NodeInspector key={joinPath(scope, node.id)} node={node} path={joinPath(scope, node.id)} />
      {grouping && <GroupDialog mode="create" ids={grouping} onClose={() => setGrouping(null)} />}
    </>
  );
}
