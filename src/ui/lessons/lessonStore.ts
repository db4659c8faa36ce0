// The open lesson, in one place: the panel that shows it to a student and the authoring panel that
// edits it both read this store (an earlier attempt kept the edited lesson in the editor's own state
// and the panel in App's, and the panel showed the old step count after Add step). Edits go through
// `edit()`, which keeps the lesson's own undo history (the session's undo stays the session's), and
// every change is kept in localStorage so a reload brings back the lesson and whether it was being
// edited. localStorage rather than the session keeper's IndexedDB: one small JSON document (the
// start and the steps, no audio: the start's audio is the open session's, which the keeper keeps),
// read synchronously when the editor starts, so the panel is there on the first frame.
import { useSyncExternalStore } from 'react';
import { newLesson } from '../../lessons/authoring.ts';
import type { SessionDoc } from '../../model/document.ts';
import { z } from 'zod';
import { loadLessonValue, saveLesson, type LessonDoc } from '../../presets/lesson.ts';
import { loadSessionValue, saveSession } from '../../presets/load.ts';
import { LESSON_MAX_STEPS, lessonStepSchema, MAX_DESCRIPTION, MAX_NAME, MAX_TAGS } from '../../presets/schema.ts';

export interface LessonState {
  lesson: LessonDoc | null;
  /** The authoring panel is open on it (else the student's panel). */
  editing: boolean;
  /** When the teacher last set the start from the session (ms), for the panel to say. */
  startSetAt: number | null;
  canUndo: boolean;
  canRedo: boolean;
}

const KEY = 'mixgraph:lesson';
/** Undo steps kept; the lesson is small but a long authoring session makes many. */
const HISTORY = 200;

/** What localStorage keeps: a draft may not pass the loader yet (a check on a node the start lost), so it is kept as parts. */
const keptSchema = z.object({
  editing: z.boolean(),
  startSetAt: z.number().nullable(),
  name: z.string().max(MAX_NAME),
  description: z.string().max(MAX_DESCRIPTION),
  author: z.string().max(MAX_NAME),
  tags: z.array(z.string().max(64)).max(MAX_TAGS),
  seconds: z.number().finite(),
  session: z.string(),
  steps: z.array(lessonStepSchema).min(1).max(LESSON_MAX_STEPS),
});

export class LessonStore {
  private state: LessonState = { lesson: null, editing: false, startSetAt: null, canUndo: false, canRedo: false };
  private past: LessonDoc[] = [];
  private future: LessonDoc[] = [];
  private lastMerge: string | undefined;
  private listeners = new Set<() => void>();

  constructor(private readonly storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
    this.restore();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): LessonState => this.state;

  /** Show `lesson` (a built-in, a file, a new one to write); its history starts afresh. */
  open(lesson: LessonDoc | null, options: { editing?: boolean; startSetAt?: number | null } = {}): void {
    this.past = [];
    this.future = [];
    this.lastMerge = undefined;
    this.set({ lesson, editing: lesson ? (options.editing ?? false) : false, startSetAt: options.startSetAt ?? null });
  }

  close(): void {
    this.open(null);
  }

  setEditing(editing: boolean): void {
    if (this.state.lesson) this.set({ editing });
  }

  /**
   * Change the lesson; one undo step, merged with the previous edit when both carry the same
   * `mergeKey` (typing in one field is one step, not one per key).
   */
  edit(change: (lesson: LessonDoc) => LessonDoc, mergeKey?: string): void {
    const now = this.state.lesson;
    if (!now) return;
    const next = change(now);
    if (next === now) return;
    if (!(mergeKey !== undefined && mergeKey === this.lastMerge)) {
      this.past.push(now);
      if (this.past.length > HISTORY) this.past.shift();
    }
    this.lastMerge = mergeKey;
    this.future = [];
    this.set({ lesson: next });
  }

  /** The start set from the session now (remembered with the time, for the panel to say when). */
  setStart(change: (lesson: LessonDoc) => LessonDoc): void {
    this.edit(change);
    this.set({ startSetAt: Date.now() });
  }

  undo(): void {
    const prev = this.past.pop();
    if (!prev || !this.state.lesson) return;
    this.future.push(this.state.lesson);
    this.lastMerge = undefined;
    this.set({ lesson: prev });
  }

  redo(): void {
    const next = this.future.pop();
    if (!next || !this.state.lesson) return;
    this.past.push(this.state.lesson);
    this.lastMerge = undefined;
    this.set({ lesson: next });
  }

  private set(change: Partial<LessonState>): void {
    this.state = { ...this.state, ...change, canUndo: this.past.length > 0, canRedo: this.future.length > 0 };
    for (const l of this.listeners) l();
    this.keep();
  }

  private keep(): void {
    if (!this.storage) return;
    const { lesson, editing, startSetAt } = this.state;
    try {
      if (!lesson) return this.storage.removeItem(KEY);
      const kept: z.input<typeof keptSchema> = { editing, startSetAt, name: lesson.name, description: lesson.description, author: lesson.author, tags: lesson.tags, seconds: lesson.seconds, session: saveSession(lesson.session), steps: lesson.steps };
      this.storage.setItem(KEY, JSON.stringify(kept));
    } catch {
      // Storage full or refused: the lesson lives on in this tab; Save lesson file keeps it for good.
    }
  }

  /** The kept lesson, each part checked as the loaders check files (storage is not trusted more than a file). */
  private restore(): void {
    let raw: string | null = null;
    try {
      raw = this.storage?.getItem(KEY) ?? null;
    } catch {
      return;
    }
    if (!raw) return;
    try {
      const kept = keptSchema.safeParse(JSON.parse(raw));
      if (!kept.success) return;
      const session = loadSessionValue(JSON.parse(kept.data.session));
      if (!session.ok) return;
      const { editing, startSetAt, session: _s, ...rest } = kept.data;
      const lesson = { format: session.doc.format, version: session.doc.version, kind: 'lesson', ...rest, session: session.doc } as LessonDoc;
      // A lesson the loader accepts comes back as it loads (defaults filled); a draft as it was.
      const loaded = loadLessonValue(JSON.parse(saveLesson(lesson)));
      this.state = { ...this.state, lesson: loaded.ok ? loaded.doc : lesson, editing, startSetAt };
    } catch {
      // Not JSON, or not ours: forgotten.
    }
  }
}

/**
 * Session → New lesson from this session: a lesson whose start is the open session, in the
 * authoring panel. A lesson being written is not replaced without asking (its file is not saved).
 */
export function newLessonFrom(editor: { getState(): { doc: SessionDoc } }, store: LessonStore = lessonStore): void {
  const now = store.getState();
  if (now.lesson && now.canUndo && !confirm(`Replace the lesson “${now.lesson.name}” you are writing? Save its file first to keep it.`)) return;
  store.open(newLesson(editor.getState().doc), { editing: true, startSetAt: Date.now() });
}

/** The editor's one lesson store (kept in this browser's localStorage). */
export const lessonStore = new LessonStore(typeof localStorage === 'undefined' ? undefined : localStorage);

export function useLesson<T>(pick: (s: LessonState) => T, store: LessonStore = lessonStore): T {
  return useSyncExternalStore(store.subscribe, () => pick(store.getState()));
}
