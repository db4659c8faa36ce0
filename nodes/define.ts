// The vocabulary every node definition is written in. Plain data plus one factory,
// so the inspector, the validator and the docs can read any node without knowing it.
// No React and no audio library here: factories receive the DOM's Web Audio types,
// which both engines (standardized-audio-context, node-web-audio-api) satisfy.

export type Unit = 'dB' | 'dBFS' | 'Hz' | 'ms' | 's' | 'ratio' | 'LUFS' | 'dBTP' | 'pan' | 'mix' | 'Q' | '';

interface ParamCommon {
  label?: string;
  description?: string;
  /** Metadata only (a track's category or colour): never reaches the audio graph. */
  meta?: boolean;
}
export interface NumberParam extends ParamCommon {
  kind: 'number';
  unit: Unit;
  min: number;
  max: number;
  default: number;
  /** 'log' for Hz and ratios: knobs and sliders move in equal musical steps. */
  scale?: 'linear' | 'log';
}
export interface BoolParam extends ParamCommon {
  kind: 'bool';
  default: boolean;
}
export interface EnumParam extends ParamCommon {
  kind: 'enum';
  options: readonly string[];
  default: string;
}
export interface StringParam extends ParamCommon {
  kind: 'string';
  default: string;
  /** 'file': a path relative to the session file; 'color': a CSS hex colour. */
  format?: 'file' | 'color';
  maxLength?: number;
}
/** A list of structured items, each item validated by `item` (the EQ's bands). */
export interface ListParam extends ParamCommon {
  kind: 'list';
  item: Record<string, ParamSpec>;
  /** item fields that must be given (the others take the item's defaults). */
  required: readonly string[];
  maxItems: number;
  default: readonly Record<string, unknown>[];
}
export type ParamSpec = NumberParam | BoolParam | EnumParam | StringParam | ListParam;
export type ParamValue = number | boolean | string | readonly Record<string, unknown>[];
export type Params = Record<string, ParamValue>;

/**
 * 'sidechain': an input that steers a node without being heard through it. 'aux': an output that
 * carries a copy for an aux bus (a send's `send`): a node fed only by aux outputs is an aux return.
 */
export type PortRole = 'audio' | 'sidechain' | 'aux';
export interface PortSpec {
  id: string;
  label?: string;
  role?: PortRole;
  optional?: boolean;
}

export type MonitorSource = 'mix' | 'reference';

export type Category = 'source' | 'eq' | 'dynamics' | 'routing' | 'effects' | 'utility' | 'output';

/** What the engine gives a factory besides the context. */
export interface NodeEnv {
  /** Decoded audio for a `source` param, loaded by the engine before creation. */
  getBuffer(source: string): AudioBuffer | undefined;
  /** Seconds for parameter smoothing (setTargetAtTime time constant). */
  smoothing: number;
  /** An AudioWorkletNode of a processor from src/worklets (each engine has its own constructor). */
  createWorklet(name: string, options: AudioWorkletNodeOptions): AudioWorkletNode;
}

/** A built node: the Web Audio nodes behind each port, and how to change it. */
export interface NodeInstance {
  inputs: Record<string, { node: AudioNode; index?: number }>;
  outputs: Record<string, { node: AudioNode; index?: number }>;
  /** Apply one changed parameter, ramped where a jump would click. `params` is the full new set. */
  setParam(name: string, value: ParamValue, params: Params): void;
  /** Sources: begin playing `from` seconds into the material at context time `when`. */
  start?(when: number, from: number): void;
  stop?(when: number): void;
  /** A live reading for the editor, e.g. the compressor's 'reduction' in dB. */
  read?(name: string): number | undefined;
  /**
   * A/B comparison: which source the speakers play, the mix (default) or a reference, and the
   * reference's level-matching trim in dB. Only the master and reference nodes act on it.
   */
  monitor?(source: MonitorSource, referenceTrimDb: number): void;
  /** Told when an input port gains or loses its last connection (the compressor's sidechain). */
  portConnected?(port: string, connected: boolean): void;
  dispose(): void;
}

/** What a per-type migration may ask about the node's place in its graph (the file's, not yet checked). */
export interface MigrationContext {
  /** Every sound reaching the node's audio inputs comes from aux outputs (a send's `send`): it is an aux return. */
  auxReturn(): boolean;
}

/**
 * Turns a node's params of the version before into this version's: `migrations[2]` takes version-1
 * params. The params are the file's (omitted ones absent, not yet checked); return new params.
 */
export type ParamMigration = (params: Record<string, unknown>, ctx: MigrationContext) => Record<string, unknown>;

export interface NodeDefinition {
  type: string;
  /** The version of this type's params; a file records it per type (`"types": {"reverb": 2}`), 1 when absent. */
  version: number;
  /** One step per version after the first, keyed by the version it produces (2, 3, ...). */
  migrations?: Readonly<Record<number, ParamMigration>>;
  /**
   * A container (the group): its body is in the node's `group` field and the compiler flattens it, so
   * it never reaches the engine; its ports are the body's.
   */
  container?: boolean;
  category: Category;
  title: string;
  /** One or two sentences a student can read: what it does and how to hear it. */
  description: string;
  ports: { inputs: PortSpec[]; outputs: PortSpec[] };
  params: Record<string, ParamSpec>;
  /** Processors can be bypassed (output = input); sources and the master cannot. */
  bypassable: boolean;
  /** AudioWorklet processors this node needs loaded (names registered in src/worklets). */
  worklets?: readonly string[];
  /**
   * Seconds by which the output lags the input (a lookahead limiter). The render compensates it,
   * so an exported file lines up with its sources.
   */
  latency?(params: Params, sampleRate: number): number;
  /** Seconds of sound this node keeps producing after its input stops (echo, reverb). */
  tail?(params: Params): number;
  /** Seconds of material a source plays (tracks: the file plus its offset). */
  length?(params: Params, env: NodeEnv): number;
  create(ctx: BaseAudioContext, params: Params, env: NodeEnv): NodeInstance;
}

export function defineNode(def: NodeDefinition): NodeDefinition {
  return def;
}

export const dbToGain = (db: number): number => Math.pow(10, db / 20);
export const gainToDb = (g: number): number => 20 * Math.log10(g);

/** Smoothly move an AudioParam to `value` from now on (a jump would click). */
export function rampParam(param: AudioParam, value: number, ctx: BaseAudioContext, tau: number): void {
  // No cancelScheduledValues: a newer setTarget event takes over from the current value,
  // whereas cancelling an event in progress makes some engines jump back to its start.
  const now = ctx.currentTime;
  if (tau <= 0) {
    param.setValueAtTime(value, now);
    return;
  }
  param.setTargetAtTime(value, now, tau);
}

export function num(params: Params, name: string): number {
  return params[name] as number;
}
export function bool(params: Params, name: string): boolean {
  return params[name] as boolean;
}
