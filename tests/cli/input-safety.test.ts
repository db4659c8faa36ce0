// Inputs that are not regular files, or too big, for every command that reads audio and for every
// document input: each is refused with a clear line and exit 1, at once. The real binary in its own
// process, so a hang (a FIFO without a writer, /dev/zero) fails on the run's timeout.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';

import { run, scratch, sessionJson, sineWav, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT });

const dir = scratch();
const chain = write(dir, 'chain.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'chain', name: 'c', nodes: [{ id: 'g', type: 'gain' }], edges: [{ from: 'input', to: 'g' }, { from: 'g', to: 'output' }] }));
write(dir, 'ok.wav', sineWav(1, 48000, '16'));
let socketServer: Server;

/** Each hostile input: a path in `dir` and the words its refusal must contain. */
const CASES: [string, RegExp][] = [
  ['zero.wav', /it is a character device; Mixgraph reads only regular files|is not a file/],
  ['null.wav', /it is a character device; Mixgraph reads only regular files|is not a file/],
  ['fifo.wav', /it is a named pipe \(FIFO\); Mixgraph reads only regular files|is not a file/],
  ['socket.wav', /a socket|is not a file/],
  ['loop.wav', /too many symbolic links/],
  ['folder.wav', /it is a directory; Mixgraph reads only regular files|is not a file/],
  ['sparse-3g.wav', /it is 3072 MiB, more than the 2048 MiB limit/],
  ['sparse-64m.wav', /not an audio format Mixgraph recognises/],
];

beforeAll(async () => {
  symlinkSync('/dev/zero', join(dir, 'zero.wav'));
  symlinkSync('/dev/null', join(dir, 'null.wav'));
  execFileSync('mkfifo', [join(dir, 'fifo.wav')]);
  symlinkSync('loop2.wav', join(dir, 'loop.wav'));
  symlinkSync('loop.wav', join(dir, 'loop2.wav'));
  mkdirSync(join(dir, 'folder.wav'));
  // Sparse files: their size is what the file system says, without the disk space.
  for (const [name, size] of [['sparse-3g.wav', 3 * 1024 ** 3], ['sparse-64m.wav', 64 * 1024 ** 2]] as const) {
    const fd = openSync(join(dir, name), 'w');
    execFileSync('truncate', ['-s', String(size), join(dir, name)]);
    closeSync(fd);
  }
  socketServer = createServer();
  await new Promise<void>((done) => socketServer.listen(join(dir, 'socket.wav'), done));
});
afterAll(() => socketServer?.close());

function commandsFor(file: string, tag: string): Record<string, string[]> {
  const session = write(dir, `s-${tag}.json`, sessionJson([{ id: 't', type: 'track', params: { source: file } }, { id: 'master', type: 'master' }], [['t', 'master']]));
  const album = write(dir, `a-${tag}.json`, JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'A', artist: 'B', chain: 'chain.json', target: -14, tracks: [{ title: 'One', source: file }] }));
  return {
    render: ['render', session, '-o', `out-${tag}.wav`, '--allow-any-path'],
    analyze: ['analyze', file],
    master: ['master', chain, file, '-o', `master-${tag}.wav`],
    album: ['album', album, '-o', `album-${tag}`, '--allow-any-path'],
  };
}

describe('audio inputs that are not regular files or are too big', () => {
  test.each(CASES)('%s: every command refuses it at once', async (name, reason) => {
    const tag = name.replace(/\W/g, '_');
    for (const [command, args] of Object.entries(commandsFor(name, tag))) {
      const started = Date.now();
      const r = await run(args, dir);
      expect(r.code, `${command}: ${r.stderr}`).toBe(1);
      expect(r.stderr, command).toMatch(reason);
      expect(r.stderr, command).toContain(name);
      // Refused before any reading: well under the time a render would take.
      expect(Date.now() - started, `${command} took`).toBeLessThan(15_000);
    }
    for (const out of [`out-${tag}.wav`, `master-${tag}.wav`, `album-${tag}`]) expect(existsSync(join(dir, out)), out).toBe(false);
  });
});

describe('document inputs that are not regular files or are too big', () => {
  test.each(CASES)('%s as a session, a chain and an album: refused at once', async (name, reason) => {
    const docReason = new RegExp(reason.source.replace(/\|is not a file/, '').replace(/2048 MiB/, '8.0 MiB').replace('not an audio format Mixgraph recognises', 'more than the 8\\.0 MiB limit'));
    for (const args of [
      ['validate', name],
      ['render', name, '-o', 'x.wav'],
      ['master', name, 'ok.wav', '-o', 'y.wav'],
      ['album', name, '-o', 'z'],
    ]) {
      const r = await run(args, dir);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr, args[0]).toMatch(docReason);
      expect(r.stderr).toContain(name);
    }
  });

  test('a JSON file in UTF-16 (as some Windows editors save it) is named as such', async () => {
    const text = sessionJson([{ id: 'master', type: 'master' }], []);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    write(dir, 'utf16.json', utf16);
    write(dir, 'utf16-nobom.json', Buffer.from(text, 'utf16le'));
    for (const name of ['utf16.json', 'utf16-nobom.json']) {
      const r = await run(['validate', name], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`mixgraph: cannot read "${name}": it is UTF-16 text; Mixgraph reads JSON files in UTF-8: save it as UTF-8 (in most editors: Save with encoding, UTF-8)\n`);
    }
    writeFileSync(join(dir, 'latin1.json'), Buffer.from('{"format":"mixgraph","name":"Caf\xe9"}', 'latin1'));
    const r = await run(['validate', 'latin1.json'], dir);
    expect(r.stderr).toBe('mixgraph: cannot read "latin1.json": it is not UTF-8 text (an invalid byte at offset 32); is it a JSON file? save it as UTF-8\n');
  });
});
