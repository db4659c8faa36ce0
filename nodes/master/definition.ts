import { defineNode, num } from '../define.ts';
import { gainChange } from '../level-change.ts';
import { fader } from '../summary.ts';
import { masterProcessor } from './processor.ts';

export const master = defineNode({
  type: 'master',
  version: 1,
  category: 'output',
  title: 'Master',
  description:
    'The speakers: whatever reaches the master is what you hear and what gets rendered. Exactly one per session. ' +
    'It guards your ears: a broken signal (NaN or infinity) is turned into silence before it can reach them.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [] },
  params: {
    gain: { kind: 'number', unit: 'dB', min: -60, max: 12, default: 0, label: 'Gain' },
  },
  strip: { kind: 'master', fader: 'gain' },
  bypassable: false,
  processor: masterProcessor,
  summary: (p) => fader(num(p, 'gain')),
  levelChange: (p) => gainChange(num(p, 'gain'), 'master gain'),
  speakers: 'mix',
  readings: ['replaced'],
  learn: {
    why: 'The end of every signal path: only what reaches the master is heard and rendered. Following a track to the master is the first thing to learn about signal flow.',
    typical: 'Gain 0 dB; set the balance with the track and bus faders and keep the master for the final trim.',
    pitfall: 'A track that is not connected to the master is silent; one connected twice (directly and through a bus) is too loud.',
    params: { gain: 'The very last level change before the speakers and the file, in dB.' },
    listen: { input: { generator: { waveform: 'sine', frequency: 440, level: -24 } }, single: true, hear: 'A 440 Hz test tone is connected straight to the master: it is heard, and the master meter shows it. Turn the master gain down and watch every meter after it.' },
  },
});
