// The Node adapter: node-web-audio-api contexts for the CLI, the tests and the bench.
// One of the two files that import an audio library (browser.ts is the other).
import { AudioWorkletNode, OfflineAudioContext } from 'node-web-audio-api';
import { prepareBounce } from '../compiler/latency.ts';
import type { Plan } from '../compiler/plan.ts';
import { bundleWorklets } from '../worklets/bundle.ts';
import { Engine, type EngineOptions } from './engine.ts';

let workletUrl: Promise<string> | null = null;

/** The worklet processors as one JavaScript module (a blob URL), bundled once per process. */
export function workletModuleUrl(): Promise<string> {
  workletUrl ??= bundleWorklets().then(({ code }) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
  return workletUrl;
}

export interface OfflineSetup {
  sampleRate: number;
  /** Frames to render. */
  length: number;
  channels?: number;
  getBuffer?: EngineOptions['getBuffer'];
}

/** An offline context with the worklets loaded, and an engine on it. */
export async function offlineEngine(setup: OfflineSetup): Promise<{ ctx: OfflineAudioContext; engine: Engine }> {
  const ctx = new OfflineAudioContext(setup.channels ?? 2, setup.length, setup.sampleRate);
  await ctx.audioWorklet.addModule(await workletModuleUrl());
  const web = ctx as unknown as BaseAudioContext;
  const engine = new Engine(web, {
    getBuffer: setup.getBuffer,
    // Offline renders start from set values; no ramps are needed before the first sample.
    smoothing: 0.005,
    createWorklet: (name, options) => new AudioWorkletNode(ctx, name, options) as unknown as globalThis.AudioWorkletNode,
  });
  return { ctx, engine };
}

/**
 * Render, calling `onProgress(fraction)` for every `every` seconds of audio rendered, then with 1.
 * Progress polls the context's render position: suspend()/resume() on an offline context race
 * with the render thread in node-web-audio-api 1.0.9 (intermittent native panics, stalls of 15 s).
 */
export async function render(ctx: OfflineAudioContext, onProgress?: (fraction: number) => void, every = 10): Promise<AudioBuffer> {
  const total = ctx.length / ctx.sampleRate;
  let next = every;
  const report = (upTo: number) => {
    for (; next < total && next <= upTo; next += every) onProgress?.(next / total);
  };
  const timer = onProgress ? setInterval(() => report(ctx.currentTime), 50) : undefined;
  try {
    const buffer = (await ctx.startRendering()) as unknown as AudioBuffer;
    report(total);
    onProgress?.(1);
    return buffer;
  } finally {
    clearInterval(timer);
  }
}

export interface BounceSetup {
  sampleRate: number;
  /** Frames of output wanted (the render itself runs longer by the plan's latency). */
  frames: number;
  channels?: number;
  getBuffer?: EngineOptions['getBuffer'];
  onProgress?: (fraction: number) => void;
  /** Seconds of audio between progress reports. */
  every?: number;
}

/**
 * Render a plan offline so the file lines up with its sources: parallel paths of different
 * latency are aligned (compensateLatency), the render runs longer by the output latency (a
 * lookahead limiter's delay), and that much is dropped from the start. Returns `frames` frames.
 */
export async function bounce(plan: Plan, setup: BounceSetup): Promise<Float32Array[]> {
  const { plan: aligned, latencyFrames: latency } = prepareBounce(plan, setup.sampleRate);
  const channels = setup.channels ?? 2;
  const { ctx, engine } = await offlineEngine({ sampleRate: setup.sampleRate, length: setup.frames + latency, channels, getBuffer: setup.getBuffer });
  try {
    engine.update(aligned);
    engine.start(0, 0);
    const rendered = await render(ctx, setup.onProgress, setup.every);
    // A copy, not a view: node-web-audio-api's getChannelData is a view of native memory that is
    // freed (and reused by the next render) once `rendered` is garbage collected.
    return Array.from({ length: channels }, (_, c) => rendered.getChannelData(c).slice(latency, latency + setup.frames));
  } finally {
    engine.dispose();
  }
}

/**
 * A context that is only used to decode files at `sampleRate` (one frame long, never rendered):
 * a render context needs its length first, and the length depends on the decoded files.
 */
export function decodingContext(sampleRate: number): BaseAudioContext {
  return new OfflineAudioContext(2, 1, sampleRate) as unknown as BaseAudioContext;
}

/** FLAC, MP3 and OGG through node-web-audio-api's decoder, at `sampleRate` (WAV has our own reader). */
export async function decodeCompressed(bytes: Uint8Array, sampleRate: number): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const buffer = (await decodingContext(sampleRate).decodeAudioData(copy as ArrayBuffer)) as AudioBuffer;
  // Copies: the buffer's channel data is native memory freed when `buffer` is collected.
  return { channels: Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice()), sampleRate: buffer.sampleRate };
}

/** Decoded channels as an AudioBuffer for the engine's track players. */
export function toAudioBuffer(channels: readonly Float32Array[], sampleRate: number): AudioBuffer {
  const buffer = decodingContext(sampleRate).createBuffer(channels.length, Math.max(1, channels[0].length), sampleRate);
  channels.forEach((c, i) => buffer.copyToChannel(c as Float32Array<ArrayBuffer>, i));
  return buffer;
}

