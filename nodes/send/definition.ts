import { defineNode, num } from '../define.ts';
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
});
