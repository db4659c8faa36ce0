// One channel strip: label, category colour, fader in dB, pan, mute, solo, polarity, a level
// meter with peak hold and the short-term loudness (LUFS, measured only while the strip is shown). Every control writes the node's own params (the ones its definition's
// strip names) through the editor's commands, so the canvas, the inspector and Undo see the same
// edit. A click on the strip's name selects the node in the graph.
import { memo, useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import { CATEGORIES } from '../../../nodes/track/definition.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import type { NumberParam } from '../../../nodes/define.ts';
import { setParam } from '../../model/commands.ts';
import { formatLufs } from '../audio.ts';
import { useServices } from '../context.ts';
import { onFrame } from '../meters/hub.ts';
import { Meter } from '../meters/Meter.tsx';
import { DuckDialog } from '../mixing/DuckDialog.tsx';
import { MIX_CATEGORY_COLORS, MIX_CATEGORY_LABELS, type MixCategory, type StripEntry } from './strips.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;

export function formatPan(pan: number): string {
  if (Math.abs(pan) < 0.005) return 'C';
  return `${pan < 0 ? 'L' : 'R'}${Math.round(Math.abs(pan) * 100)}`;
}

/** The fader: a vertical slider and a typed value, both in dB, clamped to the param's range. */
function Fader({ path, param, name, spec, value }: { path: string; param: string; name: string; spec: NumberParam; value: number }) {
  const { store } = useServices();
  const [typed, setTyped] = useState<string | null>(null);
  const set = (db: number) => {
    if (!Number.isFinite(db)) return;
    const clamped = round1(Math.min(spec.max, Math.max(spec.min, db)));
    if (clamped !== value) store.run({ ...setParam(path, param, clamped), label: `Fader ${name} to ${clamped} dB` });
  };
  const commit = () => {
    if (typed !== null) set(Number(typed));
    setTyped(null);
  };
  return (
    <div className="strip-fader">
      <input
        type="range"
        className="strip-fader-slider"
        aria-label={`Fader ${name}`}
        aria-valuetext={`${value} dB`}
        min={spec.min}
        max={spec.max}
        step={0.1}
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set(Number(e.target.value))}
        onDoubleClick={() => set(spec.default)}
        title="Drag, arrow keys, or double-click for 0 dB"
      />
      <label className="strip-fader-value">
        <input
          type="text"
          inputMode="decimal"
          aria-label={`Gain of ${name} (dB)`}
          value={typed ?? value.toFixed(1)}
          onChange={(e) => setTyped(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setTyped(null);
          }}
        />
        <span>dB</span>
      </label>
    </div>
  );
}

/** How often the loudness figure changes (ms): as the edge labels. */
const TEXT_EVERY_MS = 200;

/**
 * The strip's short-term loudness (BS.1770, the last 3 s, ungated) of what leaves the node, in
 * LUFS: the runtime K-weights this port while the strip exists (the Mixer is open).
 */
function StripLoudness({ path, name }: { path: string; name: string }) {
  const { audio } = useServices();
  const value = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const unwatch = audio.watchLoudness(path);
    let written = -Infinity;
    let text = '';
    const stop = onFrame((now) => {
      if (now - written < TEXT_EVERY_MS) return;
      written = now;
      const { shortTermLufs } = audio.portLoudness(path);
      const next = formatLufs(shortTermLufs).replace(' LUFS', '');
      const box = value.current;
      if (!box || next === text) return;
      text = next;
      box.textContent = next;
      box.dataset.lufs = Number.isFinite(shortTermLufs) ? shortTermLufs.toFixed(1) : '';
    });
    return () => {
      stop();
      unwatch();
    };
  }, [audio, path]);
  return (
    <div className="strip-loudness" title="Short-term loudness: the last 3 s, K-weighted (BS.1770), in LUFS">
      <span className="strip-loudness-value" role="status" aria-label={`Short-term loudness of ${name} (LUFS)`} ref={value}>
        -∞
      </span>
      <span className="strip-loudness-unit">LUFS short-term</span>
    </div>
  );
}

export const Strip = memo(function Strip({ entry, selected, onSelect }: { entry: StripEntry; selected: boolean; onSelect: (path: string) => void }) {
  const { store, audio } = useServices();
  const { node, path, spec, category } = entry;
  const def = getDefinition(node.type)!;
  const name = node.label || node.id;
  const readPeak = useCallback(() => audio.portLevel(path).peakDb, [audio, path]);
  const toggle = (param: string, what: string) => store.run({ ...setParam(path, param, !node.params[param]), label: `${what} ${name}` });
  const faderSpec = def.params[spec.fader] as NumberParam;
  const color = category ? MIX_CATEGORY_COLORS[category] : undefined;
  const [ducking, setDucking] = useState(false);
  return (
    <section className={`strip strip-${spec.kind}${selected ? ' selected' : ''}`} aria-label={`Strip ${name}`} style={{ '--strip-color': color ?? 'var(--muted)' } as React.CSSProperties} data-testid={`strip-${path}`}>
      <button type="button" className="strip-name" onClick={() => onSelect(path)} title={`${name}: select it in the graph`} aria-pressed={selected}>
        {name}
      </button>
      {spec.category && (
        <select
          className="strip-category"
          aria-label={`Category of ${name}`}
          value={category}
          onChange={(e) => store.run({ ...setParam(path, spec.category!, e.target.value), label: `Set the category of ${name}` })}
        >
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {MIX_CATEGORY_LABELS[c as MixCategory]}
            </option>
          ))}
        </select>
      )}
      {spec.pan && (
        <label className="strip-pan">
          <span aria-hidden="true">{formatPan(node.params[spec.pan] as number)}</span>
          <input
            type="range"
            aria-label={`Pan ${name}`}
            aria-valuetext={formatPan(node.params[spec.pan] as number)}
            min={-1}
            max={1}
            step={0.01}
            value={node.params[spec.pan] as number}
            onChange={(e) => store.run({ ...setParam(path, spec.pan!, Math.round(Number(e.target.value) * 100) / 100), label: `Pan ${name}` })}
            onDoubleClick={() => store.run({ ...setParam(path, spec.pan!, 0), label: `Pan ${name}` })}
            title="Pan (double-click: centre)"
          />
        </label>
      )}
      <div className="strip-buttons">
        {spec.mute && (
          <button type="button" className="mute" aria-pressed={node.params[spec.mute] === true} aria-label={`Mute ${name}`} title="Mute" onClick={() => toggle(spec.mute!, 'Mute')}>
            M
          </button>
        )}
        {spec.solo && (
          <button type="button" className="solo" aria-pressed={node.params[spec.solo] === true} aria-label={`Solo ${name}`} title="Solo" onClick={() => toggle(spec.solo!, 'Solo')}>
            S
          </button>
        )}
        {spec.invert && (
          <button type="button" className="invert" aria-pressed={node.params[spec.invert] === true} aria-label={`Invert polarity of ${name}`} title="Invert polarity" onClick={() => toggle(spec.invert!, 'Invert polarity of')}>
            Ø
          </button>
        )}
        {spec.kind === 'track' && (
          <button type="button" className="duck" aria-haspopup="dialog" aria-label={`Duck ${name} under…`} title="Duck under…: dip this track while another plays" onClick={() => setDucking(true)}>
            ↓
          </button>
        )}
      </div>
      {ducking && <DuckDialog target={path} onClose={() => setDucking(false)} />}
      <StripLoudness path={path} name={name} />
      <div className="strip-levels">
        <Meter label={`${name} level`} read={readPeak} orientation="vertical" />
        <Fader path={path} param={spec.fader} name={name} spec={faderSpec} value={node.params[spec.fader] as number} />
      </div>
    </section>
  );
});
