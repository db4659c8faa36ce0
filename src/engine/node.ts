// The Node adapter: node-web-audio-api contexts for the CLI, the tests and the bench.
// One of the two files that import an audio library (browser.ts is the other).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { AudioWorkletNode, OfflineAudioContext } from 'node-web-audio-api';
import { Engine, type EngineOptions } from './engine.ts';

const WORKLET_ENTRY = fileURLToPath(new URL('../worklets/index.ts', import.meta.url));
let workletUrl: Promise<string> | null = null;

/**
 * The worklet processors as one JavaScript module, bundled in memory from src/worklets
 * (node-web-audio-api runs worklets in a worker thread that needs plain JavaScript).
 */
export function workletModuleUrl(): Promise<string> {
  workletUrl ??= (async () => {
    const { build } = await import('esbuild');
    const result = await build({ entryPoints: [WORKLET_ENTRY], bundle: true, format: 'esm', write: false, target: 'es2022', logLevel: 'silent' });
    return URL.createObjectURL(new Blob([result.outputFiles[0].text], { type: 'text/javascript' }));
  })();
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
 * Render, calling `onProgress(fraction)` every `every` seconds of audio
 * (the context is suspended there, reported, and resumed).
 */
export async function render(ctx: OfflineAudioContext, onProgress?: (fraction: number) => void, every = 10): Promise<AudioBuffer> {
  const total = ctx.length / ctx.sampleRate;
  if (onProgress) {
    for (let t = every; t < total; t += every) {
      // Suspend points are rounded to render quanta by the context.
      void ctx.suspend(t).then(() => {
        onProgress(t / total);
        void ctx.resume();
      });
    }
  }
  const buffer = (await ctx.startRendering()) as unknown as AudioBuffer;
  onProgress?.(1);
  return buffer;
}

/** Decode an audio file (WAV, FLAC, MP3, OGG) at the context's sample rate. */
export async function decodeFile(ctx: BaseAudioContext, path: string): Promise<AudioBuffer> {
  const bytes = await readFile(path);
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return (await ctx.decodeAudioData(copy as ArrayBuffer)) as AudioBuffer;
}
