// Processor names shared by the worklet bundle and the node factories that instantiate them.
export const COMPRESSOR_PROCESSOR = 'mixgraph-compressor';
export const GUARD_PROCESSOR = 'mixgraph-guard';
export const COMPRESSOR_PARAMS = ['threshold', 'ratio', 'knee', 'attack', 'release', 'makeup', 'sidechain'] as const;
// Mastering processors (each lives in its own file under src/worklets and is imported by index.ts).
export const LIMITER_PROCESSOR = 'mixgraph-limiter';
export const LOUDNESS_PROCESSOR = 'mixgraph-loudness';
export const MULTIBAND_PROCESSOR = 'mixgraph-multiband';
export const STEREO_PROCESSOR = 'mixgraph-stereo';
/** The generic host of a runtime processor (node types without a Web Audio factory; nodes/hosted.ts). */
export const HOST_PROCESSOR = 'mixgraph-host';
