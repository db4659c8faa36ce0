// A note on the canvas: Markdown text (headings, emphasis, lists, links in a new tab; any HTML shown
// as text) for the people reading the graph. Drag to move, the corners and edges to resize (when
// selected), double-click or Enter to edit. It has no ports: nothing connects to a note.
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useMemo, useRef, type CSSProperties } from 'react';
import { editAnnotation } from '../../model/annotations.ts';
import { ANNOTATION_SIZE_RANGE, NOTE_MAX_TEXT } from '../../presets/schema.ts';
import { useServices } from '../context.ts';
import { renderMarkdown } from '../markdown.ts';
import type { NoteFlowNode } from './annotations.ts';
import { useInPlaceEdit } from './useInPlaceEdit.ts';
import './annotations.css';

const MIN = ANNOTATION_SIZE_RANGE[0];

export const NoteNode = memo(function NoteNode({ data, selected }: NodeProps<NoteFlowNode>) {
  const { store } = useServices();
  const note = data.annotation;
  const root = useRef<HTMLDivElement>(null);
  const edit = useInPlaceEdit(note.id, note.text, data.readOnly, (text) => store.run(editAnnotation(note.id, { text })), root);
  const html = useMemo(() => renderMarkdown(note.text), [note.text]);
  const style = note.color ? ({ '--annotation-color': note.color } as CSSProperties) : undefined;
  return (
    <div ref={root} className={`annotation annotation-note${selected ? ' selected' : ''}`} style={style} data-testid={`note-${note.id}`} onDoubleClick={edit.open}>
      <NodeResizer
        isVisible={selected && !data.readOnly}
        minWidth={MIN}
        minHeight={MIN}
        lineClassName="annotation-resize-line"
        handleClassName="annotation-resize-handle"
        onResizeStart={() => store.beginGesture('Resize note')}
        onResizeEnd={() => store.endGesture()}
      />
      {edit.draft !== null ? (
        <textarea
          className="annotation-note-editor nodrag nowheel nopan"
          aria-label="Note text (Markdown: # heading, **bold**, *italic*, - list, [link](https://...))"
          autoFocus
          maxLength={NOTE_MAX_TEXT}
          value={edit.draft}
          onChange={(e) => edit.setDraft(e.target.value)}
          onBlur={() => edit.close(true)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Escape') edit.close(false);
            else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) edit.close(true);
          }}
        />
      ) : note.text.trim() === '' ? (
        <p className="annotation-placeholder">{data.readOnly ? 'An empty note' : 'Double-click to write (Markdown)'}</p>
      ) : (
        <div className="annotation-note-text nowheel" dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </div>
  );
});
