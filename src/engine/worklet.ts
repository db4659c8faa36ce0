// The editor's audio engine: Mixgraph's runtime (src/runtime) inside one AudioWorkletProcessor.
// Bundled on its own for the AudioWorkletGlobalScope (vite.config.ts, virtual:mixgraph-runtime):
// no DOM, no timers. The main thread (src/engine/browser.ts) compiles and diffs; this applies the
// operations between blocks, plays the transport, holds the decoded sources it was sent, and posts
// the meters of every port, the K-weighted energy of the ports it was told to watch, the master's
// loudness, the nodes' readings and the position about 30 times a second.
import { getDefinition } from '../../nodes/registry.ts';
import { METER_STRIDE, Runtime } from '../runtime/runtime.ts';
import { MemorySource } from '../runtime/source.ts';
import { METER_POST_BLOCKS, RUNTIME_PROCESSOR, WATCH_STRIDE, type FromWorklet, type MeterPost, type ToWorklet } from './protocol.ts';

declare const sampleRate: number;
declare const currentTime: number;
declare function registerProcessor(name: string, ctor: unknown): void;
interface ProcessorBase {
  readonly port: MessagePort;
}
const Base = (globalThis as unknown as { AudioWorkletProcessor: new () => ProcessorBase }).AudioWorkletProcessor;

// performance.now() where the scope has it (Chromium's AudioWorkletGlobalScope does not in every
// version); Date.now() otherwise: its whole milliseconds, summed over many blocks, still average
// to the true time spent (a block straddles a tick with the probability of its length).
const perf = (globalThis as { performance?: { now(): number } }).performance;
const clock = perf && typeof perf.now === 'function' ? () => perf.now() : () => Date.now();
const clockName: MeterPost['clock'] = perf && typeof perf.now === 'function' ? 'performance.now' : 'Date.now';

class RuntimeProcessor extends Base {
  private readonly sources = new Map<string, MemorySource>();
  private readonly rt = new Runtime({ sampleRate, smoothing: 0.01, sources: (name) => this.sources.get(name) });
  /** Nodes with readings, and their names (from the create operations). */
  private readonly readable = new Map<string, readonly string[]>();
  private version = -1;
  private sentVersion = -1;
  private acc = new Float64Array(0);
  private blocksSincePost = 0;
  private blocks = 0;
  private busyMs = 0;
  private maxBlockMs = 0;
  private failed = false;
  private probe = 0;
  private watchVersion = -1;
  private soloVersion = -1;
  /** What went to the speakers since the last post: peak L, R and sum of squares L, R, and the frames. */
  private readonly outAcc = new Float64Array(5);
  private readonly scratch = [new Float32Array(128), new Float32Array(128)];

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<ToWorklet>) => {
      try {
        this.receive(e.data);
      } catch (err) {
        this.fail(err);
      }
    };
  }

  private receive(m: ToWorklet): void {
    switch (m.type) {
      case 'ops':
        for (const op of m.ops) {
          if (op.op === 'create') {
            const names = getDefinition(op.node.type)?.readings;
            if (names?.length) this.readable.set(op.node.id, names);
          } else if (op.op === 'remove') this.readable.delete(op.id);
        }
        this.rt.apply(m.ops);
        break;
      case 'source': {
        this.sources.set(m.name, new MemorySource(m.channels, sampleRate));
        // Tracks look their audio up when they start: restart them where the transport is.
        const at = this.rt.position;
        if (at !== null) this.rt.start(at);
        break;
      }
      case 'drop-source':
        this.sources.delete(m.name);
        break;
      case 'start':
        this.rt.start(m.from);
        break;
      case 'stop':
        this.rt.stop();
        break;
      case 'monitor':
        this.rt.monitor(m.source, m.trimDb);
        break;
      case 'monitor-ports':
        this.rt.monitorPorts(m.ports.length > 0 ? m.ports : null);
        this.soloVersion = m.version;
        break;
      case 'match-bypass':
        this.rt.matchBypass(m.on ? 'all' : 'off');
        break;
      case 'watch':
        this.rt.watchLoudness(m.ports);
        this.watchVersion = m.version;
        break;
      case 'probe':
        this.probe = Math.max(1, Math.floor(m.blocks));
        break;
    }
  }

  private fail(err: unknown): void {
    const message: FromWorklet = { type: 'error', message: err instanceof Error ? err.message : String(err) };
    this.port.postMessage(message);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    if (this.probe > 0 && !this.failed) this.runProbe();
    const t0 = clock();
    if (!this.failed) {
      try {
        this.rt.process(out, out[0].length);
      } catch (err) {
        // One report; silence from then on rather than an error every 2.7 ms.
        this.failed = true;
        this.fail(err);
      }
    }
    if (this.failed) for (const c of out) c.fill(0);
    this.accumulate();
    this.measureOutput(out);
    const ms = clock() - t0;
    this.blocks++;
    this.busyMs += ms;
    if (ms > this.maxBlockMs) this.maxBlockMs = ms;
    if (++this.blocksSincePost >= METER_POST_BLOCKS) this.post();
    return true;
  }

  /**
   * Many blocks back to back, timed as a whole: a clock of whole milliseconds measures them to a
   * thousandth of a millisecond per block when there are a thousand (one block is far below its tick).
   */
  private runProbe(): void {
    const blocks = this.probe;
    this.probe = 0;
    const t0 = clock();
    for (let b = 0; b < blocks; b++) this.rt.process(this.scratch, 128);
    const message: FromWorklet = { type: 'probe', blocks, ms: clock() - t0, clock: clockName };
    this.port.postMessage(message);
  }

  /** This block's peaks and squared RMS into the levels since the last post. */
  private accumulate(): void {
    const meters = this.rt.meters;
    if (this.rt.meterVersion !== this.version || this.acc.length !== meters.length) {
      this.version = this.rt.meterVersion;
      this.acc = new Float64Array(meters.length);
      this.blocksSincePost = 0;
    }
    const acc = this.acc;
    for (let i = 0; i < meters.length; i += METER_STRIDE) {
      if (meters[i] > acc[i]) acc[i] = meters[i];
      if (meters[i + 1] > acc[i + 1]) acc[i + 1] = meters[i + 1];
      acc[i + 2] += meters[i + 2] * meters[i + 2];
      acc[i + 3] += meters[i + 3] * meters[i + 3];
    }
  }

  /** Peak and energy of what this block gave the speakers. */
  private measureOutput(out: Float32Array[]): void {
    const a = this.outAcc;
    for (let c = 0; c < 2; c++) {
      const x = out[c] ?? out[0];
      let peak = a[c];
      let sum = 0;
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        sum += v * v;
        const m = v < 0 ? -v : v;
        if (m > peak) peak = m;
      }
      a[c] = peak;
      a[2 + c] += sum;
    }
    a[4] += out[0].length;
  }

  private post(): void {
    const n = Math.max(1, this.blocksSincePost);
    const acc = this.acc;
    const levels = new Float32Array(acc.length);
    for (let i = 0; i < acc.length; i += METER_STRIDE) {
      levels[i] = acc[i];
      levels[i + 1] = acc[i + 1];
      levels[i + 2] = Math.sqrt(acc[i + 2] / n);
      levels[i + 3] = Math.sqrt(acc[i + 3] / n);
    }
    acc.fill(0);
    this.blocksSincePost = 0;
    const ports = this.rt.watched;
    const watched = new Float64Array(WATCH_STRIDE * ports.length);
    for (let k = 0; k < ports.length; k++) {
      const e = ports[k].energy;
      watched[WATCH_STRIDE * k] = e.sums[0];
      watched[WATCH_STRIDE * k + 1] = e.sums[1];
      watched[WATCH_STRIDE * k + 2] = e.frames;
      e.take();
    }
    const readings: MeterPost['readings'] = {};
    for (const [id, names] of this.readable) {
      const r: Record<string, number> = {};
      for (const name of names) {
        const v = this.rt.reading(id, name);
        if (v !== undefined) r[name] = v;
      }
      readings[id] = r;
    }
    const o = this.outAcc;
    const frames = Math.max(1, o[4]);
    const output: MeterPost['output'] = [o[0], o[1], Math.sqrt(o[2] / frames), Math.sqrt(o[3] / frames)];
    o.fill(0);
    const message: MeterPost = {
      type: 'meters',
      output,
      solo: { version: this.soloVersion, playing: this.rt.monitoredPorts !== null },
      version: this.version,
      levels,
      watched,
      watchVersion: this.watchVersion,
      sampleRate,
      loudness: this.rt.masterLoudness(),
      readings,
      position: this.rt.position,
      time: currentTime,
      blocks: this.blocks,
      busyMs: this.busyMs,
      maxBlockMs: this.maxBlockMs,
      clock: clockName,
    };
    if (this.sentVersion !== this.version) {
      message.layout = this.rt.meterLayout();
      this.sentVersion = this.version;
    }
    this.port.postMessage(message, [levels.buffer, watched.buffer]);
  }
}

registerProcessor(RUNTIME_PROCESSOR, RuntimeProcessor);
