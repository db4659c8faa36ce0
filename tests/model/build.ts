// Small builders for session documents in tests (not a test file: vitest collects *.test.ts only).
import type { Params } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { emptySession, type DocEdge, type DocNode, type SessionDoc } from '../../src/model/document.ts';
import { fillParams } from '../../src/model/params.ts';

export interface NodeSpec {
  id: string;
  type: string;
  params?: Params;
  label?: string;
  bypass?: boolean;
}

/** A node with every param filled (what addNode and loadSession produce). */
export function node(spec: NodeSpec): DocNode {
  const def = getDefinition(spec.type);
  const out: DocNode = { id: spec.id, type: spec.type, params: def ? fillParams(def, spec.params) : { ...spec.params } };
  if (spec.label !== undefined) out.label = spec.label;
  if (spec.bypass !== undefined) out.bypass = spec.bypass;
  return out;
}

/** "a->b", "a.send->b", "a->comp.sidechain": ports default to out/in. */
export function edge(text: string): DocEdge {
  const [left, right] = text.split('->');
  const [from, fromPort = 'out'] = left.split('.');
  const [to, toPort = 'in'] = right.split('.');
  return { from, fromPort, to, toPort };
}

/** A session from node specs (or [id, type] pairs) and edge strings. */
export function session(nodes: (NodeSpec | [string, string])[], edges: (string | DocEdge)[] = []): SessionDoc {
  const doc = emptySession('Test');
  doc.nodes = nodes.map((n) => node(Array.isArray(n) ? { id: n[0], type: n[1] } : n));
  doc.edges = edges.map((e) => (typeof e === 'string' ? edge(e) : e));
  return doc;
}

/** kick -> eq -> comp -> drums -> master, plus a generator into the bus. */
export function demo(): SessionDoc {
  return session(
    [
      { id: 'kick', type: 'track', label: 'Kick', params: { source: 'stems/kick.wav', gain: -6, category: 'drums' } },
      { id: 'snare', type: 'track', params: { source: 'stems/snare.wav' } },
      { id: 'eq1', type: 'eq', params: { bands: [{ type: 'highpass', frequency: 80, q: 0.707 }] } },
      { id: 'comp', type: 'compressor' },
      { id: 'drums', type: 'bus', label: 'Drum bus' },
      { id: 'master', type: 'master' },
    ],
    ['kick->eq1', 'eq1->comp', 'comp->drums', 'snare->drums', 'drums->master'],
  );
}

/** Deep copy, to compare a document with its state before an edit. */
export const clone = <T>(v: T): T => structuredClone(v);
