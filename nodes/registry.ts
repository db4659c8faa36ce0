// Every node type Mixgraph knows. A new type is one folder plus one line here.
import type { NodeDefinition } from './define.ts';
import { bus } from './bus/definition.ts';
import { compressor } from './compressor/definition.ts';
import { deesser } from './deesser/definition.ts';
import { delay } from './delay/definition.ts';
import { eq } from './eq/definition.ts';
import { gain } from './gain/definition.ts';
import { gate } from './gate/definition.ts';
import { group } from './group/definition.ts';
import { generator } from './generator/definition.ts';
import { limiter } from './limiter/definition.ts';
import { loudness } from './loudness/definition.ts';
import { master } from './master/definition.ts';
import { multiband } from './multiband/definition.ts';
import { pan } from './pan/definition.ts';
import { reference } from './reference/definition.ts';
import { reverb } from './reverb/definition.ts';
import { saturator } from './saturator/definition.ts';
import { send } from './send/definition.ts';
import { stereo } from './stereo/definition.ts';
import { track } from './track/definition.ts';

/** The node types with a processor (the palette, the contract test). The group is looked up, not listed. */
export const definitions: readonly NodeDefinition[] = [
  track,
  generator,
  reference,
  gain,
  pan,
  eq,
  compressor,
  gate,
  deesser,
  bus,
  send,
  delay,
  reverb,
  saturator,
  multiband,
  stereo,
  limiter,
  loudness,
  master,
];

const byType = new Map([...definitions, group].map((d) => [d.type, d]));

export function getDefinition(type: string): NodeDefinition | undefined {
  return byType.get(type);
}

/** Node types that can close a feedback loop (their definition says `loopSafe`: the delay). */
export const LOOP_SAFE_TYPES: ReadonlySet<string> = new Set(definitions.filter((d) => d.loopSafe).map((d) => d.type));

/** The session's programme output (the master): its definition sends the mix to the speakers. */
export function isProgramOutput(type: string): boolean {
  return byType.get(type)?.speakers === 'mix';
}

/** An output that is a side path (a send's aux output), apart from the node's main output. */
export function isAuxOutput(type: string, port: string): boolean {
  return byType.get(type)?.ports.outputs.find((p) => p.id === port)?.role === 'aux';
}

/** An input that steers its node (a compressor's sidechain) rather than being heard through it. */
export function isSidechain(type: string, port: string): boolean {
  return byType.get(type)?.ports.inputs.find((p) => p.id === port)?.role === 'sidechain';
}
