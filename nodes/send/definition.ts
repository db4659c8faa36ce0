import { dbToGain, defineNode, num, rampParam } from '../define.ts';
import { gainNode } from '../shared.ts';
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
  create(ctx, params, env) {
    const through = gainNode(ctx);
    const sendGain = gainNode(ctx, dbToGain(num(params, 'level')));
    through.connect(sendGain);
    return {
      inputs: { in: { node: through } },
      outputs: { out: { node: through }, send: { node: sendGain } },
      setParam: (_name, _value, p) => rampParam(sendGain.gain, dbToGain(num(p, 'level')), ctx, env.smoothing),
      dispose() {
        through.disconnect();
        sendGain.disconnect();
      },
    };
  },
});
