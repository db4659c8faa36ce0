// Live audio for the editor: compiles every document change and sends the diff to the runtime in
// its AudioWorklet (src/engine/browser.ts), runs the transport, decodes sources (each sent to the
// worklet once), reads the levels the runtime posts back, and renders the mix for Export WAV in a
// Web Worker through the same runtime (src/engine/export.ts).
// The UI never touches Web Audio objects; it calls this and reads numbers back.
import workletUrl from 'virtual:mixgraph-runtime';
import { compile } from '../compiler/compile.ts';
import { diff } from '../compiler/diff.ts';
import { renderFrameCount, sessionLength } from '../compiler/duration.ts';
import type { Plan } from '../compiler/plan.ts';
import { decodeAudioBytes, liveRuntime, type LiveHost } from '../engine/browser.ts';
import { renderInWorker } from '../engine/export.ts';
import type { Levels } from '../engine/levels.ts';
import { AudioFormatError } from '../io/audio.ts';
import type { MonitorSource } from '../../nodes/define.ts';
import { layoutOnly, type SessionDoc } from '../model/document.ts';
import { cableExists, cableName, cablePorts, type Cable, type CablePort } from '../model/cable.ts';

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

/**
 * A loudness for a label: "-18.0 LUFS"; "-∞ LUFS" for silence, "< -70 LUFS" below BS.1770's
 * absolute gate, "… LUFS" while nothing has been measured yet (NaN).
 */
export function formatLufs(lufs: number): string {
  if (Number.isNaN(lufs)) return '… LUFS';
  if (lufs === -Infinity) return '-∞ LUFS';
  if (lufs < -70) return '< -70 LUFS';
  return `${lufs.toFixed(1)} LUFS`;
}

const toDb = (linear: number): number => (linear > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(linear)) : SILENCE_DB);

export type TransportState = 'stopped' | 'playing' | 'paused';

/** A cable being soloed: the connection, its name ("Kick EQ → Drum bus") and the ports it carries. */
export interface CableSolo {
  cable: Cable;
  name: string;
  ports: CablePort[];
}

/** What the editor keeps of a decoded source: its length and peak (the audio itself went to the worklet). */
interface Decoded {
  from: ArrayBuffer;
  duration: number;
  /** The file's largest sample in dBFS (the gain ladder's first rung) and its channel count. */
  peakDb: number;
  channels: number;
}

function peakDbOf(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const ch of channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
  return peak > 0 ? 20 * Math.log10(peak) : -Infinity;
}

export class LiveAudio {
  private host: LiveHost | null = null;
  private starting: Promise<void> | null = null;
  private decoded = new Map<string, Decoded>();
  private plan: Plan | null = null;
  /** The plan the worklet runs (what the next diff starts from). */
  private sent: Plan | null = null;
  private doc: SessionDoc | null = null;
  private listeners = new Set<() => void>();
  state: TransportState = 'stopped';
  loop = false;
  private pausedAt = 0;
  /** Problems that keep the current document from being heard (the last good plan plays on). */
  problems: string[] = [];
  private listening: { source: MonitorSource; trimDb: number } = { source: 'mix', trimDb: 0 };
  private workletErrors: string[] = [];
  /** Ports whose loudness someone shows (watchLoudness), with how many show each. */
  private watching = new Map<string, { id: string; port?: string; count: number }>();
  private watchQueued = false;

  constructor(readonly sources: SourceLibrary) {
    // A file relinked (or restored) while the session is open: decode it and let it play.
    sources.onChange(() => void this.sourcesChanged());
  }

  private async sourcesChanged(): Promise<void> {
    if (!this.doc || !this.host) return;
    this.synced = null; // a full sync: the document is the same, the audio is not
    // The worklet restarts its tracks where the transport is when a source arrives.
    await this.sync(this.doc);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** Create the AudioContext and the runtime's worklet: browsers allow it only from a user gesture. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const host = await liveRuntime(workletUrl);
      host.onError((message) => {
        this.workletErrors = [`audio engine: ${message}`];
        this.problems = [...this.problems.filter((p) => !p.startsWith('audio engine: ')), ...this.workletErrors];
        this.emit();
      });
      host.onSoloEnded(() => {
        if (this.soloing && this.soloSent?.host === host) this.endSolo(`${this.soloing.name} is no longer in the running graph`);
      });
      this.host = host;
      if (this.listening.source !== 'mix') host.monitor(this.listening.source, this.listening.trimDb);
      if (this.bypassMatched) host.matchBypass(true);
      if (this.watching.size) this.sendWatches();
      if (this.doc) await this.sync(this.doc);
    })();
    return this.starting;
  }

  get started(): boolean {
    return this.host !== null;
  }

  /** A decoded source's peak (dBFS) and channel count; undefined until it has been decoded (the first Play). */
  sourceLevel(source: string): { peakDb: number; channels: number } | undefined {
    const d = this.decoded.get(source);
    return d ? { peakDb: d.peakDb, channels: d.channels } : undefined;
  }

  /** The levels the runtime measured at every node output, by node id and port (empty before audio starts). */
  get levels(): Levels | null {
    return this.host?.levels ?? null;
  }

  /** The worklet host (its last post carries the runtime's own timing: for the live bench). */
  get engine(): LiveHost | null {
    return this.host;
  }

  /** Decode every source the document names that is new or changed, and send it to the worklet. */
  private async decodeSources(doc: SessionDoc): Promise<string[]> {
    const host = this.host;
    const errors: string[] = [];
    if (!host) return errors;
    const seen = new Set<string>();
    for (const node of doc.nodes) {
      // A reference plays live too (never in a bounce), so its file is decoded here as well.
      const source = node.type === 'track' || node.type === 'reference' ? String(node.params.source ?? '') : '';
      if (!source || seen.has(source)) continue;
      seen.add(source);
      try {
        const bytes = await this.sources.get(source);
        if (!bytes) {
          if (this.decoded.delete(source)) host.dropSource(source);
          errors.push(`${node.label ?? node.id}: no audio loaded for "${source}" (${node.type === 'reference' ? 'choose it with "Reference file…"' : 'drop the file on the canvas'})`);
          continue;
        }
        if (this.decoded.get(source)?.from === bytes) continue; // sent already
        // At the context's rate, converted as the CLI converts (the runtime then plays it as it is).
        const audio = await decodeAudioBytes(bytes, host.sampleRate);
        const channels = audio.channels.length > 0 ? audio.channels : [new Float32Array(0)];
        this.decoded.set(source, { from: bytes, duration: channels[0].length / audio.sampleRate, peakDb: peakDbOf(audio.channels), channels: audio.channels.length });
        host.setSource(source, channels);
      } catch (err) {
        errors.push(`${node.label ?? node.id}: cannot decode "${source}" as audio: ${(err as Error).message}`);
      }
    }
    return errors;
  }

  /** The last document compiled in full, and the host it was applied to (null: none yet). */
  private synced: { doc: SessionDoc; host: LiveHost | null } | null = null;
  private syncing = 0;

  /** Bring the running graph to `doc`: compile, diff, send the operations. Returns how many. */
  async sync(doc: SessionDoc): Promise<number> {
    // Dragging a node edits the document on every pointer move; the audio graph does not depend
    // on positions, so skip the compile (~9 ms at 1,000 nodes). Not while a sync is in flight (it
    // awaits a decode and must still see the newest document) nor for a new host.
    const last = this.synced;
    if (this.syncing === 0 && last && last.host === this.host && layoutOnly(last.doc, doc)) {
      this.doc = doc;
      this.synced = { doc, host: last.host };
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
      this.synced = { doc, host: this.host };
      this.emit();
      return 0;
    }
    this.problems = [];
    this.plan = result.plan;
    this.followSolo(doc);
    const host = this.host;
    if (!host) {
      this.synced = { doc, host: null };
      return 0;
    }
    const errors = await this.decodeSources(doc);
    if (this.doc !== doc) return 0; // a newer edit arrived while decoding; it syncs itself
    this.problems = [...errors, ...this.workletErrors];
    const ops = diff(this.sent, result.plan);
    host.apply(ops);
    this.sent = result.plan;
    this.sendSolo(); // after the operations: the ports it names are in the graph by then
    this.synced = { doc, host };
    this.emit();
    return ops.length;
  }

  /** Seconds the session lasts (longest track plus tails); 0 with only generators. */
  get length(): number {
    return this.plan ? sessionLength(this.plan, (s) => this.decoded.get(s) as AudioBuffer | undefined).seconds : 0;
  }

  get position(): number {
    if (this.state === 'playing' && this.host) return this.host.position ?? 0;
    return this.pausedAt;
  }

  async play(): Promise<void> {
    await this.start();
    await this.host!.ctx.resume();
    if (this.doc) await this.sync(this.doc);
    if (this.state === 'playing') return;
    this.host!.start(this.pausedAt);
    this.state = 'playing';
    this.emit();
  }

  pause(): void {
    if (this.state !== 'playing' || !this.host) return;
    this.pausedAt = this.position;
    this.host.stop();
    this.state = 'paused';
    this.emit();
  }

  stop(): void {
    this.host?.stop();
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
      if (this.loop && this.host) this.host.start(0);
      else this.stop();
    }
  }

  /**
   * The level leaving one output port of a node (an edge carries exactly its `from` port's signal):
   * the louder channel's peak and RMS in dBFS since the runtime's previous post (about 32 ms);
   * SILENCE_DB when silent or before audio starts. Without `port`, the node's first output (the
   * master: what it sends to the speakers).
   */
  portLevel(id: string, port?: string): { peakDb: number; rmsDb: number } {
    const level = this.host?.levels.get(id, port);
    if (!level) return { peakDb: SILENCE_DB, rmsDb: SILENCE_DB };
    return { peakDb: toDb(Math.max(level.peak[0], level.peak[1])), rmsDb: toDb(Math.max(level.rms[0], level.rms[1])) };
  }

  /**
   * Measure the loudness of one output port (as portLevel takes it) while something shows it: the
   * runtime K-weights only the ports asked for. Returns the function that stops it. Calls in the
   * same task are sent to the worklet as one list.
   */
  watchLoudness(id: string, port?: string): () => void {
    const key = `${id}\u0000${port ?? ''}`;
    const entry = this.watching.get(key);
    if (entry) entry.count++;
    else this.watching.set(key, { id, port, count: 1 });
    this.queueWatches();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const e = this.watching.get(key);
      if (e && --e.count <= 0) this.watching.delete(key);
      this.queueWatches();
    };
  }

  private queueWatches(): void {
    if (this.watchQueued) return;
    this.watchQueued = true;
    queueMicrotask(() => {
      this.watchQueued = false;
      this.sendWatches();
    });
  }

  private sendWatches(): void {
    this.host?.watch([...this.watching.values()].map(({ id, port }) => ({ id, port })));
  }

  /**
   * Loudness (LUFS, BS.1770 K-weighted, ungated) leaving a watched port: short-term (the last 3 s)
   * and momentary (400 ms). -Infinity when silent, before audio starts or when nobody watches it;
   * NaN in the first ~30 ms of watching it, before the worklet's first figures.
   */
  portLoudness(id: string, port?: string): { shortTermLufs: number; momentaryLufs: number } {
    const levels = this.host?.levels;
    return { shortTermLufs: levels?.shortTerm(id, port) ?? -Infinity, momentaryLufs: levels?.momentary(id, port) ?? -Infinity };
  }

  /** Peak level (dBFS) of a node's output (the master: what it sends to the speakers) over the last ~30 ms; SILENCE_DB when silent or not started. */
  peakDb(id: string): number {
    return toDb(this.host?.levels.peak(id) ?? 0);
  }

  /** Peak level (dBFS) of one channel (0 left, 1 right) of a node's output. */
  channelPeakDb(id: string, channel: number): number {
    return toDb(this.host?.levels.peak(id, channel === 1 ? 1 : 0) ?? 0);
  }

  /**
   * Magnitude spectrum (dB per bin) of what plays (the master's view draws it), or null before
   * audio starts. The runtime has no spectrum reading yet: every id gets the speakers' spectrum.
   */
  spectrum(_id: string, into?: Float32Array<ArrayBuffer>): { data: Float32Array<ArrayBuffer>; sampleRate: number } | null {
    return this.host?.spectrum(into) ?? null;
  }

  /** Gain reduction (dB) a compressor applies now. */
  reduction(id: string): number {
    return this.host?.reading(id, 'reduction') ?? 0;
  }

  /** A named live reading of a node (a loudness meter's 'integrated', a stereo node's 'correlation'). */
  reading(id: string, name: string): number | undefined {
    return this.host?.reading(id, name);
  }

  // ---------------------------------------------------------------- cable solo

  private soloing: CableSolo | null = null;
  /** What the running engine was last told to play (its ports' key), and which engine. */
  private soloSent: { host: LiveHost; key: string } | null = null;
  private soloEndListeners = new Set<(name: string, why: string) => void>();

  /**
   * Listen to one cable: the speakers play what flows through it (its source port, at unity: the
   * raw signal at that point, without the master's fader, guard or limiter after it) instead of
   * the mix, until endSolo(). While stopped nothing starts, but Play plays the solo. Returns why it
   * cannot, or null: a cable that carries nothing (a group output nothing inside feeds).
   * A listening aid, never saved and never in an export.
   */
  soloCable(cable: Cable): string | null {
    const doc = this.doc;
    const ports = doc ? cablePorts(doc, cable) : undefined;
    if (!doc || !ports) return 'that connection is not in the session';
    const name = cableName(doc, cable);
    if (ports.length === 0) return `${name} carries no sound: nothing inside its group feeds that port`;
    this.soloing = { cable, name, ports };
    this.sendSolo();
    this.emit();
    return null;
  }

  /** End the cable solo: the mix plays again (crossfaded). `why`, when it ended by itself, goes to onSoloEnded's listeners. */
  endSolo(why?: string): void {
    const was = this.soloing;
    if (!was) return;
    this.soloing = null;
    this.sendSolo();
    if (why) for (const l of this.soloEndListeners) l(was.name, why);
    this.emit();
  }

  /** The cable soloed now, or null while the mix plays. */
  get solo(): CableSolo | null {
    return this.soloing;
  }

  /** Hear about a solo that ended by itself (its cable deleted, the session replaced): the cable's name and why. */
  onSoloEnded(listener: (name: string, why: string) => void): () => void {
    this.soloEndListeners.add(listener);
    return () => this.soloEndListeners.delete(listener);
  }

  /** What reaches the speakers (the soloed cable during a solo), the louder channel's peak and RMS in dBFS over ~32 ms. */
  outputLevel(): { peakDb: number; rmsDb: number } {
    const o = this.host?.output ?? [0, 0, 0, 0];
    return { peakDb: toDb(Math.max(o[0], o[1])), rmsDb: toDb(Math.max(o[2], o[3])) };
  }

  /** After an edit: the solo ends when its cable is gone, and follows it when what feeds it changed (inside groups). */
  private followSolo(doc: SessionDoc): void {
    const solo = this.soloing;
    if (!solo) return;
    const ports = cableExists(doc, solo.cable) ? cablePorts(doc, solo.cable) : undefined;
    if (!ports) return this.endSolo(`${solo.name} was removed`);
    if (ports.length === 0) return this.endSolo(`${solo.name} carries no sound any more`);
    const name = cableName(doc, solo.cable);
    const same = name === solo.name && ports.length === solo.ports.length && ports.every((p, i) => p.id === solo.ports[i].id && p.port === solo.ports[i].port);
    if (same) return;
    this.soloing = { ...solo, name, ports };
    this.emit(); // a renamed node renames the solo in the transport
  }

  /** Tell the engine what to play, when that changed (or the engine is new). */
  private sendSolo(): void {
    const host = this.host;
    if (!host || !this.sent) return;
    const ports = this.soloing?.ports ?? [];
    const key = ports.map((p) => `${p.id}\u0000${p.port}`).join('\n');
    if (this.soloSent?.host === host && this.soloSent.key === key) return;
    if (!this.soloSent && !key) return; // never soloed on this engine: it plays the mix already
    this.soloSent = { host, key };
    host.monitorPorts(ports);
  }

  private bypassMatched = false;

  /**
   * Gain-matched bypass while listening: a bypassed node plays at the loudness it had processed
   * (measured K-weighted and short-term in the worklet), so in and out are compared by their sound,
   * not by one being louder. A listening aid: exports never use it. Kept across a restart.
   */
  get matchBypass(): boolean {
    return this.bypassMatched;
  }

  set matchBypass(on: boolean) {
    this.bypassMatched = on;
    this.host?.matchBypass(on);
    this.emit();
  }

  /** A/B: hear the mix or the session's reference (`trimDb` louder, the loudness match). Kept across a restart. */
  monitor(source: MonitorSource, trimDb = 0): void {
    this.listening = { source, trimDb };
    this.host?.monitor(source, trimDb);
    this.emit();
  }

  /** What the A/B switch selects, and what the running engine was told to play (null before audio starts). */
  get monitoring(): { source: MonitorSource; trimDb: number; engine: MonitorSource | null } {
    return { ...this.listening, engine: this.host ? this.listening.source : null };
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

  /**
   * Render the session offline (what Export WAV writes) and return its left and right channels:
   * the runtime in a Web Worker, as `mixgraph render` renders it (the same plan, the same decoding
   * and rate conversion, the same frame count), so the two give the same samples. Aborting
   * `signal` stops the worker at once (ExportCancelled).
   */
  async render(doc: SessionDoc, onProgress: (fraction: number) => void = () => {}, sampleRate = 48000, signal?: AbortSignal): Promise<Float32Array[]> {
    const result = compile(doc);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    // Decoded here (the browser's decoder for FLAC, MP3 and OGG is a main-thread API), at the
    // export rate: the live context may run at another one.
    const sources = new Map<string, Float32Array[]>();
    for (const node of doc.nodes) {
      const source = node.type === 'track' ? String(node.params.source ?? '') : '';
      if (!source || sources.has(source)) continue;
      const bytes = await this.sources.get(source);
      if (!bytes) continue;
      const audio = await decodeAudioBytes(bytes, sampleRate);
      if (audio.channels.length > 0) sources.set(source, audio.channels);
    }
    const seconds = sessionLength(result.plan, (s) => (sources.has(s) ? ({ duration: sources.get(s)![0].length / sampleRate } as AudioBuffer) : undefined)).seconds || 10;
    const frames = renderFrameCount(seconds, sampleRate);
    return renderInWorker({ plan: result.plan, sampleRate, frames, sources: [...sources] }, onProgress, signal);
  }
}
