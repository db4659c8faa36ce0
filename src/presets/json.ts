// JSON parsing for files from strangers: size and depth limits, and errors with line and column.
import { syntaxErrorOffset } from './syntax.ts';

export const MAX_BYTES = 8 * 1024 * 1024;
export const MAX_DEPTH = 64;

export class PresetError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The offset JSON.parse complains about: V8 says "at position N" or "line L column C". */
function errorOffset(message: string, text: string): number | null {
  const pos = /position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const lines = text.split('\n');
    let offset = 0;
    for (let i = 0; i < Number(lc[1]) - 1; i++) offset += lines[i].length + 1;
    return offset + Number(lc[2]) - 1;
  }
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  return syntaxErrorOffset(text); // Node 20: `Unexpected token 'x', "..." is not valid JSON` has no position
}

function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Parse JSON text or throw a PresetError saying where it broke. */
export function parseJson(text: string, name = 'file'): unknown {
  if (text.length > MAX_BYTES) throw new PresetError(`${name}: ${text.length} bytes is larger than the ${MAX_BYTES / 1024 / 1024} MiB limit for a preset`);
  if (depthOf(text) > MAX_DEPTH) throw new PresetError(`${name}: nested deeper than ${MAX_DEPTH} levels; this is not a Mixgraph file`);
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const offset = errorOffset(message, text);
    const detail = message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '').replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '');
    // Fix (above): V8 clips a long echo as ..."text"..., which the pattern missed, so a quoted
    // piece of the file (newlines included) ended up in the one-line message.
    if (offset === null) throw new PresetError(`${name}: not valid JSON: ${detail}`);
    const { line, column } = lineColumn(text, offset);
    throw new PresetError(`${name}:${line}:${column}: not valid JSON: ${detail}`);
  }
}
