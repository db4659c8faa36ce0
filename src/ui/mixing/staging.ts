// Gain staging: where the level runs too hot or too cold, judged from the peaks each output port
// reached while the session played (LiveAudio.portLevel). The rules (issue 11):
//   - before a limiter, a peak above -1 dBFS is too hot: no headroom left for the stages after it;
//   - at the master (its post-fader input: what reaches the file), above 0 dBFS clips;
//   - after a limiter, above its own ceiling (plus 0.5 dB for the sample-peak reading) is too hot;
//   - anywhere, a port that sounded but never rose above -50 dBFS runs too cold (noise, resolution
//     and every later gain stage working against it).
// A port that stayed silent (muted, nothing playing into it) is not judged.
import { getDefinition } from '../../../nodes/registry.ts';
import { compile } from '../../compiler/compile.ts';
import type { SessionDoc } from '../../model/document.ts';
import { nodeAt } from '../../model/document.ts';

export const HOT_BEFORE_LIMITER_DBFS = -1;
export const HOT_AT_MASTER_DBFS = 0;
export const COLD_DBFS = -50;
/** Peaks at or under this are silence, not a cold signal. */
export const SILENT_DBFS = -100;
/** Where a fix aims the peak: 6 dB of headroom for a hot stage; -18 dBFS-ish peaks for a cold one. */
const HOT_AIM_DBFS = -6;
const COLD_AIM_DBFS = -20;

export interface StagingPoint {
  /** The node's path (the engine's id). */
  id: string;
  /** The output port, or undefined for the master's meter point (its post-fader input). */
  port?: string;
  label: string;
  /** The level above which this point is too hot. */
  hotAbove: number;
  /** What that limit is, in words. */
  rule: string;
  /** Whether it has a fader (its definition's strip) the fix can name. */
  fader?: string;
}

/** Every output port the session plays through, with the limit that applies there. */
export function stagingPoints(doc: SessionDoc): StagingPoint[] {
  const result = compile(doc);
  if (!result.ok) return [];
  const plan = result.plan;
  // Nodes at or after a node with an output ceiling, and the lowest such ceiling upstream.
  const ceilingOf = new Map<string, number>();
  const out = new Map<string, string[]>();
  for (const e of plan.edges) {
    if (!out.has(e.from)) out.set(e.from, []);
    out.get(e.from)!.push(e.to);
  }
  for (const n of plan.nodes) {
    const param = getDefinition(n.type)?.outputCeiling;
    if (!param) continue;
    const ceiling = n.params[param] as number;
    const stack = [n.id];
    while (stack.length) {
      const id = stack.pop()!;
      const known = ceilingOf.get(id);
      if (known !== undefined && known <= ceiling) continue;
      ceilingOf.set(id, ceiling);
      stack.push(...(out.get(id) ?? []));
    }
  }
  const points: StagingPoint[] = [];
  for (const n of plan.nodes) {
    const def = getDefinition(n.type);
    if (!def) continue;
    const doc_ = nodeAt(doc, n.id);
    // As the canvas heads a node: its name, else its type's title.
    const label = doc_?.label || def.title;
    const ceiling = ceilingOf.get(n.id);
    const fader = def.strip?.fader;
    if (def.speakers === 'mix') {
      points.push({ id: n.id, label, hotAbove: HOT_AT_MASTER_DBFS, rule: 'above 0 dBFS at the master clips', fader });
      continue;
    }
    for (const p of def.ports.outputs) {
      if (p.role === 'aux' && !plan.edges.some((e) => e.from === n.id && e.fromPort === p.id)) continue;
      const hotAbove = ceiling !== undefined ? ceiling + 0.5 : HOT_BEFORE_LIMITER_DBFS;
      const rule = ceiling !== undefined ? `above the limiter's ${ceiling} dB ceiling` : 'above -1 dBFS before the limiter';
      points.push({ id: n.id, port: p.id, label: def.ports.outputs.length > 1 ? `${label} (${p.label ?? p.id})` : label, hotAbove, rule, fader });
    }
  }
  return points;
}

export interface StagingIssue {
  point: StagingPoint;
  kind: 'clip' | 'hot' | 'cold';
  /** The highest peak it reached (dBFS). */
  peak: number;
  fix: string;
}

/** To the half dB: a fix is a starting point, not a measurement. */
const half = (x: number) => Math.round(x * 2) / 2;

/** The issue at a point from the highest peak it reached, or null when it is fine or silent. */
export function judge(point: StagingPoint, peak: number): StagingIssue | null {
  if (peak <= SILENT_DBFS) return null;
  const by = (x: number) => `${half(x).toFixed(1)} dB`;
  const where = point.fader ? `${point.label}'s fader` : `the level into ${point.label} (or its gain)`;
  if (peak > point.hotAbove) {
    const down = peak - HOT_AIM_DBFS;
    const fix = point.port === undefined ? `Lower the mix into the master by ${by(down)}, or put a limiter before it` : `Lower ${where} by ${by(down)}`;
    return { point, kind: peak > 0 ? 'clip' : 'hot', peak, fix };
  }
  if (peak < COLD_DBFS) return { point, kind: 'cold', peak, fix: `Raise ${where} by ${by(COLD_AIM_DBFS - peak)}` };
  return null;
}
