// Groups on the canvas and in their dialog: a group node with its knobs, the inside of a group
// (its ports at the sides, the breadcrumb back), the dialog that groups a selection and picks its
// knobs; and the marks a track gets when its audio is missing or nothing hears it.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { expect, within } from 'storybook/test';
import { apply } from '../src/model/commands.ts';
import { graphAt, GROUP_INPUT, GROUP_OUTPUT, nodeAt, type SessionDoc } from '../src/model/document.ts';
import { groupNodes } from '../src/model/groups.ts';
import { Breadcrumb } from '../src/ui/canvas/Breadcrumb.tsx';
import { GroupPortsNode } from '../src/ui/canvas/GroupPorts.tsx';
import { MixEdge } from '../src/ui/canvas/MixEdge.tsx';
import { MixNode, type MixNodeData } from '../src/ui/canvas/MixNode.tsx';
import { useServices } from '../src/ui/context.ts';
import { GroupDialog } from '../src/ui/groups/GroupDialog.tsx';
import { useEditor } from '../src/ui/store.ts';
import { mixgraph, session } from './harness.tsx';

const strip = (): SessionDoc =>
  session(
    'Vocal strip',
    [
      { id: 'vox', type: 'track', label: 'Vox', params: { source: 'vox.wav' }, position: { x: 0, y: 0 } },
      { id: 'eq', type: 'eq', label: 'Vox EQ', position: { x: 156, y: 0 } },
      { id: 'comp', type: 'compressor', label: 'Vox comp', params: { threshold: -22, ratio: 3 }, position: { x: 312, y: 0 } },
      { id: 'master', type: 'master', position: { x: 468, y: 0 } },
    ],
    [
      { from: 'vox', to: 'eq' },
      { from: 'eq', to: 'comp' },
      { from: 'comp', to: 'master' },
    ],
  );
const grouped = (): SessionDoc => apply(strip(), groupNodes(['eq', 'comp'], { id: 'vocal', label: 'Vocal chain', knobs: [{ node: 'comp', param: 'threshold' }, { node: 'comp', param: 'ratio' }] })).doc;

const nodeTypes = { mix: MixNode, port: GroupPortsNode };
const edgeTypes = { mix: MixEdge };

/** The graph at the store's scope, drawn as the canvas draws it (flags passed in by node id). */
function GraphStage({ flags = {} }: { flags?: Record<string, Partial<MixNodeData>> }) {
  const { store } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const scope = useEditor(store, (s) => s.scope);
  const { nodes, edges } = useMemo(() => {
    const g = graphAt(doc, scope) ?? doc;
    const nodes: never[] = g.nodes.map((n) => ({ id: n.id, type: 'mix', position: n.position ?? { x: 0, y: 0 }, data: { node: n, ...(scope ? { path: `${scope}/${n.id}` } : {}), ...flags[n.id] } })) as never[];
    if (scope) {
      const group = nodeAt(doc, scope)!.group!;
      const xs = g.nodes.map((n) => n.position?.x ?? 0);
      nodes.push({ id: GROUP_INPUT, type: 'port', position: { x: Math.min(...xs) - 200, y: 0 }, data: { ports: group.inputs, side: 'input', group: scope } } as never);
      nodes.push({ id: GROUP_OUTPUT, type: 'port', position: { x: Math.max(...xs) + 200, y: 0 }, data: { ports: group.outputs, side: 'output', group: scope } } as never);
    }
    const edges = g.edges.map((e, i) => ({ id: `e${i}`, type: 'mix', source: e.from, sourceHandle: e.fromPort, target: e.to, targetHandle: e.toPort }));
    return { nodes, edges };
  }, [doc, scope, flags]);
  return (
    <div style={{ width: 820, height: 300, position: 'relative' }}>
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes} fitView fitViewOptions={{ padding: 0.15, maxZoom: 1 }} nodesDraggable={false} proOptions={{ hideAttribution: true }} />
      <Breadcrumb />
    </div>
  );
}

const meta = { title: 'Editor/Groups', component: GraphStage } satisfies Meta<typeof GraphStage>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A group on the canvas: its ports are its body's, its face shows its knobs. */
export const GroupNode: Story = {
  parameters: mixgraph({ doc: grouped }),
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(await c.findByRole('button', { name: 'Open group Vocal chain' })).toBeInTheDocument();
    await expect(c.getByRole('list', { name: 'Knobs of Vocal chain' })).toHaveTextContent('-22 dB');
  },
};

/** Inside the group: its input and output at the sides, the breadcrumb back to the session. */
export const InsideGroup: Story = {
  parameters: mixgraph({ doc: grouped }),
  decorators: [
    (Story) => {
      const { store } = useServices();
      if (!store.getState().scope) store.enter('vocal');
      return <Story />;
    },
  ],
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(await c.findByTestId('group-input')).toBeInTheDocument();
    await expect(c.getByRole('navigation', { name: 'Where you are' })).toHaveTextContent('Vocal chain');
  },
};

/** A track whose file is not loaded (Relink), and a source nothing hears. */
export const MissingAndUnheard: Story = {
  parameters: mixgraph({ doc: () => session('Marks', [
    { id: 'kick', type: 'track', label: 'Kick', params: { source: 'stems/kick.wav' }, position: { x: 0, y: 0 } },
    { id: 'pad', type: 'generator', label: 'Pad', position: { x: 0, y: 140 } },
    { id: 'master', type: 'master', position: { x: 260, y: 0 } },
  ], [{ from: 'kick', to: 'master' }]) }),
  args: { flags: { kick: { missing: 'stems/kick.wav' }, pad: { unheard: true } } },
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(await c.findByRole('button', { name: 'Relink Kick' })).toBeInTheDocument();
    await expect(c.getByText('Reaches no master')).toBeInTheDocument();
  },
};

/** Group the selection: name it and choose its knobs (the compressor's; the EQ's bands stay inside). */
export const GroupDialogCreate: Story = {
  parameters: mixgraph({ doc: strip, select: ['eq', 'comp'] }),
  render: () => <GroupDialog mode="create" ids={['eq', 'comp']} onClose={() => {}} />,
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('group', { name: /Vox comp/ })).toBeInTheDocument();
  },
};

/** A group's knobs, changed afterwards: the ones it has are ticked. */
export const GroupDialogKnobs: Story = {
  parameters: mixgraph({ doc: grouped }),
  render: () => <GroupDialog mode="knobs" path="vocal" onClose={() => {}} />,
};

/** The master cannot be grouped: the dialog says why and offers nothing to do. */
export const GroupDialogRefused: Story = {
  parameters: mixgraph({ doc: strip }),
  render: () => <GroupDialog mode="create" ids={['comp', 'master']} onClose={() => {}} />,
};
