// A frame: a labelled box drawn under a group of nodes ("Drums", "Vocal chain"). It lies under the
// nodes and cables and lets the pointer through everywhere but its label bar (drag it there to move,
// double-click or Enter to rename) and, when selected, its resize controls: a node inside it is
// clicked, dragged, wired and dropped on as if the frame were not there.
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useRef, type CSSProperties } from 'react';
import { editAnnotation } from '../../model/annotations.ts';
import { ANNOTATION_SIZE_RANGE, MAX_LABEL } from '../../presets/schema.ts';
import { useServices } from '../context.ts';
import type { FrameFlowNode } from './annotations.ts';
import { useInPlaceEdit } from './useInPlaceEdit.ts';
import './annotations.css';

const MIN = ANNOTATION_SIZE_RANGE[0];

export const FrameNode = memo(function FrameNode({ data, selected }: NodeProps<FrameFlowNode>) {
  const { store } = useServices();
  const frame = data.annotation;
  const root = useRef<HTMLDivElement>(null);
  const edit = useInPlaceEdit(frame.id, frame.label, data.readOnly, (label) => store.run(editAnnotation(frame.id, { label })), root);
  const style = frame.color ? ({ '--annotation-color': frame.color } as CSSProperties) : undefined;
  return (
    <div ref={root} className={`annotation annotation-frame${selected ? ' selected' : ''}`} style={style} data-testid={`frame-${frame.id}`}>
      <NodeResizer
        isVisible={selected && !data.readOnly}
        minWidth={MIN}
        minHeight={MIN}
        lineClassName="annotation-resize-line"
        handleClassName="annotation-resize-handle"
        onResizeStart={() => store.beginGesture('Resize frame')}
        onResizeEnd={() => store.endGesture()}
      />
      <div className="annotation-frame-bar" onDoubleClick={edit.open}>
        {edit.draft !== null ? (
          <input
            type="text"
            className="annotation-frame-editor nodrag"
            aria-label="Frame label"
            autoFocus
            maxLength={MAX_LABEL}
            value={edit.draft}
            onChange={(e) => edit.setDraft(e.target.value)}
            onBlur={() => edit.close(true)}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Escape') edit.close(false);
              else if (e.key === 'Enter') edit.close(true);
            }}
          />
        ) : (
          <span className="annotation-frame-label">{frame.label || (data.readOnly ? 'Frame' : 'Frame (double-click to name)')}</span>
        )}
      </div>
    </div>
  );
});
