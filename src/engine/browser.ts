// The browser adapter: standardized-audio-context contexts for the editor.
// One of the two files that import an audio library (node.ts is the other).
import { AudioContext, AudioWorkletNode, OfflineAudioContext, type IAudioContext, type IOfflineAudioContext } from 'standardized-audio-context';
import { Engine, type EngineOptions } from './engine.ts';

type AnyContext = IAudioContext | IOfflineAudioContext;

function engineOn(ctx: AnyContext, getBuffer?: EngineOptions['getBuffer'], smoothing?: number): Engine {
  const Worklet = AudioWorkletNode;
  if (!Worklet) throw new Error('this browser has no AudioWorklet: use a current Chromium, Firefox or Safari');
  return new Engine(ctx as unknown as BaseAudioContext, {
    getBuffer,
    smoothing,
    createWorklet: (name, options) => new Worklet(ctx, name, options) as unknown as globalThis.AudioWorkletNode,
  });
}

/**
 * A live context with the worklets loaded. Browsers start audio only after a user gesture:
 * call this from a click or key handler. `workletUrl` is the worklet bundle's URL (Vite:
 * `import url from 'virtual:mixgraph-worklets'`, see vite.config.ts).
 */
export async function liveEngine(workletUrl: string, getBuffer?: EngineOptions['getBuffer']): Promise<{ ctx: IAudioContext; engine: Engine }> {
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  await ctx.audioWorklet!.addModule(workletUrl);
  // Live edits ramp over a few milliseconds so a knob turn never clicks.
  return { ctx, engine: engineOn(ctx, getBuffer, 0.01) };
}

/** An offline context for "Export WAV" in the browser. */
export async function offlineBrowserEngine(
  workletUrl: string,
  setup: { sampleRate: number; length: number; getBuffer?: EngineOptions['getBuffer'] },
): Promise<{ ctx: IOfflineAudioContext; engine: Engine }> {
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: setup.length, sampleRate: setup.sampleRate });
  await ctx.audioWorklet!.addModule(workletUrl);
  return { ctx, engine: engineOn(ctx, setup.getBuffer, 0.005) };
}

/** Decode a dropped or fetched file at the context's rate. */
export function decodeBytes(ctx: AnyContext, bytes: ArrayBuffer): Promise<AudioBuffer> {
  return ctx.decodeAudioData(bytes) as unknown as Promise<AudioBuffer>;
}

/** Decode without a running graph (to check a dropped file before adding it). */
export function decodeStandalone(bytes: ArrayBuffer, sampleRate = 48000): Promise<AudioBuffer> {
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate });
  return ctx.decodeAudioData(bytes) as unknown as Promise<AudioBuffer>;
}
