import type { Meta, StoryObj } from '@storybook/react-vite';
import { SILENCE_DB } from '../src/ui/audio.ts';
import { Meter } from '../src/ui/meters/Meter.tsx';

const meta = {
  title: 'Editor/Meter',
  component: Meter,
  decorators: [
    (Story) => (
      <div style={{ width: 240 }}>
        <Story />
      </div>
    ),
  ],
  args: { label: 'Master level', read: () => SILENCE_DB },
  argTypes: { read: { control: false } },
} satisfies Meta<typeof Meter>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Nothing playing: -∞. */
export const Silent: Story = {};

/** A healthy level, -12 dBFS. */
export const Level: Story = { args: { read: () => -12 } };

/** Hot, -1 dBFS: into the red end of the bar, not yet clipping. */
export const Hot: Story = { args: { read: () => -1 } };

/** Over 0 dBFS: the track is outlined as clipping (data-clip="true"). */
export const Clipping: Story = { args: { read: () => 1.5 } };

/** A compressor's gain reduction: 6 dB of 24. */
export const Reduction: Story = {
  args: { label: 'Gain reduction', kind: 'reduction', min: 0, max: 24, read: () => 6 },
};
