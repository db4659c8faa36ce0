// Inside an open group, its own ports as two fixed boxes at the sides of the canvas: "Group input"
// offers the group's inputs as outputs to wire from, "Group output" takes its outputs. Their ids are
// the reserved `input` and `output` that the group's inner edges use (src/model/document.ts).
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { PortSpec } from '../../../nodes/define.ts';
import { GROUP_INPUT } from '../../model/document.ts';

export type PortFlowNode = Node<{ ports: readonly PortSpec[]; side: 'input' | 'output'; group: string; title?: string }, 'port'>;

const TOP = 40;
const STEP = 22;

export const GroupPortsNode = memo(function GroupPortsNode({ id, data }: NodeProps<PortFlowNode>) {
  const input = id === GROUP_INPUT;
  return (
    <div className={`group-ports group-ports-${data.side}`} style={{ minHeight: TOP + data.ports.length * STEP + 6 }} data-testid={`group-${data.side}`}>
      <header>{data.title ?? (input ? 'Group input' : 'Group output')}</header>
      {data.ports.map((p, i) => (
        <div key={p.id}>
          <Handle
            type={input ? 'source' : 'target'}
            position={input ? Position.Right : Position.Left}
            id={p.id}
            className={`port ${p.role === 'sidechain' ? 'port-sidechain' : 'port-audio'}`}
            style={{ top: TOP + i * STEP }}
            role="img"
            aria-label={`${input ? 'Group input' : 'Group output'} ${p.label ?? p.id}`}
          />
          <span className={`port-label port-label-${input ? 'out' : 'in'}`} style={{ top: TOP + i * STEP - 7 }}>
            {p.label ?? p.id}
          </span>
        </div>
      ))}
    </div>
  );
});
