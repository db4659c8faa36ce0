import { defineNode, num, type Params } from '../define.ts';
import { join, ms, percent } from '../summary.ts';
import { delayProcessor } from './processor.ts';

const MAX_SECONDS = 2;
const SILENCE_DB = -60;

export const delay = defineNode({
  type: 'delay',
  version: 1,
  category: 'effects',
  title: 'Delay',
  description:
    'Repeats the sound after `time` ms; feedback sends each echo back in so it repeats again, quieter each time. ' +
    'Mix sets the balance: output = (1 - mix)·dry + mix·echoes. The only node a feedback loop may pass through.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    time: { kind: 'number', unit: 'ms', min: 0, max: 2000, default: 250, label: 'Time' },
    feedback: { kind: 'number', unit: 'ratio', min: 0, max: 0.95, default: 0.3, label: 'Feedback' },
    mix: { kind: 'number', unit: 'mix', min: 0, max: 1, default: 0.3, label: 'Mix' },
  },
  bypassable: true,
  loopSafe: true,
  tail(p: Params) {
    const time = num(p, 'time') / 1000;
    const fb = num(p, 'feedback');
    if (fb <= 0) return time;
    // Echoes until they fall 60 dB below the first one.
    return time * (1 + Math.ceil(SILENCE_DB / 20 / Math.log10(fb)));
  },
  processor: delayProcessor,
  summary: (p) => join(ms(num(p, 'time')), `fb ${percent(num(p, 'feedback'))}`),
  learn: {
    why: 'Echoes make a part bigger and give it space without the wash of a reverb; timed to the song (a quarter note is 60000 / BPM ms), they add rhythm.',
    typical: 'Time 250-500 ms, feedback 0.2-0.4 (two or three repeats), mix 0.2-0.3 as an insert, 1 on an aux return.',
    pitfall: 'Feedback near its top repeats for a long time and builds up into a roar; echoes off the beat blur the rhythm.',
    params: {
      time: 'The gap between the sound and its first echo, and between one echo and the next, in ms.',
      feedback: 'How much of each echo is fed back in: 0 gives one echo, 0.5 makes each repeat half as loud as the one before.',
      mix: 'The balance: 0 is only the dry sound, 1 only the echoes.',
    },
    listen: { input: { stem: 'drums' }, params: { time: 375, feedback: 0.45, mix: 0.4 }, hear: 'The demo drums with echoes every 375 ms, each 0.45 times the one before. Set Feedback to 0 for a single echo, then change Time.' },
  },
});
