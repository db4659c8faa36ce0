import { defineNode, num } from '../define.ts';
import { gainChange, unchanged } from '../level-change.ts';
import { db } from '../summary.ts';
import { sendProcessor } from './processor.ts';

export const send = defineNode({
  type: 'send',
  version: 1,
  category: 'routing',
  title: 'Send',
  description:
    'Splits the signal: "out" passes it on unchanged, "send" carries a copy at the send level, ' +
    'usually to an aux bus with a reverb or delay shared by several tracks.',
  ports: {
    inputs: [{ id: 'in', label: 'In' }],
    outputs: [
      { id: 'out', label: 'Out' },
      { id: 'send', label: 'Send', role: 'aux' },
    ],
  },
  params: {
    level: { kind: 'number', unit: 'dB', min: -60, max: 12, default: -12, label: 'Send level' },
  },
  bypassable: true,
  processor: sendProcessor,
  summary: (p) => `send ${db(num(p, 'level'))}`,
  // The main output passes the sound on; the aux copy leaves at the send level.
  levelChange: (p, at) => (at.port === 'send' ? gainChange(num(p, 'level'), 'send level') : unchanged('the main output passes it on unchanged')),
  learn: {
    why: 'To share one effect between many tracks: each track sends a copy at its own level to one reverb (or delay) on an aux bus, so all sound like one room, and the dry signal carries on untouched.',
    typical: 'Send levels of -20 to -10 dB into a reverb return with mix at 1 (fully wet).',
    pitfall: 'Putting a reverb with mix at 1 as an insert (in the chain) instead of on a send: the dry sound disappears. On a return keep it wet; on an insert turn mix down.',
    params: { level: 'How loud the copy on the "send" output is, in dB. The "out" output is never changed.' },
    listen: { input: { stem: 'vox' }, params: { level: -6 }, aux: { port: 'send', type: 'reverb', params: { decay: 2.5, mix: 1 } }, hear: 'The demo voice goes dry to the master and, through the send at -6 dB, into a reverb. Turn the send level down to -30 dB: the voice stays, the room fades away.' },
  },
});
