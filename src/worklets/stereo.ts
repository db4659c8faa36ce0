// The stereo processor: width, bass mono and the correlation meter of the output.
import { StereoCore } from '../dsp/stereo.ts';
import { STEREO_PROCESSOR } from './names.ts';
import { Base, type ParamValues } from './base.ts';

class StereoProcessor extends Base {
  static get parameterDescriptors() {
    const k = 'k-rate' as const;
    return [
      { name: 'width', defaultValue: 1, minValue: 0, maxValue: 2, automationRate: k },
      { name: 'monoBelow', defaultValue: 0, minValue: 0, maxValue: 500, automationRate: k },
    ];
  }
  private core = new StereoCore(sampleRate);
  private width = NaN;
  private monoBelow = NaN;
  private frames = 0;

  process(inputs: Float32Array[][], outputs: Float32Array[][], p: ParamValues): boolean {
    const width = p.width[0];
    const monoBelow = p.monoBelow[0];
    if (width !== this.width || monoBelow !== this.monoBelow) {
      this.width = width;
      this.monoBelow = monoBelow;
      this.core.configure({ width, monoBelow });
    }
    const output = outputs[0];
    const n = output[0].length;
    // A mono input (1 channel) is taken as L = R by the core; none is silence.
    this.core.process(inputs[0] ?? [], output, n);
    // The output's phase correlation, about 10 times a second.
    this.frames += n;
    if (this.frames >= sampleRate / 10) {
      this.frames = 0;
      this.port.postMessage({ correlation: this.core.correlation });
    }
    return true;
  }
}

registerProcessor(STEREO_PROCESSOR, StereoProcessor as never);
