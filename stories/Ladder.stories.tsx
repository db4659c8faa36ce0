// Follow the signal: the gain ladder of the demo's vocal as the canvas shows it while stopped (from
// the params; the file not decoded yet, so the levels are relative to it), main path and send.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import demoText from '../presets/demo/demo.json?raw';
import { ladderOf } from '../src/mixing/ladder.ts';
import { loadSession } from '../src/presets/load.ts';
import { LadderPanel } from '../src/ui/canvas/LadderPanel.tsx';
import { mixgraph } from './harness.tsx';

const demo = () => loadSession(demoText, 'demo.json');

const meta = { title: 'Canvas/Gain ladder', parameters: mixgraph({ doc: demo, select: ['vox'] }) } satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

/** The vocal: its fader and pan, EQ, compressor, send, the mix bus and the mastering chain; then its send to the plate. */
export const VocalStopped: Story = {
  render: () => (
    <div className="canvas" style={{ position: 'relative', height: 640, width: 900 }}>
      <LadderPanel ladder={ladderOf(demo(), 'vox')!} onClose={() => {}} />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(c.getByRole('group', { name: 'Main path' })).toBeInTheDocument();
    await expect(c.getByRole('group', { name: 'Send from Vox send' })).toBeInTheDocument();
  },
};
