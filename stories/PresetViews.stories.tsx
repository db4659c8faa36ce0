// The preset browser (built-in library and the user's own; here the built-in ones) and the dialog
// that saves a chain or node preset.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import demoText from '../presets/demo/demo.json?raw';
import { nodeAt } from '../src/model/document.ts';
import { nodePresetOf } from '../src/model/presets.ts';
import { loadSession } from '../src/presets/load.ts';
import { chainOfSelection } from '../src/ui/groups/chainOf.ts';
import { PresetBrowser } from '../src/ui/presets/PresetBrowser.tsx';
import { SavePresetDialog } from '../src/ui/presets/SavePresetDialog.tsx';
import { mixgraph } from './harness.tsx';

const demo = () => loadSession(demoText, 'demo.json');

const meta = {
  title: 'Editor/Presets',
  parameters: mixgraph({ doc: demo }),
  decorators: [
    (Story) => (
      <div style={{ minHeight: 640 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

/** The whole library; the first preset's description and what it holds. */
export const Browser: Story = {
  render: () => <PresetBrowser onClose={() => {}} />,
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect((await c.findAllByRole('listitem')).length).toBeGreaterThan(12);
  },
};

/** Searched by tag: "mastering". */
export const SearchedByTag: Story = {
  render: () => <PresetBrowser onClose={() => {}} />,
  play: async ({ canvasElement, userEvent }) => {
    const c = within(canvasElement);
    await userEvent.type(c.getByRole('searchbox', { name: 'Search presets' }), 'mastering');
    await expect(c.getByRole('button', { name: /Streaming master/ })).toBeInTheDocument();
    await expect(c.queryByRole('button', { name: /Lead vocal/ })).not.toBeInTheDocument();
  },
};

/** Opened from a node's inspector: node presets for its type, to apply to it. */
export const ForANode: Story = { render: () => <PresetBrowser forNode="vox_comp" onClose={() => {}} /> };

/** Save the selected nodes as a chain preset. */
export const SaveChain: Story = {
  render: () => <SavePresetDialog kind="chain" what="2 nodes" defaultName="Vox strip" make={(info) => chainOfSelection(demo(), ['vox_eq', 'vox_comp'], '', info)} onClose={() => {}} />,
};

/** A selection that cannot be a chain (a track in it): the reason, and no Save. */
export const SaveChainRefused: Story = {
  render: () => <SavePresetDialog kind="chain" what="3 nodes" defaultName="Vox" make={(info) => chainOfSelection(demo(), ['vox', 'vox_eq', 'vox_comp'], '', info)} onClose={() => {}} />,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Save preset' })).toBeDisabled();
  },
};

/** One node's settings as a node preset. */
export const SaveNodePreset: Story = {
  render: () => <SavePresetDialog kind="node-preset" what="“Vox comp” (Compressor)" defaultName="Vox comp settings" make={(info) => nodePresetOf(nodeAt(demo(), 'vox_comp')!, info)} onClose={() => {}} />,
};
