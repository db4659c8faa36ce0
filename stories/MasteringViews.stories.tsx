import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { expect, within } from 'storybook/test';
import type { Params } from '../nodes/define.ts';
import { getDefinition } from '../nodes/registry.ts';
import type { NodeViewProps } from '../nodes/view.ts';
import { fillParams } from '../src/model/params.ts';
import { onFrame } from '../src/ui/meters/hub.ts';
import { nodeViews } from '../src/ui/views.ts';
import { fakeSpectrum, Panel } from './harness.tsx';

interface ViewStoryArgs {
  /** Node type: limiter, loudness, multiband or stereo. */
  type: string;
  /** Params that differ from the defaults. */
  params?: Params;
  /** Fixed live readings by name (what the node's read() would answer while playing). */
  readings?: Record<string, number>;
  /** Output peak (dBFS) for the views that draw it. */
  peakDb?: number;
}

/** A node's own view as the inspector shows it, fed fixed readings instead of a running graph. */
function NodeViewStage({ type, params, readings = {}, peakDb = -120 }: ViewStoryArgs) {
  const View = nodeViews[type];
  const def = getDefinition(type);
  const full = useMemo(() => (def ? fillParams(def, params) : {}), [def, params]);
  const live = useMemo<NodeViewProps['live']>(
    () => ({
      onFrame,
      reduction: () => readings.reduction ?? 0,
      spectrum: () => ({ data: fakeSpectrum(), sampleRate: 48000 }),
      peakDb: () => peakDb,
      read: (name) => readings[name],
    }),
    [readings, peakDb],
  );
  if (!View || !def) return <p>No view for {type}</p>;
  return (
    <Panel width={300}>
      <h3 style={{ margin: '0 0 8px', fontSize: 14 }}>{def.title}</h3>
      <View id={type} params={full} setParam={() => {}} beginGesture={() => {}} endGesture={() => {}} live={live} />
    </Panel>
  );
}

const meta = {
  title: 'Mastering/Node views',
  component: NodeViewStage,
  argTypes: { type: { control: false }, params: { control: 'object' }, readings: { control: 'object' }, peakDb: { control: { type: 'range', min: -60, max: 3, step: 0.5 } } },
} satisfies Meta<typeof NodeViewStage>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Waits a frame or two for the meter loop, then checks a meter's spoken value. */
const meterSays = (name: string, valueNow: string, valueText: string) =>
  async ({ canvasElement }: { canvasElement: HTMLElement }) => {
    const meter = await within(canvasElement).findByRole('meter', { name });
    await new Promise((r) => setTimeout(r, 100));
    await expect(meter).toHaveAttribute('aria-valuenow', valueNow);
    await expect(meter).toHaveAttribute('aria-valuetext', valueText);
  };

/** Silence: nothing to reduce, the ceiling at its default -1 dBTP. */
export const LimiterDefault: Story = { args: { type: 'limiter' } };
/** A hot master into a -0.3 dBTP ceiling: 4.5 dB of reduction, the output pinned under the line. */
export const LimiterEdited: Story = {
  args: { type: 'limiter', params: { ceiling: -0.3, release: 40 }, readings: { reduction: 4.5 }, peakDb: -0.4 },
  play: meterSays('Limiter gain reduction', '4.5', '4.5 dB'),
};

/** Before any audio: every reading says so. */
export const LoudnessDefault: Story = { args: { type: 'loudness' } };
/** A streaming master a little hot: -12.6 LUFS integrated against -14, so +1.4 LU over. */
export const LoudnessEdited: Story = {
  args: {
    type: 'loudness',
    params: { target: -14 },
    readings: { momentary: -11.2, shortTerm: -12.1, integrated: -12.6, range: 5.3, truePeak: -1.1, samplePeak: -1.4, delta: 1.4 },
  },
  play: meterSays('Integrated loudness', '-12.6', '-12.6 LUFS'),
};

/** Default crossovers (120 Hz, 4 kHz), nothing compressed. */
export const MultibandDefault: Story = { args: { type: 'multiband' } };
/** The club chain's bands: lows held down hardest. */
export const MultibandEdited: Story = {
  args: { type: 'multiband', params: { low: 150, high: 5000, lowThreshold: -18, lowRatio: 3, midThreshold: -16, midRatio: 2.5 }, readings: { lowReduction: 5.2, midReduction: 2.1, highReduction: 0.8 } },
  play: meterSays('Low band gain reduction (below 150 Hz)', '5.2', '5.2 dB'),
};

/** Width 1 (unchanged), no bass mono. */
export const StereoDefault: Story = { args: { type: 'stereo' } };
/** Widened to 1.6 with the bass mono below 120 Hz; correlation dropping towards 0. */
export const StereoEdited: Story = {
  args: { type: 'stereo', params: { width: 1.6, monoBelow: 120 }, readings: { correlation: 0.34 } },
  play: meterSays('Correlation', '0.34', '0.34'),
};
