// The bundled demo session and its stems, served by Vite from presets/demo.
import demoText from '../../presets/demo/demo.json?raw';
import type { SessionDoc } from '../model/document.ts';
import { loadSession } from '../presets/load.ts';
import type { SourceLibrary } from './audio.ts';

const stems = import.meta.glob('../../presets/demo/stems/*.wav', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export function loadDemo(sources: SourceLibrary): SessionDoc {
  for (const [path, url] of Object.entries(stems)) sources.addUrl(`stems/${path.split('/').pop()}`, url);
  return loadSession(demoText, 'demo.json');
}
