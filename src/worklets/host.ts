// The generic worklet for node types that only have a runtime processor (nodes/hosted.ts): it
// runs that processor on Web Audio's 128-frame blocks, so the editor's Web Audio engine plays the
// same samples as the runtime. Inputs and outputs follow the definition's ports; a port with no
// connection reads silence, a mono one stays mono for the processor. The main thread posts
// parameter changes and sidechain connections; readings come back about 30 times a second.
import type { AudioBus, NodeProcessor, Params, ParamValue } from '../../nodes/define.ts';
import { HOSTED_PROCESSORS } from '../../nodes/hosted.ts';
import { decayPerSample } from '../dsp/ramp.ts';
import { Base } from './base.ts';
import { HOST_PROCESSOR } from './names.ts';

export interface HostOptions {
  type: string;
  params: Params;
  smoothing: number;
  inputs: number;
  outputs: number;
  readings: readonly string[];
}

export type HostMessage =
  | { type: 'set'; name: string; value: ParamValue; params: Params }
  | { type: 'port'; port: string; connected: boolean };

const FRAMES = 128;

class Bus implements AudioBus {
  channels = 1;
  readonly data: [Float32Array, Float32Array] = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
}

class HostProcessor extends Base {
  private readonly processor: NodeProcessor;
  private readonly ins: Bus[];
  private readonly outs: Bus[];
  private readonly readings: readonly string[];
  private frames = 0;

  constructor(options?: AudioWorkletNodeOptions) {
    super(options);
    const o = options?.processorOptions as HostOptions;
    const make = HOSTED_PROCESSORS[o.type];
    if (!make) throw new Error(`${HOST_PROCESSOR}: no processor for node type "${o.type}"`);
    this.processor = make({ sampleRate, maxFrames: FRAMES, smoothing: o.smoothing, glide: decayPerSample(o.smoothing, sampleRate), source: () => undefined }, o.params);
    this.ins = Array.from({ length: o.inputs }, () => new Bus());
    this.outs = Array.from({ length: o.outputs }, () => new Bus());
    this.readings = o.readings;
    this.port.onmessage = (e: MessageEvent<HostMessage>) => {
      const m = e.data;
      if (m.type === 'set') this.processor.set(m.name, m.value, m.params);
      else if (m.type === 'port') this.processor.portConnected?.(m.port, m.connected);
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const n = outputs[0]?.[0]?.length ?? FRAMES;
    for (let p = 0; p < this.ins.length; p++) {
      const bus = this.ins[p];
      const chans = inputs[p] ?? [];
      if (chans.length === 0) {
        bus.channels = 1;
        bus.data[0].fill(0, 0, n);
        continue;
      }
      bus.channels = chans.length > 1 ? 2 : 1;
      bus.data[0].set(chans[0]);
      if (chans.length > 1) bus.data[1].set(chans[1]);
    }
    this.processor.process(this.ins, this.outs, n);
    for (let o = 0; o < this.outs.length; o++) {
      const bus = this.outs[o];
      const out = outputs[o];
      if (!out) continue;
      for (let c = 0; c < out.length; c++) out[c].set(c > 0 && bus.channels > 1 ? bus.data[1] : bus.data[0]);
    }
    this.frames += n;
    if (this.readings.length && this.frames >= sampleRate / 30) {
      this.frames = 0;
      const values: Record<string, number | undefined> = {};
      for (const name of this.readings) values[name] = this.processor.read?.(name);
      this.port.postMessage({ readings: values });
    }
    return true;
  }
}

registerProcessor(HOST_PROCESSOR, HostProcessor as never);
