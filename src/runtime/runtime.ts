// Mixgraph's DSP runtime: runs a compiled plan block by block in plain TypeScript (no Web Audio,
// no DOM), so the same code runs in Node, in an AudioWorkletGlobalScope and in a Worker.
//
//   const rt = new Runtime({ sampleRate: 48000, sources: (name) => ... });
//   rt.update(plan);            // or rt.apply(diff(previous, next)) between blocks
//   rt.start(0);
//   rt.process([left, right]);  // one block (128 frames by default) of the master's output
//
// Each node type's definition gives a processor (nodes/<type>/processor.ts). The runtime applies
// the compiler's operations between blocks, sums every input port's connections (Web Audio's
// channel rules: a port has as many channels as its widest connection, mono is up-mixed L = R),
// crossfades bypass, runs feedback loops in sub-blocks no longer than their shortest delay, and
// meters every output port. Any block length gives the same samples as long as the operations
// are applied at the same frames (every processor is split-invariant; see nodes/define.ts).
import type { AudioBus, MonitorSource, NodeDefinition, NodeProcessor, ProcessorContext, SourceAudio } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { diff } from '../compiler/diff.ts';
import type { Operation, Plan, PlanNode } from '../compiler/plan.ts';
import { KWeightedEnergy, LoudnessMeter } from '../dsp/loudness.ts';
import { LoudnessMatch } from '../dsp/match.ts';
import { decayPerSample, Ramp } from '../dsp/ramp.ts';
import type { DocEdge } from '../model/document.ts';
import { schedule } from '../graph/walk.ts';

export interface RuntimeOptions {
  sampleRate: number;
  /** Most frames per process() call, and the buffers' size: 128 by default. */
  blockSize?: number;
  /** Time constant of every parameter ramp and bypass crossfade (s): 0.005 offline, 0.01 live. */
  smoothing?: number;
  /** Decoded audio for a track's or reference's `source` param. */
  sources?: (name: string) => SourceAudio | undefined;
  /** Meter every output port (peak and RMS) and the master's loudness; on by default. */
  meters?: boolean;
  /**
   * A host's own processor for some nodes (a parallel render's stand-ins for nodes that run on
   * another thread), or undefined for the definition's. The runtime never bypasses these.
   */
  processor?: (node: PlanNode, ctx: ProcessorContext) => NodeProcessor | undefined;
  /** Gain-matched bypass from the start: every processor, or these node ids (see Runtime.matchBypass). */
  matchBypass?: BypassMatching;
}

/**
 * Which processors a bypass plays at the processed loudness: none, every one, or the listed node ids.
 * A listening aid (A/B a change by its sound, not by being louder): exports never use it.
 */
export type BypassMatching = 'off' | 'all' | readonly string[];

/** One block of one port: two channels of `size` frames, `channels` of them in use. */
class Bus implements AudioBus {
  channels = 1;
  readonly data: [Float32Array, Float32Array];
  constructor(size: number) {
    this.data = [new Float32Array(size), new Float32Array(size)];
  }
}

/** Floats per metered port in `meters`: peak L, peak R, RMS L, RMS R (linear; a mono port repeats L). */
export const METER_STRIDE = 4;

interface Connection {
  from: Slot;
  output: number;
}

interface InputPort {
  id: string;
  connections: Connection[];
  /** Scratch for gather(): each connection's left and right channel and read offset. */
  lefts: Float32Array[];
  rights: Float32Array[];
  offsets: Int32Array;
  /** Own buffer: the sum of several connections, or a copy taken at an offset (inside loops). */
  sum: Bus;
}

interface Slot {
  id: string;
  index: number;
  def: NodeDefinition;
  node: PlanNode;
  processor: NodeProcessor;
  inputs: InputPort[];
  /** What process() gets for each input (a source's bus, the port's sum, or silence). */
  views: AudioBus[];
  outputIds: string[];
  outputs: Bus[];
  /** Inside a loop: the outputs of the current sub-block (the group's members read these). */
  sub: Bus[] | null;
  /** The runtime's bypass crossfade (1 active, 0 bypassed); null when the processor does its own or none. */
  bypass: Ramp | null;
  /** Gain-matched bypass: the loudness of the output against the input, and the dry path's gain gliding to it. */
  match: LoudnessMatch | null;
  dry: Ramp | null;
  mainInput: number;
  group: number;
  /** A loop breaker in its group. */
  breaker: boolean;
  /** Meter offsets into `meters`, per output. */
  meterAt: number[];
  /** Per output: peak L, peak R, sum of squares L, R over the current block. */
  acc: Float64Array;
  /** Per output, its K-weighted energy while watched (watchLoudness), else null; null when none is. */
  kw: (KWeightedEnergy | null)[] | null;
  speakers: boolean;
}

/** An output port the speakers play instead of the master (Runtime.monitorPorts): a node's path and port id. */
export interface MonitoredPort {
  id: string;
  port: string;
}

/**
 * What monitorPorts plays: the sum of some ports at unity, with its own fade. The ports are looked
 * up by id at every rebuild (a node recreated under the same path is heard again; one removed
 * drops out), into `buses`, which process() only reads.
 */
interface PortVoice {
  ports: readonly MonitoredPort[];
  buses: Bus[];
  gain: Ramp;
}

/** One watched port (watchLoudness): its K-weighted energy since the host last took it. */
export interface WatchedPort {
  id: string;
  /** The port as asked (undefined: the node's first output, or the master's speakers). */
  port?: string;
  energy: KWeightedEnergy;
}

interface Step {
  slots: Slot[];
  breakers: Slot[];
  loop: boolean;
}

export class Runtime {
  readonly sampleRate: number;
  readonly blockSize: number;
  readonly smoothing: number;
  private readonly ctx: ProcessorContext;
  private readonly metering: boolean;
  private readonly slots = new Map<string, Slot>();
  private steps: Step[] = [];
  private dirty = true;
  private plan: Plan | null = null;
  private readonly silent: Bus;
  private readonly glide: number;
  private frames = 0;
  private playing: { frame: number; from: number } | null = null;
  private listening: { source: MonitorSource; trimDb: number } = { source: 'mix', trimDb: 0 };
  private meterArray = new Float32Array(0);
  private freeMeters: number[] = [];
  private meterCount = 0;
  private layoutVersion = 0;
  private readonly loudness: LoudnessMeter | null;
  private readonly pair: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  private nextIndex = 0;
  private readonly hostProcessor: RuntimeOptions['processor'];
  private matching: 'off' | 'all' | Set<string> = 'off';
  private watchedPorts: WatchedPort[] = [];
  /** Port monitor: the voice asked for last (null: the mix), and every voice still sounding (it among them, fading in; the others fading out). */
  private soloVoice: PortVoice | null = null;
  private voices: PortVoice[] = [];
  private monitorsStale = false;
  /** The mix's share of the speakers: 1, or gliding to 0 while a port monitor plays. */
  private readonly mixShare: Ramp;
  /** Per-sample gains of one ramp over a block (scratch for listen()). */
  private readonly gains: Float32Array;
  private endedMonitors = 0;

  constructor(options: RuntimeOptions) {
    this.hostProcessor = options.processor;
    this.sampleRate = options.sampleRate;
    this.blockSize = Math.max(1, Math.floor(options.blockSize ?? 128));
    this.smoothing = options.smoothing ?? 0.005;
    this.glide = decayPerSample(this.smoothing, this.sampleRate);
    const sources = options.sources ?? (() => undefined);
    this.ctx = { sampleRate: this.sampleRate, maxFrames: this.blockSize, smoothing: this.smoothing, glide: this.glide, source: sources };
    this.metering = options.meters ?? true;
    this.silent = new Bus(this.blockSize);
    this.mixShare = new Ramp(1, this.glide);
    this.gains = new Float32Array(this.blockSize);
    this.loudness = this.metering ? new LoudnessMeter(this.sampleRate, 2, { truePeak: false }) : null;
    if (options.matchBypass) this.matchBypass(options.matchBypass);
  }

  // ------------------------------------------------------------------ operations

  get currentPlan(): Plan | null {
    return this.plan;
  }

  /** Bring the running graph to `next` with the fewest operations (diff), between blocks; returns them. */
  update(next: Plan): Operation[] {
    const ops = diff(this.plan, next);
    this.apply(ops);
    this.plan = next;
    return ops;
  }

  /** Apply operations now (between two blocks). */
  apply(ops: readonly Operation[]): void {
    for (const op of ops) {
      switch (op.op) {
        case 'create':
          this.create(op.node);
          break;
        case 'remove':
          this.remove(op.id);
          break;
        case 'connect':
          this.connect(op.edge, true);
          break;
        case 'disconnect':
          this.connect(op.edge, false);
          break;
        case 'set': {
          const slot = this.slot(op.id);
          slot.node = { ...slot.node, params: op.params };
          slot.processor.set(op.param, op.value, op.params);
          break;
        }
        case 'bypass':
          this.setBypass(this.slot(op.id), op.bypass, false);
          break;
      }
    }
  }

  /** Start every source `from` seconds into the session, with the next frame. */
  start(from = 0): void {
    this.playing = { frame: this.frames, from };
    for (const slot of this.slots.values()) slot.processor.start?.(from);
  }

  stop(): void {
    this.playing = null;
    for (const slot of this.slots.values()) slot.processor.stop?.();
  }

  /** Session time of the next frame (s), if playing. */
  get position(): number | null {
    return this.playing ? this.playing.from + (this.frames - this.playing.frame) / this.sampleRate : null;
  }

  /** Frames processed since construction. */
  get frame(): number {
    return this.frames;
  }

  /**
   * A/B: play the mix (the master) or the session's reference nodes, the latter `trimDb` louder
   * (the loudness match). Offline renders never call this, so a reference never reaches a file.
   */
  monitor(source: MonitorSource, trimDb = 0): void {
    this.listening = { source, trimDb };
    for (const slot of this.slots.values()) slot.processor.monitor?.(source, trimDb);
  }

  get monitoring(): MonitorSource {
    return this.listening.source;
  }

  /**
   * Cable solo: the speakers play these output ports, summed at unity (no master fader, guard or
   * limiter after them: the raw signal at that point; a mono port on both speakers), instead of
   * the master; null or an empty list plays the master again. Each change crossfades over the
   * runtime's smoothing time, so nothing clicks. The ports are looked up by node path at every
   * graph change: when none of them is left (the nodes removed) the monitor ends by itself, the
   * mix comes back, and `monitorEnded` counts up so a host can say so. Every node runs whether
   * or not anything after it is heard, so any port can be monitored. Offline renders never call
   * this: a file is always the master.
   */
  monitorPorts(ports: readonly MonitoredPort[] | null): void {
    for (const v of this.voices) v.gain.set(0);
    if (ports && ports.length > 0) {
      const voice: PortVoice = { ports: ports.map(({ id, port }) => ({ id, port })), buses: [], gain: new Ramp(0, this.glide) };
      voice.gain.set(1);
      this.voices.push(voice);
      this.soloVoice = voice;
      this.mixShare.set(0);
      // Its ports are looked up before the next block, after any operations posted with it: no rebuild
      // of the schedule for it.
      this.monitorsStale = true;
    } else {
      this.soloVoice = null;
      this.mixShare.set(1);
    }
  }

  /** The ports the speakers play now (monitorPorts), or null for the master. */
  get monitoredPorts(): readonly MonitoredPort[] | null {
    return this.soloVoice?.ports ?? null;
  }

  /** How many port monitors have ended by themselves (their ports gone) since construction. */
  get monitorEnded(): number {
    return this.endedMonitors;
  }

  /**
   * Gain-matched bypass for every processor ('all'), the listed node ids, or none ('off'). A
   * matched processor has its input and output measured all the time (K-weighted, short-term:
   * src/dsp/match.ts), bypassed or not, and while it is bypassed its input plays scaled by the
   * measured difference, gliding as the music moves: the bypass is heard at the processed
   * loudness. Processors that bypass themselves (the delay, whose dry path is in its loop) and
   * host stand-ins are not matched. Turning it off returns bypass to the input to the bit.
   */
  matchBypass(mode: BypassMatching): void {
    this.matching = mode === 'off' || mode === 'all' ? mode : new Set(mode);
    for (const slot of this.slots.values()) this.setMatching(slot);
  }

  /** The match of a node (dB: how much louder its output is than its input), if it is matched and measured. */
  bypassMatch(id: string): number | undefined {
    const m = this.slots.get(id)?.match;
    return m && m.measured ? m.db : undefined;
  }

  private setMatching(slot: Slot): void {
    const on = slot.bypass !== null && (this.matching === 'all' || (this.matching instanceof Set && this.matching.has(slot.id)));
    if (on && !slot.match) {
      slot.match = new LoudnessMatch(this.sampleRate);
      slot.dry = new Ramp(1, this.glide);
    } else if (!on && slot.match) {
      slot.match = null;
      slot.dry = null;
    }
  }

  /** A live reading of a node (a compressor's 'reduction', a loudness meter's 'integrated'). */
  reading(id: string, name: string): number | undefined {
    return this.slots.get(id)?.processor.read?.(name);
  }

  /**
   * A node's output port as the last block left it (the same object every block): what a host
   * reads when the node's sound goes elsewhere (a parallel render's chain exits).
   */
  outputBus(id: string, port: string): AudioBus {
    const slot = this.slot(id);
    const k = slot.outputIds.indexOf(port);
    if (k < 0) throw new Error(`node "${id}" has no output "${port}"`);
    return slot.outputs[k];
  }

  dispose(): void {
    for (const id of [...this.slots.keys()]) this.remove(id);
    this.plan = null;
  }

  // ------------------------------------------------------------------ meters

  /**
   * Peak and RMS of every output port over the last block, METER_STRIDE floats per port (see
   * meterIndex). The array is replaced when ports come and go (meterVersion changes): a host
   * that posts it re-reads the layout then.
   */
  get meters(): Float32Array {
    return this.meterArray;
  }

  get meterVersion(): number {
    return this.layoutVersion;
  }

  /** Offset of a port's meter in `meters` (first output, or the master's speakers, by default); -1 if none. */
  meterIndex(id: string, port?: string): number {
    const slot = this.slots.get(id);
    if (!slot || !this.metering) return -1;
    const k = port === undefined ? 0 : slot.outputIds.indexOf(port);
    return k >= 0 && k < slot.meterAt.length ? slot.meterAt[k] : -1;
  }

  /** Every metered port and its offset. */
  meterLayout(): { id: string; port: string; index: number }[] {
    const out: { id: string; port: string; index: number }[] = [];
    for (const slot of this.slots.values()) slot.outputIds.forEach((port, k) => out.push({ id: slot.id, port, index: slot.meterAt[k] }));
    return out;
  }

  /** Momentary loudness (LUFS, BS.1770 K-weighted, 400 ms) of the master's output; -Infinity for silence. */
  masterLoudness(): number {
    return this.loudness ? this.loudness.momentary() : -Infinity;
  }

  /**
   * K-weight these output ports (BS.1770's pre-filter and RLB high-pass) from the next block on,
   * replacing the list before: each one's energy sums per channel and frame count gather in
   * `watched` until the host takes them. A port watched before keeps its filter state; a node not
   * there yet is picked up when it is created; ports not in the list cost nothing.
   */
  watchLoudness(ports: readonly { id: string; port?: string }[]): void {
    const before = new Map(this.watchedPorts.map((w) => [`${w.id}\u0000${w.port ?? ''}`, w]));
    const next = new Map<string, WatchedPort>();
    for (const { id, port } of ports) {
      const key = `${id}\u0000${port ?? ''}`;
      if (!next.has(key)) next.set(key, before.get(key) ?? { id, port, energy: new KWeightedEnergy(this.sampleRate) });
    }
    this.watchedPorts = [...next.values()];
    for (const slot of this.slots.values()) this.attachWatches(slot);
  }

  /** The watched ports in the order given to watchLoudness, duplicates dropped (read `energy.sums`, `energy.frames`, then `energy.take()`). */
  get watched(): readonly WatchedPort[] {
    return this.watchedPorts;
  }

  private attachWatches(slot: Slot): void {
    let kw: (KWeightedEnergy | null)[] | null = null;
    for (const w of this.watchedPorts) {
      if (w.id !== slot.id) continue;
      const k = w.port === undefined ? 0 : slot.outputIds.indexOf(w.port);
      if (k < 0 || k >= slot.outputIds.length) continue;
      kw ??= slot.outputIds.map(() => null);
      kw[k] = w.energy;
    }
    slot.kw = kw;
  }

  // ------------------------------------------------------------------ processing

  /**
   * One block: `frames` (at most blockSize) frames of the master's stereo output into
   * out[0], out[1] from `at`. The master's guard has made every sample finite.
   */
  process(out: readonly Float32Array[], frames = this.blockSize, at = 0): void {
    if (!(frames >= 0 && frames <= this.blockSize)) throw new RangeError(`process() takes up to ${this.blockSize} frames (the block size), not ${frames}: use render() for more`);
    const n = frames;
    if (this.dirty) this.rebuild();
    else if (this.monitorsStale) this.findMonitored();
    const steps = this.steps;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s];
      if (step.loop) this.runLoop(step, n);
      else this.runSlot(step.slots[0], 0, n, false);
    }
    this.speakers(out, n, at);
    if (this.voices.length > 0 || this.mixShare.moving) this.listen(out, n, at);
    if (this.metering) this.finishMeters(n);
    this.frames += n;
  }

  /** Any number of frames into out[0], out[1] from `at`, in blocks of blockSize. */
  render(out: readonly Float32Array[], frames: number, at = 0): void {
    for (let done = 0; done < frames; ) {
      const n = Math.min(this.blockSize, frames - done);
      this.process(out, n, at + done);
      done += n;
    }
  }

  /** One node over [offset, offset + n) of the block (a whole block outside loops). */
  private runSlot(slot: Slot, offset: number, length: number, inLoop: boolean): void {
    const views = slot.views;
    for (let p = 0; p < slot.inputs.length; p++) views[p] = this.gather(slot.inputs[p], slot.group, offset, length, inLoop);
    const outs = inLoop ? slot.sub! : slot.outputs;
    slot.processor.process(views, outs, length);
    if (slot.match) this.measureMatch(slot, outs[0], length);
    if (slot.bypass) this.crossfade(slot, outs, length);
    if (this.metering) this.accumulate(slot, outs, length);
    if (inLoop) this.commit(slot, offset, length);
  }

  /**
   * A feedback loop: sub-blocks no longer than any breaker can run ahead of its input (its
   * shortest delay, down to one sample); breakers give their output from the past, the members
   * run in order, then the breakers take their input.
   */
  private runLoop(step: Step, n: number): void {
    const { breakers, slots } = step;
    for (let done = 0; done < n; ) {
      let length = n - done;
      for (let b = 0; b < breakers.length; b++) {
        const ahead = breakers[b].processor.loop!.lookahead();
        if (ahead < length) length = ahead;
      }
      if (length < 1) length = 1;
      for (let b = 0; b < breakers.length; b++) {
        const slot = breakers[b];
        slot.processor.loop!.pull(slot.sub!, length);
        if (this.metering) this.accumulate(slot, slot.sub!, length);
        this.commit(slot, done, length);
      }
      for (let k = 0; k < slots.length; k++) {
        const slot = slots[k];
        if (!slot.breaker) this.runSlot(slot, done, length, true);
      }
      for (let b = 0; b < breakers.length; b++) {
        const slot = breakers[b];
        const views = slot.views;
        for (let p = 0; p < slot.inputs.length; p++) views[p] = this.gather(slot.inputs[p], slot.group, done, length, true);
        slot.processor.loop!.push(views, length);
      }
      done += length;
    }
  }

  /**
   * What a processor reads at one input: nothing connected is silence; one connection its bus
   * itself (no copy) when it lines up; otherwise the sum (or copy) in the port's own buffer.
   */
  private gather(port: InputPort, group: number, offset: number, n: number, inLoop: boolean): AudioBus {
    const conns = port.connections;
    if (conns.length === 0) return this.silent;
    if (conns.length === 1) {
      const c = conns[0];
      if (inLoop && c.from.group === group) return c.from.sub![c.output];
      if (offset === 0) return c.from.outputs[c.output];
    }
    const sum = port.sum;
    let channels = 1;
    const ls = port.lefts;
    const rs = port.rights;
    const ats = port.offsets;
    for (let k = 0; k < conns.length; k++) {
      const c = conns[k];
      const own = inLoop && c.from.group === group;
      const bus = own ? c.from.sub![c.output] : c.from.outputs[c.output];
      if (bus.channels > channels) channels = bus.channels;
      ls[k] = bus.data[0];
      rs[k] = bus.channels > 1 ? bus.data[1] : bus.data[0];
      ats[k] = own ? 0 : offset;
    }
    sum.channels = channels;
    addInto(sum.data[0], ls, ats, conns.length, n);
    if (channels > 1) addInto(sum.data[1], rs, ats, conns.length, n);
    return sum;
  }

  /**
   * The runtime's bypass: out = w·processed + (1 - w)·input on the first output, w·processed on
   * the others, w gliding; once bypassed and settled the first output is the input exactly and
   * the others silent.
   */
  private crossfade(slot: Slot, outs: Bus[], n: number): void {
    const ramp = slot.bypass!;
    if (ramp.value === 1 && !ramp.moving) return;
    const input = slot.mainInput >= 0 ? slot.views[slot.mainInput] : this.silent;
    const main = outs[0];
    const dry = slot.dry;
    if (dry && (dry.value !== 1 || dry.moving)) {
      this.matchedCrossfade(slot, input, outs, n);
      return;
    }
    if (ramp.value === 0 && !ramp.moving) {
      main.channels = input.channels;
      copy(input.data[0], main.data[0], n);
      if (input.channels > 1) copy(input.data[1], main.data[1], n);
      for (let k = 1; k < outs.length; k++) {
        outs[k].channels = 1;
        outs[k].data[0].fill(0, 0, n);
      }
      return;
    }
    // Gliding: both paths, as wide as the wider; every channel and output follows the same glide
    const channels = Math.max(input.channels, main.channels);
    if (channels > main.channels) copy(main.data[0], main.data[1], n);
    main.channels = channels;
    const w0 = ramp.value;
    const t = ramp.target;
    const k = ramp.coef;
    const eps = ramp.epsilon;
    let w = w0;
    for (let c = 0; c < channels; c++) {
      const x = c > 0 && input.channels > 1 ? input.data[1] : input.data[0];
      const y = main.data[c];
      w = w0;
      for (let i = 0; i < n; i++) {
        const d = (w - t) * k;
        w = d < eps && d > -eps ? t : t + d;
        y[i] = x[i] + (y[i] - x[i]) * w;
      }
    }
    this.fadeOthers(outs, w0, t, k, eps, n);
    ramp.value = w;
  }

  /** Outputs after the first follow the bypass glide from w0 (a bypassed send's `send` goes silent). */
  private fadeOthers(outs: Bus[], w0: number, t: number, k: number, eps: number, n: number): void {
    for (let o = 1; o < outs.length; o++) {
      const bus = outs[o];
      for (let c = 0; c < bus.channels; c++) {
        const z = bus.data[c];
        let v = w0;
        for (let i = 0; i < n; i++) {
          const d = (v - t) * k;
          v = d < eps && d > -eps ? t : t + d;
          z[i] *= v;
        }
      }
    }
  }

  /** The crossfade of a matched bypass: out = w·processed + (1 - w)·m·input, m the dry path's matched gain. */
  private matchedCrossfade(slot: Slot, input: AudioBus, outs: Bus[], n: number): void {
    const ramp = slot.bypass!;
    const dry = slot.dry!;
    const main = outs[0];
    const channels = Math.max(input.channels, main.channels);
    if (channels > main.channels) copy(main.data[0], main.data[1], n);
    main.channels = channels;
    const w0 = ramp.value;
    const t = ramp.target;
    const k = ramp.coef;
    const eps = ramp.epsilon;
    const m0 = dry.value;
    const mt = dry.target;
    const mk = dry.coef;
    const meps = dry.epsilon;
    let w = w0;
    let m = m0;
    for (let c = 0; c < channels; c++) {
      const x = c > 0 && input.channels > 1 ? input.data[1] : input.data[0];
      const y = main.data[c];
      w = w0;
      m = m0;
      for (let i = 0; i < n; i++) {
        const d = (w - t) * k;
        w = d < eps && d > -eps ? t : t + d;
        const e = (m - mt) * mk;
        m = e < meps && e > -meps ? mt : mt + e;
        const xm = x[i] * m;
        y[i] = xm + (y[i] - xm) * w;
      }
    }
    this.fadeOthers(outs, w0, t, k, eps, n);
    ramp.value = w;
    dry.value = m;
  }

  /** A matched processor's input against its processed output; a new match glides the dry gain to it. */
  private measureMatch(slot: Slot, processed: AudioBus, n: number): void {
    const input = slot.mainInput >= 0 ? slot.views[slot.mainInput] : this.silent;
    const match = slot.match!;
    const moved = match.add(input.data[0], input.channels > 1 ? input.data[1] : undefined, processed.data[0], processed.channels > 1 ? processed.data[1] : undefined, n);
    if (moved && match.measured) slot.dry!.set(Math.exp(match.db * DB_TO_NEPER));
  }

  /** A loop member's sub-block outputs into its block outputs at `offset`. */
  private commit(slot: Slot, offset: number, n: number): void {
    const sub = slot.sub!;
    for (let k = 0; k < sub.length; k++) {
      const from = sub[k];
      const to = slot.outputs[k];
      if (offset === 0) to.channels = from.channels;
      else if (from.channels > to.channels) {
        // Widening part-way through the block: the frames so far were mono, L = R
        for (let i = 0; i < offset; i++) to.data[1][i] = to.data[0][i];
        to.channels = 2;
      }
      const l = from.data[0];
      const r = from.channels > 1 ? from.data[1] : l;
      for (let i = 0; i < n; i++) to.data[0][offset + i] = l[i];
      if (to.channels > 1) for (let i = 0; i < n; i++) to.data[1][offset + i] = r[i];
    }
  }

  /** The speakers: every speaker bus summed into out (the master; references while A/B selects them). */
  private speakers(out: readonly Float32Array[], n: number, at: number): void {
    const l = out[0];
    const r = out[1] ?? out[0];
    let first = true;
    const speakers = this.speakerSlots;
    for (let s = 0; s < speakers.length; s++) {
      const slot = speakers[s];
      const bus = slot.outputs[slot.outputs.length - 1];
      const bl = bus.data[0];
      const br = bus.channels > 1 ? bus.data[1] : bl;
      if (first) {
        for (let i = 0; i < n; i++) l[at + i] = bl[i];
        if (r !== l) for (let i = 0; i < n; i++) r[at + i] = br[i];
        first = false;
        if (slot.def.speakers === 'mix' && this.loudness) {
          this.pair[0] = bl;
          this.pair[1] = br;
          this.loudness.process(this.pair, n);
        }
      } else {
        // A reference joins the master: guard the sum too (two finite samples can overflow)
        for (let i = 0; i < n; i++) {
          const v = l[at + i] + bl[i];
          l[at + i] = v - v === 0 ? v : 0;
        }
        if (r !== l)
          for (let i = 0; i < n; i++) {
            const v = r[at + i] + br[i];
            r[at + i] = v - v === 0 ? v : 0;
          }
      }
    }
    if (first) {
      l.fill(0, at, at + n);
      if (r !== l) r.fill(0, at, at + n);
    }
  }

  /**
   * The port monitor over what speakers() wrote: the mix scaled by its share, plus every voice's
   * ports at its gain (mono to both sides), guarded as the master guards (NaN and infinities are
   * silence: these are raw ports). Voices that have faded out are dropped in place.
   */
  private listen(out: readonly Float32Array[], n: number, at: number): void {
    const l = out[0];
    const r = out[1] ?? out[0];
    const g = this.gains;
    const share = this.mixShare;
    if (share.moving || share.value !== 1) {
      rampInto(share, g, n);
      for (let i = 0; i < n; i++) l[at + i] *= g[i];
      if (r !== l) for (let i = 0; i < n; i++) r[at + i] *= g[i];
    }
    const voices = this.voices;
    let kept = 0;
    for (let v = 0; v < voices.length; v++) {
      const voice = voices[v];
      rampInto(voice.gain, g, n);
      const buses = voice.buses;
      for (let b = 0; b < buses.length; b++) {
        const bus = buses[b];
        const bl = bus.data[0];
        const br = bus.channels > 1 ? bus.data[1] : bl;
        for (let i = 0; i < n; i++) l[at + i] += bl[i] * g[i];
        if (r !== l) for (let i = 0; i < n; i++) r[at + i] += br[i] * g[i];
      }
      if (voice === this.soloVoice || voice.gain.moving || voice.gain.value !== 0) voices[kept++] = voice;
    }
    if (kept !== voices.length) voices.length = kept;
    for (let i = 0; i < n; i++) {
      const v = l[at + i];
      l[at + i] = v - v === 0 ? v : 0;
    }
    if (r !== l)
      for (let i = 0; i < n; i++) {
        const v = r[at + i];
        r[at + i] = v - v === 0 ? v : 0;
      }
  }

  /** Each voice's ports as the graph has them now; a solo none of whose ports is left ends. */
  private findMonitored(): void {
    this.monitorsStale = false;
    for (const voice of this.voices) {
      voice.buses = [];
      for (const { id, port } of voice.ports) {
        const slot = this.slots.get(id);
        const k = slot ? slot.outputIds.indexOf(port) : -1;
        if (slot && k >= 0) voice.buses.push(slot.outputs[k]);
      }
    }
    const solo = this.soloVoice;
    if (solo && solo.buses.length === 0) {
      solo.gain.set(0);
      this.soloVoice = null;
      this.mixShare.set(1);
      this.endedMonitors++;
    }
  }

  private accumulate(slot: Slot, outs: Bus[], n: number): void {
    const acc = slot.acc;
    const kw = slot.kw;
    for (let k = 0; k < outs.length; k++) {
      const bus = outs[k];
      if (kw !== null) {
        const energy = kw[k];
        if (energy !== null) energy.add(bus.data[0], bus.channels > 1 ? bus.data[1] : null, n);
      }
      const a = 4 * k;
      scan(bus.data[0], n, acc, a, a + 2);
      if (bus.channels > 1) scan(bus.data[1], n, acc, a + 1, a + 3);
      else {
        acc[a + 1] = acc[a];
        acc[a + 3] = acc[a + 2];
      }
    }
  }

  private finishMeters(n: number): void {
    const meters = this.meterArray;
    const inv = 1 / n;
    const list = this.slotList;
    for (let s = 0; s < list.length; s++) {
      const slot = list[s];
      const acc = slot.acc;
      for (let k = 0; k < slot.meterAt.length; k++) {
        const m = slot.meterAt[k];
        const a = 4 * k;
        meters[m] = acc[a];
        meters[m + 1] = acc[a + 1];
        meters[m + 2] = Math.sqrt(acc[a + 2] * inv);
        meters[m + 3] = Math.sqrt(acc[a + 3] * inv);
        acc[a] = acc[a + 1] = acc[a + 2] = acc[a + 3] = 0;
      }
    }
  }

  // ------------------------------------------------------------------ the graph

  private slotList: Slot[] = [];
  private speakerSlots: Slot[] = [];

  private slot(id: string): Slot {
    const slot = this.slots.get(id);
    if (!slot) throw new Error(`runtime has no node "${id}"`);
    return slot;
  }

  private create(node: PlanNode): void {
    const def = getDefinition(node.type);
    if (!def) throw new Error(`unknown node type "${node.type}"`);
    if (this.slots.has(node.id)) throw new Error(`runtime already has a node "${node.id}"`);
    const hosted = this.hostProcessor?.(node, this.ctx);
    const processor = hosted ?? def.processor(this.ctx, node.params);
    const outputIds = def.ports.outputs.map((p) => p.id);
    if (def.speakers) outputIds.push('speakers');
    const mainInput = def.ports.inputs.findIndex((p) => p.role !== 'sidechain');
    const ownBypass = typeof processor.bypass === 'function' || hosted !== undefined;
    const slot: Slot = {
      id: node.id,
      index: this.nextIndex++,
      def,
      node,
      processor,
      inputs: def.ports.inputs.map((p) => ({ id: p.id, connections: [], lefts: [], rights: [], offsets: new Int32Array(0), sum: new Bus(this.blockSize) })),
      views: def.ports.inputs.map(() => this.silent),
      outputIds,
      outputs: outputIds.map(() => new Bus(this.blockSize)),
      sub: null,
      bypass: def.bypassable && !ownBypass && outputIds.length > 0 ? new Ramp(1, this.glide) : null,
      match: null,
      dry: null,
      mainInput,
      group: -1,
      breaker: false,
      meterAt: this.metering ? outputIds.map(() => this.takeMeter()) : [],
      acc: new Float64Array(4 * outputIds.length),
      kw: null,
      speakers: def.speakers !== undefined,
    };
    this.slots.set(node.id, slot);
    if (this.watchedPorts.length) this.attachWatches(slot);
    this.setMatching(slot);
    if (node.bypass) this.setBypass(slot, true, true);
    if (this.listening.source !== 'mix') processor.monitor?.(this.listening.source, this.listening.trimDb);
    const position = this.position;
    if (position !== null) processor.start?.(position);
    this.dirty = true;
  }

  private setBypass(slot: Slot, bypass: boolean, immediate: boolean): void {
    slot.node = { ...slot.node, bypass };
    if (!slot.def.bypassable) return;
    if (slot.processor.bypass) slot.processor.bypass(bypass, immediate);
    else if (slot.bypass) {
      if (immediate) slot.bypass.jump(bypass ? 0 : 1);
      else slot.bypass.set(bypass ? 0 : 1);
    }
  }

  private remove(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    // Connections from it that were not disconnected first (diff always does)
    for (const other of this.slots.values()) {
      for (const port of other.inputs) {
        const before = port.connections.length;
        port.connections = port.connections.filter((c) => c.from !== slot);
        port.lefts = port.connections.map(() => this.silent.data[0]);
        port.rights = port.connections.map(() => this.silent.data[0]);
        port.offsets = new Int32Array(port.connections.length);
        if (before > 0 && port.connections.length === 0) other.processor.portConnected?.(port.id, false);
      }
    }
    slot.processor.dispose?.();
    for (const m of slot.meterAt) this.freeMeter(m);
    this.slots.delete(id);
    this.dirty = true;
  }

  private connect(edge: DocEdge, on: boolean): void {
    const from = this.slots.get(edge.from);
    const to = this.slots.get(edge.to);
    if (!from || !to) {
      if (on) throw new Error(`cannot connect ${edge.from} -> ${edge.to}: node missing`);
      return; // disconnecting from a node already removed
    }
    const output = from.def.ports.outputs.findIndex((p) => p.id === edge.fromPort);
    const port = to.inputs.find((p) => p.id === edge.toPort);
    if (output < 0 || !port) throw new Error(`no port for edge ${edge.from}.${edge.fromPort} -> ${edge.to}.${edge.toPort}`);
    const before = port.connections.length;
    if (on) {
      // Summed in a fixed order, not the order of the edits: a group and its nodes ungrouped, a
      // session and the same session after live edits, give the same sum to the bit.
      const c = { from, output };
      const at = port.connections.findIndex((x) => sumsBefore(c, x));
      if (at < 0) port.connections.push(c);
      else port.connections.splice(at, 0, c);
    } else {
      const k = port.connections.findIndex((c) => c.from === from && c.output === output);
      if (k >= 0) port.connections.splice(k, 1);
    }
    const after = port.connections.length;
    // gather()'s scratch, sized here so that no block allocates
    port.lefts = port.connections.map(() => this.silent.data[0]);
    port.rights = port.connections.map(() => this.silent.data[0]);
    port.offsets = new Int32Array(after);
    if (before === 0 && after === 1) to.processor.portConnected?.(port.id, true);
    if (before > 0 && after === 0) to.processor.portConnected?.(port.id, false);
    this.dirty = true;
  }

  /** Work out the order of work (and the loops) after the graph changed. */
  private rebuild(): void {
    const list = [...this.slots.values()];
    const indexOf = new Map(list.map((s, i) => [s, i]));
    const next: number[][] = list.map(() => []);
    list.forEach((slot, to) => {
      for (const port of slot.inputs) for (const c of port.connections) next[indexOf.get(c.from)!].push(to);
    });
    const steps = schedule(next, (v) => list[v].processor.loop !== undefined);
    for (const slot of list) {
      slot.group = -1;
      slot.breaker = false;
      const wasLooped = slot.sub !== null;
      slot.sub = null;
      if (wasLooped && slot.processor.loop) slot.processor.loop.setLooped(false);
    }
    this.steps = steps.map((s, g) => {
      const slots = s.members.map((v) => list[v]);
      const breakers = s.breakers.map((v) => list[v]);
      if (s.loop) {
        for (const slot of slots) {
          slot.group = g;
          slot.sub = slot.outputs.map(() => new Bus(this.blockSize));
        }
        for (const b of breakers) {
          b.breaker = true;
          b.processor.loop!.setLooped(true);
        }
      }
      return { slots, breakers, loop: s.loop };
    });
    this.slotList = list;
    this.speakerSlots = list.filter((s) => s.speakers);
    // The mix (the master) first among the speakers: its output is what the loudness meter reads
    this.speakerSlots.sort((a, b) => Number(b.def.speakers === 'mix') - Number(a.def.speakers === 'mix'));
    if (this.voices.length > 0) this.findMonitored();
    this.dirty = false;
  }

  private takeMeter(): number {
    const free = this.freeMeters.pop();
    if (free !== undefined) return free;
    const at = this.meterCount * METER_STRIDE;
    this.meterCount++;
    if (this.meterArray.length < this.meterCount * METER_STRIDE) {
      const grown = new Float32Array(Math.max(64, 2 * this.meterCount * METER_STRIDE));
      grown.set(this.meterArray);
      this.meterArray = grown;
    }
    this.layoutVersion++;
    return at;
  }

  private freeMeter(at: number): void {
    this.meterArray.fill(0, at, at + METER_STRIDE);
    this.freeMeters.push(at);
    this.layoutVersion++;
  }
}

/**
 * Peak into acc[peakAt] (the larger of it and the block's) and the sum of squares added into
 * acc[sumAt], four samples at a time with four running partial results: one chain of additions
 * would wait on itself every sample (the meters cost 7 ms per second of audio in the 16-track
 * bench that way, half of that now).
 */
function scan(x: Float32Array, n: number, acc: Float64Array, peakAt: number, sumAt: number): void {
  let p0 = acc[peakAt];
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = x[i];
    const b = x[i + 1];
    const c = x[i + 2];
    const d = x[i + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
    const ma = a < 0 ? -a : a;
    const mb = b < 0 ? -b : b;
    const mc = c < 0 ? -c : c;
    const md = d < 0 ? -d : d;
    if (ma > p0) p0 = ma;
    if (mb > p1) p1 = mb;
    if (mc > p2) p2 = mc;
    if (md > p3) p3 = md;
  }
  for (; i < n; i++) {
    const a = x[i];
    s0 += a * a;
    const ma = a < 0 ? -a : a;
    if (ma > p0) p0 = ma;
  }
  if (p1 > p0) p0 = p1;
  if (p3 > p2) p2 = p3;
  acc[peakAt] = p2 > p0 ? p2 : p0;
  acc[sumAt] += s0 + s1 + (s2 + s3);
}

/** g[i] = the ramp's value at each of the next n samples; the ramp moves on by n. */
function rampInto(ramp: Ramp, g: Float32Array, n: number): void {
  if (!ramp.moving) {
    // A loop, not g.fill(value): a double passed to a builtin is boxed, an allocation per block
    const v = ramp.value;
    for (let i = 0; i < n; i++) g[i] = v;
    return;
  }
  for (let i = 0; i < n; i++) g[i] = ramp.step();
}

/** out[i] = Σ_k x[k][at[k] + i] over `count` inputs, four inputs per pass over out. */
function addInto(out: Float32Array, x: Float32Array[], at: Int32Array, count: number, n: number): void {
  let k = 0;
  for (; k + 3 < count; k += 4) {
    const a = x[k];
    const b = x[k + 1];
    const c = x[k + 2];
    const d = x[k + 3];
    const oa = at[k];
    const ob = at[k + 1];
    const oc = at[k + 2];
    const od = at[k + 3];
    if (k === 0) for (let i = 0; i < n; i++) out[i] = a[oa + i] + b[ob + i] + c[oc + i] + d[od + i];
    else for (let i = 0; i < n; i++) out[i] += a[oa + i] + b[ob + i] + c[oc + i] + d[od + i];
  }
  for (; k < count; k++) {
    const a = x[k];
    const oa = at[k];
    if (k === 0) for (let i = 0; i < n; i++) out[i] = a[oa + i];
    else for (let i = 0; i < n; i++) out[i] += a[oa + i];
  }
}

/**
 * The order a port sums its connections in: by the source's own id (the last part of its path, so
 * grouping nodes does not reorder a sum), then its path, then the output port.
 */
function sumsBefore(a: Connection, b: Connection): boolean {
  const x = leaf(a.from.id);
  const y = leaf(b.from.id);
  if (x !== y) return x < y;
  if (a.from.id !== b.from.id) return a.from.id < b.from.id;
  return a.output < b.output;
}

const leaf = (id: string) => id.slice(id.lastIndexOf('/') + 1);

/** Natural-log units of amplitude per dB: exp(db · DB_TO_NEPER) = 10^(db / 20). */
const DB_TO_NEPER = Math.LN10 / 20;

function copy(from: Float32Array, to: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) to[i] = from[i];
}
