import { dbToGain, defineNode, num, rampParam, type Params } from '../define.ts';
import { gainNode, seededRandom } from '../shared.ts';

const WAVEFORMS = ['sine', 'square', 'sawtooth', 'triangle', 'white', 'pink'] as const;
const NOISE_SECONDS = 10;

/** Noise normalised to a peak of exactly 1, so `level` is its peak in dBFS. */
function noiseBuffer(ctx: BaseAudioContext, pink: boolean): AudioBuffer {
  const length = Math.round(NOISE_SECONDS * ctx.sampleRate);
  const buffer = ctx.createBuffer(1, length, ctx.sampleRate);
  const data = buffer.getChannelData(0);
  const random = seededRandom(pink ? 2 : 1);
  // Paul Kellet's refined pink filter (-3 dB/octave within 0.05 dB above 9.2 Hz at 44.1 kHz).
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  let peak = 0;
  for (let i = 0; i < length; i++) {
    const white = random() * 2 - 1;
    let v = white;
    if (pink) {
      b0 = 0.99886 * b0 + white * 0.0555179;
      b1 = 0.99332 * b1 + white * 0.0750759;
      b2 = 0.969 * b2 + white * 0.153852;
      b3 = 0.8665 * b3 + white * 0.3104856;
      b4 = 0.55 * b4 + white * 0.5329522;
      b5 = -0.7616 * b5 - white * 0.016898;
      v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
      b6 = white * 0.115926;
    }
    data[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i < length; i++) data[i] /= peak;
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
