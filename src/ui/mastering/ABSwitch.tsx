import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { MonitorSource } from '../../../nodes/define.ts';
import { addNode, freshId, setParam } from '../../model/commands.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { analysisFor, formatLufs, matchTrim, mixKey, referenceOf } from './analysis.ts';

/** Edits come in bursts (a knob drag): re-measure the mix once they settle. */
const REMEASURE_DELAY_MS = 700;

export interface Matched {
  mix: number;
  reference: number;
  trim: number;
}

/** What LiveAudio plays now: the mix or the reference (React re-renders when it changes). */
export function useMonitoring(): MonitorSource {
  const { audio } = useServices();
  return useSyncExternalStore(
    useCallback((l: () => void) => audio.onChange(l), [audio]),
    () => audio.monitoring.source,
  );
}

/**
 * Loads an audio file as the session's reference: into the existing reference node, or a new one.
 * The file is decoded first; a file that does not decode changes nothing and says why.
 */
export function useLoadReference(): (file: File) => Promise<void> {
  const { store, audio } = useServices();
  return useCallback(
    async (file: File) => {
      const bytes = await file.arrayBuffer();
      const { problem } = await audio.inspect(bytes);
      if (problem !== null) {
        store.notify('error', `${file.name}: cannot decode it as audio: ${problem}. The reference is unchanged.`);
        return;
      }
      audio.sources.add(file.name, bytes);
      const doc = store.getState().doc;
      const existing = referenceOf(doc);
      if (existing) store.run({ ...setParam(existing.id, 'source', file.name), label: 'Change reference', mergeKey: undefined });
      else {
        // Below the graph's lowest node, out of the way: it has no ports to wire.
        const bottom = Math.max(0, ...doc.nodes.map((n) => (n.position?.y ?? 0) + 160));
        store.run(addNode({ id: freshId(doc, 'reference'), type: 'reference', label: file.name.replace(/\.[^.]+$/, ''), position: { x: 0, y: bottom }, params: { source: file.name } }));
      }
    },
    [store, audio],
  );
}

/**
 * The A/B switch: plays the mix or the reference at matched loudness. The trim is measured,
 * not guessed: the mix's integrated loudness (an offline bounce of the session) minus the
 * reference's (its decoded file), both with the BS.1770 meter in src/dsp/loudness.ts.
 * While the reference plays, edits to the mix re-measure it and re-match.
 */
export function ABSwitch() {
  const { store, audio } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const reference = useMemo(() => referenceOf(doc), [doc]);
  const key = useMemo(() => mixKey(doc), [doc]);
  const listening = useMonitoring();
  const [matched, setMatched] = useState<Matched | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef(0);
  const source = reference?.source ?? '';

  const match = useCallback(async (): Promise<Matched | null> => {
    const mine = ++attempt.current;
    setBusy(true);
    try {
      const analysis = analysisFor(audio);
      const [mix, ref] = await Promise.all([analysis.measureMix(store.getState().doc), analysis.measureReference(source)]);
      if (mine !== attempt.current) return null; // a newer match replaced this one
      const m = { mix: mix.loudness.integrated, reference: ref.loudness.integrated, trim: matchTrim(mix.loudness, ref.loudness) };
      setMatched(m);
      return m;
    } catch (err) {
      if (mine === attempt.current) store.notify('error', `Could not match the reference's loudness: ${(err as Error).message}`);
      return null;
    } finally {
      if (mine === attempt.current) setBusy(false);
    }
  }, [audio, store, source]);

  const toggle = async () => {
    if (listening === 'reference') {
      attempt.current++;
      setBusy(false);
      audio.monitor('mix', 0);
      return;
    }
    const m = await match();
    if (m) audio.monitor('reference', m.trim);
  };

  // The reference went away (deleted, or its file cleared): back to the mix.
  useEffect(() => {
    if (!source && listening === 'reference') audio.monitor('mix', 0);
  }, [source, listening, audio]);

  // The mix (or the reference file) changed while the reference plays: measure again and re-match.
  const matchedFor = useRef<string | null>(null);
  useEffect(() => {
    const id = `${key}\n${source}`;
    if (listening !== 'reference' || !source) {
      matchedFor.current = null;
      return;
    }
    if (matchedFor.current === null) {
      matchedFor.current = id; // just matched by the toggle
      return;
    }
    if (matchedFor.current === id) return;
    const timer = setTimeout(() => {
      matchedFor.current = id;
      void match().then((m) => {
        if (m && audio.monitoring.source === 'reference') audio.monitor('reference', m.trim);
      });
    }, REMEASURE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, source, listening, match, audio]);

  if (!reference) return null;
  const onReference = listening === 'reference';
  return (
    <div className="ab-switch" role="group" aria-label="A/B: mix or reference">
      <button
        type="button"
        aria-pressed={onReference}
        disabled={!source || (busy && !onReference)}
        onClick={() => void toggle()}
        title={source ? 'Switch between your mix and the reference, at matched loudness' : 'Choose a reference file first'}
      >
        {onReference ? 'Listening: Reference' : 'Listening: Mix'}
      </button>
      <output className="ab-matched" aria-live="polite" aria-label="Loudness match">
        {busy ? 'measuring loudness…' : matched ? `matched: mix ${formatLufs(matched.mix)}, reference ${formatLufs(matched.reference)}` : ''}
      </output>
    </div>
  );
}
