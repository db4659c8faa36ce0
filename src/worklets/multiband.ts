// The multiband compressor's processor: the LR4 split, three compressors and the band gains all
// run here, in one processor (node-web-audio-api pays a thread round trip per worklet).
import { MULTIBAND_DEFAULTS, MULTIBAND_RANGES, MultibandCore, type MultibandSettings } from '../dsp/multiband.ts';
import { MULTIBAND_PROCESSOR } from './names.ts';
import { Base, type ParamValues } from './base.ts';

const NAMES = Object.keys(MULTIBAND_DEFAULTS) as (keyof MultibandSettings)[];

class MultibandProcessor extends Base {
  static get parameterDescriptors() {
    return NAMES.map((name) => ({
      name,
      defaultValue: MULTIBAND_DEFAULTS[name],
      minValue: MULTIBAND_RANGES[name][0],
      maxValue: MULTIBAND_RANGES[name][1],
      automationRate: 'k-rate' as const,
    }));
  }
  private core = new MultibandCore(sampleRate, 2);
  private settings: MultibandSettings = { ...MULTIBAND_DEFAULTS };
  private first = true;
  private frames = 0;

  process(inputs: Float32Array[][], outputs: Float32Array[][], p: ParamValues): boolean {
    let changed = this.first;
    for (const name of NAMES) {
      const v = p[name][0];
      if (v !== this.settings[name]) {
        this.settings[name] = v;
        changed = true;
      }
    }
    if (changed) this.core.configure(this.settings);
    this.first = false;
    const output = outputs[0];
    // No input connected: run silence through, so the filters and detectors ring out as usual.
    this.core.process(inputs[0] ?? [], output, output[0].length);
    // Per-band gain reduction for meters, about 30 times a second.
    this.frames += output[0].length;
    if (this.frames >= sampleRate / 30) {
      this.frames = 0;
      const [low, mid, high] = this.core.reductions;
      this.port.postMessage({ reductions: [low, mid, high] });
    }
    return true;
  }
}

registerProcessor(MULTIBAND_PROCESSOR, MultibandProcessor as never);
