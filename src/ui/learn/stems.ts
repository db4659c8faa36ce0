// The demo stems a Listen example plays, served by Vite from presets/demo/stems (the demo's own files,
// bundled once) under the example's own source names (listenStemSource).
import { DEMO_STEMS } from '../../../nodes/define.ts';
import { listenStemSource } from '../../model/listen.ts';
import type { SourceLibrary } from '../audio.ts';

const urls = import.meta.glob('../../../presets/demo/stems/*.wav', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export function addListenStems(sources: SourceLibrary): void {
  for (const stem of DEMO_STEMS) {
    const url = Object.entries(urls).find(([path]) => path.endsWith(`/${stem}.wav`))?.[1];
    const source = listenStemSource(stem);
    if (url && !sources.has(source)) sources.addUrl(source, url);
  }
}
