import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { Transport } from '../src/ui/transport/Transport.tsx';
import { mixgraph, session } from './harness.tsx';

const doc = () => session('Transport story', [{ id: 'master', type: 'master', label: 'Master' }]);

const meta = {
  title: 'Editor/Transport',
  component: Transport,
  decorators: [
    (Story) => (
      <div className="app-header">
        <Story />
      </div>
    ),
  ],
  parameters: mixgraph({ doc }),
} satisfies Meta<typeof Transport>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Stopped, with the real LiveAudio: no AudioContext exists until Play. */
export const Stopped: Story = {};

/** Playing (simulated: no audio runs), 1:23.4 in, master peaking at -6 dBFS. */
export const Playing: Story = {
  parameters: mixgraph({ doc, audio: { state: 'playing', position: 83.4, levelDb: -6 } }),
};

/** Loop switched on. */
export const Looping: Story = {
  parameters: mixgraph({ doc, audio: { levelDb: -120 } }),
  play: async ({ canvas, userEvent }) => {
    const loop = canvas.getByRole('button', { name: 'Loop' });
    await userEvent.click(loop);
    await expect(loop).toHaveAttribute('aria-pressed', 'true');
  },
};
