// Edits of the session's own name and notes: undoable like any edit, typing in one field one step.
import type { Command } from '../../model/commands.ts';

export function setSessionName(name: string): Command {
  return {
    label: 'Rename session',
    mergeKey: 'session:name',
    run(d) {
      if (d.name !== name) d.name = name;
    },
  };
}

export type MetaField = 'description' | 'author';

export function setSessionMeta(field: MetaField, value: string): Command {
  return {
    label: field === 'author' ? 'Set author' : 'Edit description',
    mergeKey: `session:${field}`,
    run(d) {
      if (d.meta[field] !== value) d.meta[field] = value;
    },
  };
}

/** Tags as typed ("pop, live,  demo"): trimmed, empty ones and repeats left out. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

export function setSessionTags(tags: readonly string[]): Command {
  return {
    label: 'Set tags',
    mergeKey: 'session:tags',
    run(d) {
      // A new but equal list would still be a change for immer: an empty undo step per keystroke.
      if (d.meta.tags.length !== tags.length || d.meta.tags.some((t, i) => t !== tags[i])) d.meta.tags = [...tags];
    },
  };
}
