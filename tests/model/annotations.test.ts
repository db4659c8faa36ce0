// Notes and frames as commands: one undo step each (a drag or resize as one gesture), through the same
// history as node edits, refused with a clear message when they cannot apply, and never a change of
// the sound (layoutOnly: the live engine does not recompile for them).
import { describe, expect, it } from 'vitest';
import { addAnnotation, editAnnotation, frameAround, FRAME_LABEL_SPACE, FRAME_PADDING, freshAnnotationId, layoutAnnotations, removeAnnotations } from '../../src/model/annotations.ts';
import { setParam } from '../../src/model/commands.ts';
import { layoutOnly } from '../../src/model/document.ts';
import { History } from '../../src/model/history.ts';
import { validate } from '../../src/model/validate.ts';
import { loadSession, saveSession } from '../../src/presets/load.ts';
import { NOTE_MAX_TEXT } from '../../src/presets/schema.ts';
import { demo } from './build.ts';

const note = { id: 'n1', kind: 'note' as const, position: { x: 10, y: 20 }, size: { width: 240, height: 140 }, text: '# Kick\n\nGoes to the **bus**.' };
const frame = { id: 'f1', kind: 'frame' as const, position: { x: -40, y: -60 }, size: { width: 500, height: 300 }, label: 'Drums' };

describe('annotation commands', () => {
  it('add, move, resize, edit and delete are each one undo step; undo and redo walk them back and forth', () => {
    const h = new History(demo());
    const start = h.doc;
    h.run(addAnnotation(note));
    h.run(addAnnotation(frame));
    expect(h.doc.annotations).toEqual([note, frame]);
    expect(h.undoLabel).toBe('Add frame');

    // A drag: many moves inside one gesture, one step.
    h.beginGesture('Move');
    for (let x = 11; x <= 60; x++) h.run(layoutAnnotations([{ id: 'n1', position: { x, y: 20 + x } }]));
    h.endGesture();
    expect(h.doc.annotations![0].position).toEqual({ x: 60, y: 80 });
    // A resize from the top-left corner moves and sizes at once.
    h.beginGesture('Resize note');
    h.run(layoutAnnotations([{ id: 'f1', position: { x: -80, y: -100 }, size: { width: 540.4, height: 339.6 } }]));
    h.endGesture();
    expect(h.doc.annotations![1]).toMatchObject({ position: { x: -80, y: -100 }, size: { width: 540, height: 340 } });
    h.run(editAnnotation('n1', { text: 'Changed' }));
    h.run(editAnnotation('f1', { label: 'Drum tracks', color: '#40a0e0' }));
    h.run(removeAnnotations(['n1']));
    expect(h.doc.annotations!.map((a) => a.id)).toEqual(['f1']);

    h.undo(); // delete
    expect(h.doc.annotations![0]).toMatchObject({ id: 'n1', text: 'Changed' });
    h.undo(); // label + colour
    expect(h.doc.annotations![1]).toMatchObject({ label: 'Drums' });
    expect(h.doc.annotations![1].color).toBeUndefined();
    h.undo(); // text
    expect(h.doc.annotations![0]).toMatchObject({ text: note.text });
    h.undo(); // resize
    expect(h.doc.annotations![1]).toMatchObject(frame);
    h.undo(); // the whole drag
    expect(h.doc.annotations![0].position).toEqual(note.position);
    h.redo();
    expect(h.doc.annotations![0].position).toEqual({ x: 60, y: 80 });
    h.undo();
    h.undo();
    h.undo();
    expect(h.doc).toEqual(start);
    expect(h.canUndo).toBe(false);
    for (let i = 0; i < 7; i++) h.redo();
    expect(h.doc.annotations).toEqual([{ ...frame, position: { x: -80, y: -100 }, size: { width: 540, height: 340 }, label: 'Drum tracks', color: '#40a0e0' }]);
  });

  it('deleting the last one leaves no empty list; deleting one that is not there changes nothing', () => {
    const h = new History(demo());
    h.run(addAnnotation(note));
    h.run(removeAnnotations(['n1']));
    expect(h.doc.annotations).toBeUndefined();
    const before = h.doc;
    expect(h.run(removeAnnotations(['nope']))).toBe(before);
  });

  it('is layout-only: no edit of a note or frame recompiles the audio graph, a param change still does', () => {
    const h = new History(demo());
    const steps = [addAnnotation(note), layoutAnnotations([{ id: 'n1', position: { x: 5, y: 5 }, size: { width: 300, height: 300 } }]), editAnnotation('n1', { text: 'x', color: '#ffffff' }), removeAnnotations(['n1'])];
    for (const c of steps) {
      const before = h.doc;
      const next = h.run(c);
      expect(next).not.toBe(before);
      expect(layoutOnly(before, next), c.label).toBe(true);
    }
    const before = h.doc;
    expect(layoutOnly(before, h.run(setParam('comp', 'threshold', -30)))).toBe(false);
  });

  it('refuses what cannot apply, with what and why, changing nothing', () => {
    const h = new History(demo());
    h.run(addAnnotation(note));
    h.run(addAnnotation(frame));
    const before = h.doc;
    expect(() => h.run(addAnnotation(note))).toThrow('a note or frame with id "n1" exists already');
    expect(() => h.run(editAnnotation('gone', { text: 'x' }))).toThrow('there is no note or frame "gone"');
    expect(() => h.run(editAnnotation('f1', { text: 'x' }))).toThrow('"f1" is a frame: it has a label, not a text');
    expect(() => h.run(editAnnotation('n1', { label: 'x' }))).toThrow('"n1" is a note: it has a text, not a label');
    expect(() => h.run(editAnnotation('n1', { text: 'x'.repeat(NOTE_MAX_TEXT + 1) }))).toThrow(`A note holds at most ${NOTE_MAX_TEXT} characters`);
    expect(() => h.run(editAnnotation('n1', { color: 'red' }))).toThrow('"red" is not a colour like #e0b040');
    expect(h.doc).toBe(before);
  });

  it('keeps sizes and positions in the format’s ranges, so an edit never makes a file that does not load', () => {
    const h = new History(demo());
    h.run(addAnnotation({ ...note, position: { x: Number.NaN, y: 5e9 }, size: { width: 1, height: Number.POSITIVE_INFINITY } }));
    expect(h.doc.annotations![0]).toMatchObject({ position: { x: -1_000_000, y: 1_000_000 }, size: { width: 40, height: 20_000 } });
    const back = loadSession(saveSession(h.doc));
    expect(back.annotations).toEqual(h.doc.annotations);
  });

  it('fresh ids, and a frame fitted around node boxes with padding and room for its label', () => {
    const h = new History(demo());
    expect(freshAnnotationId(h.doc, 'note')).toBe('note');
    h.run(addAnnotation({ ...note, id: 'note' }));
    expect(freshAnnotationId(h.doc, 'note')).toBe('note2');
    expect(frameAround([])).toBeNull();
    const box = frameAround([
      { x: 100, y: 200, width: 136, height: 80 },
      { x: 300, y: 180, width: 136, height: 100.5 },
    ])!;
    expect(box.position).toEqual({ x: 100 - FRAME_PADDING, y: 180 - FRAME_PADDING - FRAME_LABEL_SPACE });
    expect(box.position.x + box.size.width).toBeGreaterThanOrEqual(436 + FRAME_PADDING);
    expect(box.position.y + box.size.height).toBeGreaterThanOrEqual(280.5 + FRAME_PADDING);
  });

  it('validate names two annotations with one id', () => {
    const doc = { ...demo(), annotations: [note, { ...frame, id: 'n1' }] };
    expect(validate(doc)).toContainEqual({ path: 'annotations[1].id', message: 'duplicate annotation id "n1": each note and frame needs its own' });
  });
});
