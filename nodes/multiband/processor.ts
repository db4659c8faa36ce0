import { BANDS, MULTIBAND_DEFAULTS, MultibandCore, type MultibandSettings } from '../../src/dsp/multiband.ts';
import { num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

const NAMES = Object.keys(MULTIBAND_DEFAULTS) as (keyof MultibandSettings)[];

/** The three-band core (src/dsp/multiband.ts): it glides crossovers and band gains itself. Stereo out. */
export function multibandProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  const core = new MultibandCore(ctx.sampleRate, 2);
  const settings = { ...MULTIBAND_DEFAULTS };
  const configure = (p: Params) => {
    for (const name of NAMES) settings[name] = num(p, name);
    core.configure(settings);
  };
  configure(params);
  const mono: Float32Array[] = [new Float32Array(0)];
  const stereo: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  const outs: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  return {
    process(inputs, outputs, n) {
      const input = inputs[0];
      const out = outputs[0];
      out.channels = 2;
      let ins: Float32Array[];
      if (input.channels > 1) {
        stereo[0] = input.data[0];
        stereo[1] = input.data[1];
        ins = stereo;
      } else {
        mono[0] = input.data[0];
        ins = mono;
      }
      outs[0] = out.data[0];
      outs[1] = out.data[1];
      core.process(ins, outs, n);
    },
    set: (_name, _value, p) => configure(p),
    read(name) {
      const band = BANDS.findIndex((b) => name === `${b}Reduction`);
      if (band >= 0) return core.reductions[band];
      if (name === 'reduction') return Math.max(core.reductions[0], core.reductions[1], core.reductions[2]);
      return undefined;
    },
  };
}
