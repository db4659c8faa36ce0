// The Web Audio engine on node-web-audio-api, in Node: what the editor's engine does in the browser
// (src/engine/engine.ts with the per-node Web Audio factories), kept for the tests that check those
// factories (tests/contract.test.ts) and for the bench's hand-wired native graph, until phase C of
// issue 10 deletes the factories. The CLI does not use it: it renders through the runtime
// (src/engine/node.ts) and needs node-web-audio-api only to decode FLAC, MP3 and OGG.
import { AudioWorkletNode, OfflineAudioContext } from 'node-web-audio-api';
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

/**
 * A context that is only used to decode files at `sampleRate` (one frame long, never rendered):
 * a render context needs its length first, and the length depends on the decoded files.
 */
export function decodingContext(sampleRate: number): BaseAudioContext {
  return new OfflineAudioContext(2, 1, sampleRate) as unknown as BaseAudioContext;
}

/** Decoded channels as an AudioBuffer for the engine's track players. */
export function toAudioBuffer(channels: readonly Float32Array[], sampleRate: number): AudioBuffer {
  const buffer = decodingContext(sampleRate).createBuffer(channels.length, Math.max(1, channels[0].length), sampleRate);
  channels.forEach((c, i) => buffer.copyToChannel(c as Float32Array<ArrayBuffer>, i));
  return buffer;
}

