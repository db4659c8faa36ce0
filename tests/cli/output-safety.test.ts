// Outputs never destroy inputs, cannot be redirected, and deliveries are all or none: every command,
// through the real binary, against real files, links, devices and file systems.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';

import { run, scratch, sessionJson, sineWav, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT });

const dir = scratch();

/** Every file under `root` with a hash of its bytes (links shown as links), to prove nothing changed. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const key = prefix + e.name;
      if (e.isSymbolicLink()) out[key] = 'link';
      else if (e.isDirectory()) {
        out[`${key}/`] = '';
        walk(p, `${key}/`);
      } else if (e.isFile()) out[key] = createHash('sha256').update(readFileSync(p)).digest('hex');
      else out[key] = 'special';
    }
  };
  walk(root, '');
  return out;
}

const chainJson = JSON.stringify({ format: 'mixgraph', version: 1, kind: 'chain', name: 'c', nodes: [{ id: 'g', type: 'gain' }], edges: [{ from: 'input', to: 'g' }, { from: 'g', to: 'output' }] });
const trackSession = (source: string) => sessionJson([{ id: 'kick', type: 'track', params: { source } }, { id: 'master', type: 'master' }], [['kick', 'master']]);

// render: a session and its stem; master: a chain and a song; album: sources in the output folder.
const r = join(dir, 'render');
write(r, 'session.json', trackSession('stems/kick.wav'));
write(r, 'stems/kick.wav', sineWav(0.5, 48000, '16'));
symlinkSync('stems/kick.wav', join(r, 'kick-link.wav'));
symlinkSync('stems', join(r, 'linked-stems'));
linkSync(join(r, 'stems/kick.wav'), join(r, 'kick-hard.wav'));
const m = join(dir, 'master');
write(m, 'chain.json', chainJson);
write(m, 'song.wav', sineWav(1, 48000, '24'));
mkdirSync(join(m, 'real'));
write(m, 'real/song2.wav', sineWav(1, 48000, '24'));
symlinkSync('real', join(m, 'linked'));
const a = join(dir, 'album');
write(a, 'chain.json', chainJson);
write(a, '01 Opening.wav', sineWav(1, 48000, '24'));
write(a, 'stems/b.wav', sineWav(1, 48000, '24'));
write(a, 'ballad.json', trackSession('stems/b.wav'));
const album = (tracks: { title: string; source: string }[]) => JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'Night Drive', artist: 'X', chain: 'chain.json', target: -14, tracks });
write(a, 'own-folder.json', album([{ title: 'Opening', source: '01 Opening.wav' }, { title: 'Ballad', source: 'ballad.json' }]));
write(a, 'stems/session-stem.json', album([{ title: 'B', source: 'b.wav' }]));
symlinkSync('.', join(a, 'here'));
mkdirSync(join(a, 'delivery-dir'));
write(a, 'delivery-dir/report.json', album([{ title: 'Opening', source: '../01 Opening.wav' }]).replace('"chain.json"', '"../chain.json"'));

/** [case, cwd, args, the words of the refusal (naming both files)] */
const CLASHES: [string, string, string[], RegExp][] = [
  ['render -o the session file', r, ['render', 'session.json', '-o', 'session.json'], /refusing to write the output "session\.json" over the session file "session\.json"/],
  ['render -o its own track file', r, ['render', 'session.json', '-o', 'stems/kick.wav'], /refusing to write the output "stems\/kick\.wav" over node "kick"'s source file ".*stems\/kick\.wav"/],
  ['render -o a symbolic link to the track file', r, ['render', 'session.json', '-o', 'kick-link.wav'], /refusing to write the output "kick-link\.wav" over node "kick"'s source file .* \("kick-link\.wav" leads to ".*stems\/kick\.wav"\)/],
  ['render -o the track file through a symlinked folder', r, ['render', 'session.json', '-o', 'linked-stems/kick.wav'], /refusing to write the output "linked-stems\/kick\.wav" over node "kick"'s source file .*leads to ".*\/stems\/kick\.wav"/],
  ['render -o a hard link to the track file', r, ['render', 'session.json', '-o', 'kick-hard.wav'], /refusing to write the output "kick-hard\.wav" over node "kick"'s source file .*is a hard link to/],
  ['render -o a roundabout path to the track file', r, ['render', 'session.json', '-o', './stems/../stems/./kick.wav'], /refusing to write the output ".\/stems\/..\/stems\/.\/kick\.wav" over node "kick"'s source file/],
  ['master -o its input', m, ['master', 'chain.json', 'song.wav', '-o', 'song.wav'], /refusing to write the output "song\.wav" over the input file "song\.wav"/],
  ['master -o its chain', m, ['master', 'chain.json', 'song.wav', '-o', 'chain.json'], /refusing to write the output "chain\.json" over the chain file "chain\.json"/],
  ['master -o its input through a symlinked folder', m, ['master', 'chain.json', 'real/song2.wav', '-o', 'linked/song2.wav'], /refusing to write the output "linked\/song2\.wav" over the input file "real\/song2\.wav" \("linked\/song2\.wav" leads to ".*\/real\/song2\.wav"\)/],
  ['album -o its own folder, where a source has an output\'s name', a, ['album', 'own-folder.json', '-o', '.'], /refusing to write track 1's file "01 Opening\.wav" over tracks\[0\]\.source ".*\/01 Opening\.wav"/],
  ['album -o its own folder through a symlinked folder', a, ['album', 'own-folder.json', '-o', 'here'], /refusing to write track 1's file "here\/01 Opening\.wav" over tracks\[0\]\.source .*leads to/],
  ['album -o the folder holding the album file as report.json', a, ['album', 'delivery-dir/report.json', '-o', 'delivery-dir', '--allow-any-path'], /refusing to write the report "delivery-dir\/report\.json" over the album file "delivery-dir\/report\.json"/],
];

describe('outputs never destroy inputs', () => {
  test.each(CLASHES)('%s: refused before any work, naming both; nothing changes', async (_label, cwd, args, reason) => {
    const before = tree(dir);
    const result = await run(args, cwd);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toMatch(/rendering/); // refused before the work
    expect(tree(dir)).toEqual(before);
  });

  test('a session track whose stem has the name of an album output is protected too', async () => {
    write(a, 'stems/01 B.wav', sineWav(1, 48000, '24'));
    write(a, 'stems/s.json', trackSession('01 B.wav'));
    write(a, 'stems/alb.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'N', artist: 'X', chain: '../chain.json', target: -14, tracks: [{ title: 'B', source: 's.json' }] }));
    const before = tree(dir);
    const result = await run(['album', 'stems/alb.json', '-o', 'stems', '--allow-any-path'], a);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to write track 1's file "stems\/01 B\.wav" over tracks\[0\]'s node "kick"'s source file/);
    expect(tree(dir)).toEqual(before);
  });
});

describe('writes cannot be redirected', () => {
  const w = join(dir, 'targets');
  write(w, 'session.json', trackSession('kick.wav'));
  write(w, 'kick.wav', sineWav(0.2, 48000, '16'));
  write(dir, 'precious.txt', 'keep me');

  test('a symbolic link planted at the output name: refused, the file it points to untouched', async () => {
    symlinkSync('../precious.txt', join(w, 'planted.wav'));
    const result = await run(['render', 'session.json', '-o', 'planted.wav'], w);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('mixgraph: the output "planted.wav" is a symbolic link; Mixgraph neither writes through nor replaces links: give the real file\'s path, or remove the link\n');
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(lstatSync(join(w, 'planted.wav')).isSymbolicLink()).toBe(true);
  });

  test('a symbolic link planted at an album output name: the whole album is refused before any work', async () => {
    const out = join(w, 'delivery');
    mkdirSync(out);
    symlinkSync('../../precious.txt', join(out, 'report.txt'));
    write(w, 'album.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'N', artist: 'X', chain: { format: 'mixgraph', version: 1, kind: 'chain', name: 'c', nodes: [], edges: [{ from: 'input', to: 'output' }] }, target: -14, tracks: [{ title: 'K', source: 'kick.wav' }] }));
    const result = await run(['album', 'album.json', '-o', 'delivery'], w);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the text report "delivery\/report\.txt" is a symbolic link/);
    expect(readdirSync(out)).toEqual(['report.txt']);
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  test('a FIFO and a device node given as -o are refused and stay what they were', async () => {
    execFileSync('mkfifo', [join(w, 'pipe.wav')]);
    const fifo = await run(['render', 'session.json', '-o', 'pipe.wav'], w);
    expect(fifo.code).toBe(1);
    expect(fifo.stderr).toBe('mixgraph: the output "pipe.wav" is a named pipe (FIFO); Mixgraph writes only regular files and never replaces anything else\n');
    expect(statSync(join(w, 'pipe.wav')).isFIFO()).toBe(true);
    // A character device like /dev/null, made here (as root) so no system file is at stake.
    execFileSync('mknod', [join(w, 'null.wav'), 'c', '1', '3']);
    const device = await run(['render', 'session.json', '-o', 'null.wav'], w);
    expect(device.code).toBe(1);
    expect(device.stderr).toBe('mixgraph: the output "null.wav" is a character device; Mixgraph writes only regular files and never replaces anything else\n');
    expect(statSync(join(w, 'null.wav')).isCharacterDevice()).toBe(true);
    const master = await run(['master', '../master/chain.json', 'kick.wav', '-o', 'null.wav'], w);
    expect(master.stderr).toMatch(/the output "null\.wav" is a character device/);
  });
});

describe('names up to the file system limit', () => {
  const n = join(dir, 'names');
  write(n, 'session.json', trackSession('kick.wav'));
  write(n, 'kick.wav', sineWav(0.2, 48000, '16'));

  test('a 255-byte Japanese file name works; 256 bytes is refused before the render, nothing left', async () => {
    const name255 = `${'音'.repeat(83)}ab.wav`; // 83 × 3 + 2 + 4 = 255 bytes
    expect(Buffer.byteLength(name255)).toBe(255);
    const ok = await run(['render', 'session.json', '-o', name255], n);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(n).sort()).toEqual(['kick.wav', name255, 'session.json'].sort());
    const name256 = `${'音'.repeat(83)}abc.wav`;
    const long = await run(['render', 'session.json', '-o', `new/${name256}`], n);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/is 256 bytes; file names can be at most 255 bytes: choose a shorter name/);
    expect(existsSync(join(n, 'new'))).toBe(false);
  });

  test.each([
    ['Japanese, 80 characters (240 bytes)', '夜'.repeat(80)],
    ['emoji, 80 characters (320 bytes: cut at a character to fit)', '🎵'.repeat(80)],
    ['Cyrillic, 80 characters', 'Ж'.repeat(80)],
    ['Hangul with a Latin part', `${'한'.repeat(69)} Remix 2024`],
  ])('an album title in %s gives legal file names and a CUE sheet that names them', async (_label, title) => {
    const out = join(n, `album-${Buffer.byteLength(title)}`);
    write(n, 'album.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: title, artist: 'X', chain: '../master/chain.json', target: -14, tracks: [{ title, source: 'kick-long.wav' }] }));
    write(n, 'kick-long.wav', sineWav(1, 48000, '16'));
    const result = await run(['album', 'album.json', '-o', out, '--allow-any-path'], n);
    expect(result.code, result.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files).toHaveLength(4);
    for (const f of files) expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
    const wav = files.find((f) => f.endsWith('.wav'))!;
    const cue = readFileSync(join(out, files.find((f) => f.endsWith('.cue'))!), 'utf8');
    expect(cue).toContain(`FILE "${wav}" WAVE`);
    expect(wav.startsWith(`01 ${[...title][0]}`)).toBe(true);
  });
});

describe('album deliveries are all or none', () => {
  const d = join(dir, 'deliveries');
  // 3 s each: the 32-bit float delivery (2.3 MB) does not fit the 1 MiB file system below.
  write(d, 'one.wav', sineWav(3, 48000, '24', 0.3));
  write(d, 'two.wav', sineWav(3, 48000, '24', 0.1));
  write(d, 'chain.json', chainJson);
  write(d, 'album.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'Night Drive', artist: 'X', chain: 'chain.json', target: -14, tracks: [{ title: 'One', source: 'one.wav' }, { title: 'Two', source: 'two.wav' }] }));
  write(d, 'album2.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'Night Drive', artist: 'X', chain: 'chain.json', target: -16, tracks: [{ title: 'One', source: 'one.wav' }, { title: 'Two', source: 'two.wav' }] }));

  test('when the last rename fails (an immutable report.txt), the previous delivery is intact byte for byte', async () => {
    const out = join(d, 'out');
    const first = await run(['album', 'album.json', '-o', 'out'], d);
    expect(first.code, first.stderr).toBe(0);
    const before = tree(out);
    // report.txt is the last file put in place: make it impossible to replace.
    execFileSync('chattr', ['+i', join(out, 'report.txt')]);
    try {
      const second = await run(['album', 'album2.json', '-o', 'out'], d);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/mixgraph: cannot write into "out": permission denied; nothing was changed there/);
      expect(tree(out)).toEqual(before);
    } finally {
      execFileSync('chattr', ['-i', join(out, 'report.txt')]);
    }
    // And without the obstacle the new delivery replaces the old one.
    const third = await run(['album', 'album2.json', '-o', 'out'], d);
    expect(third.code).toBe(0);
    expect(tree(out)['01 One.wav']).not.toBe(before['01 One.wav']);
  });

  test('when the disk fills up while writing, the previous delivery is intact and no folder is left behind', async () => {
    const mnt = join(d, 'small');
    mkdirSync(mnt);
    // 1 MiB of space: enough for an old 1 s delivery, not for the new one at 32-bit float.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    try {
      mkdirSync(join(mnt, 'prev'));
      writeFileSync(join(mnt, 'prev', '01 One.wav'), 'old one');
      writeFileSync(join(mnt, 'prev', 'report.txt'), 'old report');
      const before = tree(mnt);
      const full = await run(['album', 'album.json', '-o', join(mnt, 'prev'), '--bit-depth', '32f'], d);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/no space left on the device; nothing was changed there/);
      expect(tree(mnt)).toEqual(before);
      const nested = await run(['render', '../render/session.json', '-o', join(mnt, 'new/deeper/mix.wav'), '--duration', '30', '--bit-depth', '32f', '--allow-any-path'], d);
      expect(nested.code).toBe(1);
      expect(nested.stderr).toMatch(/no space left on the device; nothing was written/);
      expect(tree(mnt)).toEqual(before);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});

afterAll(() => rmSync(join(dir, 'deliveries', 'small'), { recursive: true, force: true }));
