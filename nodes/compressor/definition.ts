import { COMPRESSOR_PARAMS, COMPRESSOR_PROCESSOR } from '../../src/worklets/names.ts';
import { defineNode, num, rampParam } from '../define.ts';

export const compressor = defineNode({
  type: 'compressor',
  version: 1,
  category: 'dynamics',
  title: 'Compressor',
  description:
    'Turns loud parts down so the level varies less. Above the threshold, every `ratio` dB in gives 1 dB out ' +
    '(4:1 turns 8 dB over into 2 dB over); attack and release set how fast it reacts. Connect another signal to ' +
    'the sidechain input and that signal drives it instead (ducking). Makeup gain is only what you set.',
  ports: {
    inputs: [
      { id: 'in', label: 'In' },
      { id: 'sidechain', label: 'Sidechain', role: 'sidechain', optional: true },
    ],
    outputs: [{ id: 'out', label: 'Out' }],
  },
  params: {
    threshold: { kind: 'number', unit: 'dB', min: -60, max: 0, default: -18, label: 'Threshold' },
    ratio: { kind: 'number', unit: 'ratio', min: 1, max: 20, default: 4, scale: 'log', label: 'Ratio' },
    knee: { kind: 'number', unit: 'dB', min: 0, max: 24, default: 6, label: 'Knee' },
    attack: { kind: 'number', unit: 'ms', min: 0.1, max: 200, default: 10, scale: 'log', label: 'Attack' },
    release: { kind: 'number', unit: 'ms', min: 5, max: 2000, default: 150, scale: 'log', label: 'Release' },
    makeup: { kind: 'number', unit: 'dB', min: 0, max: 24, default: 0, label: 'Makeup' },
  },
  bypassable: true,
  worklets: [COMPRESSOR_PROCESSOR],
  create(ctx, params, env) {
    const node = env.createWorklet(COMPRESSOR_PROCESSOR, {
      numberOfInputs: 2,
      numberOfOutputs: 1,
      outputChannelCount: [2],
    });
    const param = (name: string) => node.parameters.get(name) as AudioParam;
    for (const name of COMPRESSOR_PARAMS) if (name !== 'sidechain') param(name).value = num(params, name);
    // Listen only once someone reads: in Node a port with a listener keeps the process alive.
    let reduction: number | null = null;
    const listen = () => {
      reduction = 0;
      node.port.onmessage = (e: MessageEvent<{ reduction?: number }>) => {
        if (typeof e.data.reduction === 'number') reduction = e.data.reduction;
      };
    };
    return {
      inputs: { in: { node, index: 0 }, sidechain: { node, index: 1 } },
      outputs: { out: { node } },
      setParam: (name, _value, p) => rampParam(param(name), num(p, name), ctx, env.smoothing),
      read(name) {
        if (name !== 'reduction') return undefined;
        if (reduction === null) listen();
        return reduction ?? 0;
      },
      portConnected(port, connected) {
        if (port === 'sidechain') param('sidechain').setValueAtTime(connected ? 1 : 0, ctx.currentTime);
      },
      dispose() {
        node.disconnect();
        node.port.close();
      },
    };
  },
});
