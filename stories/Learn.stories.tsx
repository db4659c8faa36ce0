import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect } from 'react';
import { expect } from 'storybook/test';
import { LearnPanel } from '../src/ui/learn/LearnPanel.tsx';
import { learn } from '../src/ui/learn/state.ts';
import { mixgraph, session } from './harness.tsx';

/** The panel about `type` (and the node at `path`), opened as the palette's ? or the inspector's button opens it. */
function LearnStory({ type, path }: { type: string; path?: string }) {
  useEffect(() => {
    learn.setExample(null);
    learn.open(type, path);
    return () => learn.close();
  }, [type, path]);
  // The panel docks at the right of the editor's main area (position: relative there).
  return (
    <div className="app-main" style={{ position: 'relative', width: 420, height: 760 }}>
      <LearnPanel />
    </div>
  );
}

const doc = () =>
  session(
    'Learn story',
    [
      { id: 'eq', type: 'eq', label: 'Vocal EQ', params: { bands: [{ type: 'highpass', frequency: 90, q: 0.707 }, { type: 'peaking', frequency: 3200, gain: 4, q: 0.9 }] } },
      { id: 'master', type: 'master', label: 'Master', position: { x: 600, y: 0 } },
    ],
    [{ from: 'eq', to: 'master' }],
  );

const meta = {
  title: 'Editor/Learn panel',
  component: LearnStory,
  parameters: mixgraph({ doc, audio: {} }),
} satisfies Meta<typeof LearnStory>;
export default meta;
type Story = StoryObj<typeof meta>;

/** From the inspector: about the session's own EQ, its curve drawn from that node's bands. */
export const AboutAnEq: Story = { args: { type: 'eq', path: 'eq' } };

/** From the palette: the delay's taps, drawn from what the Listen example sets (375 ms, feedback 0.45). */
export const Delay: Story = { args: { type: 'delay' } };

/** A send: the signal-flow picture shows its aux output as a side path. */
export const Send: Story = { args: { type: 'send' } };

/** Listen adds the example in one edit; the button then reads Remove example, which takes it away. */
export const ListenAndRemove: Story = {
  args: { type: 'compressor' },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: '▶ Listen' }));
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove example' }));
    await expect(await canvas.findByRole('button', { name: '▶ Listen' })).toBeInTheDocument();
  },
};
