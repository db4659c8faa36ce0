// The browser adapter: standardized-audio-context contexts for the editor.
// One of the two files that import an audio library (node.ts is the other).
import { AudioContext, AudioWorkletNode, OfflineAudioContext, type IAudioContext, type IOfflineAudioContext } from 'standardized-audio-context';
import { decodeAudio, type DecodedAudio } from '../io/audio.ts';
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
  // Loaded when a file needs converting: libsamplerate's WebAssembly is 2 MB (1.5 MB gzipped), seven
  // times the rest of the editor, and most sessions never convert.
  const { resample } = await import('../io/resample.ts');
  return { ...audio, channels: await resample(audio.channels, audio.sampleRate, rate), sampleRate: rate };
}

/** Decoded channels as an AudioBuffer of `ctx` (for the track players). */
export function audioBufferOf(ctx: AnyContext, channels: readonly Float32Array[], sampleRate: number): AudioBuffer {
  const buffer = ctx.createBuffer(channels.length, Math.max(1, channels[0].length), sampleRate) as unknown as AudioBuffer;
  channels.forEach((c, i) => buffer.copyToChannel(c as Float32Array<ArrayBuffer>, i));
  return buffer;
}
