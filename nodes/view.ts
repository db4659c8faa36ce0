// What the editor hands a node's own view (nodes/<type>/View.tsx). Views are plain React over
// these props; they import nothing from the editor, so the layering stays one-way.
import type { Params, ParamValue } from './define.ts';

export interface NodeViewProps {
  id: string;
  params: Params;
  setParam(name: string, value: ParamValue): void;
  /** Wrap a continuous drag so it is one undo step. */
  beginGesture(): void;
  endGesture(): void;
  /** Live readings (null before audio starts). */
  live: {
    onFrame(read: () => void): () => void;
    reduction(): number;
    spectrum(): { data: Float32Array; sampleRate: number } | null;
    peakDb(channel?: number): number;
    /** A named reading of the node (its definition's read(), e.g. 'integrated'); undefined before there is one. */
    read(name: string): number | undefined;
  };
}
