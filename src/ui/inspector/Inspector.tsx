import { useCallback, useMemo } from 'react';
import type { ListParam, ParamSpec, ParamValue } from '../../../nodes/define.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import type { NodeViewProps } from '../../../nodes/view.ts';
import { rename, setParam } from '../../model/commands.ts';
import type { DocNode } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { onFrame } from '../meters/hub.ts';
import { Meter } from '../meters/Meter.tsx';
import { useEditor } from '../store.ts';
import { CATEGORY_COLORS } from '../theme.ts';
import { nodeViews } from '../views.ts';
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

function NodeInspector({ node }: { node: DocNode }) {
  const { store, audio } = useServices();
  const def = getDefinition(node.type)!;
  const begin = useCallback(() => store.beginGesture(`Adjust ${node.id}`), [store, node.id]);
  const end = useCallback(() => store.endGesture(), [store]);
  const set = useCallback((name: string, value: ParamValue) => store.run(setParam(node.id, name, value)), [store, node.id]);
  const live = useMemo<NodeViewProps['live']>(
    () => ({
      onFrame,
      reduction: () => audio.reduction(node.id),
      spectrum: () => audio.spectrum(node.id),
      peakDb: () => audio.peakDb(node.id),
      read: (name: string) => audio.reading(node.id, name),
    }),
    [audio, node.id],
  );
  const View = nodeViews[node.type];
  const readLevel = useCallback(() => audio.peakDb(node.id), [audio, node.id]);
  const name = node.label || node.id;
  return (
    <aside className="inspector" aria-label={`Inspector: ${name}`}>
      <header style={{ borderColor: CATEGORY_COLORS[def.category] }}>
        <h2>{def.title}</h2>
        <label>
          <span>Label</span>
          <input type="text" value={node.label ?? ''} placeholder={node.id} maxLength={200} onChange={(e) => store.run(rename(node.id, e.target.value))} />
        </label>
        <p className="description">{def.description}</p>
      </header>
      {View && <View id={node.id} params={node.params} setParam={set} beginGesture={begin} endGesture={end} live={live} />}
      <Meter label={`${name} output level`} read={readLevel} />
      {node.type === 'master' && <ChannelMeters id={node.id} />}
      <div className="fields">
        {Object.entries(def.params).map(([key, spec]) => (
          <Field key={key} name={key} spec={spec} value={node.params[key]} onChange={(v) => set(key, v)} begin={begin} end={end} />
        ))}
      </div>
    </aside>
  );
}

export function Inspector() {
  const { store } = useServices();
  const selection = useEditor(store, (s) => s.selection);
  const doc = useEditor(store, (s) => s.doc);
  const node = selection.length === 1 ? doc.nodes.find((n) => n.id === selection[0]) : undefined;
  if (!node) {
    return (
      <aside className="inspector inspector-empty" aria-label="Inspector">
        <p>{selection.length > 1 ? `${selection.length} nodes selected.` : 'Select a node to see and change its parameters.'}</p>
      </aside>
    );
  }
  return <NodeInspector key={node.id} node={node} />;
}
