// Live audio for the editor: compiles every document change and hands the diff to the engine,
// runs the transport, decodes sources, meters every node and bounces the mix to WAV.
// The UI never touches Web Audio objects; it calls this and reads numbers back.
import { OfflineAudioContext, type IAudioContext } from 'standardized-audio-context';
import workletUrl from 'virtual:mixgraph-worklets';
import { compile } from '../compiler/compile.ts';
import { sessionLength } from '../compiler/duration.ts';
import type { Plan } from '../compiler/plan.ts';
import { prepareBounce } from '../compiler/latency.ts';
import { audioBufferOf, decodeAudioBytes, liveEngine, offlineBrowserEngine } from '../engine/browser.ts';
import { AudioFormatError } from '../io/audio.ts';
import type { Engine } from '../engine/engine.ts';
import type { MonitorSource } from '../../nodes/define.ts';
import { layoutOnly, type SessionDoc } from '../model/document.ts';

export const SILENCE_DB = -120;

/** Where a track's `source` comes from in the browser: a URL (bundled demo) or dropped bytes. */
export class SourceLibrary {
  private bytes = new Map<string, ArrayBuffer>();
  private urls = new Map<string, string>();
  private lazy = new Map<string, () => Promise<ArrayBuffer | undefined>>();
  private added = new Set<(source: string, bytes: ArrayBuffer) => void>();
  private changed = new Set<() => void>();
  /** The user's own audio (a dropped or relinked file): autosave keeps it. */
  add(source: string, bytes: ArrayBuffer): void {
    this.bytes.set(source, bytes);
    for (const l of this.added) l(source, bytes);
    this.emit();
  }
  addUrl(source: string, url: string): void {
    this.urls.set(source, url);
    this.emit();
  }
  /** Audio kept elsewhere (autosave's store), read the first time it is needed. */
  addLazy(source: string, load: () => Promise<ArrayBuffer | undefined>): void {
    this.lazy.set(source, load);
    this.emit();
  }
  /** Hear about audio the user adds (for autosave). */
  onAdd(listener: (source: string, bytes: ArrayBuffer) => void): () => void {
    this.added.add(listener);
    return () => this.added.delete(listener);
  }
  /** Hear about any source becoming available (placeholders turn back into tracks). */
  onChange(listener: () => void): () => void {
    this.changed.add(listener);
    return () => this.changed.delete(listener);
  }
  /** Bumped by every change: what a view compares to know the set of sources changed. */
  version = 0;
  private emit(): void {
    this.version++;
    for (const l of this.changed) l();
  }
  has(source: string): boolean {
    return this.bytes.has(source) || this.urls.has(source) || this.lazy.has(source);
  }
  async get(source: string): Promise<ArrayBuffer | undefined> {
    const known = this.bytes.get(source);
    if (known) return known;
    const load = this.lazy.get(source);
    if (load) {
      const bytes = await load();
      if (bytes) {
        this.bytes.set(source, bytes);
        return bytes;
      }
    }
    const url = this.urls.get(source);
    if (!url) return undefined;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not fetch ${source}: HTTP ${res.status}`);
    const bytes = await res.arrayBuffer();
    this.bytes.set(source, bytes);
    return bytes;
  }
}

function peakOf(tap: Tap): number {
  tap.analyser.getFloatTimeDomainData(tap.data);
  let peak = 0;
  for (const v of tap.data) {
    const a = Math.abs(v);
    if (a > peak) peak = a;
  }
  return peak > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(peak)) : SILENCE_DB;
}


export type TransportState = 'stopped' | 'playing' | 'paused';

interface Tap {
  analyser: AnalyserNode;
  data: Float32Array<ArrayBuffer>;
}

export class LiveAudio {
  ctx: IAudioContext | null = null;
  private engine: Engine | null = null;
  private starting: Promise<void> | null = null;
  private buffers = new Map<string, AudioBuffer>();
  private plan: Plan | null = null;
  private doc: SessionDoc | null = null;
  private taps = new Map<string, Tap>();
  private listeners = new Set<() => void>();
  state: TransportState = 'stopped';
  loop = false;
  private pausedAt = 0;
  /** Problems that keep the current document from being heard (the last good plan plays on). */
  problems: string[] = [];
  private listening: { source: MonitorSource; trimDb: number } = { source: 'mix', trimDb: 0 };

  constructor(readonly sources: SourceLibrary) {
    // A file relinked (or restored) while the session is open: decode it and let it play.
    sources.onChange(() => void this.sourcesChanged());
  }

  private async sourcesChanged(): Promise<void> {
    if (!this.doc || !this.engine) return;
    this.synced = null; // a full sync: the document is the same, the audio is not
    await this.sync(this.doc);
    // Players read their buffer when they start: restart them where the transport is.
    if (this.state === 'playing') {
      const at = this.position;
      this.engine.stop();
      this.engine.start(at);
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** Create the AudioContext: browsers allow it only from a user gesture. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const { ctx, engine } = await liveEngine(workletUrl, (s) => this.buffers.get(s));
      this.ctx = ctx;
      this.engine = engine;
      if (this.listening.source !== 'mix') engine.monitor(this.listening.source, this.listening.trimDb);
      if (this.doc) await this.sync(this.doc);
    })();
    return this.starting;
  }

  get started(): boolean {
    return this.engine !== null;
  }

  /** Decode every source the document names that is not decoded yet. */
  private async decodeSources(doc: SessionDoc): Promise<string[]> {
    const ctx = this.ctx;
    const errors: string[] = [];
    if (!ctx) return errors;
    for (const node of doc.nodes) {
      // A reference plays live too (never in a bounce), so its file is decoded here as well.
      const source = node.type === 'track' || node.type === 'reference' ? String(node.params.source ?? '') : '';
      if (!source || this.buffers.has(source)) continue;
      try {
        const bytes = await this.sources.get(source);
        if (!bytes) {
          errors.push(`${node.label ?? node.id}: no audio loaded for "${source}" (${node.type === 'reference' ? 'choose it with "Reference file…"' : 'drop the file on the canvas'})`);
          continue;
        }
        // At the context's rate, converted as the CLI converts (the players then play it as it is).
        const audio = await decodeAudioBytes(bytes, ctx.sampleRate);
        this.buffers.set(source, audioBufferOf(ctx, audio.channels, audio.sampleRate));
      } catch (err) {
        errors.push(`${node.label ?? node.id}: cannot decode "${source}" as audio: ${(err as Error).message}`);
      }
    }
    return errors;
  }

  /** The last document compiled in full, and the engine it was applied to (null: none yet). */
  private synced: { doc: SessionDoc; engine: Engine | null } | null = null;
  private syncing = 0;

  /** Bring the running graph to `doc`: compile, diff, apply. Returns the operations applied. */
  async sync(doc: SessionDoc): Promise<number> {
    // Dragging a node edits the document on every pointer move; the audio graph does not depend
    // on positions, so skip the compile (~9 ms at 1,000 nodes). Not while a sync is in flight (it
    // awaits a decode and must still see the newest document) nor for a new engine.
    const last = this.synced;
    if (this.syncing === 0 && last && last.engine === this.engine && layoutOnly(last.doc, doc)) {
      this.doc = doc;
      this.synced = { doc, engine: last.engine };
      return 0;
    }
    this.syncing++;
    try {
      return await this.syncNow(doc);
    } finally {
      this.syncing--;
    }
  }

  private async syncNow(doc: SessionDoc): Promise<number> {
    this.doc = doc;
    const result = compile(doc);
    if (!result.ok) {
      this.problems = result.problems.map((p) => p.message);
      this.synced = { doc, engine: this.engine };
      this.emit();
      return 0;
    }
    this.problems = [];
    this.plan = result.plan;
    if (!this.engine) {
      this.synced = { doc, engine: null };
      return 0;
    }
    const errors = await this.decodeSources(doc);
    if (this.doc !== doc) return 0; // a newer edit arrived while decoding; it syncs itself
    this.problems = errors;
    const ops = this.engine.update(result.plan);
    this.synced = { doc, engine: this.engine };
    for (const op of ops) if (op.op === 'remove' || op.op === 'create') this.dropTap(op.op === 'remove' ? op.id : op.node.id);
    this.emit();
    return ops.length;
  }

  /** Seconds the session lasts (longest track plus tails); 0 with only generators. */
  get length(): number {
    return this.plan ? sessionLength(this.plan, (s) => this.buffers.get(s)).seconds : 0;
  }

  get position(): number {
    if (this.state === 'playing' && this.engine) return this.engine.position ?? 0;
    return this.pausedAt;
  }

  async play(): Promise<void> {
    await this.start();
    await this.ctx!.resume();
    if (this.doc) await this.sync(this.doc);
    if (this.state === 'playing') return;
    this.engine!.start(this.pausedAt);
    this.state = 'playing';
    this.emit();
  }

  pause(): void {
    if (this.state !== 'playing' || !this.engine) return;
    this.pausedAt = this.position;
    this.engine.stop();
    this.state = 'paused';
    this.emit();
  }

  stop(): void {
    this.engine?.stop();
    this.pausedAt = 0;
    this.state = 'stopped';
    this.emit();
  }

  async toggle(): Promise<void> {
    if (this.state === 'playing') this.pause();
    else await this.play();
  }

  /** Called every animation frame by the transport: loops or stops at the end. */
  tick(): void {
    if (this.state !== 'playing') return;
    const length = this.length;
    if (length > 0 && this.position >= length) {
      if (this.loop && this.engine) {
        this.engine.stop();
        this.engine.start(0);
      } else this.stop();
    }
  }

  private tap(id: string): Tap | null {
    const known = this.taps.get(id);
    if (known) return known;
    const node = this.engine?.meterPoint(id);
    if (!node || !this.ctx) return null;
    const analyser = (this.ctx as unknown as BaseAudioContext).createAnalyser();
    analyser.fftSize = 2048;
    analyser.smoothingTimeConstant = 0.6;
    node.connect(analyser);
    const tap = { analyser, data: new Float32Array(analyser.fftSize) };
    this.taps.set(id, tap);
    return tap;
  }

  private dropTap(id: string): void {
    for (const key of [id, `${id}#0`, `${id}#1`]) {
      const tap = this.taps.get(key);
      if (!tap) continue;
      tap.analyser.disconnect();
      this.taps.delete(key);
    }
    for (const [key, taps] of this.portTaps) {
      if (key.slice(0, key.indexOf('\n')) !== id) continue;
      for (const tap of taps) tap.analyser.disconnect();
      this.portTaps.delete(key);
    }
  }

  /** portLevel's taps: one analyser per channel, keyed "id\nport". */
  private portTaps = new Map<string, Tap[]>();

  /**
   * The level leaving one output port of a node (an edge carries exactly its `from` port's signal):
   * the louder channel's peak and RMS in dBFS over the last 2048 frames (43 ms at 48 kHz); SILENCE_DB
   * when silent or before audio starts. Without `port`, the node's meter point (the master: its
   * post-fader input). Today an analyser per channel on the port's Web Audio node; on the runtime it
   * is rt.meters at meterIndex(id, port) (the larger of the L/R peaks, the larger of the L/R RMS).
   */
  portLevel(id: string, port?: string): { peakDb: number; rmsDb: number } {
    const key = `${id}\n${port ?? ''}`;
    let taps = this.portTaps.get(key);
    if (!taps) {
      const node = port === undefined ? this.engine?.meterPoint(id) : this.engine?.output(id, port);
      if (!node || !this.ctx) return { peakDb: SILENCE_DB, rmsDb: SILENCE_DB };
      const ctx = this.ctx as unknown as BaseAudioContext;
      const splitter = ctx.createChannelSplitter(2);
      node.connect(splitter);
      taps = [0, 1].map((c) => {
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 2048;
        splitter.connect(analyser, c);
        return { analyser, data: new Float32Array(analyser.fftSize) };
      });
      this.portTaps.set(key, taps);
    }
    let peak = 0;
    let meanSquare = 0;
    for (const tap of taps) {
      tap.analyser.getFloatTimeDomainData(tap.data);
      let p = 0;
      let sum = 0;
      for (const v of tap.data) {
        const a = Math.abs(v);
        if (a > p) p = a;
        sum += v * v;
      }
      peak = Math.max(peak, p);
      meanSquare = Math.max(meanSquare, sum / tap.data.length);
    }
    const db = (x: number) => (x > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(x)) : SILENCE_DB);
    return { peakDb: db(peak), rmsDb: db(Math.sqrt(meanSquare)) };
  }

  /** Peak level (dBFS) of a node's output over the last ~40 ms; SILENCE_DB when silent or not started. */
  peakDb(id: string): number {
    const tap = this.tap(id);
    return tap ? peakOf(tap) : SILENCE_DB;
  }

  /** Peak level (dBFS) of one channel (0 left, 1 right) of a node's output. */
  channelPeakDb(id: string, channel: number): number {
    const key = `${id}#${channel}`;
    let tap = this.taps.get(key);
    if (!tap) {
      const node = this.engine?.meterPoint(id);
      if (!node || !this.ctx) return SILENCE_DB;
      const ctx = this.ctx as unknown as BaseAudioContext;
      const splitter = ctx.createChannelSplitter(2);
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      node.connect(splitter);
      splitter.connect(analyser, channel);
      tap = { analyser, data: new Float32Array(analyser.fftSize) };
      this.taps.set(key, tap);
    }
    return peakOf(tap);
  }

  /** Magnitude spectrum (dB per bin) of a node's output, or null before audio starts. */
  spectrum(id: string, into?: Float32Array<ArrayBuffer>): { data: Float32Array<ArrayBuffer>; sampleRate: number } | null {
    const tap = this.tap(id);
    if (!tap || !this.ctx) return null;
    const data = into ?? new Float32Array(tap.analyser.frequencyBinCount);
    tap.analyser.getFloatFrequencyData(data);
    return { data, sampleRate: this.ctx.sampleRate };
  }

  /** Gain reduction (dB) a compressor applies now. */
  reduction(id: string): number {
    return this.engine?.reading(id, 'reduction') ?? 0;
  }

  /** A named live reading of a node (a loudness meter's 'integrated', a stereo node's 'correlation'). */
  reading(id: string, name: string): number | undefined {
    return this.engine?.reading(id, name);
  }

  /** A/B: hear the mix or the session's reference (`trimDb` louder, the loudness match). Kept across a restart. */
  monitor(source: MonitorSource, trimDb = 0): void {
    this.listening = { source, trimDb };
    this.engine?.monitor(source, trimDb);
    this.emit();
  }

  /** What the A/B switch selects, and what the running engine plays (null before audio starts). */
  get monitoring(): { source: MonitorSource; trimDb: number; engine: MonitorSource | null } {
    return { ...this.listening, engine: this.engine?.monitoring ?? null };
  }

  /**
   * Whether the bytes can be used as audio (checked before a dropped file becomes a track): the
   * reason the CLI gives when it cannot, and what is odd about it when it can (a file cut short).
   */
  async inspect(bytes: ArrayBuffer): Promise<{ problem: string | null; warnings: string[] }> {
    try {
      return { problem: null, warnings: (await decodeAudioBytes(bytes)).warnings };
    } catch (err) {
      if (err instanceof AudioFormatError) return { problem: err.message, warnings: [] };
      throw err;
    }
  }

  /** Render the session offline (what Export WAV writes) and return its left and right channels. */
  async render(doc: SessionDoc, onProgress: (fraction: number) => void = () => {}, sampleRate = 48000): Promise<Float32Array[]> {
    const result = compile(doc);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    // Decode at the export rate: the live context may run at another one.
    const buffers = new Map<string, AudioBuffer>();
    const ctx0 = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate });
    for (const node of doc.nodes) {
      const source = node.type === 'track' ? String(node.params.source ?? '') : '';
      if (!source || buffers.has(source)) continue;
      const bytes = await this.sources.get(source);
      if (!bytes) continue;
      const audio = await decodeAudioBytes(bytes, sampleRate);
      buffers.set(source, audioBufferOf(ctx0, audio.channels, audio.sampleRate));
    }
    const seconds = sessionLength(result.plan, (s) => buffers.get(s)).seconds || 10;
    const length = Math.ceil(seconds * sampleRate);
    // As the CLI's bounce: render the latency (a limiter's lookahead) longer and cut it from the
    // start, with parallel paths of different latency aligned, so the file lines up with the stems.
    const { plan: aligned, latencyFrames: latency } = prepareBounce(result.plan, sampleRate);
    const { ctx, engine } = await offlineBrowserEngine(workletUrl, { sampleRate, length: length + latency, getBuffer: (s) => buffers.get(s) });
    engine.update(aligned);
    engine.start(0, 0);
    // Progress polls the render position (standardized-audio-context has no offline suspend).
    const timer = setInterval(() => onProgress(Math.min(0.99, ctx.currentTime / seconds)), 100);
    let rendered: AudioBuffer;
    try {
      rendered = (await ctx.startRendering()) as unknown as AudioBuffer;
    } finally {
      clearInterval(timer);
    }
    onProgress(1);
    return [0, 1].map((c) => rendered.getChannelData(Math.min(c, rendered.numberOfChannels - 1)).slice(latency, latency + length));
  }
}
