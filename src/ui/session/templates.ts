// The session templates shipped in presets/templates (bundled by Vite, checked like any file), and
// the demo: what New session can start from besides an empty graph.
import type { SessionDoc } from '../../model/document.ts';
import { formatProblem } from '../../model/validate.ts';
import { loadSessionValue } from '../../presets/load.ts';

const files = import.meta.glob('../../../presets/templates/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

export interface Template {
  /** File name without .json: "band-mix". */
  key: string;
  doc: SessionDoc;
}

/** Every shipped template that loads (a broken one is left out with a console warning), by name. */
export const TEMPLATES: readonly Template[] = Object.entries(files)
  .flatMap(([path, value]) => {
    const key = path.split('/').pop()!.replace(/\.json$/, '');
    const result = loadSessionValue(structuredClone(value));
    if (result.ok) return [{ key, doc: result.doc }];
    console.warn(`presets/templates/${key}.json does not load: ${result.problems.map(formatProblem).join('; ')}`);
    return [];
  })
  .sort((a, b) => a.doc.name.localeCompare(b.doc.name));
