import type { Meta, StoryObj } from '@storybook/react-vite';
import { Inspector } from '../src/ui/inspector/Inspector.tsx';
import { mixgraph, Panel, session } from './harness.tsx';

// One session holds a node of each kind the stories select; the story picks which one.
const doc = () =>
  session(
    'Inspector story',
    [
      { id: 'vox', type: 'track', label: 'Lead vocal', params: { source: 'stems/vox.wav', gain: -3.5, pan: -0.1, category: 'vocals', color: '#e05a47' } },
      {
        id: 'eq',
        type: 'eq',
        label: 'Vocal EQ',
        params: {
          bands: [
            { type: 'highpass', frequency: 90, q: 0.707 },
            { type: 'peaking', frequency: 350, gain: -3, q: 1.2 },
            { type: 'peaking', frequency: 3200, gain: 2.5, q: 0.9 },
            { type: 'highshelf', frequency: 10000, gain: 3, q: 0.707 },
          ],
        },
      },
      { id: 'comp', type: 'compressor', label: 'Vocal comp', params: { threshold: -24, ratio: 4, knee: 6, makeup: 4 } },
      { id: 'master', type: 'master', label: 'Master' },
    ],
    [
      { from: 'vox', to: 'eq' },
      { from: 'eq', to: 'comp' },
      { from: 'comp', to: 'master' },
    ],
  );

const meta = {
  title: 'Editor/Inspector',
  component: Inspector,
  decorators: [
    (Story) => (
      <Panel width={320} height={720}>
        <Story />
      </Panel>
    ),
  ],
  parameters: mixgraph({ doc }),
} satisfies Meta<typeof Inspector>;
export default meta;
type Story = StoryObj<typeof meta>;

export const NothingSelected: Story = {};

export const SeveralSelected: Story = {
  parameters: mixgraph({ doc, select: ['eq', 'comp'] }),
};

/** The EQ's own view: the summed Cookbook response with a handle per band, above the band list. */
export const Eq: Story = {
  name: 'EQ',
  parameters: mixgraph({ doc, select: ['eq'], audio: { levelDb: -14 } }),
};

/** The compressor's transfer curve (threshold -24 dB, 4:1, 6 dB knee, +4 dB makeup) and 6 dB of gain reduction. */
export const Compressor: Story = {
  parameters: mixgraph({ doc, select: ['comp'], audio: { levelDb: -9, reductionDb: 6 } }),
};

/** The master's spectrum analyser, fed a simulated mix spectrum. */
export const Master: Story = {
  parameters: mixgraph({ doc, select: ['master'], audio: { levelDb: -4, spectrum: true } }),
};

/** A track: file, colour, category and the generic knobs, toggles and menus. */
export const Track: Story = {
  parameters: mixgraph({ doc, select: ['vox'], audio: { levelDb: -18 } }),
};
