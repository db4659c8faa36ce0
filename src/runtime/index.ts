// The runtime's public face, for its hosts: an AudioWorkletProcessor in the browser, a Worker for
// export, the CLI in Node (and worker_threads later). Nothing here touches Web Audio or the DOM.
export { METER_STRIDE, Runtime, type BypassMatching, type MonitoredPort, type RuntimeOptions } from './runtime.ts';
export { bounce, OfflineRender, type OfflineSetup } from './render.ts';
export { MemorySource, memorySource } from './source.ts';
export type { AudioBus, NodeProcessor, ProcessorContext, SourceAudio } from '../../nodes/define.ts';
