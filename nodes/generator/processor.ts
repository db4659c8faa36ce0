import { noiseTable } from '../../src/dsp/noise.ts';
import { Oscillator, type Waveform } from '../../src/dsp/oscillator.ts';
import { applyGain, Ramp } from '../../src/dsp/ramp.ts';
import { dbToGain, num, type NodeProcessor, type Params, type ProcessorContext } from '../define.ts';

/**
 * Test signals (src/dsp/oscillator.ts, src/dsp/noise.ts), mono, at `level` peak; silent until
 * started. Frequency and level glide; a new waveform starts again from phase 0, as a new Web Audio
 * oscillator did.
 */
export function generatorProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  let waveform = params.waveform as string;
  const level = new Ramp(dbToGain(num(params, 'level')), ctx.glide);
  const osc = new Oscillator(ctx.sampleRate, num(params, 'frequency'), ctx.glide);
  let noise: Float32Array | null = null;
  let noiseAt = 0;
  let running = false;
  const pickNoise = () => {
    noise = waveform === 'white' || waveform === 'pink' ? noiseTable(ctx.sampleRate, waveform === 'pink') : null;
    noiseAt = 0;
  };
  pickNoise();
  return {
    process(_inputs, outputs, n) {
      const out = outputs[0];
      out.channels = 1;
      const data = out.data[0];
      if (!running) {
        data.fill(0, 0, n);
        return;
      }
      if (noise) {
        const table = noise;
        let at = noiseAt;
        for (let i = 0; i < n; i++) {
          data[i] = table[at];
          if (++at === table.length) at = 0;
        }
        noiseAt = at;
      } else osc.render(waveform as Waveform, data, n);
      applyGain(data, data, n, level);
    },
    set(name, _value, p) {
      if (name === 'level') level.set(dbToGain(num(p, 'level')));
      else if (name === 'frequency') osc.setFrequency(num(p, 'frequency'));
      else if (name === 'waveform') {
        waveform = p.waveform as string;
        pickNoise();
        osc.reset();
      }
    },
    start() {
      running = true;
      osc.reset();
      noiseAt = 0;
    },
    stop() {
      running = false;
    },
  };
}
