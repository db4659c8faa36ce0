// Applies compiler operations to a live or offline Web Audio context. Knows nothing of the
// audio library: the adapters (node.ts, browser.ts) hand it a context and a worklet factory.
import type { MonitorSource, NodeEnv, NodeInstance, Params } from '../../nodes/define.ts';
import { getDefinition, LOOP_SAFE_TYPES } from '../../nodes/registry.ts';
import { StereoDelay } from '../../nodes/shared.ts';
import { diff } from '../compiler/diff.ts';
import { hostedInstance } from './hosted.ts';
import type { Operation, Plan, PlanNode } from '../compiler/plan.ts';
import type { DocEdge } from '../model/document.ts';

interface PortRef {
  node: AudioNode;
  index?: number;
}

/** A node as built: its instance, plus the bypass routing the engine wraps round processors. */
interface Slot {
  node: PlanNode;
  instance: NodeInstance;
  inputs: Record<string, PortRef>;
  outputs: Record<string, PortRef>;
  /** Gains to flip on bypass: [gain, value when active, value when bypassed]. */
  bypassGains: [GainNode, number, number][];
  extra: AudioNode[];
  connections: Map<string, number>;
}

export interface EngineOptions {
  /** Time constant of parameter ramps, seconds. */
  smoothing?: number;
  getBuffer?: NodeEnv['getBuffer'];
  createWorklet: NodeEnv['createWorklet'];
}

export class Engine {
  private slots = new Map<string, Slot>();
  private plan: Plan | null = null;
  private readonly env: NodeEnv;
  private playing: { at: number; from: number } | null = null;
  private listening: { source: MonitorSource; trimDb: number } = { source: 'mix', trimDb: 0 };

  constructor(
    readonly ctx: BaseAudioContext,
    options: EngineOptions,
  ) {
    this.env = {
      smoothing: options.smoothing ?? 0.005,
      getBuffer: options.getBuffer ?? (() => undefined),
      createWorklet: options.createWorklet,
    };
  }

  get currentPlan(): Plan | null {
    return this.plan;
  }

  /** Bring the running graph to `next` with the fewest operations; returns them. */
  update(next: Plan): Operation[] {
    const ops = diff(this.plan, next);
    this.apply(ops);
    this.plan = next;
    return ops;
  }

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
          slot.instance.setParam(op.param, op.value, op.params);
          break;
        }
        case 'bypass':
          this.setBypass(this.slot(op.id), op.bypass, true);
          break;
      }
    }
  }

  /** Start every source: `from` seconds into the session, at context time `at` (default now). */
  start(from = 0, at = this.ctx.currentTime): void {
    this.playing = { at, from };
    for (const slot of this.slots.values()) slot.instance.start?.(at, from);
  }

  /**
   * A/B: play the mix (the master) or the session's reference nodes, the latter `trimDb` louder
   * (the loudness match). Offline renders never call this, so a reference never reaches a file.
   */
  monitor(source: MonitorSource, trimDb = 0): void {
    this.listening = { source, trimDb };
    for (const slot of this.slots.values()) slot.instance.monitor?.(source, trimDb);
  }

  get monitoring(): MonitorSource {
    return this.listening.source;
  }

  stop(): void {
    this.playing = null;
    for (const slot of this.slots.values()) slot.instance.stop?.(this.ctx.currentTime);
  }

  /** Session time now, if playing. */
  get position(): number | null {
    return this.playing ? this.playing.from + (this.ctx.currentTime - this.playing.at) : null;
  }

  /** The Web Audio node behind a port, for meters and analysers. */
  output(id: string, port = 'out'): AudioNode | undefined {
    return this.slots.get(id)?.outputs[port]?.node;
  }

  /** Where to meter a node: its first output, or for the master its (post-fader) input. */
  meterPoint(id: string): AudioNode | undefined {
    const slot = this.slots.get(id);
    if (!slot) return undefined;
    const first = Object.values(slot.outputs)[0] ?? slot.instance.inputs.in;
    return first?.node;
  }

  /** A live reading from a node instance (e.g. a compressor's gain reduction). */
  reading(id: string, name: string): number | undefined {
    return this.slots.get(id)?.instance.read?.(name);
  }

  dispose(): void {
    for (const id of [...this.slots.keys()]) this.remove(id);
    this.plan = null;
  }

  private slot(id: string): Slot {
    const slot = this.slots.get(id);
    if (!slot) throw new Error(`engine has no node "${id}"`);
    return slot;
  }

  private create(node: PlanNode): void {
    const def = getDefinition(node.type);
    if (!def) throw new Error(`unknown node type "${node.type}"`);
    // Types without a Web Audio factory run their runtime processor in the host worklet
    const instance = def.create ? def.create(this.ctx, node.params as Params, this.env) : hostedInstance(def, node.params as Params, this.env);
    const slot: Slot = { node, instance, inputs: { ...instance.inputs }, outputs: { ...instance.outputs }, bypassGains: [], extra: [], connections: new Map() };
    if (def.bypassable) this.wrapForBypass(slot, def.ports.inputs.filter((p) => p.role !== 'sidechain').map((p) => p.id));
    this.slots.set(node.id, slot);
    if (node.bypass) this.setBypass(slot, true, false);
    if (this.listening.source !== 'mix') instance.monitor?.(this.listening.source, this.listening.trimDb);
    if (this.playing) instance.start?.(this.ctx.currentTime, this.position ?? 0);
  }

  /**
   * in -> [processor] -> wet -> out, and in -> dry -> out: bypass swaps wet and dry, so the
   * output equals the input. Further outputs (a send's "send") are muted while bypassed.
   */
  private wrapForBypass(slot: Slot, audioInputs: string[]): void {
    const gain = (value: number) => {
      const g = this.ctx.createGain();
      g.gain.value = value;
      slot.extra.push(g);
      return g;
    };
    const [main] = audioInputs;
    const outs = Object.keys(slot.outputs);
    if (!main || outs.length === 0) return;
    const inBus = gain(1);
    const inner = slot.inputs[main];
    inBus.connect(inner.node, 0, inner.index ?? 0);
    slot.inputs[main] = { node: inBus };
    outs.forEach((port, i) => {
      const ref = slot.outputs[port];
      const wet = gain(1);
      ref.node.connect(wet, ref.index ?? 0);
      slot.bypassGains.push([wet, 1, 0]);
      if (i === 0) {
        const dry = gain(0);
        const outBus = gain(1);
        inBus.connect(dry);
        if (LOOP_SAFE_TYPES.has(slot.node.type)) {
          // A node that may close a feedback loop must hold a DelayNode on every path through
          // it, or Web Audio silences the whole loop; this dry path too. A zero delay is exact
          // outside a loop (inside one, Web Audio makes it one render quantum).
          const hold = new StereoDelay(this.ctx, 0.1, 0);
          slot.extra.push(...hold.nodes);
          dry.connect(hold.input);
          hold.output.connect(outBus);
        } else dry.connect(outBus);
        wet.connect(outBus);
        slot.bypassGains.push([dry, 0, 1]);
        slot.outputs[port] = { node: outBus };
      } else slot.outputs[port] = { node: wet };
    });
  }

  private setBypass(slot: Slot, bypass: boolean, ramp: boolean): void {
    slot.node = { ...slot.node, bypass };
    for (const [g, on, off] of slot.bypassGains) {
      const value = bypass ? off : on;
      if (ramp) g.gain.setTargetAtTime(value, this.ctx.currentTime, this.env.smoothing);
      else g.gain.value = value;
    }
  }

  private remove(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.instance.dispose();
    for (const n of slot.extra) n.disconnect();
    for (const ref of Object.values(slot.outputs)) ref.node.disconnect();
    this.slots.delete(id);
  }

  private connect(edge: DocEdge, on: boolean): void {
    const from = this.slots.get(edge.from);
    const to = this.slots.get(edge.to);
    if (!from || !to) {
      if (on) throw new Error(`cannot connect ${edge.from} -> ${edge.to}: node missing`);
      return; // disconnecting from a node already removed
    }
    const src = from.outputs[edge.fromPort];
    const dst = to.inputs[edge.toPort];
    if (!src || !dst) throw new Error(`no port for edge ${edge.from}.${edge.fromPort} -> ${edge.to}.${edge.toPort}`);
    if (on) src.node.connect(dst.node, src.index ?? 0, dst.index ?? 0);
    else src.node.disconnect(dst.node, src.index ?? 0, dst.index ?? 0);
    const count = (to.connections.get(edge.toPort) ?? 0) + (on ? 1 : -1);
    to.connections.set(edge.toPort, count);
    if ((on && count === 1) || (!on && count === 0)) to.instance.portConnected?.(edge.toPort, on);
  }
}
