// Node types with a view of their own in the inspector (the view lives in the node's folder).
import type { ComponentType } from 'react';
import { CompressorView } from '../../nodes/compressor/CompressorView.tsx';
import { EqView } from '../../nodes/eq/EqView.tsx';
import { MasterView } from '../../nodes/master/MasterView.tsx';
import type { NodeViewProps } from '../../nodes/view.ts';

export const nodeViews: Record<string, ComponentType<NodeViewProps>> = {
  eq: EqView,
  compressor: CompressorView,
  master: MasterView,
};
