import { defineNode, num } from '../define.ts';
import { db, join, ratio } from '../summary.ts';
import { compressorProcessor } from './processor.ts';

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
  processor: compressorProcessor,
  summary: (p) => join(`${ratio(num(p, 'ratio'))} @ ${db(num(p, 'threshold'))}`, num(p, 'makeup') !== 0 && `makeup ${db(num(p, 'makeup'))}`),
  readings: ['reduction'],
  // Its make-up is the one figure the params fix; how much it turns down depends on the signal.
  levelChange: (p) => ({ db: num(p, 'makeup'), kind: 'static', note: `make-up ${db(num(p, 'makeup'))}, less its gain reduction above ${db(num(p, 'threshold'))} (${ratio(num(p, 'ratio'))}), which depends on the signal` }),
});
