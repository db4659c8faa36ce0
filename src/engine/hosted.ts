// A node type without a Web Audio factory, in the Web Audio engine: its runtime processor runs in
// the generic host worklet (src/worklets/host.ts), one AudioWorkletNode with the definition's
// ports as its inputs and outputs (each output stereo, as every Mixgraph worklet's). This is the
// bridge until the editor plays through the runtime itself; nothing about a type is written twice.
import type { NodeDefinition, NodeEnv, NodeInstance, Params } from '../../nodes/define.ts';
import type { HostMessage, HostOptions } from '../worklets/host.ts';
import { HOST_PROCESSOR } from '../worklets/names.ts';

export function hostedInstance(def: NodeDefinition, params: Params, env: NodeEnv): NodeInstance {
  const { inputs, outputs } = def.ports;
  const options: HostOptions = { type: def.type, params, smoothing: env.smoothing, inputs: inputs.length, outputs: outputs.length, readings: def.readings ?? [] };
  const node = env.createWorklet(HOST_PROCESSOR, {
    numberOfInputs: inputs.length,
    numberOfOutputs: outputs.length,
    outputChannelCount: outputs.map(() => 2),
    processorOptions: options,
  });
  const post = (m: HostMessage) => node.port.postMessage(m);
  // Readings are listened to from the first read() only: in Node a port with a listener keeps the process alive.
  let latest: Record<string, number | undefined> = {};
  let listening = false;
  return {
    inputs: Object.fromEntries(inputs.map((p, i) => [p.id, { node, index: i }])),
    outputs: Object.fromEntries(outputs.map((p, i) => [p.id, { node, index: i }])),
    setParam: (name, value, p) => post({ type: 'set', name, value, params: p }),
    portConnected: (port, connected) => post({ type: 'port', port, connected }),
    read(name) {
      if (!listening) {
        listening = true;
        node.port.onmessage = (e: MessageEvent<{ readings?: Record<string, number | undefined> }>) => {
          if (e.data.readings) latest = e.data.readings;
        };
      }
      return latest[name];
    },
    dispose() {
      node.disconnect();
      node.port.close();
    },
  };
}
