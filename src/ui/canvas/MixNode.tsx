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

// Compact enough that the demo's 25 nodes fit a 1400 x 900 window at a zoom where the smallest
// text on a node (11 px in styles.css) is drawn at 10 px or more (see READABLE_ZOOM in Canvas.tsx).
const PORT_SPACING = 20;
/** Centre of the first port: below the title line and the label/buttons line. */
const PORT_TOP = 50;
/** styles.css .mix-node width. */
export const NODE_WIDTH = 136;

/** Room for the ports, then the level meter along the bottom edge. */
const minHeight = (ports: number) => PORT_TOP + Math.max(0, ports - 1) * PORT_SPACING + 26;

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
      <span className={`port-label port-label-${kind === 'target' ? 'in' : 'out'}`} style={{ top: PORT_TOP + index * PORT_SPACING - 7 }}>
        {port.label ?? port.id}
      </span>
    </>
  );
}

/** The bypass button's symbol (IEC 5009, as on hardware), drawn so it needs no icon font. */
function PowerIcon() {
  return (
    <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" className="power-icon">
      <path d="M3 2.2a3.6 3.6 0 1 0 4 0M5 0.8v4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
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
  // Mute and solo buttons for any type with those switches (today the track), not by type name.
  const muteSolo = def.params.mute?.kind === 'bool' && def.params.solo?.kind === 'bool';
  // The node's own name first (what the user called it), its type under it when that says more.
  const heading = node.label || def.title;
  return (
    <div
      className={`mix-node${selected ? ' selected' : ''}${node.bypass ? ' bypassed' : ''}`}
      style={{ '--category': CATEGORY_COLORS[def.category], minHeight: minHeight(ports) } as React.CSSProperties}
      data-testid={`node-${node.id}`}
    >
      <header className="mix-node-header">
        <span className="mix-node-title" title={heading}>
          {heading}
        </span>
        <span className="mix-node-sub">
          <span className="mix-node-type" title={def.title}>
            {heading !== def.title ? def.title : ''}
          </span>
          <span className="mix-node-buttons nodrag">
            {def.bypassable && (
              <button type="button" className="bypass" aria-pressed={node.bypass === true} aria-label={`Bypass ${name}`} title="Bypass" onClick={() => store.run(setBypass(node.id, !node.bypass))}>
                <PowerIcon />
              </button>
            )}
            {muteSolo && (
              <>
                <button type="button" className="mute" aria-pressed={node.params.mute === true} aria-label={`Mute ${name}`} title="Mute" onClick={() => toggle('mute')}>
                  M
                </button>
                <button type="button" className="solo" aria-pressed={node.params.solo === true} aria-label={`Solo ${name}`} title="Solo" onClick={() => toggle('solo')}>
                  S
                </button>
              </>
            )}
          </span>
        </span>
      </header>
      {def.ports.inputs.map((p, i) => (
        <PortHandle key={p.id} port={p} kind="target" index={i} />
      ))}
      {def.ports.outputs.map((p, i) => (
        <PortHandle key={p.id} port={p} kind="source" index={i} />
      ))}
      <Meter label={`${name} node level`} read={readLevel} />
    </div>
  );
});
