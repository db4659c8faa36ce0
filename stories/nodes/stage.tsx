// The node stories' shared parts. Each generated stories/nodes/<type>.stories.tsx is a few lines
// over these: MixNode on a small React Flow canvas, in its default and an edited state derived
// from the node's definition in nodes/registry.ts.
import { ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { expect, within } from 'storybook/test';
import type { NodeDefinition, Params, ParamValue } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { MixNode, type MixFlowNode } from '../../src/ui/canvas/MixNode.tsx';
import { useServices } from '../../src/ui/context.ts';
import { useEditor } from '../../src/ui/store.ts';
import { mixgraph, session, type MixgraphParameters } from '../harness.tsx';

export interface NodeStoryArgs {
  /** Node type from nodes/registry.ts. */
  type: string;
  /** The node's label; MixNode shows it under the title when it differs. */
  label?: string;
  bypass?: boolean;
  /** Params that differ from the definition's defaults. */
  params?: Params;
  selected?: boolean;
}

const nodeTypes = { mix: MixNode };

/** MixNode as the canvas draws it: one node of `type` on a small, fixed React Flow pane. */
export function MixNodeStage({ type }: NodeStoryArgs) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const selection = useEditor(store, (s) => s.selection);
  const nodes = useMemo<MixFlowNode[]>(
    () =>
      doc.nodes.map((n) => ({
        id: n.id,
        type: 'mix',
        position: n.position ?? { x: 0, y: 0 },
        data: { node: n },
        selected: selection.includes(n.id),
      })),
    [doc.nodes, selection],
  );
  return (
    <div style={{ width: 280, height: 240 }} data-node-type={type}>
      <ReactFlow
        nodes={nodes}
        edges={[]}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.25, maxZoom: 1 }}
        nodesDraggable={false}
        nodesConnectable={false}
        panOnDrag={false}
        zoomOnScroll={false}
        zoomOnDoubleClick={false}
        proOptions={{ hideAttribution: true }}
        aria-label={`${type} node`}
      />
    </div>
  );
}

function definition(type: string): NodeDefinition {
  const def = getDefinition(type);
  if (!def) throw new Error(`no node type "${type}" in nodes/registry.ts`);
  return def;
}

export function defaultArgs(type: string): NodeStoryArgs {
  const def = definition(type);
  return { type, label: def.title };
}

/** A non-default value for a param: a number moved towards its far end, a bool flipped, an extra list item. */
function changed(spec: NodeDefinition['params'][string]): ParamValue | undefined {
  switch (spec.kind) {
    case 'number': {
      const target = spec.max - spec.default > spec.default - spec.min ? spec.max : spec.min;
      const v = spec.default + (target - spec.default) * 0.5;
      return Math.round(v * 100) / 100;
    }
    case 'bool':
      return !spec.default;
    case 'enum':
      return spec.options.find((o) => o !== spec.default);
    case 'list':
      if (spec.default.length >= spec.maxItems) return undefined;
      return [...spec.default, Object.fromEntries(Object.entries(spec.item).map(([k, s]) => [k, s.default]))];
    case 'string':
      return undefined; // a file name or a colour: nothing generic to change
  }
}

/**
 * The edited state: renamed, bypassed if it can be, tracks muted and soloed, and the first
 * audible param of the node changed.
 */
export function editedArgs(type: string): NodeStoryArgs {
  const def = definition(type);
  const params: Params = {};
  if (type === 'track') Object.assign(params, { mute: true, solo: true });
  for (const [name, spec] of Object.entries(def.params)) {
    if (spec.meta || name in params) continue;
    const value = changed(spec);
    if (value === undefined) continue;
    params[name] = value;
    break;
  }
  return { type, label: `Renamed ${def.title.toLowerCase()}`, bypass: def.bypassable || undefined, params };
}

/**
 * What the edited state must show on the node: its label, Byp pressed, M and S pressed on tracks.
 * findBy*, not getBy*: React Flow keeps a node hidden until it has measured it.
 */
export async function checkEdited({ canvasElement, args }: { canvasElement: HTMLElement; args: NodeStoryArgs }): Promise<void> {
  const canvas = within(canvasElement);
  const def = definition(args.type);
  if (args.label) await expect(await canvas.findByText(args.label)).toBeInTheDocument();
  const name = args.label || args.type;
  if (def.bypassable) await expect(await canvas.findByRole('button', { name: `Bypass ${name}` })).toHaveAttribute('aria-pressed', String(args.bypass === true));
  if (args.type === 'track') {
    await expect(await canvas.findByRole('button', { name: `Mute ${name}` })).toHaveAttribute('aria-pressed', String(args.params?.mute === true));
    await expect(await canvas.findByRole('button', { name: `Solo ${name}` })).toHaveAttribute('aria-pressed', String(args.params?.solo === true));
  }
}

export function selectedArgs(type: string): NodeStoryArgs {
  return { ...defaultArgs(type), selected: true };
}

/** The services decorator's session for a node story: the one node, selected if asked. */
export const nodeParameters = (): { mixgraph: MixgraphParameters<NodeStoryArgs> } =>
  mixgraph<NodeStoryArgs>({
    doc: ({ type, label, bypass, params }) => session(`${type} story`, [{ id: type, type, label, bypass, params, position: { x: 0, y: 0 } }]),
    select: ({ type, selected }) => (selected ? [type] : []),
  });

/** Controls for the args (type is fixed by the file). */
export const nodeArgTypes = {
  type: { control: false },
  label: { control: 'text' },
  bypass: { control: 'boolean' },
  selected: { control: 'boolean' },
  params: { control: 'object' },
} as const;
