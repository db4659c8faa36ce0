import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo, useCallback } from 'react';
import type { PortSpec } from '../../../nodes/define.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import { setBypass, setParam } from '../../model/commands.ts';
import type { DocNode } from '../../model/document.ts';
import { useServices } from '../context.ts';
import { Meter } from '../meters/Meter.tsx';
import { CATEGORY_COLORS } from '../theme.ts';

export type MixFlowNode = Node<{ node: DocNode }, 'mix'>;

const PORT_SPACING = 22;
const PORT_TOP = 46;
/** styles.css .mix-node width. */
const NODE_WIDTH = 180;

const minHeight = (ports: number) => PORT_TOP + ports * PORT_SPACING + 34;

/** A node's size before the browser has measured it: its CSS width and its minimum height. */
export function estimatedSize(type: string): { width: number; height: number } {
  const def = getDefinition(type);
  const ports = def ? Math.max(def.ports.inputs.length, def.ports.outputs.length) : 1;
  return { width: NODE_WIDTH, height: minHeight(ports) };
}

function PortHandle({ port, kind, index }: { port: PortSpec; kind: 'source' | 'target'; index: number }) {
  const sidechain = port.role === 'sidechain';
  return (
    <>
      <Handle
        type={kind}
        position={kind === 'target' ? Position.Left : Position.Right}
        id={port.id}
        className={`port ${sidechain ? 'port-sidechain' : 'port-audio'}`}
        style={{ top: PORT_TOP + index * PORT_SPACING }}
        // A port is a picture of a connection point (no ARIA role fits a drag source better);
        // without a role, axe rejects the aria-label on a plain div.
        role="img"
        aria-label={`${kind === 'target' ? 'Input' : 'Output'} ${port.label ?? port.id}`}
      />
      <span className={`port-label port-label-${kind === 'target' ? 'in' : 'out'}`} style={{ top: PORT_TOP + index * PORT_SPACING - 8 }}>
        {port.label ?? port.id}
      </span>
    </>
  );
}

/** One component draws every node type from its definition. */
export const MixNode = memo(function MixNode({ data, selected }: NodeProps<MixFlowNode>) {
  const { store, audio } = useServices();
  const node = data.node;
  const def = getDefinition(node.type);
  const name = node.label || node.id;
  const readLevel = useCallback(() => audio.peakDb(node.id), [audio, node.id]);
  if (!def) return <div className="mix-node mix-node-unknown">Unknown type {node.type}</div>;
  const ports = Math.max(def.ports.inputs.length, def.ports.outputs.length);
  const toggle = (param: string) => store.run(setParam(node.id, param, !node.params[param]));
  return (
    <div
      className={`mix-node${selected ? ' selected' : ''}${node.bypass ? ' bypassed' : ''}`}
      style={{ '--category': CATEGORY_COLORS[def.category], minHeight: minHeight(ports) } as React.CSSProperties}
      data-testid={`node-${node.id}`}
    >
      <header className="mix-node-header">
        <span className="mix-node-title">{def.title}</span>
        {node.label && node.label !== def.title && <span className="mix-node-label">{node.label}</span>}
      </header>
      {def.ports.inputs.map((p, i) => (
        <PortHandle key={p.id} port={p} kind="target" index={i} />
      ))}
      {def.ports.outputs.map((p, i) => (
        <PortHandle key={p.id} port={p} kind="source" index={i} />
      ))}
      <div className="mix-node-buttons nodrag">
        {def.bypassable && (
          <button type="button" aria-pressed={node.bypass === true} aria-label={`Bypass ${name}`} onClick={() => store.run(setBypass(node.id, !node.bypass))}>
            Bypass
          </button>
        )}
        {node.type === 'track' && (
          <>
            <button type="button" className="mute" aria-pressed={node.params.mute === true} aria-label={`Mute ${name}`} onClick={() => toggle('mute')}>
              M
            </button>
            <button type="button" className="solo" aria-pressed={node.params.solo === true} aria-label={`Solo ${name}`} onClick={() => toggle('solo')}>
              S
            </button>
          </>
        )}
      </div>
      <Meter label={`${name} node level`} read={readLevel} />
    </div>
  );
});
