import { dbToGain, defineNode, num, rampParam, type Params } from '../define.ts';
import { makeNoise, NOISE_SECONDS } from '../../src/dsp/noise.ts';
import { gainNode } from '../shared.ts';
import { generatorProcessor } from './processor.ts';

const WAVEFORMS = ['sine', 'square', 'sawtooth', 'triangle', 'white', 'pink'] as const;

/** Noise normalised to a peak of exactly 1, so `level` is its peak in dBFS (src/dsp/noise.ts). */
function noiseBuffer(ctx: BaseAudioContext, pink: boolean): AudioBuffer {
  const data = makeNoise(Math.round(NOISE_SECONDS * ctx.sampleRate), pink);
  const buffer = ctx.createBuffer(1, data.length, ctx.sampleRate);
  buffer.getChannelData(0).set(data);
  return buffer;
}

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
  create(ctx, params, env) {
    const out = gainNode(ctx, dbToGain(num(params, 'level')));
    let current: Params = params;
    let source: OscillatorNode | AudioBufferSourceNode | null = null;
    let running: { when: number; from: number } | null = null;

    const stopSource = () => {
      if (!source) return;
      source.stop();
      source.disconnect();
      source = null;
    };
    const startSource = (when: number) => {
      stopSource();
      const waveform = current.waveform as string;
      if (waveform === 'white' || waveform === 'pink') {
        const noise = ctx.createBufferSource();
        noise.buffer = noiseBuffer(ctx, waveform === 'pink');
        noise.loop = true;
        source = noise;
      } else {
        const osc = ctx.createOscillator();
        osc.type = waveform as OscillatorType;
        osc.frequency.value = num(current, 'frequency');
        source = osc;
      }
      source.connect(out);
      source.start(when);
    };
    return {
      inputs: {},
      outputs: { out: { node: out } },
      setParam(name, _value, p) {
        current = p;
        if (name === 'level') rampParam(out.gain, dbToGain(num(p, 'level')), ctx, env.smoothing);
        else if (name === 'frequency' && source && 'frequency' in source) rampParam(source.frequency, num(p, 'frequency'), ctx, env.smoothing);
        else if (name === 'waveform' && running) startSource(ctx.currentTime);
      },
      start(when, from) {
        running = { when, from };
        startSource(when);
      },
      stop() {
        running = null;
        stopSource();
      },
      dispose() {
        stopSource();
        out.disconnect();
      },
    };
  },
});
