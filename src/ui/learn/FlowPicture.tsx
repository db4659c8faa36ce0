import type { NodeDefinition, PortSpec } from '../../../nodes/define.ts';

const W = 320;
const BOX = { x: 110, w: 100 };
const ROW = 30;

/**
 * Where a node's signal comes from and goes, drawn from its definition's ports: audio in on the left,
 * out on the right, a sidechain (it steers, it is not heard) and an aux output (a side path) dashed,
 * the speakers for a node that plays to them. For types whose ports say more than "in, out".
 */
export function FlowPicture({ def }: { def: NodeDefinition }) {
  const inputs = def.ports.inputs;
  const outputs: (PortSpec | { id: 'speakers'; label: string; role: 'speakers' })[] = [...def.ports.outputs];
  if (def.speakers === 'mix') outputs.push({ id: 'speakers', label: 'Speakers', role: 'speakers' });
  const rows = Math.max(1, inputs.length, outputs.length);
  const H = rows * ROW + 20;
  const yOf = (i: number, n: number) => 10 + ((i + 0.5) * (H - 20)) / Math.max(1, n);
  const described = [
    inputs.length ? `in: ${inputs.map((p) => `${p.label ?? p.id}${p.role === 'sidechain' ? ' (steers, not heard)' : ''}`).join(', ')}` : 'no inputs: it makes the sound',
    outputs.length ? `out: ${outputs.map((p) => `${p.label ?? p.id}${p.role === 'aux' ? ' (a side path)' : ''}`).join(', ')}` : 'no outputs',
  ].join('; ');
  return (
    <svg className="flow-picture" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Signal flow of ${def.title}: ${described}`}>
      <rect x={BOX.x} y={6} width={BOX.w} height={H - 12} rx={6} className="flow-node" />
      <text x={BOX.x + BOX.w / 2} y={H / 2 + 4} textAnchor="middle" className="flow-title">
        {def.title}
      </text>
      {inputs.map((p, i) => {
        const y = yOf(i, inputs.length);
        return (
          <g key={p.id} className={p.role === 'sidechain' ? 'flow-port side' : 'flow-port'}>
            <text x={4} y={y - 5}>{p.label ?? p.id}</text>
            <path d={`M4 ${y}H${BOX.x - 6}l-6 -4v8l6 -4`} />
          </g>
        );
      })}
      {outputs.map((p, i) => {
        const y = yOf(i, outputs.length);
        return (
          <g key={p.id} className={p.role === 'aux' ? 'flow-port side' : 'flow-port'}>
            <text x={W - 4} y={y - 5} textAnchor="end">{p.label ?? p.id}</text>
            <path d={`M${BOX.x + BOX.w} ${y}H${W - 10}l-6 -4v8l6 -4`} />
          </g>
        );
      })}
    </svg>
  );
}
