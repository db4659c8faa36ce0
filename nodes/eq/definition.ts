import { cookbook, type BiquadType } from '../../src/dsp/biquad.ts';
import { defineNode, rampParam, type Params } from '../define.ts';
import { Crossfader } from '../shared.ts';
import { eqProcessor } from './processor.ts';

export const BAND_TYPES = ['highpass', 'lowpass', 'lowshelf', 'highshelf', 'peaking', 'notch'] as const;

export interface Band {
  type: BiquadType;
  frequency: number;
  gain: number;
  q: number;
  enabled: boolean;
}

/** Web Audio's biquad matches the Cookbook for these types once its Q is given in its own terms. */
const NATIVE: ReadonlySet<string> = new Set(['highpass', 'lowpass', 'peaking', 'notch']);

/**
 * Web Audio's Q for a Cookbook (linear) q: lowpass and highpass take their resonance in dB
 * (alpha = sin(w0) / (2·10^(Q/20))); peaking and notch take q itself.
 */
export function webAudioQ(type: string, q: number): number {
  return type === 'lowpass' || type === 'highpass' ? 20 * Math.log10(q) : q;
}

const bandsOf = (p: Params) => (p.bands as unknown as Band[]).filter((b) => b.enabled !== false);

/** The bands can be updated in place only if the chain has the same shape and no shelves changed. */
function sameShape(a: Band[], b: Band[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((band, i) => {
    const other = b[i];
    if (band.type !== other.type) return false;
    if (NATIVE.has(band.type)) return true;
    return band.frequency === other.frequency && band.gain === other.gain && band.q === other.q;
  });
}

export const eq = defineNode({
  type: 'eq',
  version: 1,
  category: 'eq',
  title: 'EQ',
  description:
    'Shapes the tone with up to 8 bands: cut rumble with a high-pass, tame harshness with a peaking cut, ' +
    'add air with a high shelf. Each band follows the Audio EQ Cookbook; q is the bandwidth (0.707 is Butterworth, higher is narrower).',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    bands: {
      kind: 'list',
      label: 'Bands',
      maxItems: 8,
      required: ['type', 'frequency'],
      item: {
        type: { kind: 'enum', options: BAND_TYPES, default: 'peaking', label: 'Type' },
        frequency: { kind: 'number', unit: 'Hz', min: 20, max: 20000, default: 1000, scale: 'log', label: 'Frequency' },
        gain: { kind: 'number', unit: 'dB', min: -24, max: 24, default: 0, label: 'Gain' },
        q: { kind: 'number', unit: 'Q', min: 0.1, max: 18, default: 0.707, scale: 'log', label: 'Q' },
        enabled: { kind: 'bool', default: true, label: 'On' },
      },
      default: [],
    },
  },
  bypassable: true,
  processor: eqProcessor,
  create(ctx, params, env) {
    const fader = new Crossfader(ctx, env);
    let bands = bandsOf(params);
    let natives: (BiquadFilterNode | null)[] = [];

    // Shelves: Web Audio's shelf has no Q (its slope is fixed at S = 1), so the Cookbook
    // coefficients go to an IIRFilterNode; changing them means a new node, crossfaded in.
    const build = () => {
      natives = [];
      const chain: AudioNode[] = [];
      for (const band of bands) {
        if (NATIVE.has(band.type)) {
          const f = ctx.createBiquadFilter();
          f.type = band.type;
          f.frequency.value = band.frequency;
          f.Q.value = webAudioQ(band.type, band.q);
          f.gain.value = band.gain;
          natives.push(f);
          chain.push(f);
        } else {
          const c = cookbook(band.type, band.frequency, band.q, band.gain, ctx.sampleRate);
          chain.push(ctx.createIIRFilter(c.b, c.a));
          natives.push(null);
        }
      }
      if (chain.length === 0) chain.push(ctx.createGain()); // a flat EQ still passes sound
      for (let i = 1; i < chain.length; i++) chain[i - 1].connect(chain[i]);
      fader.swap(chain[0], chain[chain.length - 1], chain);
    };
    build();

    return {
      inputs: { in: { node: fader.input } },
      outputs: { out: { node: fader.output } },
      setParam(_name, _value, p) {
        const next = bandsOf(p);
        if (!sameShape(bands, next)) {
          bands = next;
          build();
          return;
        }
        bands = next;
        bands.forEach((band, i) => {
          const f = natives[i];
          if (!f) return;
          rampParam(f.frequency, band.frequency, ctx, env.smoothing);
          rampParam(f.Q, webAudioQ(band.type, band.q), ctx, env.smoothing);
          rampParam(f.gain, band.gain, ctx, env.smoothing);
        });
      },
      dispose: () => fader.dispose(),
    };
  },
});
