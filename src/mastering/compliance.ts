// Delivery targets and the pass/fail report against them. The figures are what each platform or
// standard publishes; where a streaming service only normalises (it turns louder masters down), a
// master "passes" when it lands within ±1 LU of the reference level, so it is played as mastered.

export interface DeliveryTarget {
  id: string;
  name: string;
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** Allowed distance from `integrated`, LU. */
  tolerance: number;
  /** Highest allowed true peak, dBTP. */
  truePeak: number;
  note: string;
}

export const DELIVERY_TARGETS: readonly DeliveryTarget[] = [
  { id: 'spotify', name: 'Spotify', integrated: -14, tolerance: 1, truePeak: -1, note: 'normalises to -14 LUFS; louder masters are turned down' },
  { id: 'apple', name: 'Apple Music', integrated: -16, tolerance: 1, truePeak: -1, note: 'Sound Check normalises to -16 LUFS' },
  { id: 'youtube', name: 'YouTube', integrated: -14, tolerance: 1, truePeak: -1, note: 'normalises to -14 LUFS' },
  { id: 'ebu-r128', name: 'EBU R128 broadcast', integrated: -23, tolerance: 0.5, truePeak: -1, note: 'EBU R128: -23 LUFS ±0.5 LU, max -1 dBTP' },
  { id: 'atsc-a85', name: 'ATSC A/85', integrated: -24, tolerance: 2, truePeak: -2, note: 'ATSC A/85: -24 LKFS ±2 LU, max -2 dBTP' },
];

export interface Verdict {
  target: string;
  name: string;
  pass: boolean;
  /** Integrated loudness minus the target's, LU (positive: too loud). */
  loudnessDelta: number;
  loudnessOk: boolean;
  truePeakOk: boolean;
  /** Why it fails, in words; empty when it passes. */
  reasons: string[];
}

export function verdicts(measured: { integrated: number; truePeak: number }, targets: readonly DeliveryTarget[] = DELIVERY_TARGETS): Verdict[] {
  return targets.map((t) => {
    const delta = measured.integrated - t.integrated;
    const loudnessOk = Number.isFinite(delta) && Math.abs(delta) <= t.tolerance + 1e-9;
    const truePeakOk = !(measured.truePeak > t.truePeak + 1e-9);
    const reasons: string[] = [];
    if (!Number.isFinite(measured.integrated)) reasons.push('no measurable loudness (silence)');
    else if (!loudnessOk) reasons.push(`integrated ${fmt(measured.integrated)} LUFS is ${fmt(Math.abs(delta))} LU ${delta > 0 ? 'above' : 'below'} ${t.integrated} ±${t.tolerance}`);
    if (!truePeakOk) reasons.push(`true peak ${fmt(measured.truePeak)} dBTP is above ${t.truePeak} dBTP`);
    return { target: t.id, name: t.name, pass: loudnessOk && truePeakOk, loudnessDelta: delta, loudnessOk, truePeakOk, reasons };
  });
}

export function fmt(x: number, digits = 1): string {
  if (x === -Infinity) return '-inf';
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
}

/** The readable form of the verdicts: one line per target. */
export function formatVerdicts(list: readonly Verdict[]): string[] {
  const width = Math.max(...list.map((v) => v.name.length));
  return list.map((v) => `  ${v.name.padEnd(width)}  ${v.pass ? 'pass' : 'FAIL'}${v.reasons.length ? `  (${v.reasons.join('; ')})` : ''}`);
}
