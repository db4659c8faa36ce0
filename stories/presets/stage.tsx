// The preset stories' shared part. Each generated stories/presets/<folder>-<name>.stories.tsx is a
// few lines over PresetStage: a built-in preset as the preset browser describes it (name, kind,
// description, tags) beside its graph drawn as the canvas draws it, or for a node preset the node
// with its settings.
import { ReactFlow, type Edge } from '@xyflow/react';
import { useMemo } from 'react';
import { expect, within } from 'storybook/test';
import { getDefinition } from '../../nodes/registry.ts';
import { CHAIN_INPUT, CHAIN_OUTPUT, type DocNode, type NodePresetDoc } from '../../src/model/document.ts';
import { fillParams } from '../../src/model/params.ts';
import { GroupPortsNode, type PortFlowNode } from '../../src/ui/canvas/GroupPorts.tsx';
import { MixEdge } from '../../src/ui/canvas/MixEdge.tsx';
import { MixNode, type MixFlowNode } from '../../src/ui/canvas/MixNode.tsx';
import { GRID } from '../../src/ui/canvas/placement.ts';
import { BUILT_IN, nodeList, type PresetEntry } from '../../src/ui/presets/library.ts';

const nodeTypes = { mix: MixNode, port: GroupPortsNode };
const edgeTypes = { mix: MixEdge };

export interface PresetStoryArgs {
  /** The preset's id in the library: "built-in:chains/streaming". */
  id: string;
}

export function presetEntry(id: string): PresetEntry {
  const p = BUILT_IN.find((e) => e.id === id);
  if (!p) throw new Error(`no built-in preset "${id}" (presets/ changed? run the story generator)`);
  return p;
}

/** Each node's column: its distance in edges from the chain's input (or from a source in a template). */
function columns(nodes: readonly DocNode[], edges: readonly { from: string; to: string }[]): Map<string, number> {
  const depth = new Map<string, number>([[CHAIN_INPUT, 0]]);
  const fed = new Set(edges.map((e) => e.to));
  for (const n of nodes) if (!fed.has(n.id)) depth.set(n.id, 1);
  for (let pass = 0; pass < nodes.length + 1; pass++) {
    for (const e of edges) {
      const d = depth.get(e.from);
      if (d !== undefined && (depth.get(e.to) ?? -1) < d + 1 && e.to !== CHAIN_OUTPUT && d < nodes.length + 1) depth.set(e.to, d + 1);
    }
  }
  return depth;
}

function graphOf(p: PresetEntry): { nodes: (MixFlowNode | PortFlowNode)[]; edges: Edge[] } {
  if (p.doc.kind === 'node-preset') {
    const def = getDefinition(p.doc.type)!;
    const node: DocNode = { id: p.doc.type, type: p.doc.type, label: p.name, params: fillParams(def, p.doc.params) };
    return { nodes: [{ id: node.id, type: 'mix', position: { x: 0, y: 0 }, data: { node } }], edges: [] };
  }
  const doc = p.doc;
  const cols = columns(doc.nodes, doc.edges);
  const rows = new Map<number, number>();
  const place = (n: DocNode) => {
    if (n.position && doc.kind === 'session') return n.position;
    const c = cols.get(n.id) ?? 1;
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    return { x: c * GRID.column, y: r * GRID.row };
  };
  const nodes: (MixFlowNode | PortFlowNode)[] = doc.nodes.map((n) => ({ id: n.id, type: 'mix', position: place(n), data: { node: n } }));
  if (doc.kind === 'chain') {
    const last = Math.max(1, ...cols.values());
    const common = { type: 'port' as const, draggable: false, selectable: false };
    nodes.push({ ...common, id: CHAIN_INPUT, position: { x: -40, y: 0 }, data: { ports: [{ id: 'out', label: 'In' }], side: 'input', group: '', title: 'Chain input' } });
    nodes.push({ ...common, id: CHAIN_OUTPUT, position: { x: (last + 1) * GRID.column, y: 0 }, data: { ports: [{ id: 'in', label: 'Out' }], side: 'output', group: '', title: 'Chain output' } });
  }
  const edges: Edge[] = doc.edges.map((e, i) => ({
    id: `e${i}`,
    type: 'mix',
    source: e.from,
    sourceHandle: e.from === CHAIN_INPUT ? 'out' : e.fromPort,
    target: e.to,
    targetHandle: e.to === CHAIN_OUTPUT ? 'in' : e.toPort,
  }));
  return { nodes, edges };
}

const KIND = { chain: 'Chain', 'node-preset': 'Node preset', template: 'Session template' } as const;

/** A built-in preset: its card, and its graph on a small fixed canvas. */
export function PresetStage({ id }: PresetStoryArgs) {
  const p = presetEntry(id);
  const { nodes, edges } = useMemo(() => graphOf(p), [p]);
  const settings = p.doc.kind === 'node-preset' ? (p.doc as NodePresetDoc).params : null;
  return (
    <div className="story-preset" style={{ display: 'grid', gridTemplateColumns: '300px 1fr', gap: 16, width: 1100 }}>
      <section className="preset-detail story-panel" aria-label={`Preset: ${p.name}`}>
        <h3>{p.name}</h3>
        <p className="preset-meta">
          {KIND[p.kind]} · built in{p.author ? ` · by ${p.author}` : ''}
        </p>
        <p className="preset-description">{p.description}</p>
        <ul className="preset-tags" aria-label="Tags">
          {p.tags.map((t) => (
            <li key={t}>
              <button type="button">{t}</button>
            </li>
          ))}
        </ul>
        <h4>{settings ? 'Settings' : 'Holds'}</h4>
        {settings ? (
          <ul className="preset-nodes">
            {Object.entries(settings).map(([k, v]) => (
              <li key={k}>
                {k}: {Array.isArray(v) ? `${v.length} bands` : String(v)}
              </li>
            ))}
          </ul>
        ) : (
          <ol className="preset-nodes" aria-label="Nodes in the preset">
            {nodeList(p).map((n) => (
              <li key={n.id}>{n.label ?? n.title}</li>
            ))}
          </ol>
        )}
      </section>
      <div style={{ height: p.kind === 'template' ? 680 : 300 }} aria-label={`${p.name} graph`}>
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes} fitView fitViewOptions={{ padding: 0.08, maxZoom: 1 }} nodesDraggable={false} nodesConnectable={false} proOptions={{ hideAttribution: true }} minZoom={0.2} />
      </div>
    </div>
  );
}

/** The card names the preset and says what it is for; every node it holds is drawn. */
export async function checkPreset({ canvasElement, args }: { canvasElement: HTMLElement; args: PresetStoryArgs }): Promise<void> {
  const p = presetEntry(args.id);
  const canvas = within(canvasElement);
  await expect(canvas.getByRole('region', { name: `Preset: ${p.name}` })).toHaveTextContent(p.description);
  const count = p.doc.kind === 'node-preset' ? 1 : p.doc.nodes.length;
  for (const n of p.doc.kind === 'node-preset' ? [p.doc.type] : p.doc.nodes.map((x) => x.id)) await expect(await canvas.findByTestId(`node-${n}`)).toBeInTheDocument();
  await expect(canvasElement.querySelectorAll('.mix-node').length).toBe(count);
}
