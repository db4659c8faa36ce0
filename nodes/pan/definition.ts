import { defineNode, num } from '../define.ts';
import { panChange } from '../level-change.ts';
import { panPosition } from '../summary.ts';
import { panProcessor } from './processor.ts';

export const pan = defineNode({
  type: 'pan',
  version: 1,
  category: 'utility',
  title: 'Pan',
  description:
    'Places the sound between the left and right speakers with an equal-power law: a mono sound at centre ' +
    'plays at -3 dB in each speaker so it sounds as loud as when panned hard to one side. A stereo sound is balanced.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    pan: { kind: 'number', unit: 'pan', min: -1, max: 1, default: 0, label: 'Pan', description: '-1 is hard left, +1 hard right.' },
  },
  bypassable: true,
  processor: panProcessor,
  summary: (p) => panPosition(num(p, 'pan')),
  levelChange: (p, at) => panChange(num(p, 'pan'), at.channels),
  learn: {
    why: 'Placing parts left and right gives each its own space, so they stop hiding each other and the mix sounds wide.',
    typical: 'Bass, kick, snare and the lead vocal in the centre (0); guitars, keys and backing voices between -0.7 and +0.7.',
    pitfall: 'Panning everything hard left or right leaves a hole in the middle and sounds odd on headphones.',
    listen: { input: { stem: 'keys' }, params: { pan: -0.8 }, hear: 'The demo keys, panned well to the left. Move Pan slowly to +0.8 and hear them travel across.' },
  },
});
