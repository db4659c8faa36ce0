// The AudioWorklet bundle: thin wrappers around the DSP cores in src/dsp.
// Built to one JavaScript file (scripts/build-worklets.ts) that both the browser and
// node-web-audio-api load with audioWorklet.addModule().
import { CompressorCore } from '../dsp/compressor.ts';
import { GuardCore } from '../dsp/guard.ts';
import { COMPRESSOR_PROCESSOR, GUARD_PROCESSOR } from './names.ts';
import './host.ts';
import './limiter.ts';
import './loudness.ts';
import './multiband.ts';
import './stereo.ts';
import { Base, type ParamValues } from './base.ts';

class CompressorProcessor extends Base {
  static get parameterDescriptors() {
    const k = 'k-rate' as const;
    return [
      { name: 'threshold', defaultValue: -18, minValue: -60, maxValue: 0, automationRate: k },
      { name: 'ratio', defaultValue: 4, minValue: 1, maxValue: 20, automationRate: k },
      { name: 'knee', defaultValue: 6, minValue: 0, maxValue: 24, automationRate: k },
      { name: 'attack', defaultValue: 10, minValue: 0.1, maxValue: 200, automationRate: k },
      { name: 'release', defaultValue: 150, minValue: 5, maxValue: 2000, automationRate: k },
      { name: 'makeup', defaultValue: 0, minValue: 0, maxValue: 24, automationRate: k },
      // 1 while something is connected to the sidechain input (the engine sets it).
      { name: 'sidechain', defaultValue: 0, minValue: 0, maxValue: 1, automationRate: k },
    ];
  }
  private core = new CompressorCore(sampleRate);
  private last = '';
  private frames = 0;

  process(inputs: Float32Array[][], outputs: Float32Array[][], p: ParamValues): boolean {
    const settings = {
      threshold: p.threshold[0],
      ratio: p.ratio[0],
      knee: p.knee[0],
      attack: p.attack[0],
      release: p.release[0],
      makeup: p.makeup[0],
    };
    const key = `${settings.threshold}|${settings.ratio}|${settings.knee}|${settings.attack}|${settings.release}|${settings.makeup}`;
    if (key !== this.last) {
      this.core.configure(settings);
      this.last = key;
    }
    const input = inputs[0];
    const output = outputs[0];
    const n = output[0].length;
    if (input.length === 0) {
      for (const ch of output) ch.fill(0);
      return true;
    }
    const side = p.sidechain[0] >= 0.5 && inputs[1].length > 0 ? inputs[1] : input;
    this.core.process(input, side, output, n);
    // Gain reduction for meters, about 30 times a second.
    this.frames += n;
    if (this.frames >= sampleRate / 30) {
      this.frames = 0;
      this.port.postMessage({ reduction: this.core.reduction });
    }
    return true;
  }
}

class GuardProcessor extends Base {
  private core = new GuardCore();
  private reported = 0;
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    this.core.process(inputs[0], output, output[0].length);
    if (this.core.replaced !== this.reported) {
      this.reported = this.core.replaced;
      this.port.postMessage({ replaced: this.reported });
    }
    return true;
  }
}

registerProcessor(COMPRESSOR_PROCESSOR, CompressorProcessor as never);
registerProcessor(GUARD_PROCESSOR, GuardProcessor as never);
