// The mixing craft's views: the Mixer (strips by category), Level tracks, Align, Mix check with
// findings, Duck under… and Gain staging. The analyses need the session's audio, so the dialogs
// are shown before measuring; Mix check shows a result set by hand, Gain staging simulated levels.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect } from 'react';
import { expect, within } from 'storybook/test';
import demoText from '../presets/demo/demo.json?raw';
import { addPeakingCut, duckUnder } from '../src/mixing/graph.ts';
import type { MixCheckResult } from '../src/mixing/mixcheck.ts';
import { loadSession } from '../src/presets/load.ts';
import { useServices } from '../src/ui/context.ts';
import { MixerView } from '../src/ui/mixer/MixerView.tsx';
import { AlignDialog } from '../src/ui/mixing/AlignDialog.tsx';
import { DuckDialog } from '../src/ui/mixing/DuckDialog.tsx';
import { setCheckedMix } from '../src/ui/mixing/findings.ts';
import { GainStagingPanel } from '../src/ui/mixing/GainStagingPanel.tsx';
import { LevelDialog } from '../src/ui/mixing/LevelDialog.tsx';
import { MixCheckPanel } from '../src/ui/mixing/MixCheckPanel.tsx';
import { mixgraph, Panel } from './harness.tsx';

const demo = () => loadSession(demoText, 'demo.json');
const close = () => {};

/** Levels per node as a playing demo might read (dBFS): the output trim runs hot into the limiter. */
const levels = (id: string) => ({ master_gain: 0.4, master: -1.2, master_limiter: -1.1, reverb: -54 })[id as 'master'] ?? (id.includes('comp') ? -14 : -18);

const meta = { title: 'Mixing/Views', parameters: mixgraph({ doc: demo }) } satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

/** The demo's strips, grouped by category, then the buses and the master, while playing. */
export const Mixer: Story = {
  parameters: mixgraph({ doc: demo, select: ['vox'], audio: { levelDb: levels, state: 'playing' } }),
  render: () => (
    <div style={{ position: 'relative', height: 320, width: 1100, ['--mixer-height' as string]: '300px' }}>
      <MixerView />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(c.getByRole('group', { name: 'Drums' })).toBeInTheDocument();
    await expect(c.getByLabelText('Gain of Vox (dB)')).toHaveValue('-2.0');
    await expect(c.getByRole('button', { name: 'Vox' })).toHaveAttribute('aria-pressed', 'true');
  },
};

/** Tracks at "other" whose names say more: the mixer offers to set their categories. */
export const MixerWithSuggestions: Story = {
  parameters: mixgraph({
    doc: () => {
      const doc = demo();
      for (const n of doc.nodes) if (n.type === 'track') n.params.category = 'other';
      return doc;
    },
  }),
  render: Mixer.render,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Suggest categories (4)' })).toBeInTheDocument();
  },
};

export const LevelTracks: Story = { render: () => <LevelDialog onClose={close} /> };

export const AlignTo: Story = { render: () => <AlignDialog onClose={close} /> };

export const DuckUnder: Story = { render: () => <DuckDialog target="bass" onClose={close} /> };

/** A result as mixcheck.ts gives it, set by hand: what the panel and the nodes' hints show. */
function WithFindings() {
  const { store } = useServices();
  useEffect(() => {
    const doc = store.getState().doc;
    const result: MixCheckResult = {
      mixLoudness: -16.2,
      bands: [],
      tracks: [],
      findings: [
        {
          kind: 'masking',
          tracks: ['keys', 'vox'],
          message: 'Keys and Vox mask each other around 400 Hz (315 Hz-500 Hz): both carry 30 % or more of the band at once, 62 % of the time (5.9 s)',
          figures: { frequency: 400, low: 315, high: 500, fraction: 0.62, seconds: 5.9, difference: 2 },
          suggestion: { text: 'Cut Keys by 4 dB at 400 Hz (Q 1.4) to leave 315 Hz-500 Hz to Vox', edit: { type: 'peaking-cut', track: 'keys', frequency: 400, gain: -4, q: 1.4 }, command: addPeakingCut(doc, { track: 'keys', frequency: 400, gain: -4, q: 1.4 }) },
        },
        {
          kind: 'masking',
          tracks: ['drums', 'bass'],
          message: 'Drums and Bass mask each other around 63 Hz (50 Hz-80 Hz) on 56 % of the kick hits',
          figures: { frequency: 63, low: 50, high: 80, fraction: 0.56, seconds: 3.1, difference: 1 },
          suggestion: { text: 'Duck Bass under Drums', edit: { type: 'duck', key: 'drums', target: 'bass' }, command: duckUnder(doc, { key: 'drums', target: 'bass' }) },
        },
        { kind: 'vocal-buried', tracks: ['vox'], message: 'Vox is buried: 2.5 dB under the rest in 1-4 kHz', figures: { presence: -2.5, seconds: 8 }, suggestion: null },
      ],
    };
    setCheckedMix({ doc, result });
    return () => setCheckedMix(null);
  }, [store]);
  return <MixCheckPanel onClose={close} />;
}

export const MixCheck: Story = {
  render: () => <WithFindings />,
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(await c.findByRole('list', { name: 'Findings' })).toBeInTheDocument();
    await expect(c.getByRole('button', { name: 'Fix: Duck Bass under Drums' })).toBeInTheDocument();
  },
};

/** While playing: the output trim over -1 dBFS before the limiter, the reverb return too cold. */
export const GainStaging: Story = {
  parameters: mixgraph({ doc: demo, audio: { levelDb: levels, state: 'playing' } }),
  render: () => (
    <Panel width={560} height={400}>
      <GainStagingPanel onClose={close} />
    </Panel>
  ),
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(await c.findByRole('table', { name: 'Gain staging issues' })).toBeInTheDocument();
  },
};
