// Undo and redo by replaying immer patches. A gesture (a knob drag, a node drag) is opened
// on pointer-down and closed on release, and everything inside it is one step; outside a
// gesture, consecutive commands with the same mergeKey also merge (typing in one field).
import { applyPatches, freeze, type Patch } from 'immer';
import { apply, type Command } from './commands.ts';
import type { SessionDoc } from './document.ts';

export interface Step {
  label: string;
  patches: Patch[];
  inversePatches: Patch[];
  mergeKey?: string;
}

export class History {
  private past: Step[] = [];
  private future: Step[] = [];
  private gesture: Step | null = null;
  /** A merge window closes when another kind of edit, an undo or a gesture end comes between. */
  private mergeOpen = false;

  constructor(
    public doc: SessionDoc,
    private readonly limit = 500,
  ) {
    // Change: the first document is frozen like every later one, so it cannot be changed in
    // place behind the history's back, and compile() can reuse its plan nodes by identity.
    freeze(doc, true);
  }

  get canUndo(): boolean {
    return this.past.length > 0 || this.gesture !== null;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
  get undoLabel(): string | undefined {
    return this.past[this.past.length - 1]?.label;
  }
  get redoLabel(): string | undefined {
    return this.future[this.future.length - 1]?.label;
  }

  /** Run a command; returns the new document. Throws (and changes nothing) if the command does. */
  run(command: Command): SessionDoc {
    const { doc, patches, inversePatches } = apply(this.doc, command);
    if (patches.length === 0) return this.doc;
    this.doc = doc;
    this.future = [];
    if (this.gesture) {
      this.gesture.patches.push(...patches);
      this.gesture.inversePatches.unshift(...inversePatches);
      return doc;
    }
    const last = this.past[this.past.length - 1];
    if (this.mergeOpen && last && command.mergeKey && last.mergeKey === command.mergeKey) {
      last.patches.push(...patches);
      last.inversePatches.unshift(...inversePatches);
      return doc;
    }
    this.push({ label: command.label, patches, inversePatches, mergeKey: command.mergeKey });
    this.mergeOpen = true;
    return doc;
  }

  beginGesture(label: string): void {
    this.endGesture();
    this.gesture = { label, patches: [], inversePatches: [] };
  }

  endGesture(): void {
    const g = this.gesture;
    this.gesture = null;
    this.mergeOpen = false;
    if (g && g.patches.length) this.push(g);
  }

  undo(): SessionDoc {
    this.endGesture();
    const step = this.past.pop();
    if (!step) return this.doc;
    this.doc = applyPatches(this.doc, step.inversePatches);
    this.future.push(step);
    return this.doc;
  }

  redo(): SessionDoc {
    this.endGesture();
    const step = this.future.pop();
    if (!step) return this.doc;
    this.doc = applyPatches(this.doc, step.patches);
    this.past.push(step);
    return this.doc;
  }

  /**
   * The closed steps (an open gesture is not included), for keeping the history with the session
   * (immer patches are plain JSON-able data). Copies: changing them does not change the history.
   */
  steps(): { past: Step[]; future: Step[] } {
    return structuredClone({ past: this.past, future: this.future });
  }

  /**
   * Replace the document without an undo step (opening a file); history starts afresh, or with
   * `steps` (from steps()) when the document comes back with its history (autosave).
   */
  reset(doc: SessionDoc, steps?: { past: readonly Step[]; future: readonly Step[] }): void {
    this.doc = freeze(doc, true);
    this.past = steps ? structuredClone([...steps.past]).slice(-this.limit) : [];
    this.future = steps ? structuredClone([...steps.future]) : [];
    this.gesture = null;
    this.mergeOpen = false;
  }

  private push(step: Step): void {
    this.past.push(step);
    if (this.past.length > this.limit) this.past.shift();
  }
}
