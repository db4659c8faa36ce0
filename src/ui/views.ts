// Node types with a view of their own in the inspector (the view lives in the node's folder).
import type { ComponentType } from 'react';
import { CompressorView } from '../../nodes/compressor/CompressorView.tsx';
import { EqView } from '../../nodes/eq/EqView.tsx';
import { LimiterView } from '../../nodes/limiter/LimiterView.tsx';
import { LoudnessView } from '../../nodes/loudness/LoudnessView.tsx';
import { MasterView } from '../../nodes/master/MasterView.tsx';
import { MultibandView } from '../../nodes/multiband/MultibandView.tsx';
import { StereoView } from '../../nodes/stereo/StereoView.tsx';
import type { NodeViewProps } from '../../nodes/view.ts';
// The mastering views' meters and the mastering panels share one stylesheet.
import './mastering/mastering.css';

export const nodeViews: Record<string, ComponentType<NodeViewProps>> = {
  eq: EqView,
  compressor: CompressorView,
  master: MasterView,
  limiter: LimiterView,
  loudness: LoudnessView,
  multiband: MultibandView,
  stereo: StereoView,
};
