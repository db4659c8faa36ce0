// Notices over the canvas: info leaves by itself, a warning and an error stay, actions on the ones
// that need a decision (storage full, open in another tab).
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect } from 'react';
import { Notices } from '../src/ui/Notices.tsx';
import { useServices } from '../src/ui/context.ts';
import { mixgraph, Panel } from './harness.tsx';

function Stage() {
  const { store } = useServices();
  useEffect(() => {
    store.dismissAll();
    store.notify('info', 'Exported Demo_mix.wav (48 kHz, 24-bit PCM): -14.1 LUFS, true peak -1.2 dBTP');
    store.notify('warning', '2 sources are silent:\n• Kick: its file stems/kick.wav is not loaded (Relink it on the track, or drop the file on it)\n• Pad: nothing connects it to the master (connect its output to a bus or the master)');
    store.notify('error', 'Not saved: the browser’s storage for Mixgraph is full. Your latest changes are only in this tab. Download the session to keep it, or delete old sessions to make room.', [
      { label: 'Download session', run: () => {} },
      { label: 'Sessions…', run: () => {} },
    ]);
  }, [store]);
  return (
    <Panel width={900} height={420}>
      <div style={{ position: 'relative', height: '100%' }}>
        <Notices />
      </div>
    </Panel>
  );
}

const meta = { title: 'Editor/Notices', component: Stage, parameters: mixgraph({}) } satisfies Meta<typeof Stage>;
export default meta;
export const Kinds: StoryObj<typeof meta> = {};
