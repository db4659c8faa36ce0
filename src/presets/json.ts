// JSON parsing for files from strangers: size and depth limits, and errors with line and column.
import { syntaxErrorOffset } from './syntax.ts';

export const MAX_BYTES = 8 * 1024 * 1024;
export const MAX_DEPTH = 64;

/** A file that is not UTF-8 text (callers add its name). */
export class DocumentTextError extends Error {
  override name = 'DocumentTextError';
}

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

/**
 * Text of a JSON document: UTF-8 (a byte-order mark is dropped). UTF-16 and UTF-32 files, which some
 * Windows editors write, are named as such with the fix, rather than failing as "not valid JSON".
 */
export function documentText(bytes: Uint8Array): string {
  const b = bytes;
  if (b.length >= 4 && ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff))) {
    throw new DocumentTextError('it is UTF-32 text; Mixgraph reads JSON files in UTF-8: save it as UTF-8 (in most editors: Save with encoding, UTF-8)');
  }
  const utf16 = (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) || (b.length >= 4 && ((b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) || (b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0)));
  if (utf16) throw new DocumentTextError('it is UTF-16 text; Mixgraph reads JSON files in UTF-8: save it as UTF-8 (in most editors: Save with encoding, UTF-8)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DocumentTextError(`it is not UTF-8 text (an invalid byte at offset ${firstInvalidUtf8(bytes)}); is it a JSON file? save it as UTF-8`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Offset of the first byte that breaks UTF-8 (a stray continuation, a cut or overlong sequence). */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}
