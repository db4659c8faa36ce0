import { defineNode, num, rampParam, type Params } from '../define.ts';
import { gainNode, StereoDelay } from '../shared.ts';
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
  tail(p: Params) {
    const time = num(p, 'time') / 1000;
    const fb = num(p, 'feedback');
    if (fb <= 0) return time;
    // Echoes until they fall 60 dB below the first one.
    return time * (1 + Math.ceil(SILENCE_DB / 20 / Math.log10(fb)));
  },
  processor: delayProcessor,
  create(ctx, params, env) {
    const input = gainNode(ctx);
    const output = gainNode(ctx);
    const dry = gainNode(ctx, 1 - num(params, 'mix'));
    const wet = gainNode(ctx, num(params, 'mix'));
    // The first echo comes from a delay outside any loop, so it is exact to the sample
    // (to the float32 resolution of delayTime: 10 ms at 44.1 kHz leaks ~1e-5 into the sample before);
    // only the recirculating copies pass through the loop (Web Audio needs a DelayNode there).
    // Both are StereoDelays: a plain DelayNode in node-web-audio-api folds stereo to mono.
    const seconds = num(params, 'time') / 1000;
    const first = new StereoDelay(ctx, MAX_SECONDS, seconds);
    const echoes = gainNode(ctx);
    const feedback = gainNode(ctx, num(params, 'feedback'));
    const loop = new StereoDelay(ctx, MAX_SECONDS, seconds);
    // The dry path passes a zero delay, so that every path through this node holds a DelayNode
    // and a feedback loop through it may close (Web Audio silences a loop with a delay-free
    // path, here the dry one, even at mix 1). Outside a loop a zero delay is exact; inside one
    // Web Audio makes it one render quantum, the least a loop can take (0.1 s leaves room for that).
    const dryDelay = new StereoDelay(ctx, 0.1, 0);
    input.connect(dry).connect(dryDelay.input);
    dryDelay.output.connect(output);
    input.connect(first.input);
    first.output.connect(echoes).connect(wet).connect(output);
    echoes.connect(feedback).connect(loop.input);
    loop.output.connect(echoes);
    const all = [input, output, dry, wet, echoes, feedback];
    return {
      inputs: { in: { node: input } },
      outputs: { out: { node: output } },
      setParam(name, _value, p) {
        const s = env.smoothing;
        if (name === 'time') {
          first.setTime(num(p, 'time') / 1000, s);
          loop.setTime(num(p, 'time') / 1000, s);
        } else if (name === 'feedback') rampParam(feedback.gain, num(p, 'feedback'), ctx, s);
        else if (name === 'mix') {
          rampParam(dry.gain, 1 - num(p, 'mix'), ctx, s);
          rampParam(wet.gain, num(p, 'mix'), ctx, s);
        }
      },
      dispose() {
        all.forEach((n) => n.disconnect());
        first.dispose();
        loop.dispose();
        dryDelay.dispose();
      },
    };
  },
});
