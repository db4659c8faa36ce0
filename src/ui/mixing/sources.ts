// The session's audio for the mixing analyses (src/mixing): every track's file from the editor's
// SourceLibrary, decoded at one rate the way the CLI decodes it (src/engine/browser.ts
// decodeAudioBytes: our WAV reader, the browser's decoder for compressed files, libsamplerate for
// a rate change), handed to the analysis worker (run.ts), which reads them as memoryAudio. Decoded
// files are kept per library and rate, so Level, Align and Mix check one after another decode each
// file once.
import { decodeAudioBytes } from '../../engine/browser.ts';
import { walkNodes, type SessionDoc } from '../../model/document.ts';
import type { SourceLibrary } from '../audio.ts';

/** The rate the analyses render at: the export's default. */
export const ANALYSIS_RATE = 48000;

const decoded = new WeakMap<SourceLibrary, Map<string, { version: number; channels: Float32Array[] }>>();

/** Every track's decoded file (by its source name) at `sampleRate`, and the tracks whose file is missing or unreadable. */
export async function analysisBuffers(doc: SessionDoc, sources: SourceLibrary, sampleRate = ANALYSIS_RATE): Promise<{ buffers: Map<string, Float32Array[]>; problems: string[] }> {
  let cache = decoded.get(sources);
  if (!cache) decoded.set(sources, (cache = new Map()));
  const buffers = new Map<string, Float32Array[]>();
  const problems: string[] = [];
  for (const { node } of walkNodes(doc)) {
    if (node.type !== 'track') continue;
    const source = String(node.params.source ?? '');
    if (!source || buffers.has(source)) continue;
    const key = `${sampleRate}:${source}`;
    const known = cache.get(key);
    if (known && known.version === sources.version) {
      buffers.set(source, known.channels);
      continue;
    }
    try {
      const bytes = await sources.get(source);
      if (!bytes) {
        problems.push(`${node.label ?? node.id}: no audio loaded for “${source}”`);
        continue;
      }
      const { channels } = await decodeAudioBytes(bytes, sampleRate);
      cache.set(key, { version: sources.version, channels });
      buffers.set(source, channels);
    } catch (err) {
      problems.push(`${node.label ?? node.id}: cannot decode “${source}”: ${(err as Error).message}`);
    }
  }
  return { buffers, problems };
}
