// Short figures for a node's face on the canvas (a definition's `summary`): what a student reads
// off a projected graph without opening the inspector. Plain strings, no React.

/** A signed level: "+3.0 dB", "-12 dB" (whole dB when it is whole, else one decimal). */
export function db(value: number, unit = 'dB', signed = true): string {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${signed && value > 0 ? '+' : ''}${text} ${unit}`;
}

/** A gain with one decimal always, as a fader shows it: "+3.0 dB", "0.0 dB". */
export function fader(value: number): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(1)} dB`;
}

/** A frequency: "80 Hz", "3 kHz", "2.5 kHz", "12 kHz". */
export function hz(value: number): string {
  if (value < 1000) return `${Math.round(value)} Hz`;
  return `${Math.round(value / 100) / 10} kHz`;
}

/** A time in ms (whole ms from 10 ms up). */
export function ms(value: number): string {
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ms`;
}

/** A 0..1 amount as a percentage: "30 %". */
export function percent(value: number): string {
  return `${Math.round(value * 100)} %`;
}

/** A ratio: "4:1", "2.5:1". */
export function ratio(value: number): string {
  return `${Math.round(value * 10) / 10}:1`;
}

/** A pan position: "C", "L 30", "R 100". */
export function panPosition(value: number): string {
  const amount = Math.round(Math.abs(value) * 100);
  return amount === 0 ? 'C' : `${value < 0 ? 'L' : 'R'} ${amount}`;
}

/** The pieces that say something, joined as one line. */
export function join(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' · ');
}
