// The session views: the recent sessions, New session, the session's details, the header's save
// state, Copy share link and what a share link shows before it opens.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { loadSession } from '../src/presets/load.ts';
import demoText from '../presets/demo/demo.json?raw';
import type { SessionSummary } from '../src/ui/persist/db.ts';
import { SessionBar } from '../src/ui/session/SessionBar.tsx';
import { SessionDetailsDialog } from '../src/ui/session/SessionDetailsDialog.tsx';
import { SessionsDialog } from '../src/ui/session/SessionsDialog.tsx';
import { NewSessionDialog } from '../src/ui/session/NewSessionDialog.tsx';
import { SharedSessionView, ShareLinkDialog } from '../src/ui/share/ShareDialogs.tsx';
import { mixgraph, Panel } from './harness.tsx';

const demo = () => loadSession(demoText, 'demo.json');
const now = Date.now();
const SESSIONS: SessionSummary[] = [
  { id: 'a', name: 'Demo mix', created: now - 86_400_000 * 3, updated: now - 30_000, nodeCount: 25, size: 11_800, audio: {}, revision: 12 },
  { id: 'b', name: 'Night Drive (vocal up)', created: now - 86_400_000 * 2, updated: now - 86_400_000 - 3_600_000, nodeCount: 31, size: 48_200_000, audio: { 'vox.wav': 'x' }, revision: 40 },
  { id: 'c', name: 'Lesson 3: compression', created: now - 86_400_000 * 40, updated: now - 86_400_000 * 35, nodeCount: 6, size: 2_100_000, audio: { 'drums.wav': 'y' }, revision: 3 },
];

const meta = {
  title: 'Editor/Sessions',
  parameters: mixgraph({ doc: demo, keeper: { sessions: SESSIONS, state: { kind: 'saved', at: now - 30_000 }, openId: 'a' } }),
  decorators: [
    (Story) => (
      <div style={{ minHeight: 520 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

/** Every kept session, newest first: the open one can be neither opened nor deleted from here. */
export const RecentSessions: Story = {
  render: () => <SessionsDialog onClose={() => {}} />,
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(await c.findByRole('button', { name: 'Open Night Drive (vocal up)' })).toBeEnabled();
    await expect(c.getByRole('button', { name: 'Delete Demo mix' })).toBeDisabled();
    await expect(c.getByText('46 MB')).toBeInTheDocument();
  },
};

/** Nothing kept yet. */
export const NoSessions: Story = {
  parameters: mixgraph({ doc: demo, keeper: { sessions: [], state: { kind: 'unsaved' } } }),
  render: () => <SessionsDialog onClose={() => {}} />,
};

/** New session: empty, from a template, or the demo. */
export const NewSession: Story = { render: () => <NewSessionDialog onClose={() => {}} /> };

/** Name, description, author and tags, each edit an undo step. */
export const Details: Story = { render: () => <SessionDetailsDialog onClose={() => {}} /> };

/** The header's session controls, saved. */
export const BarSaved: Story = {
  render: () => (
    <Panel width={560}>
      <SessionBar dialog={null} setDialog={() => {}} />
    </Panel>
  ),
};

/** Storage full: "Not saved" in the header (the notice offers the download). */
export const BarNotSaved: Story = {
  parameters: mixgraph({ doc: demo, keeper: { sessions: SESSIONS, state: { kind: 'failed', message: 'the browser’s storage for Mixgraph is full' } } }),
  render: BarSaved.render,
};

/** Another tab has the session: this one says so and saves nothing. */
export const BarOpenElsewhere: Story = {
  parameters: mixgraph({ doc: demo, keeper: { sessions: SESSIONS, state: { kind: 'elsewhere' } } }),
  render: BarSaved.render,
};

/** Copy share link: the link (copied when the browser allows), and what it leaves out. */
export const ShareLink: Story = { render: () => <ShareLinkDialog onClose={() => {}} /> };

/** Opening a share link: what it holds, before anything changes. */
export const SharedSession: Story = {
  render: () => <SharedSessionView shared={demo()} onReplace={() => {}} onNew={() => {}} onClose={() => {}} />,
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(c.getByRole('list', { name: 'Nodes in the shared session' })).toHaveTextContent('Compressor');
    await expect(c.getByText(/Not in the link: stems\/drums\.wav/)).toBeInTheDocument();
  },
};
