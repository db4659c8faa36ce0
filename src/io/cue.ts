// CUE sheets for an album delivered as one WAV per track (CDRWIN cue sheet syntax, as read by CD burning and
// DDP tools, foobar2000 and ffmpeg-based players).
//
// - One `FILE "name.wav" WAVE` per track, each with `TRACK nn AUDIO` and `INDEX 01 00:00:00`; the album's
//   TITLE and PERFORMER at the top, each track's TITLE, PERFORMER and ISRC (12 characters, no dashes, as the
//   spec wants) after its TRACK line and before its INDEX, a PREGAP (silence the burner adds) just before it.
// - Lines end in CRLF: cue sheets come from Windows tools (CDRWIN, EAC, ImgBurn), some of which need CRLF,
//   and every other reader accepts it. parseCue accepts LF too.
// - Strings are always double-quoted. The format has no escape for a double quote, so a `"` (or a line
//   break) in a title, performer or file name is rejected rather than written in some way only a few
//   readers would undo. CD-Text holds at most 80 characters per TITLE/PERFORMER, so longer ones are
//   rejected too. Text is returned as a string; write it as UTF-8 (what foobar2000, ffmpeg and most tools
//   read). A burner writing CD-Text only keeps ISO-8859-1/ASCII.
// - At most 99 tracks (the Red Book limit).

import { normalizeIsrc } from './isrc.ts';

export interface CueTrack {
  /** Audio file name as written in the sheet, relative to the sheet (e.g. "01 Intro.wav"). */
  file: string;
  title: string;
  performer?: string;
  /** Any form parseIsrc accepts; written as 12 characters without dashes. */
  isrc?: string;
  /** Silence before the track, rounded to CD frames (1/75 s). */
  pregapSeconds?: number;
}

export interface CueSheet {
  /** Album title. */
  title: string;
  /** Album artist. */
  performer: string;
  files: CueTrack[];
}

export const MAX_CUE_TRACKS = 99;
export const MAX_CD_TEXT = 80;
const FRAMES_PER_SECOND = 75;
const EOL = '\r\n';

/** Write a CUE sheet with one FILE per track. Throws RangeError naming the track and field on bad input. */
export function writeCue(sheet: CueSheet): string {
  if (sheet.files.length === 0) throw new RangeError('a CUE sheet needs at least one track');
  if (sheet.files.length > MAX_CUE_TRACKS) throw new RangeError(`a CUE sheet holds at most ${MAX_CUE_TRACKS} tracks (the CD limit), not ${sheet.files.length}`);
  const lines = [`TITLE ${quote(sheet.title, 'album title', true)}`, `PERFORMER ${quote(sheet.performer, 'album performer', true)}`];
  sheet.files.forEach((track, i) => {
    const n = i + 1;
    const where = `track ${n}`;
    lines.push(`FILE ${quote(track.file, `${where} file name`, false)} WAVE`);
    lines.push(`  TRACK ${String(n).padStart(2, '0')} AUDIO`);
    lines.push(`    TITLE ${quote(track.title, `${where} title`, true)}`);
    if (track.performer !== undefined) lines.push(`    PERFORMER ${quote(track.performer, `${where} performer`, true)}`);
    if (track.isrc !== undefined) {
      try {
        lines.push(`    ISRC ${normalizeIsrc(track.isrc)}`);
      } catch (error) {
        throw new RangeError(`${where}: ${(error as Error).message}`);
      }
    }
    if (track.pregapSeconds !== undefined && track.pregapSeconds !== 0) {
      const s = track.pregapSeconds;
      if (!Number.isFinite(s) || s < 0) throw new RangeError(`${where}: the pregap must be 0 or more seconds, not ${s}`);
      lines.push(`    PREGAP ${msf(Math.round(s * FRAMES_PER_SECOND))}`);
    }
    lines.push('    INDEX 01 00:00:00');
  });
  return lines.join(EOL) + EOL;
}

function quote(value: string, what: string, cdText: boolean): string {
  if (value === '') throw new RangeError(`the ${what} is empty`);
  if (value.includes('"')) throw new RangeError(`the ${what} ${JSON.stringify(value)} contains a double quote, which a CUE sheet cannot hold (use “ ” or ')`);
  if (/[\x00-\x1f\x7f]/.test(value)) throw new RangeError(`the ${what} ${JSON.stringify(value)} contains a line break or control character`);
  const length = [...value].length;
  if (cdText && length > MAX_CD_TEXT) throw new RangeError(`the ${what} is ${length} characters long; CD-Text allows at most ${MAX_CD_TEXT}`);
  return `"${value}"`;
}

/** mm:ss:ff, 75 frames a second. */
function msf(frames: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(frames / (60 * FRAMES_PER_SECOND)))}:${two(Math.floor(frames / FRAMES_PER_SECOND) % 60)}:${two(frames % FRAMES_PER_SECOND)}`;
}

/**
 * Read back what writeCue writes (and simple sheets like it): album TITLE/PERFORMER, then per TRACK its
 * FILE, TITLE, PERFORMER, ISRC and PREGAP. INDEX, REM, CATALOG, FLAGS and the like are checked for syntax
 * only where needed and otherwise ignored. Throws Error with the line number on what it cannot read.
 */
export function parseCue(text: string): CueSheet {
  const sheet: CueSheet = { title: '', performer: '', files: [] };
  let file: string | null = null;
  let track: CueTrack | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const fail = (what: string): never => {
      throw new Error(`CUE line ${i + 1}: ${what}: ${line}`);
    };
    const match = line.match(/^(\S+)\s*(.*)$/)!;
    const command = match[1].toUpperCase();
    const rest = match[2];
    const quoted = () => {
      const q = rest.match(/^"([^"]*)"(.*)$/) ?? rest.match(/^(\S+)(.*)$/);
      if (!q) return fail(`${command} needs a value`);
      return { value: q[1], after: q[2].trim() };
    };
    switch (command) {
      case 'TITLE':
      case 'PERFORMER': {
        const key = command === 'TITLE' ? 'title' : 'performer';
        if (track) track[key] = quoted().value;
        else sheet[key] = quoted().value;
        break;
      }
      case 'FILE':
        file = quoted().value;
        break;
      case 'TRACK': {
        const t = rest.match(/^(\d{1,2})\s+(\S+)$/) ?? fail('expected TRACK nn TYPE');
        if (file === null) fail('TRACK before any FILE');
        if (Number(t[1]) !== sheet.files.length + 1) fail(`expected track ${sheet.files.length + 1}`);
        track = { file: file!, title: '' };
        sheet.files.push(track);
        break;
      }
      case 'ISRC':
        if (!track) fail('ISRC outside a TRACK');
        if (!/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(rest)) fail('an ISRC must be 12 characters without dashes');
        track!.isrc = rest;
        break;
      case 'PREGAP': {
        const m = rest.match(/^(\d+):(\d{2}):(\d{2})$/) ?? fail('expected PREGAP mm:ss:ff');
        if (!track) fail('PREGAP outside a TRACK');
        track!.pregapSeconds = (Number(m[1]) * 60 + Number(m[2])) + Number(m[3]) / FRAMES_PER_SECOND;
        break;
      }
      case 'INDEX':
        if (!track) fail('INDEX outside a TRACK');
        if (!/^\d{2}\s+\d+:\d{2}:\d{2}$/.test(rest)) fail('expected INDEX nn mm:ss:ff');
        break;
      default:
        break; // REM, CATALOG, FLAGS, SONGWRITER, POSTGAP, CDTEXTFILE: not needed here
    }
  });
  return sheet;
}
