// Mapping between a parameter's value and a 0..1 control position, and display formatting.
import type { NumberParam } from '../../../nodes/define.ts';

type Range = Pick<NumberParam, 'min' | 'max' | 'scale'>;

const isLog = (s: Range) => s.scale === 'log' && s.min > 0;

export function toPosition(spec: Range, value: number): number {
  if (isLog(spec)) return Math.log(value / spec.min) / Math.log(spec.max / spec.min);
  return (value - spec.min) / (spec.max - spec.min);
}

export function fromPosition(spec: Range, position: number): number {
  const p = Math.min(1, Math.max(0, position));
  if (isLog(spec)) return spec.min * Math.pow(spec.max / spec.min, p);
  return spec.min + p * (spec.max - spec.min);
}

export function clamp(spec: Range, value: number): number {
  return Math.min(spec.max, Math.max(spec.min, value));
}

/** Round to what the display shows, so typed and dragged values look alike. */
export function tidy(spec: NumberParam, value: number): number {
  const span = Math.abs(value);
  const digits = spec.unit === 'Hz' ? (span >= 1000 ? 0 : 1) : span >= 100 ? 1 : 2;
  return Number(value.toFixed(digits));
}

export function formatValue(spec: NumberParam, value: number): string {
  const v = tidy(spec, value);
  switch (spec.unit) {
    case 'Hz':
      return v >= 1000 ? `${(v / 1000).toFixed(v >= 10000 ? 1 : 2)} kHz` : `${v} Hz`;
    case 'ratio':
      return spec.max > 1 ? `${v}:1` : `${v}`;
    case 'mix':
      return `${Math.round(v * 100)}%`;
    case 'pan':
      return v === 0 ? 'C' : v < 0 ? `L${Math.round(-v * 100)}` : `R${Math.round(v * 100)}`;
    case '':
    case 'Q':
      return `${v}`;
    default:
      return `${v} ${spec.unit}`;
  }
}
