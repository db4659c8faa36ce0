import { defineNode, num } from '../define.ts';
import { db, join } from '../summary.ts';
import { gateProcessor } from './processor.ts';

export const gate = defineNode({
  type: 'gate',
  version: 1,
  category: 'dynamics',
  title: 'Gate',
  description:
    'Silences what lies under the threshold: the bleed between drum hits, the hiss between phrases. It opens when ' +
    'the key reaches the threshold and closes once it has stayed `hysteresis` dB under it for `hold` ms; closed, it ' +
    'turns the sound down by `range` dB (a ratio of 2 makes a gentle expander instead). Connect another track to the ' +
    'key input to open it from there, and filter the key to hear only the drum it should follow.',
  ports: {
    inputs: [
      { id: 'in', label: 'In' },
      { id: 'key', label: 'Key', role: 'sidechain', optional: true },
    ],
    outputs: [{ id: 'out', label: 'Out' }],
  },
  params: {
    threshold: { kind: 'number', unit: 'dB', min: -80, max: 0, default: -40, label: 'Threshold', description: 'The key peak level that opens the gate.' },
    range: { kind: 'number', unit: 'dB', min: 0, max: 90, default: 60, label: 'Range', description: 'How far a closed gate turns the sound down.' },
    ratio: { kind: 'number', unit: 'ratio', min: 1, max: 100, default: 20, scale: 'log', label: 'Ratio', description: 'Below the threshold each dB of key turns the sound down by ratio - 1 dB: 2 is an expander, 20 and up a gate.' },
    attack: { kind: 'number', unit: 'ms', min: 0.05, max: 200, default: 1, scale: 'log', label: 'Attack', description: 'Time from fully closed to open.' },
    hold: { kind: 'number', unit: 'ms', min: 0, max: 2000, default: 50, label: 'Hold', description: 'How long it stays open after the key falls under the closing level.' },
    release: { kind: 'number', unit: 'ms', min: 1, max: 4000, default: 100, scale: 'log', label: 'Release', description: 'Time from open to fully closed.' },
    hysteresis: { kind: 'number', unit: 'dB', min: 0, max: 20, default: 4, label: 'Hysteresis', description: 'It closes this far under the threshold, so it cannot chatter around one level.' },
    keyHighpass: { kind: 'number', unit: 'Hz', min: 20, max: 20000, default: 20, scale: 'log', label: 'Key high-pass', description: 'Removes lows from what the gate listens to (20 Hz: off).' },
    keyLowpass: { kind: 'number', unit: 'Hz', min: 20, max: 20000, default: 20000, scale: 'log', label: 'Key low-pass', description: 'Removes highs from what the gate listens to (20 kHz: off).' },
  },
  bypassable: true,
  processor: gateProcessor,
  // A gate is told by where it opens and how far it closes.
  summary: (p) => join(`open @ ${db(num(p, 'threshold'))}`, `range ${db(num(p, 'range'), 'dB', false)}`),
  readings: ['reduction', 'open'],
  learn: {
    why: 'To remove what sounds between the notes: the hi-hat leaking into a snare microphone, breathing and hiss between phrases.',
    typical: 'Threshold just above the noise, a range of 20-60 dB, attack 0.5-2 ms, hold 30-100 ms, release 50-200 ms; a ratio of 2 for a gentle expander.',
    pitfall: 'A threshold too high chops off the quiet starts and tails of the notes themselves: listen for clipped decays, and use less range rather than more.',
    listen: { input: { stem: 'drums' }, params: { threshold: -20, range: 40, hold: 20, release: 60 }, hear: 'The demo drums through a gate at -20 dB: only the loud hits get through, the decays are cut short. Lower the threshold until the decays come back.' },
  },
});
