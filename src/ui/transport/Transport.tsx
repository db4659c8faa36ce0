import { useCallback, useEffect, useRef, useState } from 'react';
import { useServices } from '../context.ts';
import { onFrame } from '../meters/hub.ts';
import { Meter } from '../meters/Meter.tsx';
import { useEditor } from '../store.ts';
import { silentSources } from './silent.ts';

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** Play, pause, stop, loop, position and the master meter. Space toggles play anywhere but in a text field. */
export function Transport() {
  const { audio, store } = useServices();
  const [, redraw] = useState(0);
  const position = useRef<HTMLOutputElement>(null);
  const masterId = useEditor(store, (s) => s.doc.nodes.find((n) => n.type === 'master')?.id);
  useEffect(() => audio.onChange(() => redraw((n) => n + 1)), [audio]);
  useEffect(
    () =>
      onFrame(() => {
        audio.tick();
        // Only when the text changes: rewriting it every frame (even unchanged) invalidates
        // layout and paint each frame, which with 1,000 nodes on the canvas cost ~15 ms a frame idle.
        const text = clock(audio.position);
        if (position.current && position.current.textContent !== text) position.current.textContent = text;
      }),
    [audio],
  );
  // What the last Play said was silent: said again only when it changes.
  const told = useRef('');
  const toggle = useCallback(() => {
    if (audio.state !== 'playing') {
      const silent = silentSources(store.getState().doc, audio.sources);
      const key = silent.map((s) => `${s.id}:${s.why}`).join('\n');
      if (key && key !== told.current) {
        const n = new Set(silent.map((s) => s.id)).size;
        store.notify('warning', `${n === 1 ? 'One source is' : `${n} sources are`} silent:\n${silent.map((s) => `• ${s.name}: ${s.why}`).join('\n')}`);
      }
      told.current = key;
    }
    audio.toggle().catch((err: Error) => store.notify('error', `Audio could not start: ${err.message}`));
  }, [audio, store]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.code !== 'Space') return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"], button, [role="slider"]')) return;
      e.preventDefault();
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
  // What is heard: the master, or during a cable solo the soloed cable (it has no master after it).
  const readMaster = useCallback(() => (audio.solo ? audio.outputLevel().peakDb : masterId ? audio.peakDb(masterId) : -120), [audio, masterId]);
  const playing = audio.state === 'playing';
  return (
    <div className="transport" role="toolbar" aria-label="Transport">
      <button type="button" onClick={toggle} aria-label={playing ? 'Pause' : 'Play'} aria-pressed={playing}>
        {playing ? '❚❚' : '▶'}
      </button>
      <button type="button" onClick={() => audio.stop()} aria-label="Stop">
        ■
      </button>
      <button
        type="button"
        aria-label="Loop"
        aria-pressed={audio.loop}
        onClick={() => {
          audio.loop = !audio.loop;
          redraw((n) => n + 1);
        }}
      >
        ⟳
      </button>
      <button
        type="button"
        className="match-bypass"
        aria-label="Match bypass loudness"
        title="Match bypass loudness: a bypassed node plays as loud as it did processed, so you judge the change by its sound (listening only; exports are never matched)"
        aria-pressed={audio.matchBypass}
        onClick={() => {
          audio.matchBypass = !audio.matchBypass;
          redraw((n) => n + 1);
        }}
      >
        ≈
      </button>
      <output ref={position} className="position" aria-label="Position">
        0:00.0
      </output>
      <Meter label={audio.solo ? 'Solo level' : 'Master level'} read={readMaster} />
    </div>
  );
}
