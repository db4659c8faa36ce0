// Packages on the command line: `mixgraph pack`, and a .mixgraph wherever a session is taken (render,
// validate, album tracks). The audio is unpacked into a private temporary folder that is gone when the
// command ends, and nothing is ever written outside it: each run gets its own TMPDIR to check that.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';

import { buildZip, type RawEntry } from '../helpers/zip.ts';
import { readWav, run, scratch, sessionJson, sineWav, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT });

const dir = scratch();
const wav = sineWav(0.5, 48000, '24', 0.4, 220);
write(dir, 'lesson/stems/bass.wav', wav);
write(dir, 'lesson/stems/lead.wav', sineWav(0.4, 48000, '24', 0.3, 880));
const lesson = sessionJson(
  [
    { id: 'bass', type: 'track', params: { source: 'stems/bass.wav', gain: -3 } },
    { id: 'lead', type: 'track', params: { source: './stems/lead.wav', pan: 0.3 } },
    { id: 'eq', type: 'eq', params: { bands: [{ type: 'highpass', frequency: 60 }] } },
    { id: 'master', type: 'master' },
  ],
  [['bass', 'eq'], ['eq', 'master'], ['lead', 'master']],
);
write(dir, 'lesson/session.json', lesson);

/** A fresh TMPDIR for one run, and what is left in it afterwards (tsx keeps its compile cache there: not ours). */
function tmp(name: string) {
  const path = join(dir, `tmp-${name}`);
  mkdirSync(path, { recursive: true });
  return { env: { TMPDIR: path }, left: () => readdirSync(path).filter((n) => !n.startsWith('tsx-')) };
}

describe('mixgraph pack, then render, validate and album from the package', () => {
  test('pack collects the session and its audio; the package renders exactly as the session', async () => {
    const packed = await run(['pack', 'lesson/session.json', '-o', 'lesson.mixgraph'], dir);
    expect(packed.stderr).toBe('');
    expect(packed.code).toBe(0);
    expect(packed.stdout).toMatch(/^wrote lesson\.mixgraph: session\.json and 2 audio files, \d+\.\d MiB/);

    const fromSession = await run(['render', 'lesson/session.json', '-o', 'a.wav'], dir);
    expect(fromSession.code).toBe(0);
    const t = tmp('render');
    const fromPackage = await run(['render', 'lesson.mixgraph', '-o', 'b.wav'], dir, t.env);
    expect(fromPackage.stderr).toBe('');
    expect(fromPackage.code).toBe(0);
    expect(readFileSync(join(dir, 'b.wav'))).toEqual(readFileSync(join(dir, 'a.wav')));
    expect(t.left()).toEqual([]); // the unpacked audio is gone
  });

  test('validate a package: everything checked (the audio inflated and its checksum checked), nothing unpacked to disk', async () => {
    const t = tmp('validate');
    const r = await run(['validate', 'lesson.mixgraph'], dir, t.env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('lesson.mixgraph: ok (package: session.json, 4 nodes, 3 edges, 2 audio files)');
    expect(t.left()).toEqual([]);
  });

  test('an album track can be a package', async () => {
    write(dir, 'chain.json', JSON.stringify({ format: 'mixgraph', version: 2, kind: 'chain', name: 'c', nodes: [{ id: 'l', type: 'limiter' }], edges: [{ from: 'input', to: 'l' }, { from: 'l', to: 'output' }] }));
    write(dir, 'album.json', JSON.stringify({ format: 'mixgraph', version: 2, kind: 'album', name: 'A', artist: 'B', chain: 'chain.json', target: -16, tracks: [{ title: 'One', source: 'lesson.mixgraph' }] }));
    const t = tmp('album');
    const r = await run(['album', 'album.json', '-o', 'delivery'], dir, t.env);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(readWav(join(dir, 'delivery/01 One.wav')).sampleRate).toBe(48000);
    expect(t.left()).toEqual([]);
  });

  test('the package is an input: render and pack refuse to write over it or over the session or its audio', async () => {
    const r = await run(['render', 'lesson.mixgraph', '-o', 'lesson.mixgraph'], dir, tmp('clash').env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the package/);
    const p = await run(['pack', 'lesson/session.json', '-o', 'lesson/session.mixgraph'], dir);
    expect(p.code).toBe(0);
    const over = await run(['pack', 'lesson/session.json', '-o', 'lesson/stems/bass.mixgraph'], dir);
    expect(over.code).toBe(0); // a new name beside the audio is fine
    expect(readFileSync(join(dir, 'lesson/stems/bass.wav'))).toEqual(Buffer.from(wav));
  });

  test('pack refuses what the path rule refuses, and names that are not .mixgraph', async () => {
    write(dir, 'outside.wav', wav);
    write(dir, 'lesson2/session.json', sessionJson([{ id: 't', type: 'track', params: { source: '../outside.wav' } }, { id: 'master', type: 'master' }], [['t', 'master']]));
    const r = await run(['pack', 'lesson2/session.json', '-o', 'x.mixgraph'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"\.\.\/outside\.wav" is outside the session's folder; refused/);
    expect(existsSync(join(dir, 'x.mixgraph'))).toBe(false);
    symlinkSync(join(dir, 'outside.wav'), join(dir, 'lesson2/linked.wav'));
    write(dir, 'lesson2/session.json', sessionJson([{ id: 't', type: 'track', params: { source: 'linked.wav' } }, { id: 'master', type: 'master' }], [['t', 'master']]));
    expect((await run(['pack', 'lesson2/session.json', '-o', 'x.mixgraph'], dir)).stderr).toMatch(/through a symbolic link; refused/);
    expect((await run(['pack', 'lesson/session.json', '-o', 'x.zip'], dir)).stderr).toMatch(/the package must be named NAME\.mixgraph/);
    expect((await run(['pack', 'lesson.mixgraph', '-o', 'y.mixgraph'], dir)).stderr).toMatch(/is a package already/);
  });
});

describe('hostile packages on the command line: refused, nothing written outside the temporary folder', () => {
  const good = JSON.parse(lesson);
  const session = (): RawEntry => ({ name: 'session.json', data: new TextEncoder().encode(JSON.stringify(good)) });
  const stems = (): RawEntry[] => [
    { name: 'stems/bass.wav', data: wav, method: 0 },
    { name: 'stems/lead.wav', data: sineWav(0.4, 48000, '24', 0.3, 880), method: 0 },
  ];
  const cases: [string, RawEntry[], RegExp][] = [
    ['zip-slip', [session(), ...stems(), { name: '../../escaped.wav', data: wav, method: 0 }], /entry "\.\.\/\.\.\/escaped\.wav" leads out of the package/],
    ['absolute', [session(), ...stems(), { name: '/tmp/escaped.wav', data: wav, method: 0 }], /is an absolute path/],
    ['symlink', [session(), { name: 'stems/bass.wav', data: new TextEncoder().encode('/etc/passwd'), method: 0, external: (0o120777 << 16) >>> 0 }, stems()[1]], /is a symbolic link/],
    ['duplicate', [session(), ...stems(), { name: 'STEMS/bass.wav', data: wav, method: 0 }], /differ only in case/],
    ['missing audio', [session(), stems()[0]], /names "\.\/stems\/lead\.wav" \(node "lead"\), which is not in the package/],
    // Passes every check on the directory; caught while it is unpacked, and the folder is removed.
    ['lying header', [session(), { name: 'stems/bass.wav', data: wav, method: 8, size: 1000 }, stems()[1]], /"stems\/bass\.wav" inflates to more than the 1000 bytes its header says/],
  ];
  test.each(cases)('%s', async (name, entries, message) => {
    const file = `hostile-${name.replace(/\W/g, '-')}.mixgraph`;
    write(dir, file, buildZip(entries));
    const t = tmp(`hostile-${name.replace(/\W/g, '-')}`);
    const before = readdirSync(dir).sort();
    const r = await run(['render', file, '-o', `${file}.wav`], dir, t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}: `));
    expect(t.left()).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before); // no output, no escaped file
    expect(existsSync(join(dir, '..', 'escaped.wav'))).toBe(false);
    expect(existsSync('/tmp/escaped.wav')).toBe(false);
    const v = await run(['validate', file], dir, t.env);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(message);
  });

  test('a file that is not a zip, named .mixgraph; a zip named .json', async () => {
    write(dir, 'fake.mixgraph', lesson);
    expect((await run(['validate', 'fake.mixgraph'], dir)).stderr.trim()).toBe('fake.mixgraph: is not a Mixgraph package (not a zip file); a package is a .mixgraph file made by Save package or `mixgraph pack`');
    write(dir, 'zip.json', buildZip([session(), ...stems()]));
    expect((await run(['validate', 'zip.json'], dir)).stderr.trim()).toBe('mixgraph: cannot read "zip.json": it is a zip file; if it is a Mixgraph package, name it .mixgraph');
  });
});
