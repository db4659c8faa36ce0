import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import type { LoudnessReport } from '../src/dsp/loudness.ts';
import { DeliveryView } from '../src/ui/mastering/DeliveryPanel.tsx';

const report = (integrated: number, truePeak: number): LoudnessReport => ({
  integrated,
  lra: 5.2,
  momentaryMax: integrated + 4.1,
  shortTermMax: integrated + 2.3,
  truePeak,
  samplePeak: truePeak - 0.4,
  duration: 212.5,
  sampleRate: 48000,
  channels: 2,
});

const meta = {
  title: 'Editor/Loudness report',
  component: DeliveryView,
  decorators: [
    (Story) => (
      <section className="mastering-dialog compare-panel delivery-panel" style={{ position: 'static' }}>
        <Story />
      </section>
    ),
  ],
} satisfies Meta<typeof DeliveryView>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A streaming master: passes Spotify and YouTube, fails the broadcast targets. */
export const Streaming: Story = {
  args: { report: report(-14.2, -1.1) },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Spotify').closest('tr')).toHaveTextContent('Pass');
  },
};

/** Too hot for every target: loud and over the true-peak limits. */
export const TooLoud: Story = { args: { report: report(-7.5, 0.4) } };

/** Still measuring. */
export const Measuring: Story = { args: { report: null, status: 'Measuring the mix (offline bounce)…' } };
