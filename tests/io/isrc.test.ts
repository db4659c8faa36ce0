// ISRC parsing: both written forms, case, and one exact message per kind of mistake.
import { describe, expect, test } from 'vitest';

import { formatIsrc, normalizeIsrc, parseIsrc } from '../../src/io/isrc.ts';

const EXPECTED = '(expected CC-XXX-YY-NNNNN, e.g. GB-AYE-24-00001)';

describe('parseIsrc', () => {
  test.each([
    ['GB-AYE-24-00001', 'GBAYE2400001'],
    ['GBAYE2400001', 'GBAYE2400001'],
    ['us-rc1-76-07839', 'USRC17607839'], // any case in, upper case out
    ['usrc17607839', 'USRC17607839'],
    ['  QM-7A2-99-12345 ', 'QM7A29912345'], // surrounding spaces (pasted text) are trimmed; QM is IFPI-allocated
    ['FR-000-00-00000', 'FR0000000000'], // registrant may be all digits
  ])('accepts %j as %s', (input, isrc) => {
    expect(parseIsrc(input)).toEqual({ ok: true, isrc });
  });

  test.each([
    ['US-RC1-76-0783', 'ISRC "US-RC1-76-0783": the designation code must be 5 digits'],
    ['U1-RC1-76-07839', 'ISRC "U1-RC1-76-07839": the country code must be 2 letters'],
    ['USA-RC1-76-07839', 'ISRC "USA-RC1-76-07839": the country code must be 2 letters'],
    ['US-R_1-76-07839', 'ISRC "US-R_1-76-07839": "_" is not allowed, only letters, digits and dashes'],
    ['US-RC-76-07839', 'ISRC "US-RC-76-07839": the registrant code must be 3 letters or digits'],
    ['US-RC1-7X-07839', 'ISRC "US-RC1-7X-07839": the year must be 2 digits'],
    ['US-RC1-76-0783A', 'ISRC "US-RC1-76-0783A": the designation code must be 5 digits'],
    ['US-RC1-7607839', 'ISRC "US-RC1-7607839": dashes must separate exactly 4 parts, not 3'],
    ['USRC1760783', 'ISRC "USRC1760783": must be 12 letters and digits without dashes, not 11'],
    ['USRC1ZZ07839', 'ISRC "USRC1ZZ07839": the year must be 2 digits'],
    ['US RC1 76 07839', 'ISRC "US RC1 76 07839": " " is not allowed, only letters, digits and dashes'],
    ['ÜS-RC1-76-07839', 'ISRC "ÜS-RC1-76-07839": "Ü" is not allowed, only letters, digits and dashes'],
  ])('rejects %j', (input, message) => {
    expect(parseIsrc(input)).toEqual({ ok: false, message: `${message} ${EXPECTED}` });
  });

  test('an empty ISRC says so', () => {
    expect(parseIsrc('   ')).toEqual({ ok: false, message: `ISRC is empty ${EXPECTED}` });
  });
});

describe('formatIsrc / normalizeIsrc', () => {
  test('dashed form from either form, and back', () => {
    expect(formatIsrc('gbaye2400001')).toBe('GB-AYE-24-00001');
    expect(formatIsrc('US-RC1-76-07839')).toBe('US-RC1-76-07839');
    expect(normalizeIsrc(formatIsrc('USRC17607839'))).toBe('USRC17607839');
  });

  test('an invalid code throws with the parse message', () => {
    expect(() => formatIsrc('US-RC1-76-0783')).toThrow(new RangeError(`ISRC "US-RC1-76-0783": the designation code must be 5 digits ${EXPECTED}`));
  });
});
