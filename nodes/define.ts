// The vocabulary every node definition is written in. Plain data plus its DSP, so the
// inspector, the validator and the docs can read any node without knowing it.
// No React and no audio library here. Each definition makes its sound one way:
//   processor(ctx, params): a plain-TypeScript processor over Float32Array blocks, run by the
//     runtime (src/runtime) in Node (the CLI), in the editor's AudioWorklet and in its export
//     Worker alike.

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

/** What a source's length is worked out from (src/compiler/duration.ts): its decoded audio's duration. */
export interface NodeEnv {
  /** The decoded audio for a `source` param (its length in seconds), if loaded. */
  getBuffer(source: string): { readonly duration: number } | undefined;
}

// ---------------------------------------------------------------- the runtime's processors

/**
 * Decoded audio that a track or a reference plays, read block by block: memory now
 * (src/runtime/source.ts), a file on disk streamed in a later phase.
 */
export interface SourceAudio {
  readonly sampleRate: number;
  readonly channels: number;
  /** Length in frames. */
  readonly frames: number;
  /** Copy frames [start, start + count) of each channel c < channels into out[c][0, count). */
  read(start: number, count: number, out: readonly Float32Array[]): void;
}

/**
 * One port's audio for one block. `data` always holds two arrays of the runtime's block size;
 * `channels` (1 or 2) says how many carry the signal (a mono signal leaves data[1] undefined in
 * content). Processors set their outputs' `channels` and fill [0, frames) of those channels.
 */
export interface AudioBus {
  channels: number;
  readonly data: readonly [Float32Array, Float32Array];
}

/** What the runtime gives a processor. */
export interface ProcessorContext {
  readonly sampleRate: number;
  /** Most frames one process() call asks for (scratch buffers are this long). */
  readonly maxFrames: number;
  /** Time constant of every parameter ramp (s): 0.005 offline, 0.01 live. */
  readonly smoothing: number;
  /** That ramp's factor per sample, exp(-1 / (smoothing · sampleRate)); 0 without smoothing. */
  readonly glide: number;
  /** Decoded audio for a `source` param, or undefined if there is none. */
  source(name: string): SourceAudio | undefined;
}

/**
 * A loop breaker (the delay): inside a feedback loop the runtime asks for its output before the
 * input of the same frames is known. `lookahead()` frames can be pulled at once.
 */
export interface LoopBreaker {
  /** The node is (or is no longer) in a feedback loop. */
  setLooped(looped: boolean): void;
  /** Frames of output it can give ahead of its input (at least 1). */
  lookahead(): number;
  /** Output of the next `frames` frames (at most lookahead()) from the past alone. */
  pull(outputs: readonly AudioBus[], frames: number): void;
  /** The input of the frames just pulled. */
  push(inputs: readonly AudioBus[], frames: number): void;
}

/**
 * A node's DSP in the runtime. process() gets the input ports (in the definition's order, each the
 * sum of its connections, read-only) and the output ports (then one more, the speakers, for
 * definitions with `speakers`). Processors keep no allocation in process() and must give the same
 * samples however the frames are split into calls (the runtime splits blocks inside loops).
 */
export interface NodeProcessor {
  process(inputs: readonly AudioBus[], outputs: readonly AudioBus[], frames: number): void;
  /** Apply one changed parameter, ramped where a jump would click. `params` is the full new set. */
  set(name: string, value: ParamValue, params: Params): void;
  /** Sources: play from `from` seconds into the material, starting with the next frame. */
  start?(from: number): void;
  stop?(): void;
  /** A live reading for the editor (its definition's `readings`). */
  read?(name: string): number | undefined;
  /**
   * A/B comparison (master and reference): which source the speakers play, the mix (default) or a
   * reference, and the reference's level-matching trim in dB.
   */
  monitor?(source: MonitorSource, referenceTrimDb: number): void;
  /** An input port gained or lost its last connection (the compressor's sidechain). */
  portConnected?(port: string, connected: boolean): void;
  /** Its own click-free bypass (the delay, whose dry path is part of its loop); else the runtime crossfades. */
  bypass?(on: boolean, immediate: boolean): void;
  /** Present on nodes that may close a feedback loop. */
  loop?: LoopBreaker;
  dispose?(): void;
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

/**
 * A channel strip in the editor's Mixer view: which of the node's params are the strip's controls.
 * The view reads only this (no type names), so a new type gets a strip by declaring one.
 */
export interface StripSpec {
  /** Where the strip stands: tracks first (grouped by category), then buses, then the master. */
  kind: 'track' | 'bus' | 'master';
  /** A number param in dB: the fader. */
  fader: string;
  pan?: string;
  mute?: string;
  solo?: string;
  /** A bool param flipping the polarity. */
  invert?: string;
  /** An enum param holding the mixing category (drums, bass, ...): the strip's colour and group. */
  category?: string;
}

/**
 * How a node changes the level of what passes through it, worked out from its params alone (the gain
 * ladder, src/mixing/ladder.ts). The figure is the change of the louder channel's peak, in dB.
 */
export interface LevelChange {
  /** The change in dB (-Infinity: silenced); null when only the signal can say (a saturator). */
  db: number | null;
  /**
   * 'exact': the params fix it for any signal (a fader, a pan law); 'static': the figure the params
   * imply, which the signal can move (a compressor's make-up, before its gain reduction; an EQ at
   * 1 kHz); 'signal': it depends on the signal.
   */
  kind: 'exact' | 'static' | 'signal';
  /** What the figure is, in words a student reads ("fader -6.0 dB", "make-up only: its reduction depends on the signal"). */
  note: string;
  /** Channels after it, when it changes them (a pan makes a mono signal stereo). */
  channels?: 1 | 2;
}

/** Where a level change is asked: the output port it leaves by and how many channels come in. */
export interface LevelAt {
  port: string;
  channels: 1 | 2;
}

/** What a source's own level is worked out from: its decoded file's peak, when known. */
export interface SourceLevelEnv {
  file(source: string): { peakDb: number; channels: number } | undefined;
}

/** A source's own level before its fader: the file's or the test signal's peak (null: not known yet). */
export interface SourceLevel {
  peakDb: number | null;
  channels: 1 | 2;
  note: string;
}

/** The demo's stems (presets/demo/stems/<name>.wav): recorded material a Listen example can play. */
export const DEMO_STEMS = ['drums', 'bass', 'keys', 'vox'] as const;
export type DemoStem = (typeof DEMO_STEMS)[number];

/**
 * How the Learn panel's "Listen" example lets a student hear a node type (src/model/listen.ts builds
 * it): something plays into the node, the node goes to the master, all in one undoable edit.
 */
export interface ListenRecipe {
  /**
   * What plays into the node's `in`: a test signal (the generator's params) or a demo stem (a track
   * playing it). Absent for a source, which is the sound itself.
   */
  input?: { generator: Params } | { stem: DemoStem };
  /**
   * A node between the input and this one, when the input alone would not show the effect (a mono
   * stem has no width: the stereo tool hears it through a reverb).
   */
  through?: { type: string; params?: Params };
  /** A source that plays a file (track, reference): the demo stem it plays. */
  plays?: DemoStem;
  /** Params of a new example node (over its defaults), set so the effect is plain to hear. */
  params?: Params;
  /** An aux output heard through a return to the master (a send's `send` through a reverb). */
  aux?: { port: string; type: string; params?: Params };
  /** A session has one of these (the master): the example wires into that one rather than adding another. */
  single?: boolean;
  /** What to listen for, and what to change while listening. */
  hear: string;
}

/** Teaching text for the Learn panel: what the description says, then why and how. */
export interface LearnSpec {
  /** Why one would use it, in a sentence or two a student understands. */
  why: string;
  /** Settings to start from. */
  typical: string;
  /** A common mistake, and how to avoid it. */
  pitfall: string;
  /** What a param does, for params whose own `description` is missing or too short to teach with. */
  params?: Readonly<Record<string, string>>;
  listen: ListenRecipe;
}

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
  /**
   * It may close a feedback loop: its output comes from its past input (the delay), so a loop
   * through it is computable one block at a time. Validation refuses loops through no such node.
   */
  loopSafe?: boolean;
  /**
   * Seconds by which the output lags the input (a lookahead limiter). The render compensates it,
   * so an exported file lines up with its sources.
   */
  latency?(params: Params, sampleRate: number): number;
  /** Seconds of sound this node keeps producing after its input stops (echo, reverb). */
  tail?(params: Params): number;
  /** Seconds of material a source plays (tracks: the file plus its offset). */
  length?(params: Params, env: NodeEnv): number;
  /** The node's DSP for the runtime (nodes/<type>/processor.ts). */
  processor(ctx: ProcessorContext, params: Params): NodeProcessor;
  /**
   * Its sound goes to the speakers: 'mix' for the programme itself (the master: what renders get
   * and the loudness meter reads), 'monitor' for what only the A/B switch plays (a reference). The
   * processor gets one output bus more than its ports, and the runtime adds it into its output.
   */
  speakers?: 'mix' | 'monitor';
  /** Names its processor's read() answers (the editor's live figures). */
  readings?: readonly string[];
  /** It has a channel strip in the Mixer view, with these params as its controls. */
  strip?: StripSpec;
  /**
   * Its output never goes above the level this param names (a limiter's ceiling): gain staging
   * judges what comes after it by that ceiling, not by the headroom asked of what comes before.
   */
  outputCeiling?: string;
  /**
   * Its key values in one short line for its face on the canvas ("4:1 @ -18 dB"), so a projected
   * graph reads without the inspector. `params` are complete (defaults filled in).
   */
  summary?(params: Params): string;
  /**
   * Its level change from input to the output `at.port` (the gain ladder). Absent: it depends on
   * the signal. A source's is its own fader and pan, after its `sourceLevel`.
   */
  levelChange?(params: Params, at: LevelAt): LevelChange;
  /** A source's own level, before its levelChange (a track's file, a test signal's level). */
  sourceLevel?(params: Params, env: SourceLevelEnv): SourceLevel;
  /** The Learn panel's text and Listen example (every type in the palette has one; the group has none). */
  learn?: LearnSpec;
}

export function defineNode(def: NodeDefinition): NodeDefinition {
  return def;
}

export const dbToGain = (db: number): number => Math.pow(10, db / 20);
export const gainToDb = (g: number): number => 20 * Math.log10(g);


export function num(params: Params, name: string): number {
  return params[name] as number;
}
export function bool(params: Params, name: string): boolean {
  return params[name] as boolean;
}
