import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { NumberParam } from '../../../nodes/define.ts';
import { clamp, formatValue, fromPosition, tidy, toPosition } from './scale.ts';

export interface KnobProps {
  label: string;
  spec: NumberParam;
  value: number;
  /** Called for every change; `final` is false while dragging. */
  onChange(value: number): void;
  onGestureStart?(): void;
  onGestureEnd?(): void;
}

/** Units shown beside the numeric field; the others (ratio, mix, pan, Q) are plain numbers. */
const FIELD_UNITS: ReadonlySet<string> = new Set(['dB', 'dBFS', 'dBTP', 'LUFS', 'Hz', 'ms', 's']);
const DRAG_PIXELS = 200; // a full turn
const FINE = 10; // Shift: ten times finer

/**
 * A knob with its numeric field. Drag up/down (Shift for fine steps), arrow keys (Shift fine,
 * PageUp/PageDown coarse), double-click resets to the default; typed values are clamped.
 */
export function Knob({ label, spec, value, onChange, onGestureStart, onGestureEnd }: KnobProps) {
  const start = useRef<{ y: number; position: number } | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const position = toPosition(spec, value);
  const set = (v: number) => onChange(tidy(spec, clamp(spec, v)));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { y: e.clientY, position };
    onGestureStart?.();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    // Re-anchor on every move so pressing or releasing Shift mid-drag does not jump.
    const delta = (start.current.y - e.clientY) / DRAG_PIXELS / (e.shiftKey ? FINE : 1);
    start.current = { y: e.clientY, position: start.current.position + delta };
    set(fromPosition(spec, start.current.position));
  };
  const onPointerUp = () => {
    if (!start.current) return;
    start.current = null;
    onGestureEnd?.();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 0.001 : 0.01;
    const moves: Record<string, number> = { ArrowUp: step, ArrowRight: step, ArrowDown: -step, ArrowLeft: -step, PageUp: 0.1, PageDown: -0.1 };
    if (e.key in moves) {
      e.preventDefault();
      set(fromPosition(spec, position + moves[e.key]));
    } else if (e.key === 'Home') set(spec.min);
    else if (e.key === 'End') set(spec.max);
  };
  const commitDraft = () => {
    if (draft === null) return;
    const typed = Number.parseFloat(draft.replace(',', '.'));
    setDraft(null);
    if (Number.isFinite(typed)) set(typed);
  };
  const angle = -135 + position * 270;
  return (
    <div className="knob-field">
      <div
        className="knob"
        role="slider"
        tabIndex={0}
        aria-label={label}
        aria-valuemin={spec.min}
        aria-valuemax={spec.max}
        aria-valuenow={value}
        aria-valuetext={formatValue(spec, value)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDoubleClick={() => set(spec.default)}
        onKeyDown={onKeyDown}
        title="Drag up or down (Shift: fine). Double-click: default."
      >
        <div className="knob-dial" style={{ transform: `rotate(${angle}deg)` }} />
      </div>
      <label className="knob-label">
        <span>{label}</span>
        <input
          type="text"
          inputMode="decimal"
          aria-label={`${label} value${spec.unit ? ` in ${spec.unit}` : ''}`}
          value={draft ?? String(tidy(spec, value))}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commitDraft}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitDraft();
            if (e.key === 'Escape') setDraft(null);
          }}
        />
        {/* The field holds the raw number, so show its unit as such (formatValue's "5.3 kHz" or "30%" would mislabel it). */}
        <span className="knob-unit">{FIELD_UNITS.has(spec.unit) ? spec.unit : ''}</span>
      </label>
    </div>
  );
}
