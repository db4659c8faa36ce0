import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { expect, within } from 'storybook/test';
import { seededRandom } from '../src/dsp/random.ts';
import { ChainDialog } from '../src/ui/mastering/ChainDialog.tsx';
import { CompareView } from '../src/ui/mastering/ComparePanel.tsx';
import { measure } from '../src/ui/mastering/analysis.ts';
import { mixgraph, session } from './harness.tsx';

const SR = 48000;

/**
 * Two real measurements (src/dsp/loudness.ts and spectrum.ts run in the story): a "mix" of
 * pink-ish noise with a fade, and a brighter, louder "reference" of white-ish noise plus a tone.
 */
function signals(): { mix: Float32Array[]; reference: Float32Array[] } {
  const n = 4 * SR;
  const random = seededRandom(7);
  const mix = [new Float32Array(n), new Float32Array(n)];
  const reference = [new Float32Array(n), new Float32Array(n)];
  let b0 = 0;
  let b1 = 0;
  for (let i = 0; i < n; i++) {
    const white = random() * 2 - 1;
    // A two-pole low-pass of white noise: falls off like a mix does.
    b0 = 0.97 * b0 + 0.03 * white;
    b1 = 0.8 * b1 + 0.2 * b0;
    const fade = i < n / 2 ? 1 : 0.4;
    mix[0][i] = mix[1][i] = 1.6 * b1 * fade;
    const tone = 0.1 * Math.sin((2 * Math.PI * 110 * i) / SR);
    reference[0][i] = 0.18 * white + tone;
    reference[1][i] = 0.18 * (random() * 2 - 1) + tone;
  }
  return { mix, reference };
}

function CompareStage({ state }: { state: 'measured' | 'measuring' | 'failed' }) {
  const m = useMemo(() => {
    if (state !== 'measured') return null;
    const s = signals();
    return { mix: measure(s.mix, SR), reference: measure(s.reference, SR) };
  }, [state]);
  const status = state === 'failed' ? 'Could not measure: no audio loaded for the reference "song.wav"' : undefined;
  return (
    <div style={{ position: 'relative', minHeight: 640 }}>
      <CompareView mix={m?.mix ?? null} reference={m?.reference ?? null} status={status} referenceName="Reference" onClose={() => {}} />
    </div>
  );
}

const meta = {
  title: 'Mastering/Compare panel',
  component: CompareStage,
  args: { state: 'measured' },
  argTypes: { state: { control: 'inline-radio', options: ['measured', 'measuring', 'failed'] } },
} satisfies Meta<typeof CompareStage>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Loudness table and both 1/3-octave spectra, the reference shifted to the mix's loudness. */
export const Measured: Story = {
  play: async ({ canvasElement }) => {
    const panel = within(canvasElement);
    const row = await panel.findByRole('row', { name: /^Integrated loudness/ });
    const cells = within(row).getAllByRole('cell');
    await expect(cells[0].textContent).toMatch(/^-\d+\.\d LUFS$/);
    await expect(cells[1].textContent).toMatch(/^-\d+\.\d LUFS$/);
  },
};
export const Measuring: Story = { args: { state: 'measuring' } };
export const Failed: Story = { args: { state: 'failed' } };

const chainDoc = () =>
  session(
    'Chain story',
    [
      { id: 'song', type: 'generator', label: 'Song' },
      { id: 'mix_bus', type: 'bus', label: 'Mix bus' },
      { id: 'master', type: 'master', label: 'Master' },
    ],
    [
      { from: 'song', to: 'mix_bus' },
      { from: 'mix_bus', to: 'master' },
    ],
  );

/** The insert-chain dialog: the edge into the master is preselected, the shipped chains listed. */
export const InsertChainDialog: StoryObj<typeof ChainDialog> = {
  render: () => (
    <div style={{ position: 'relative', minHeight: 520 }}>
      <ChainDialog onClose={() => {}} />
    </div>
  ),
  parameters: mixgraph({ doc: chainDoc }),
  play: async ({ canvasElement }) => {
    const dialog = within(canvasElement);
    await expect(await dialog.findByRole('combobox', { name: 'Between' })).toHaveDisplayValue('Mix bus → Master');
    await expect(dialog.getAllByRole('radio').length).toBeGreaterThanOrEqual(4);
  },
};
