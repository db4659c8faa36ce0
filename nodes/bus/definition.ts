import { defineNode, num } from '../define.ts';
import { gainChange } from '../level-change.ts';
import { fader } from '../summary.ts';
import { gainProcessor } from '../gain/processor.ts';

export const bus = defineNode({
  type: 'bus',
  version: 1,
  category: 'routing',
  title: 'Bus',
  description: 'Adds together everything connected to it, then applies one gain: a drum bus or a vocal bus lets you treat a group as one.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    gain: { kind: 'number', unit: 'dB', min: -60, max: 24, default: 0, label: 'Gain' },
  },
  strip: { kind: 'bus', fader: 'gain' },
  bypassable: true,
  processor: gainProcessor,
  summary: (p) => fader(num(p, 'gain')),
  levelChange: (p) => gainChange(num(p, 'gain'), 'bus gain'),
  learn: {
    why: 'To treat several tracks as one: all the drums into a drum bus, then one compressor and one fader for the whole kit. It keeps a mix tidy and its balance easy to change.',
    typical: 'Gain 0 dB; a bus per group of instruments (drums, vocals, music), all feeding a mix bus or the master.',
    pitfall: 'Sending one track both to a bus and straight to the master plays it twice, louder than you meant.',
    params: { gain: 'One fader for everything that comes in, in dB.' },
    listen: { input: { stem: 'bass' }, params: { gain: -6 }, hear: 'The demo bass through a bus at -6 dB. Connect another track into the bus too: both follow its one fader.' },
  },
});
