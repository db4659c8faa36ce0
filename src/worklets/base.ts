// What every processor file needs from the AudioWorkletGlobalScope: the base class (read off
// globalThis, since this module is also type-checked and imported outside a worklet) and the
// shape of process()'s parameter values.
export const Base = (globalThis as unknown as { AudioWorkletProcessor: typeof AudioWorkletProcessorBase }).AudioWorkletProcessor;
export type ParamValues = Record<string, Float32Array>;
