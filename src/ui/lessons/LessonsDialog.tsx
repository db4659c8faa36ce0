// Lessons…: the built-in lessons with their descriptions; Open makes the lesson's starting session
// the open session (the one before is kept in Sessions) and shows the lesson panel.
import { useState } from 'react';
import { Dialog } from '../mastering/Dialog.tsx';
import type { LessonDoc } from '../../presets/lesson.ts';
import { BUILT_IN_LESSONS, type LessonEntry } from './builtins.ts';

export function LessonsDialog({ onOpen, onClose, lessons = BUILT_IN_LESSONS }: { onOpen(lesson: LessonDoc): void; onClose(): void; lessons?: readonly LessonEntry[] }) {
  const [picked, setPicked] = useState(lessons[0]?.id);
  return (
    <Dialog title="Lessons" className="lessons-dialog" closeLabel="Close lessons" onClose={onClose}>
      <p className="dialog-note">Each lesson opens its own session (yours is kept in Sessions) and shows its steps beside the graph, ticked as you do them.</p>
      <ul className="lesson-list" aria-label="Built-in lessons">
        {lessons.map(({ id, doc }) => (
          <li key={id} className={id === picked ? 'picked' : undefined}>
            <button type="button" className="lesson-name" aria-pressed={id === picked} onClick={() => setPicked(id)}>
              {doc.name}
            </button>
            {id === picked && (
              <div className="lesson-detail">
                <p className="lesson-description">{doc.description}</p>
                <p className="dialog-note">
                  {doc.steps.length} step{doc.steps.length === 1 ? '' : 's'}
                  {doc.tags.length ? ` · ${doc.tags.join(', ')}` : ''}
                </p>
                <button type="button" onClick={() => onOpen(doc)} aria-label={`Open lesson ${doc.name}`}>
                  Open
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
