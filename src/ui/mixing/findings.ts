// The last mix check's findings, for the panel and for the hints on the canvas's nodes. A result
// belongs to the document it was computed on: once the session changes, the hints go (a finding may
// no longer hold, and its fix was built for the old document) until the check runs again.
import { useSyncExternalStore } from 'react';
import type { Finding, MixCheckResult } from '../../mixing/mixcheck.ts';
import type { SessionDoc } from '../../model/document.ts';
import { useEditor, type EditorStore } from '../store.ts';

export interface CheckedMix {
  doc: SessionDoc;
  result: MixCheckResult;
}

let current: CheckedMix | null = null;
const listeners = new Set<() => void>();

export function setCheckedMix(checked: CheckedMix | null): void {
  current = checked;
  for (const l of listeners) l();
}

export function getCheckedMix(): CheckedMix | null {
  return current;
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useCheckedMix(): CheckedMix | null {
  return useSyncExternalStore(subscribe, getCheckedMix, getCheckedMix);
}

/** The findings about the node at `path` while `doc` is the one checked (else none). */
export function findingsFor(checked: CheckedMix | null, doc: SessionDoc, path: string): Finding[] {
  if (!checked || checked.doc !== doc) return [];
  return checked.result.findings.filter((f) => f.tracks.includes(path));
}

export const FINDING_TITLES: Record<Finding['kind'], string> = {
  dominating: 'Dominates',
  masking: 'Masking',
  'vocal-buried': 'Vocal buried',
  'vocal-on-top': 'Vocal on top',
};

const NONE: Finding[] = [];

/**
 * The findings about the node at `path`, while the checked document is the open one. Re-renders a
 * node only when that flips (a drag's every move changes the document, not this boolean).
 */
export function useNodeFindings(store: EditorStore, path: string): Finding[] {
  const checked = useCheckedMix();
  const current = useEditor(store, (s) => checked !== null && checked.doc === s.doc);
  if (!current || !checked) return NONE;
  const found = checked.result.findings.filter((f) => f.tracks.includes(path));
  return found.length ? found : NONE;
}
