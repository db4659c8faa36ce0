// ISRC (ISO 3901) codes: CC-XXX-YY-NNNNN, 12 characters without the dashes.
// CC is a country code (2 letters; ISO 3166-1 alpha-2 plus a few IFPI-allocated ones such as QM or QZ, so
// only "2 letters" is checked), XXX the registrant (3 letters or digits), YY the last two digits of the year
// of reference, NNNNN the designation code (5 digits). Files and CUE sheets store the 12 characters, upper
// case, without dashes; people read and type the dashed form.

export type IsrcResult = { ok: true; isrc: string } | { ok: false; message: string };

const EXPECTED = '(expected CC-XXX-YY-NNNNN, e.g. GB-AYE-24-00001)';

const PARTS = [
  { length: 2, pattern: /^[A-Z]{2}$/, rule: 'the country code must be 2 letters' },
  { length: 3, pattern: /^[A-Z0-9]{3}$/, rule: 'the registrant code must be 3 letters or digits' },
  { length: 2, pattern: /^[0-9]{2}$/, rule: 'the year must be 2 digits' },
  { length: 5, pattern: /^[0-9]{5}$/, rule: 'the designation code must be 5 digits' },
] as const;

/** Parse `CC-XXX-YY-NNNNN` or the same 12 characters without dashes (any case) into the 12-character upper-case form. */
export function parseIsrc(text: string): IsrcResult {
  const input = text.trim();
  const fail = (what: string): IsrcResult => ({ ok: false, message: `ISRC ${JSON.stringify(input)}: ${what} ${EXPECTED}` });
  if (input === '') return { ok: false, message: `ISRC is empty ${EXPECTED}` };
  const bad = input.match(/[^A-Za-z0-9-]/u);
  if (bad) return fail(`${JSON.stringify(bad[0])} is not allowed, only letters, digits and dashes`);
  const upper = input.toUpperCase();
  let parts: string[];
  if (upper.includes('-')) {
    parts = upper.split('-');
    if (parts.length !== 4) return fail(`dashes must separate exactly 4 parts, not ${parts.length}`);
  } else {
    if (upper.length !== 12) return fail(`must be 12 letters and digits without dashes, not ${upper.length}`);
    let at = 0;
    parts = PARTS.map((part) => upper.slice(at, (at += part.length)));
  }
  for (let i = 0; i < PARTS.length; i++) if (!PARTS[i].pattern.test(parts[i])) return fail(PARTS[i].rule);
  return { ok: true, isrc: parts.join('') };
}

/** The dashed, human-readable form `CC-XXX-YY-NNNNN` of a valid ISRC (dashed or not). Throws RangeError with parseIsrc's message otherwise. */
export function formatIsrc(isrc: string): string {
  const parsed = parseIsrc(isrc);
  if (!parsed.ok) throw new RangeError(parsed.message);
  const c = parsed.isrc;
  return `${c.slice(0, 2)}-${c.slice(2, 5)}-${c.slice(5, 7)}-${c.slice(7)}`;
}

/** The 12-character stored form of a valid ISRC. Throws RangeError with parseIsrc's message otherwise. */
export function normalizeIsrc(isrc: string): string {
  const parsed = parseIsrc(isrc);
  if (!parsed.ok) throw new RangeError(parsed.message);
  return parsed.isrc;
}
