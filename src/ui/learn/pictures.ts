// The Learn panel's picture of each node type: the inspector's own view where it draws the node's
// params (the EQ's curve, the compressor's transfer curve, the multiband's bands, the stereo image, the
// limiter's meters against its ceiling) and the delay's taps. Other types get the signal-flow picture
// when their ports say more than "in, out" (FlowPicture), else none: a box with one arrow in and one
// out teaches nothing the text does not.
import type { ComponentType } from 'react';
import type { NodeDefinition } from '../../../nodes/define.ts';
import { DelayTapsView } from '../../../nodes/delay/DelayTapsView.tsx';
import type { NodeViewProps } from '../../../nodes/view.ts';
import { nodeViews } from '../views.ts';

/** Views that read only the params (and live readings, which show nothing until it plays). */
const PARAM_VIEWS = ['eq', 'compressor', 'limiter', 'multiband', 'stereo'] as const;

export const learnPictures: Record<string, ComponentType<NodeViewProps>> = {
  ...Object.fromEntries(PARAM_VIEWS.map((t) => [t, nodeViews[t]])),
  delay: DelayTapsView,
};

/** The ports are more than one audio input and one output: the flow picture shows where the rest go. */
export function hasFlowPicture(def: NodeDefinition): boolean {
  const { inputs, outputs } = def.ports;
  if (!inputs.length && !outputs.length) return false;
  const plain = inputs.length === 1 && outputs.length === 1 && !inputs[0].role && !outputs[0].role && !def.speakers;
  return !plain;
}
