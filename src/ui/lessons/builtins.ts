// The built-in lessons shipped in presets/lessons (bundled by Vite and checked like a lesson file);
// a lesson's `<name>.solution.json` is its answer for the tests and `mixgraph check`, not offered.
import { formatProblem } from '../../model/validate.ts';
import { loadLessonValue, type LessonDoc } from '../../presets/lesson.ts';

const lessonFiles = import.meta.glob(['../../../presets/lessons/*.json', '!../../../presets/lessons/*.solution.json'], { eager: true, import: 'default' }) as Record<string, unknown>;

export interface LessonEntry {
  /** "built-in:lessons/signal-flow-101" */
  id: string;
  doc: LessonDoc;
}

/** Every built-in lesson that loads (a broken one is left out with a console warning), in file order. */
export const BUILT_IN_LESSONS: readonly LessonEntry[] = Object.entries(lessonFiles)
  .sort(([a], [b]) => a.localeCompare(b))
  .flatMap(([path, value]) => {
    const key = path.split('/').pop()!.replace(/\.json$/, '');
    const result = loadLessonValue(structuredClone(value));
    if (result.ok) return [{ id: `built-in:lessons/${key}`, doc: result.doc }];
    console.warn(`presets/lessons/${key}.json does not load: ${result.problems.map(formatProblem).join('; ')}`);
    return [];
  });
