// Notes and frames on the canvas (the session's `annotations`): commands that add, move, resize, edit
// and delete them. They go through the same history as node edits (one undo step each; a drag or a
// resize is one gesture) and, touching nothing the audio hears, are layout-only edits: the live engine
// does not recompile for them (layoutOnly in document.ts leaves `annotations` out).
import type { Draft } from 'immer';
import { ANNOTATION_COORD_RANGE, ANNOTATION_SIZE_RANGE, MAX_ANNOTATIONS, MAX_LABEL, NOTE_MAX_TEXT, type Annotation, type FrameAnnotation, type NoteAnnotation } from '../presets/schema.ts';
import type { Command } from './commands.ts';
import type { Position, SessionDoc } from './document.ts';

export type { Annotation, FrameAnnotation, NoteAnnotation };

export interface Size {
  width: number;
  height: number;
}

/** What a new note and frame measure (a note holds a few lines at 14 px; a frame about two nodes). */
export const NOTE_SIZE: Size = { width: 240, height: 140 };
export const FRAME_SIZE: Size = { width: 420, height: 260 };
/** Room a frame leaves around the nodes it is made for, and above them for its label bar. */
export const FRAME_PADDING = 24;
export const FRAME_LABEL_SPACE = 36;

const clamp = (v: number, [lo, hi]: readonly [number, number]) => (Number.isNaN(v) ? lo : Math.min(hi, Math.max(lo, v)));
/** Canvas coordinates rounded to the pixel and kept in the format's ranges, so an edit never makes a file that does not load. */
const place = (p: Position): Position => ({ x: Math.round(clamp(p.x, ANNOTATION_COORD_RANGE)), y: Math.round(clamp(p.y, ANNOTATION_COORD_RANGE)) });
const sized = (s: Size): Size => ({ width: Math.round(clamp(s.width, ANNOTATION_SIZE_RANGE)), height: Math.round(clamp(s.height, ANNOTATION_SIZE_RANGE)) });

/** An annotation id not used yet: "note", "note2", ... */
export function freshAnnotationId(doc: SessionDoc, kind: Annotation['kind']): string {
  const used = new Set((doc.annotations ?? []).map((a) => a.id));
  let id: string = kind;
  for (let i = 2; used.has(id); i++) id = `${kind}${i}`;
  return id;
}

function find(d: Draft<SessionDoc>, id: string): Draft<Annotation> {
  const a = d.annotations?.find((x) => x.id === id);
  if (!a) throw new Error(`there is no note or frame "${id}" (it may have been deleted)`);
  return a;
}

export function addAnnotation(annotation: Annotation): Command {
  const full = { ...annotation, position: place(annotation.position), size: sized(annotation.size) } as Annotation;
  return {
    label: annotation.kind === 'note' ? 'Add note' : 'Add frame',
    run(d) {
      const list = (d.annotations ??= []);
      if (list.some((a) => a.id === full.id)) throw new Error(`a note or frame with id "${full.id}" exists already`);
      if (list.length >= MAX_ANNOTATIONS) throw new Error(`a session holds at most ${MAX_ANNOTATIONS} notes and frames; delete one first`);
      list.push(structuredClone(full) as Draft<Annotation>);
    },
  };
}

/** Move and/or resize annotations (a drag, a resize from any edge): one merge key per set of ids, so a drag outside a gesture merges too. */
export function layoutAnnotations(changes: readonly { id: string; position?: Position; size?: Size }[]): Command {
  const ids = changes.map((c) => c.id);
  const resizing = changes.some((c) => c.size);
  return {
    label: `${resizing ? 'Resize' : 'Move'} ${ids.length === 1 ? ids[0] : `${ids.length} notes and frames`}`,
    mergeKey: `annotation-layout:${ids.join(',')}`,
    run(d) {
      for (const c of changes) {
        const a = find(d, c.id);
        if (c.position) {
          const p = place(c.position);
          if (p.x !== a.position.x || p.y !== a.position.y) a.position = p;
        }
        if (c.size) {
          const s = sized(c.size);
          if (s.width !== a.size.width || s.height !== a.size.height) a.size = s;
        }
      }
    },
  };
}

/** A note's text or a frame's label (and either's colour); too long a text is refused, not cut. */
export function editAnnotation(id: string, edit: { text?: string; label?: string; color?: string | null }): Command {
  return {
    label: edit.text !== undefined ? `Edit note ${id}` : edit.label !== undefined ? `Rename frame ${id}` : `Colour ${id}`,
    run(d) {
      const a = find(d, id);
      if (edit.text !== undefined) {
        if (a.kind !== 'note') throw new Error(`"${id}" is a frame: it has a label, not a text`);
        if (edit.text.length > NOTE_MAX_TEXT) throw new Error(`A note holds at most ${NOTE_MAX_TEXT} characters; this text has ${edit.text.length}`);
        if (a.text !== edit.text) a.text = edit.text;
      }
      if (edit.label !== undefined) {
        if (a.kind !== 'frame') throw new Error(`"${id}" is a note: it has a text, not a label`);
        if (edit.label.length > MAX_LABEL) throw new Error(`A frame's label holds at most ${MAX_LABEL} characters; this one has ${edit.label.length}`);
        if (a.label !== edit.label) a.label = edit.label;
      }
      if (edit.color === null && a.color !== undefined) delete a.color;
      else if (typeof edit.color === 'string') {
        if (!/^#[0-9a-fA-F]{6}$/.test(edit.color)) throw new Error(`"${edit.color}" is not a colour like #e0b040`);
        if (a.color !== edit.color) a.color = edit.color;
      }
    },
  };
}

export function removeAnnotations(ids: readonly string[]): Command {
  const gone = new Set(ids);
  return {
    label: ids.length === 1 ? `Delete ${ids[0]}` : `Delete ${ids.length} notes and frames`,
    run(d) {
      if (!d.annotations?.some((a) => gone.has(a.id))) return;
      const kept = d.annotations.filter((a) => !gone.has(a.id));
      if (kept.length) d.annotations = kept;
      else delete d.annotations;
    },
  };
}

/** The frame's box around node boxes (position and measured size each): padded, with room for the label above. */
export function frameAround(boxes: readonly { x: number; y: number; width: number; height: number }[]): { position: Position; size: Size } | null {
  if (boxes.length === 0) return null;
  const x0 = Math.min(...boxes.map((b) => b.x)) - FRAME_PADDING;
  const y0 = Math.min(...boxes.map((b) => b.y)) - FRAME_PADDING - FRAME_LABEL_SPACE;
  const x1 = Math.max(...boxes.map((b) => b.x + b.width)) + FRAME_PADDING;
  const y1 = Math.max(...boxes.map((b) => b.y + b.height)) + FRAME_PADDING;
  return { position: { x: Math.floor(x0), y: Math.floor(y0) }, size: { width: Math.ceil(x1 - Math.floor(x0)), height: Math.ceil(y1 - Math.floor(y0)) } };
}
