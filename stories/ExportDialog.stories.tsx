import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { ExportDialog } from '../src/ui/mastering/ExportDialog.tsx';
import { mixgraph, session } from './harness.tsx';

const doc = () => session('Night Drive', [{ id: 'master', type: 'master', label: 'Master' }]);

const meta = {
  title: 'Editor/Export dialog',
  component: ExportDialog,
  args: { onClose: () => {}, onProgress: () => {} },
  parameters: mixgraph({ doc }),
} satisfies Meta<typeof ExportDialog>;
export default meta;
type Story = StoryObj<typeof meta>;

/** As it opens: 48 kHz, 24-bit, titled after the session. */
export const Default: Story = {};

/** A mistyped ISRC: the problem is announced and Export is disabled. */
export const BadIsrc: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByLabelText('ISRC'), 'GB-AYE-24-0001');
    await expect(canvas.getByRole('alert')).toHaveTextContent('the designation code must be 5 digits');
    await expect(canvas.getByRole('button', { name: 'Export' })).toBeDisabled();
  },
};
