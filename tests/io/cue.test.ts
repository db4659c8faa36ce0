// CUE sheets: exact structure of what writeCue emits, a round trip through parseCue, and clear refusals.
import { describe, expect, test } from 'vitest';

import { MAX_CUE_TRACKS, parseCue, writeCue, type CueSheet } from '../../src/io/cue.ts';

const album: CueSheet = {
  title: 'Homogenic',
  performer: 'Björk',
  files: [
    { file: '01 Hunter.wav', title: 'Hunter', isrc: 'GB-AYE-97-00101' },
    { file: '02 Jóga.wav', title: 'Jóga', performer: 'Björk & 東京 Strings', isrc: 'gbaye9700102', pregapSeconds: 2 },
    { file: '03 Unravel.wav', title: 'Unravel', pregapSeconds: 0.5 },
  ],
};

describe('writeCue', () => {
  test('one FILE per track, CRLF line ends, ISRC without dashes before INDEX 01', () => {
    const text = writeCue(album);
    expect(text).not.toMatch(/[^\r]\n/); // every line ends in CRLF
    expect(text.split('\r\n')).toEqual([
      'TITLE "Homogenic"',
      'PERFORMER "Björk"',
      'FILE "01 Hunter.wav" WAVE',
      '  TRACK 01 AUDIO',
      '    TITLE "Hunter"',
      '    ISRC GBAYE9700101',
      '    INDEX 01 00:00:00',
      'FILE "02 Jóga.wav" WAVE',
      '  TRACK 02 AUDIO',
      '    TITLE "Jóga"',
      '    PERFORMER "Björk & 東京 Strings"',
      '    ISRC GBAYE9700102',
      '    PREGAP 00:02:00',
      '    INDEX 01 00:00:00',
      'FILE "03 Unravel.wav" WAVE',
      '  TRACK 03 AUDIO',
      '    TITLE "Unravel"',
      '    PREGAP 00:00:38', // 0.5 s = 37.5 CD frames, rounded to 38
      '    INDEX 01 00:00:00',
      '',
    ]);
  });

  test('a long pregap counts minutes, seconds and 1/75 s frames', () => {
    const text = writeCue({ title: 'A', performer: 'B', files: [{ file: 'a.wav', title: 'a', pregapSeconds: 61 + 74 / 75 }] });
    expect(text).toContain('PREGAP 01:01:74\r\n');
  });

  test('round trip through parseCue (ISRC normalised, pregap to the CD frame)', () => {
    expect(parseCue(writeCue(album))).toEqual({
      title: 'Homogenic',
      performer: 'Björk',
      files: [
        { file: '01 Hunter.wav', title: 'Hunter', isrc: 'GBAYE9700101' },
        { file: '02 Jóga.wav', title: 'Jóga', performer: 'Björk & 東京 Strings', isrc: 'GBAYE9700102', pregapSeconds: 2 },
        { file: '03 Unravel.wav', title: 'Unravel', pregapSeconds: 38 / 75 },
      ],
    });
  });

  test('99 tracks are fine, 100 are refused', () => {
    const tracks = (n: number) => Array.from({ length: n }, (_, i) => ({ file: `t${i + 1}.wav`, title: `Track ${i + 1}` }));
    const text = writeCue({ title: 'Long', performer: 'Many', files: tracks(MAX_CUE_TRACKS) });
    expect(text).toContain('  TRACK 99 AUDIO\r\n');
    expect(parseCue(text).files).toHaveLength(99);
    expect(() => writeCue({ title: 'Long', performer: 'Many', files: tracks(100) })).toThrow('a CUE sheet holds at most 99 tracks (the CD limit), not 100');
  });

  test('what a CUE sheet cannot hold is refused with the track and field named', () => {
    const one = (track: Partial<CueSheet['files'][number]>): CueSheet => ({ title: 'A', performer: 'B', files: [{ file: 'a.wav', title: 'a', ...track }] });
    expect(() => writeCue(one({ title: 'The "Best" Take' }))).toThrow('the track 1 title "The \\"Best\\" Take" contains a double quote, which a CUE sheet cannot hold');
    expect(() => writeCue(one({ file: 'x"y.wav' }))).toThrow('the track 1 file name');
    expect(() => writeCue(one({ performer: 'line\nbreak' }))).toThrow('the track 1 performer "line\\nbreak" contains a line break or control character');
    expect(() => writeCue(one({ isrc: 'US-RC1-76-0783' }))).toThrow('track 1: ISRC "US-RC1-76-0783": the designation code must be 5 digits (expected CC-XXX-YY-NNNNN, e.g. GB-AYE-24-00001)');
    expect(() => writeCue(one({ pregapSeconds: -1 }))).toThrow('track 1: the pregap must be 0 or more seconds, not -1');
    expect(() => writeCue(one({ title: 'x'.repeat(81) }))).toThrow('the track 1 title is 81 characters long; CD-Text allows at most 80');
    expect(() => writeCue({ title: 'A', performer: '', files: [{ file: 'a.wav', title: 'a' }] })).toThrow('the album performer is empty');
    expect(() => writeCue({ title: 'A', performer: 'B', files: [] })).toThrow('a CUE sheet needs at least one track');
  });
});

describe('parseCue', () => {
  test('reads LF sheets, a BOM, REM lines and unquoted single words', () => {
    const sheet = parseCue('\uFEFFREM GENRE Pop\nPERFORMER Solo\nTITLE "Two Words"\nFILE a.wav WAVE\n  TRACK 01 AUDIO\n    TITLE One\n    INDEX 01 00:00:00\n');
    expect(sheet).toEqual({ title: 'Two Words', performer: 'Solo', files: [{ file: 'a.wav', title: 'One' }] });
  });

  test('says which line it cannot read', () => {
    expect(() => parseCue('TITLE "A"\n  TRACK 01 AUDIO\n')).toThrow('CUE line 2: TRACK before any FILE: TRACK 01 AUDIO');
    expect(() => parseCue('FILE "a.wav" WAVE\nTRACK 01 AUDIO\nISRC GB-AYE-97-00101\n')).toThrow('CUE line 3: an ISRC must be 12 characters without dashes');
  });
});
