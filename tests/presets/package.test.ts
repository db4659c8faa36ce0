// Packages (src/presets/package.ts): a session and its audio in one zip, written and read back; and
// hostile zips built by hand, each refused before anything is inflated, with a message saying why.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { DEFAULT_PACKAGE_LIMITS, PackageError, packagePath, readPackage, writePackage } from '../../src/presets/package.ts';
import { saveSession } from '../../src/presets/load.ts';
import { buildZip, crc32, json, localRecord, type RawEntry } from '../helpers/zip.ts';

/** Where the next local header starts after these entries (their local headers and data). */
const lengthBeforeCentral = (entries: RawEntry[]) => {
  const z = buildZip(entries);
  return new DataView(z.buffer, z.byteOffset).getUint32(z.length - 22 + 16, true);
};
import { demo } from '../model/build.ts';

/** The demo session (kick and snare from stems/) as it would be packed. */
const doc = (): SessionDoc => demo();
const audio = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);
const files = () => [
  { name: 'stems/kick.wav', bytes: audio(5000, 1) },
  { name: 'stems/snare.wav', bytes: audio(7000, 2) },
];
const sessionEntry = (d: SessionDoc = doc()): RawEntry => ({ name: 'session.json', data: new TextEncoder().encode(saveSession(d)) });
const stems: RawEntry[] = [
  { name: 'stems/kick.wav', data: audio(5000, 1), method: 0 },
  { name: 'stems/snare.wav', data: audio(7000, 2), method: 0 },
];

/** The lines readPackage refuses `bytes` with. */
function refused(bytes: Uint8Array, limits = {}): string[] {
  try {
    readPackage(bytes, { label: 'lesson.mixgraph', limits });
  } catch (err) {
    expect(err).toBeInstanceOf(PackageError);
    const lines = (err as PackageError).problems;
    for (const l of lines) expect(l.startsWith('lesson.mixgraph: ')).toBe(true);
    return lines;
  }
  throw new Error('expected the package to be refused');
}
const refusal = (bytes: Uint8Array, limits = {}) => refused(bytes, limits).join('\n');

describe('writing and reading a package', () => {
  it('round trip: the document at the root, each audio file at the path the document names', () => {
    const bytes = writePackage(doc(), files(), { mtime: new Date('2024-01-01T00:00:00Z') });
    const pkg = readPackage(bytes);
    expect(pkg.document).toBe('session.json');
    expect(pkg.doc).toEqual(doc());
    expect([...pkg.sources]).toEqual([['stems/kick.wav', 'stems/kick.wav'], ['stems/snare.wav', 'stems/snare.wav']]);
    expect(pkg.read('stems/kick.wav')).toEqual(files()[0].bytes);
    expect(pkg.read('stems/snare.wav')).toEqual(files()[1].bytes);
    // Audio is stored (a stored entry cannot be a bomb), the document deflated.
    expect(pkg.entries.map((e) => [e.name, e.method])).toEqual([['session.json', 8], ['stems/kick.wav', 0], ['stems/snare.wav', 0]]);
    // The same input gives the same bytes.
    expect(writePackage(doc(), files(), { mtime: new Date('2024-01-01T00:00:00Z') })).toEqual(bytes);
  });

  it('sources inside groups are packed and found; a chain packs as chain.json; a lesson opens as a session', () => {
    const h = new History(doc());
    h.run(groupNodes(['kick', 'eq1'], { id: 'g' }));
    const pkg = readPackage(writePackage(h.doc, files()));
    expect(pkg.sources.get('stems/kick.wav')).toBe('stems/kick.wav');
    const lesson = readPackage(buildZip([{ ...sessionEntry(), name: 'lesson.json' }, ...stems]));
    expect(lesson.document).toBe('lesson.json');
    expect(lesson.doc.kind).toBe('session');
  });

  it('the writer refuses what the reader would: a missing file, a name differing only in case, a bad path', () => {
    expect(() => writePackage(doc(), files().slice(0, 1))).toThrow(/node "snare" names "stems\/snare.wav", which is not among the files to pack/);
    expect(() => writePackage(doc(), [...files(), { name: 'Stems/kick.wav', bytes: audio(3) }])).toThrow(/differ only in case/);
    expect(() => writePackage(doc(), [...files(), { name: '../x.wav', bytes: audio(3) }])).toThrow(/leads out of the package/);
  });

  it('packagePath: "./a.wav" is a.wav; "..", absolute paths and backslashes are refused', () => {
    expect(packagePath('./stems/a.wav')).toEqual({ ok: true, name: 'stems/a.wav' });
    for (const bad of ['../a.wav', '/a.wav', 'a\\b.wav', 'C:/a.wav', 'a//b.wav', 'stems/../../a.wav', 'con.wav', 'a?.wav']) expect(packagePath(bad).ok, bad).toBe(false);
  });
});

describe('hostile packages: refused before anything is inflated', () => {
  const withEntry = (extra: RawEntry) => buildZip([sessionEntry(), ...stems, extra]);

  it('zip-slip: ".." in a name, at the start or in the middle', () => {
    expect(refusal(withEntry({ name: '../evil.wav', data: audio(10) }))).toMatch(/entry "\.\.\/evil\.wav" leads out of the package \(a "\.\." in its path\); refused/);
    expect(refusal(withEntry({ name: 'stems/../../evil.wav', data: audio(10) }))).toMatch(/leads out of the package/);
  });

  it('absolute paths, backslashes and drive letters', () => {
    expect(refusal(withEntry({ name: '/etc/passwd', data: audio(10) }))).toMatch(/entry "\/etc\/passwd" is an absolute path; refused/);
    expect(refusal(withEntry({ name: '..\\..\\evil.wav', data: audio(10) }))).toMatch(/has a backslash in its name/);
    expect(refusal(withEntry({ name: 'C:/Windows/evil.wav', data: audio(10) }))).toMatch(/starts with a drive letter/);
    expect(refusal(withEntry({ name: 'C:evil.wav', data: audio(10) }))).toMatch(/starts with a drive letter/);
    expect(refusal(withEntry({ name: 'a\u0000b.wav', data: audio(10) }))).toMatch(/control characters/);
    expect(refusal(withEntry({ name: Uint8Array.from([0x66, 0xff, 0x2e, 0x77]), data: audio(10) }))).toMatch(/name that is not UTF-8/);
  });

  it('symbolic links and other non-files (external attributes), Unix and Windows', () => {
    expect(refusal(withEntry({ name: 'stems/link.wav', data: new TextEncoder().encode('/etc/passwd'), method: 0, external: (0o120777 << 16) >>> 0 }))).toMatch(/entry "stems\/link\.wav" is a symbolic link; a package holds only files; refused/);
    expect(refusal(withEntry({ name: 'fifo', method: 0, external: (0o010644 << 16) >>> 0 }))).toMatch(/not a regular file/);
    expect(refusal(withEntry({ name: 'junction', method: 0, madeBy: 20, external: 0x400 }))).toMatch(/reparse point/);
  });

  it('duplicate names: the same, differing only in case, differing only in Unicode form', () => {
    expect(refusal(withEntry({ name: 'stems/kick.wav', data: audio(10), method: 0 }))).toMatch(/holds "stems\/kick\.wav" twice; every file needs its own name/);
    expect(refusal(withEntry({ name: 'Stems/Kick.wav', data: audio(10), method: 0 }))).toMatch(/differ only in case/);
    const nfc = 'caf\u00e9.wav';
    const nfd = 'cafe\u0301.wav';
    expect(refusal(buildZip([sessionEntry(), ...stems, { name: nfc, data: audio(3), method: 0 }, { name: nfd, data: audio(3), method: 0 }]))).toMatch(/differ only in Unicode form/);
    expect(refusal(buildZip([sessionEntry(), ...stems, { name: 'x', data: audio(3), method: 0 }, { name: 'x/y.wav', data: audio(3), method: 0 }]))).toMatch(/holds "x" as a file and as a folder/);
  });

  it('encrypted entries and unknown compression methods', () => {
    expect(refusal(withEntry({ name: 'secret.wav', data: audio(10), method: 0, flags: 1 }))).toMatch(/entry "secret\.wav" is encrypted; a package cannot be opened with a password/);
    expect(refusal(withEntry({ name: 'strong.wav', data: audio(10), method: 0, flags: 0x40 }))).toMatch(/is encrypted/);
    for (const method of [12, 14, 93, 99]) expect(refusal(withEntry({ name: 'x.wav', compressed: audio(10), method }))).toMatch(new RegExp(`uses compression method ${method}; a package uses "stored" \\(0\\) or "deflate" \\(8\\)`));
  });

  it('more than 1,000 entries', () => {
    const many = Array.from({ length: 1001 }, (_, i): RawEntry => ({ name: `f${i}.txt`, data: audio(1), method: 0 }));
    expect(refused(buildZip([sessionEntry(), ...many]))).toEqual(['lesson.mixgraph: has 1002 entries; a package may have at most 1000']);
    expect(() => readPackage(buildZip([sessionEntry(), ...stems, ...many.slice(0, 990)]))).not.toThrow();
  });

  it('a zip bomb by ratio: 64 MiB of zeros in 64 KiB, refused from the header before inflating', () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const squeezed = deflateSync(zeros, { level: 9 });
    expect(zeros.length / squeezed.length).toBeGreaterThan(500);
    expect(refusal(withEntry({ name: 'bomb.wav', compressed: squeezed, size: zeros.length, crc: crc32(zeros) }))).toMatch(/entry "bomb\.wav" would inflate \d+ times over \(.* to 64\.0 MiB; at most 200 times\): refused as a possible zip bomb/);
  });

  it('a zip bomb by total size: many entries within the ratio that add up past the limit', () => {
    const limits = { maxTotalBytes: 1024 * 1024 };
    const parts = Array.from({ length: 5 }, (_, i): RawEntry => ({ name: `part${i}.wav`, data: audio(300 * 1024, i), method: 0 }));
    expect(refusal(buildZip([sessionEntry(), ...stems, ...parts]), limits)).toMatch(/would inflate to 1\.5 MiB in all; a package may hold at most 1\.0 MiB/);
  });

  it('a header that lies: small declared size, big real output — stopped while inflating, never trusted', () => {
    // The directory says the document is 100 bytes; it inflates to 32 MiB. Refused as soon as the
    // real output passes 100 bytes, after at most one push (so memory stays small).
    const zeros = new Uint8Array(32 * 1024 * 1024);
    const bomb: RawEntry = { name: 'session.json', compressed: deflateSync(zeros, { level: 9 }), size: 100, crc: 0 };
    expect(refusal(buildZip([bomb, ...stems]))).toMatch(/"session\.json" inflates to more than the 100 bytes its header says; refused as a possible zip bomb/);
    // An audio file that lies is caught when it is read.
    const pkg = readPackage(buildZip([sessionEntry(), { name: 'stems/kick.wav', compressed: deflateSync(zeros), size: 1000, crc: 0 }, stems[1]]));
    expect(() => pkg.read('stems/kick.wav')).toThrow(/inflates to more than the 1000 bytes its header says/);
  });

  it('entries sharing their compressed data (the overlapping bomb)', () => {
    // Two names for one local header: a duplicate at best, a labelling mismatch at worst.
    expect(refusal(buildZip([sessionEntry(), ...stems, { name: 'a.wav', data: audio(100), method: 0 }, { name: 'b.wav', data: audio(100), method: 0, sameDataAs: 3 }]))).toMatch(/labelled differently/);
    // The real trick: b's own, well-formed local header hidden inside a's data, so b's bytes are a's too.
    const inner = localRecord('b.wav', audio(500));
    const aOffset = lengthBeforeCentral([sessionEntry(), ...stems]);
    const bOffset = aOffset + 30 + 'a.wav'.length;
    const zip = buildZip([sessionEntry(), ...stems, { name: 'a.wav', data: inner, method: 0 }, { name: 'b.wav', data: audio(500), method: 0, localOffset: bOffset }]);
    expect(refusal(zip)).toMatch(/entries "a\.wav" and "b\.wav" share their data; refused as a possible zip bomb/);
  });

  it('a local header that disagrees with the directory; a bad checksum; data that does not inflate', () => {
    expect(refusal(withEntry({ name: 'x.wav', data: audio(10), localName: 'y.wav' }))).toMatch(/entry "x\.wav": its file data is labelled differently from its directory entry/);
    expect(refusal(withEntry({ name: 'x.wav', data: audio(10), method: 8, localMethod: 0 }))).toMatch(/labelled differently/);
    const badCrc = readPackage(buildZip([sessionEntry(), { ...stems[0], crc: 1234 }, stems[1]]));
    expect(() => badCrc.read('stems/kick.wav')).toThrow(/"stems\/kick\.wav" is damaged: its checksum \(CRC-32\) does not match/);
    expect(refusal(buildZip([{ name: 'session.json', compressed: audio(200), size: 300 }, ...stems]))).toMatch(/"session\.json" is damaged/);
  });

  it('the document: missing, not at the root, two of them, too big, not valid', () => {
    expect(refused(buildZip(stems))).toEqual(['lesson.mixgraph: holds no document: a package has session.json, lesson.json, chain.json at its root']);
    expect(refusal(buildZip([{ ...sessionEntry(), name: 'lesson/session.json' }, ...stems]))).toMatch(/has its document at "lesson\/session\.json"; it must be at the package's root \(as "session\.json"\)/);
    expect(refusal(buildZip([sessionEntry(), { ...sessionEntry(), name: 'chain.json' }, ...stems]))).toMatch(/holds session\.json and chain\.json; a package holds one document/);
    expect(refusal(buildZip([sessionEntry(), ...stems]), { maxDocumentBytes: 100 })).toMatch(/session\.json is .*; a document may have at most 100 bytes/);
    const broken = doc();
    broken.nodes[0].params.gain = 99;
    expect(refusal(buildZip([sessionEntry(broken), ...stems]))).toMatch(/^lesson\.mixgraph: session\.json: nodes\[0\]\.params\.gain \(node "kick"\): must be a number from -60 to 12 dB, got 99$/m);
    expect(refusal(buildZip([{ name: 'session.json', data: new TextEncoder().encode('{"format": "mixgraph",') }, ...stems]))).toMatch(/session\.json:1:23: not valid JSON/);
  });

  it('audio the document names that is not in the package (case differences named)', () => {
    expect(refused(buildZip([sessionEntry(), stems[0]]))).toEqual(['lesson.mixgraph: session.json names "stems/snare.wav" (node "snare"), which is not in the package']);
    expect(refusal(buildZip([sessionEntry(), stems[0], { ...stems[1], name: 'stems/Snare.wav' }]))).toMatch(/which is not in the package \(it holds "stems\/Snare\.wav": names must match exactly, case included\)/);
    const outside = doc();
    outside.nodes[0].params.source = '../kick.wav';
    expect(refusal(buildZip([sessionEntry(outside), ...stems]))).toMatch(/node "kick": "\.\.\/kick\.wav" cannot be in a package: it leads out of the package/);
  });

  it('not a zip, cut short, split, ZIP64, a directory outside the file', () => {
    expect(refused(json({ format: 'mixgraph' }))[0]).toMatch(/is not a Mixgraph package \(not a zip file\)/);
    const good = buildZip([sessionEntry(), ...stems]);
    expect(refused(good.subarray(0, good.length - 30))[0]).toMatch(/is not a whole zip file/);
    expect(refused(good.subarray(0, 1000))[0]).toMatch(/is not a whole zip file/);
    const split = good.slice();
    split[split.length - 22 + 4] = 1;
    expect(refused(split)[0]).toMatch(/split over several disks/);
    const moved = good.slice();
    new DataView(moved.buffer).setUint32(moved.length - 22 + 16, moved.length, true);
    expect(refused(moved)[0]).toMatch(/directory lies outside the file/);
  });

  it('the limits are the documented ones', () => {
    expect(DEFAULT_PACKAGE_LIMITS).toMatchObject({ maxEntries: 1000, maxRatio: 200, maxDocumentBytes: 8 * 1024 * 1024, maxTotalBytes: 2 * 1024 ** 3 });
  });
});
