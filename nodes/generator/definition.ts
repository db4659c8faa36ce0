import { defineNode, num } from '../define.ts';
import { db, hz, join } from '../summary.ts';
import { unchanged } from '../level-change.ts';
import { generatorProcessor } from './processor.ts';

const WAVEFORMS = ['sine', 'square', 'sawtooth', 'triangle', 'white', 'pink'] as const;

export const generator = defineNode({
  type: 'generator',
  version: 1,
  category: 'source',
  title: 'Test signal',
  description:
    'Makes a test signal for calibration and teaching: a sine, square, sawtooth or triangle wave at a frequency, ' +
    'or white or pink noise. The level is the peak in dBFS (0 dBFS is full scale).',
  ports: { inputs: [], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    waveform: { kind: 'enum', options: WAVEFORMS, default: 'sine', label: 'Waveform' },
    frequency: { kind: 'number', unit: 'Hz', min: 20, max: 20000, default: 1000, scale: 'log', label: 'Frequency' },
    level: { kind: 'number', unit: 'dBFS', min: -96, max: 0, default: -18, label: 'Level', description: 'Peak level.' },
  },
  bypassable: false,
  processor: generatorProcessor,
  sourceLevel: (p) => ({ peakDb: num(p, 'level'), channels: 1, note: `a ${p.waveform} test signal` }),
  levelChange: () => unchanged('its level is the peak it is set to'),
  summary: (p) => join(String(p.waveform), hz(num(p, 'frequency')), db(num(p, 'level'), 'dBFS', false)),
  learn: {
    why: 'A known signal makes a chain measurable: a 1 kHz sine at -18 dBFS should read -18 dBFS after a flat chain, and pink noise shows what an EQ does to every frequency at once.',
    typical: 'A 1 kHz sine at -18 dBFS for levels; pink noise at -24 dBFS to hear an EQ; a low sine (50-100 Hz) to check the bass.',
    pitfall: 'Test signals are tiring and can be loud: keep the level low (-18 dBFS or less) and the speakers down before pressing play.',
    params: {
      waveform: 'The shape of the signal: sine (one pure frequency), square, sawtooth or triangle (a note with overtones), white noise (every frequency equally) or pink noise (equal energy per octave, as music tends to be).',
      frequency: 'The pitch of the wave in Hz (440 Hz is the A above middle C). Noise ignores it.',
      level: 'Its peak level in dBFS: 0 dBFS is the loudest a digital signal can be, -18 dBFS leaves plenty of room.',
    },
    listen: { params: { waveform: 'sine', frequency: 440, level: -24 }, hear: 'A 440 Hz sine plays at -24 dBFS. Change the waveform to sawtooth: same pitch, brighter, because of its overtones.' },
  },
});
