// Snapshots in the header (A/B/C…, the current one lit) and the dialog that manages them.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import demoText from '../presets/demo/demo.json?raw';
import { apply, setParam } from '../src/model/commands.ts';
import { captureSnapshot } from '../src/model/snapshots.ts';
import { loadSession } from '../src/presets/load.ts';
import { SnapshotBar, SnapshotsDialog } from '../src/ui/snapshots/SnapshotBar.tsx';
import { mixgraph, Panel } from './harness.tsx';

/** The demo with A (as it ships), B (master 6 dB down) and C (drums muted); B is the state now. */
function withSnapshots() {
  let doc = loadSession(demoText, 'demo.json');
  doc = apply(doc, captureSnapshot('A')).doc;
  doc = apply(doc, setParam('drums', 'mute', true)).doc;
  doc = apply(doc, captureSnapshot('C')).doc;
  doc = apply(doc, setParam('drums', 'mute', false)).doc;
  doc = apply(doc, setParam('master', 'gain', -6)).doc;
  doc = apply(doc, captureSnapshot('B')).doc;
  return doc;
}

const meta = { title: 'Editor/Snapshots', parameters: mixgraph({ doc: withSnapshots }) } satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

export const Bar: Story = {
  render: () => (
    <Panel width={420}>
      <SnapshotBar />
    </Panel>
  ),
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(c.getByRole('button', { name: 'Snapshot B' })).toHaveAttribute('aria-pressed', 'true');
    await expect(c.getByRole('button', { name: 'Snapshot A' })).toHaveAttribute('aria-pressed', 'false');
  },
};

/** None yet: just the button that stores one. */
export const Empty: Story = { parameters: mixgraph({ doc: () => loadSession(demoText, 'demo.json') }), render: Bar.render };

export const Manage: Story = { render: () => <SnapshotsDialog onClose={() => {}} /> };
