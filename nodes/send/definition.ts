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
});
