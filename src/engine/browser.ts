// The browser host of the runtime: one AudioWorkletNode (created through standardized-audio-context)
// that runs Mixgraph's runtime (src/engine/worklet.ts) for the editor's live play, and the decoding
// of dropped files. The one file of the editor that imports an audio library.
import { AnalyserNode, AudioContext, AudioWorkletNode, OfflineAudioContext, type IAnalyserNode, type IAudioContext, type IAudioWorkletNode } from 'standardized-audio-context';
import type { MonitorSource } from '../../nodes/define.ts';
import type { Operation } from '../compiler/plan.ts';
import { decodeAudio, type DecodedAudio } from '../io/audio.ts';
import { Levels } from './levels.ts';
import { RUNTIME_PROCESSOR, type FromWorklet, type MeterPost, type ToWorklet, type WatchPort } from './protocol.ts';

/**
 * The runtime playing live in an AudioWorklet. The main thread sends it the compiler's operations,
 * the decoded sources (once each) and the transport; the worklet posts levels back (`levels`,
 * `loudness`, `reading()`), about 30 times a second.
 */
export class LiveHost {
  readonly levels = new Levels();
  /** The master's momentary loudness (LUFS) as last posted. */
  loudness = -Infinity;
  /** The last post as it came (the worklet's own timing figures are in it: blocks, busyMs). */
  last: MeterPost | null = null;
  private readings: MeterPost['readings'] = {};
  /** Answers to probe() (bench/live.ts), in order. */
  readonly probes: { blocks: number; ms: number; clock: string }[] = [];
  private playing: { from: number; at: number } | null = null;
  private errorListeners = new Set<(message: string) => void>();
  private soloEndListeners = new Set<() => void>();
  /** The last cable solo sent (monitorPorts) and whether it asked for ports; whether its end was told. */
  private soloSent = { version: 0, ports: false, ended: false };
  private readonly analyser: IAnalyserNode<IAudioContext>;

  constructor(
    readonly ctx: IAudioContext,
    private readonly node: IAudioWorkletNode<IAudioContext>,
  ) {
    node.port.onmessage = (e: MessageEvent<FromWorklet>) => {
      const m = e.data;
      if (m.type === 'error') {
        for (const l of this.errorListeners) l(m.message);
        return;
      }
      if (m.type === 'probe') {
        this.probes.push(m);
        return;
      }
      this.last = m;
      // A solo the runtime ended by itself (its ports went): told once.
      const sent = this.soloSent;
      if (sent.ports && !sent.ended && m.solo.version === sent.version && !m.solo.playing) {
        sent.ended = true;
        for (const l of this.soloEndListeners) l();
      }
      this.levels.receive(m);
      this.loudness = m.loudness;
      this.readings = m.readings;
    };
    node.connect(ctx.destination);
    // The spectrum of what plays (the master's view): the one Web Audio node beside the worklet.
    this.analyser = new AnalyserNode(ctx, { fftSize: 2048, smoothingTimeConstant: 0.6 });
    node.connect(this.analyser);
  }

  get sampleRate(): number {
    return this.ctx.sampleRate;
  }

  private send(m: ToWorklet, transfer: Transferable[] = []): void {
    this.node.port.postMessage(m, transfer);
  }

  /** Apply the compiler's operations (from diff()) between two blocks. */
  apply(ops: Operation[]): void {
    if (ops.length > 0) this.send({ type: 'ops', ops });
  }

  /** A source's decoded audio at the context's rate: a copy is transferred, so the caller keeps its arrays. */
  setSource(name: string, channels: readonly Float32Array[]): void {
    const copies = channels.map((c) => c.slice());
    this.send({ type: 'source', name, channels: copies }, copies.map((c) => c.buffer));
  }

  dropSource(name: string): void {
    this.send({ type: 'drop-source', name });
  }

  start(from: number): void {
    this.playing = { from, at: this.ctx.currentTime };
    this.send({ type: 'start', from });
  }

  stop(): void {
    this.playing = null;
    this.send({ type: 'stop' });
  }

  /** Session time now, if playing (the context's clock since start: what is heard). */
  get position(): number | null {
    return this.playing ? this.playing.from + (this.ctx.currentTime - this.playing.at) : null;
  }

  private watchVersion = 0;

  /**
   * Measure the loudness of these output ports from now on (and stop measuring the others):
   * `levels.shortTerm(id, port)` and `levels.momentary(id, port)` read them. No duplicates.
   */
  watch(ports: readonly WatchPort[]): void {
    const version = ++this.watchVersion;
    const list = ports.map(({ id, port }) => (port === undefined ? { id } : { id, port }));
    this.levels.watch(version, list);
    this.send({ type: 'watch', version, ports: list });
  }

  monitor(source: MonitorSource, trimDb: number): void {
    this.send({ type: 'monitor', source, trimDb });
  }

  /** Cable solo: play these output ports at unity instead of the master (an empty list: the master). */
  monitorPorts(ports: readonly { id: string; port: string }[]): void {
    const version = this.soloSent.version + 1;
    this.soloSent = { version, ports: ports.length > 0, ended: false };
    this.send({ type: 'monitor-ports', version, ports: ports.map(({ id, port }) => ({ id, port })) });
  }

  /** Hear about a cable solo the runtime ended by itself (none of its ports is left). */
  onSoloEnded(listener: () => void): () => void {
    this.soloEndListeners.add(listener);
    return () => this.soloEndListeners.delete(listener);
  }

  /** What reached the speakers over the last ~32 ms: peak and RMS per channel (linear); zeros before the first post. */
  get output(): MeterPost['output'] {
    return this.last?.output ?? [0, 0, 0, 0];
  }

  matchBypass(on: boolean): void {
    this.send({ type: 'match-bypass', on });
  }

  /** A node's reading as last posted (a compressor's 'reduction', a loudness meter's 'integrated'). */
  reading(id: string, name: string): number | undefined {
    return this.readings[id]?.[name];
  }

  /** Magnitude spectrum (dB per bin) of what plays. */
  spectrum(into?: Float32Array<ArrayBuffer>): { data: Float32Array<ArrayBuffer>; sampleRate: number } {
    const data = into ?? new Float32Array(this.analyser.frequencyBinCount);
    this.analyser.getFloatFrequencyData(data);
    return { data, sampleRate: this.ctx.sampleRate };
  }

  /** The live bench's timing probe (see ToWorklet 'probe'): the answer lands in `probes`. The transport jumps ahead. */
  probe(blocks: number): void {
    this.send({ type: 'probe', blocks });
  }

  onError(listener: (message: string) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }
}

/**
 * A live context with the runtime's worklet loaded and playing into the speakers. Browsers start
 * audio only after a user gesture: call this from a click or key handler. `workletUrl` is the
 * worklet bundle's URL (`import url from 'virtual:mixgraph-runtime'`, see vite.config.ts).
 */
export async function liveRuntime(workletUrl: string): Promise<LiveHost> {
  if (!AudioWorkletNode) throw new Error('this browser has no AudioWorklet: use a current Chromium, Firefox or Safari');
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  await ctx.audioWorklet!.addModule(workletUrl);
  const node = new AudioWorkletNode(ctx, RUNTIME_PROCESSOR, { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [2] });
  return new LiveHost(ctx, node);
}

/**
 * Decode audio bytes by the one reading path the CLI uses too (src/io/audio.ts: our WAV reader, the
 * browser's decoder for FLAC, MP3 and OGG, the same checks and messages), converted to `rate` when
 * given. Throws AudioFormatError with the reason.
 */
export async function decodeAudioBytes(bytes: ArrayBuffer, rate: number | null = null): Promise<DecodedAudio> {
  const audio = await decodeAudio(new Uint8Array(bytes), async (b, _container, fileRate) => {
    const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: rate ?? fileRate ?? 48000 });
    const buffer = (await ctx.decodeAudioData(b.slice().buffer)) as unknown as AudioBuffer;
    return { channels: Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice()), sampleRate: buffer.sampleRate };
  });
  if (rate === null || audio.sampleRate === rate) return audio;
  // Loaded when a file needs converting: libsamplerate's WebAssembly is 2 MB (1.5 MB gzipped), more
  // than the rest of the editor, and most sessions never convert.
  const { resample } = await import('../io/resample.ts');
  return { ...audio, channels: await resample(audio.channels, audio.sampleRate, rate), sampleRate: rate };
}
