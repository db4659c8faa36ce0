// The limiter processor: the true-peak lookahead limiter core (src/dsp/limiter.ts) in a worklet.
import { LIMITER_DEFAULTS, LIMITER_RANGES, LimiterCore } from '../dsp/limiter.ts';
import { LIMITER_PROCESSOR } from './names.ts';
import { Base, type ParamValues } from './base.ts';

class LimiterProcessor extends Base {
  static get parameterDescriptors() {
    const k = 'k-rate' as const;
    const param = (name: keyof typeof LIMITER_RANGES) => ({
      name,
      defaultValue: LIMITER_DEFAULTS[name],
      minValue: LIMITER_RANGES[name][0],
      maxValue: LIMITER_RANGES[name][1],
      automationRate: k,
    });
    return [param('ceiling'), param('release'), param('lookahead')];
  }
  private core = new LimiterCore(sampleRate, 2);
  private ceiling = NaN;
  private release = NaN;
  private lookahead = NaN;
  private frames = 0;

  process(inputs: Float32Array[][], outputs: Float32Array[][], p: ParamValues): boolean {
    const ceiling = p.ceiling[0];
    const release = p.release[0];
    const lookahead = p.lookahead[0];
    if (ceiling !== this.ceiling || release !== this.release || lookahead !== this.lookahead) {
      this.ceiling = ceiling;
      this.release = release;
      this.lookahead = lookahead;
      this.core.configure({ ceiling, release, lookahead });
    }
    const output = outputs[0];
    // Mono input feeds both channels; no input is silence, which still drains the delay line.
    this.core.process(inputs[0] ?? [], output, output[0].length);
    // Gain reduction for meters, about 30 times a second.
    this.frames += output[0].length;
    if (this.frames >= sampleRate / 30) {
      this.frames = 0;
      this.port.postMessage({ reduction: this.core.reduction });
    }
    return true;
  }
}

registerProcessor(LIMITER_PROCESSOR, LimiterProcessor as never);
