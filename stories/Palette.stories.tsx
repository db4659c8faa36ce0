import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { Palette } from '../src/ui/palette/Palette.tsx';
import { mixgraph, Panel } from './harness.tsx';

const meta = {
  title: 'Editor/Palette',
  component: Palette,
  decorators: [
    (Story) => (
      <Panel width={190} height={640}>
        <Story />
      </Panel>
    ),
  ],
  parameters: mixgraph({}),
} satisfies Meta<typeof Palette>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Every node type in nodes/registry.ts, grouped by category. */
export const Default: Story = {};

/** Typing filters by title, type, category and description ("comp" finds the compressor). */
export const Searched: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByRole('searchbox'), 'comp');
    await expect(canvas.getByRole('button', { name: 'Add Compressor' })).toBeInTheDocument();
    await expect(canvas.queryByRole('button', { name: 'Add Track' })).not.toBeInTheDocument();
  },
};

/** Searching by category: "effects" lists the effects. */
export const SearchedByCategory: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByRole('searchbox'), 'effects');
    await expect(canvas.getByRole('region', { name: 'Effects' })).toBeInTheDocument();
  },
};

export const NoMatch: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByRole('searchbox'), 'theremin');
    await expect(canvas.getByText(/No node matches/)).toBeInTheDocument();
  },
};
