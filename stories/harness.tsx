// What every story runs in: the editor's services (an EditorStore over a small session, and
// LiveAudio, which touches no audio until Play) plus React Flow's provider. Stories describe
// their session with `parameters: mixgraph({ ... })`; the decorator in .storybook/preview.tsx
// builds the services from it, afresh whenever the story or its args change.
import { ReactFlowProvider } from '@xyflow/react';
import { useMemo, type ReactNode } from 'react';
import type { Params } from '../nodes/define.ts';
import { addNode, apply, connect } from '../src/model/commands.ts';
import { emptySession, type SessionDoc } from '../src/model/document.ts';
import { LiveAudio, SILENCE_DB, SourceLibrary, type TransportState } from '../src/ui/audio.ts';
import { ServicesContext, type Services } from '../src/ui/context.ts';
import type { Db, SessionSummary } from '../src/ui/persist/db.ts';
import { SessionKeeper, type SaveState } from '../src/ui/persist/keeper.ts';
import { EditorStore } from '../src/ui/store.ts';

export interface NodeSpec {
  id: string;
  type: string;
  label?: string;
  bypass?: boolean;
  params?: Params;
  position?: { x: number; y: number };
}

/** A session with these nodes (params completed with their defaults) and edges. */
export function session(name: string, nodes: readonly NodeSpec[], edges: readonly { from: string; to: string; fromPort?: string; toPort?: string }[] = []): SessionDoc {
  let doc: SessionDoc = { ...emptySession(name) };
  for (const n of nodes) doc = apply(doc, addNode(n)).doc;
  for (const e of edges) doc = apply(doc, connect(e)).doc;
  return doc;
}

/** Fixed readings in place of a running audio graph, so meters and views show something. */
export interface SimulatedReadings {
  /** Peak level (dBFS) of every node; SILENCE_DB (-120) is silence. */
  levelDb?: number | ((id: string) => number);
  /** A compressor's gain reduction in dB. */
  reductionDb?: number;
  /** Give every node a spectrum (a pink-ish mix with a kick and a vocal bump). */
  spectrum?: boolean;
  /** Show the transport in this state, at this position (seconds). */
  state?: TransportState;
  position?: number;
}

/**
 * LiveAudio with its readings replaced by fixed numbers. It never creates an AudioContext:
 * Play only flips the transport state, so no story needs a user gesture or a sound card.
 */
export class SimulatedAudio extends LiveAudio {
  private fixedPosition: number;
  private watchers = new Set<() => void>();

  constructor(private readonly readings: SimulatedReadings) {
    super(new SourceLibrary());
    this.state = readings.state ?? 'stopped';
    this.fixedPosition = readings.position ?? 0;
  }

  override onChange(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }
  private changed(state: TransportState): void {
    this.state = state;
    for (const l of this.watchers) l();
  }
  override get position(): number {
    return this.fixedPosition;
  }
  override async play(): Promise<void> {
    this.changed('playing');
  }
  override pause(): void {
    if (this.state === 'playing') this.changed('paused');
  }
  override stop(): void {
    this.fixedPosition = 0;
    this.changed('stopped');
  }
  override async sync(): Promise<number> {
    return 0;
  }
  override peakDb(id: string): number {
    const level = this.readings.levelDb ?? SILENCE_DB;
    return typeof level === 'function' ? level(id) : level;
  }
  override portLevel(id: string): { peakDb: number; rmsDb: number } {
    // The RMS of a programme sits some 10 dB under its peaks.
    const peakDb = this.peakDb(id);
    return { peakDb, rmsDb: peakDb <= SILENCE_DB ? SILENCE_DB : peakDb - 10 };
  }
  override portLoudness(id: string): { shortTermLufs: number; momentaryLufs: number } {
    // A programme's short-term loudness sits some 9 LU under its peaks.
    const peakDb = this.peakDb(id);
    const lufs = peakDb <= SILENCE_DB ? -Infinity : peakDb - 9;
    return { shortTermLufs: lufs, momentaryLufs: lufs };
  }
  override reduction(): number {
    return this.readings.reductionDb ?? 0;
  }
  override spectrum(_id: string, into?: Float32Array<ArrayBuffer>): { data: Float32Array<ArrayBuffer>; sampleRate: number } | null {
    if (!this.readings.spectrum) return null;
    return { data: fakeSpectrum(into), sampleRate: 48000 };
  }
}

/** 1024 bins of a plausible mix spectrum in dB: falling ~4.5 dB/octave, with fixed ripple. */
export function fakeSpectrum(into?: Float32Array<ArrayBuffer>, sampleRate = 48000): Float32Array<ArrayBuffer> {
  const data = into ?? new Float32Array(1024);
  for (let i = 0; i < data.length; i++) {
    const f = Math.max(1, ((i + 0.5) / data.length) * (sampleRate / 2));
    const slope = -32 - 4.5 * Math.log2(Math.max(f, 80) / 80);
    const rumble = f < 40 ? -12 * Math.log2(40 / f) : 0;
    const kick = 8 * Math.exp(-(((Math.log2(f / 60)) / 0.45) ** 2));
    const voice = 5 * Math.exp(-(((Math.log2(f / 2500)) / 0.8) ** 2));
    const ripple = 2.5 * Math.sin(i * 1.7) * Math.sin(i * 0.31);
    data[i] = slope + rumble + kick + voice + ripple;
  }
  return data;
}

/**
 * Autosave for a story: a fixed list of stored sessions and a fixed save state, nothing written.
 * (The real keeper is tested against IndexedDB in tests/browser/sessions.test.ts.)
 */
export class SimulatedKeeper extends SessionKeeper {
  constructor(store: EditorStore, sources: SourceLibrary, private readonly sessions: SessionSummary[], state: SaveState, openId?: string) {
    super(store, sources);
    // Truthy, so that views offer what storage allows; never called (every method that would is overridden).
    this.db = {} as Db;
    this.state = state;
    this.id = openId ?? sessions[0]?.id ?? null;
  }
  override async list(): Promise<SessionSummary[]> {
    return this.sessions;
  }
  override async openStored(): Promise<boolean> {
    return false;
  }
  override async duplicate(): Promise<null> {
    return null;
  }
  override async remove(): Promise<void> {}
  override async openNew(doc: SessionDoc): Promise<void> {
    this.store_.open(doc);
  }
  private get store_(): EditorStore {
    return (this as unknown as { store: EditorStore }).store;
  }
}

export interface MixgraphParameters<A = Record<string, unknown>> {
  /** The story's session; default an empty one. Gets the story's args. */
  doc?: (args: A) => SessionDoc;
  /** Node ids selected when the story opens. */
  select?: readonly string[] | ((args: A) => readonly string[]);
  /** Readings to simulate; without it the real LiveAudio is used (silent until Play). */
  audio?: SimulatedReadings;
  /** Stored sessions and a save state to show (autosave simulated); without it, no keeper. */
  keeper?: { sessions: SessionSummary[]; state: SaveState; openId?: string };
}

/** Typed `parameters` for the services decorator. */
export function mixgraph<A = Record<string, unknown>>(p: MixgraphParameters<A>): { mixgraph: MixgraphParameters<A> } {
  return { mixgraph: p };
}

export function createServices<A>(p: MixgraphParameters<A>, args: A): Services {
  const store = new EditorStore(p.doc ? p.doc(args) : emptySession('Story'));
  const audio = p.audio ? new SimulatedAudio(p.audio) : new LiveAudio(new SourceLibrary());
  const select = typeof p.select === 'function' ? p.select(args) : p.select;
  if (select?.length) store.select(select);
  const keeper = p.keeper ? new SimulatedKeeper(store, audio.sources, p.keeper.sessions, p.keeper.state, p.keeper.openId) : undefined;
  return { store, audio, ...(keeper ? { keeper } : {}) };
}

/** Provides ServicesContext and a ReactFlowProvider around a story. */
export function ServicesHost({ storyId, parameters, args, children }: { storyId: string; parameters: MixgraphParameters | undefined; args: Record<string, unknown>; children: ReactNode }) {
  // Args can hold functions (a meter's reader); JSON drops them, which is what the key wants.
  const argsKey = JSON.stringify(args);
  // Rebuilt per story and whenever its args change (not on every render).
  const services = useMemo(() => createServices(parameters ?? {}, args), [storyId, argsKey]);
  return (
    <ServicesContext.Provider value={services}>
      <ReactFlowProvider>{children}</ReactFlowProvider>
    </ServicesContext.Provider>
  );
}

/** A fixed-size panel, for components that fill their grid cell in the app. */
export function Panel({ width, height, children }: { width: number; height?: number; children: ReactNode }) {
  return (
    <div className="story-panel" style={{ width, height }}>
      {children}
    </div>
  );
}
