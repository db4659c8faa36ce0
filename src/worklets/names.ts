// Processor names shared by the worklet bundle and the node factories that instantiate them.
export const COMPRESSOR_PROCESSOR = 'mixgraph-compressor';
export const GUARD_PROCESSOR = 'mixgraph-guard';
export const COMPRESSOR_PARAMS = ['threshold', 'ratio', 'knee', 'attack', 'release', 'makeup', 'sidechain'] as const;
