// A connection as the canvas draws it. Forward (the usual left-to-right case) it is React Flow's
// bezier; when its input lies left of its output (a row that wraps, a return under its source) a
// bezier would loop across the nodes, so it is routed as right-angled steps around them instead.
import { BaseEdge, getBezierPath, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';

/** An input at least this far right of its output (flow units) gets a bezier. */
const FORWARD_GAP = 16;

export const MixEdge = memo(function MixEdge(props: EdgeProps) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, style, interactionWidth } = props;
  const forward = targetX - sourceX >= FORWARD_GAP;
  const [path] = forward
    ? getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
    : getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 10, offset: 10 });
  return <BaseEdge path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />;
});
