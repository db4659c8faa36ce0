// `mixgraph validate`, usage, and every way a session or the command line can be wrong:
// one line per problem on stderr, exit 1, never a stack trace (run() checks that for every call).
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test, vi } from 'vitest';

import { run, scratch, sessionJson, sineWav, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT }); // these tests spawn the CLI, see helpers.ts

const dir = scratch();
const outside = scratch(); // a folder next to the session's, for paths that escape it
const session = join(dir, 'session');

const lines = (text: string) => text.trimEnd().split('\n');
const trackSession = (source: string) =>
  sessionJson(
    [
      { id: 'kick', type: 'track', params: { source } },
      { id: 'master', type: 'master' },
    ],
    [['kick', 'master']],
  );

write(session, 'stems/kick.wav', sineWav(0.1, 48000, '16'));
write(outside, 'secret.wav', sineWav(0.1, 48000, '16'));
write(session, 'ok.json', trackSession('stems/kick.wav'));

describe('usage', () => {
  test('--help, -h and help print the usage on stdout and exit 0', async () => {
    for (const arg of ['--help', '-h', 'help']) {
      const r = await run([arg], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: mixgraph <command>/);
      expect(r.stdout).toContain('render SESSION.json -o OUT.wav');
      expect(r.stdout).toContain('--bit-depth 16|24|32f');
      expect(r.stderr).toBe('');
    }
  });

  test('no arguments: usage on stderr, exit 1', async () => {
    const r = await run([], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: mixgraph/);
  });

  const wrong: [string[], RegExp][] = [
    [['mix', 'a.json'], /^mixgraph: unknown command "mix"/],
    [['--verbose'], /^mixgraph: unknown option "--verbose"/],
    [['render', 'ok.json', '-o', 'x.wav', '--fast'], /^mixgraph: unknown option "--fast" for render/],
    [['validate', 'ok.json', '--duration=3'], /^mixgraph: unknown option "--duration" for validate/],
    [['render', 'ok.json'], /^mixgraph: render needs an output file: -o OUT\.wav$/],
    [['render', '-o', 'x.wav'], /^mixgraph: render needs a session file/],
    [['render', 'ok.json', '-o', 'x.wav', '--sample-rate'], /^mixgraph: --sample-rate needs a value/],
    [['render', 'ok.json', '-o', 'x.wav', '--sample-rate', 'fast'], /^mixgraph: --sample-rate must be a whole number/],
    [['render', 'ok.json', '-o', 'x.wav', '--bit-depth', '8'], /^mixgraph: --bit-depth must be 16, 24 or 32f/],
    [['render', 'ok.json', '-o', 'x.wav', '--duration', '-1'], /^mixgraph: --duration must be a number of seconds above 0/],
    [['validate'], /^mixgraph: validate needs a file/],
    [['validate', 'missing.json'], /^mixgraph: cannot read "missing\.json": no such file or directory$/],
  ];
  test.each(wrong)('%j: one clear line, exit 1', async (args, message) => {
    const r = await run(args, session);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(existsSync(join(session, 'x.wav'))).toBe(false);
  });
});

describe('validate', () => {
  test('a valid session: "FILE: ok (N nodes, M edges)", exit 0', async () => {
    const r = await run(['validate', 'ok.json'], session);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok.json: ok (2 nodes, 1 edge)\n');
    expect(r.stderr).toBe('');
  });

  test('every problem on its own line with its place; exit 1', async () => {
    write(
      dir,
      'bad.json',
      sessionJson(
        [
          { id: 'g', type: 'generator', params: { level: 3, wobble: 1 } },
          { id: 'e', type: 'eq' },
          { id: 'master', type: 'master' },
        ],
        [
          ['g', 'e'],
          ['e', 'nowhere'],
          { from: 'e', to: 'master', toPort: 'sidechain' },
        ],
      ),
    );
    const r = await run(['validate', 'bad.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const got = lines(r.stderr);
    expect(got).toHaveLength(4);
    expect(got.every((l) => l.startsWith('bad.json: '))).toBe(true);
    expect(got).toContainEqual(expect.stringMatching(/^bad\.json: nodes\[0\]\.params\.level \(node "g"\): must be a number from -96 to 0 dBFS, got 3/));
    expect(got).toContainEqual(expect.stringMatching(/^bad\.json: nodes\[0\]\.params\.wobble \(node "g"\): /));
    expect(got).toContainEqual(expect.stringMatching(/^bad\.json: edges\[1\]\.to: no node with id "nowhere"/));
    expect(got).toContainEqual(expect.stringMatching(/^bad\.json: edges\[2\]\.toPort \(node "master", port "sidechain"\): master has no input "sidechain"/));
  });

  test('malformed JSON: file:line:col', async () => {
    write(dir, 'broken.json', '{\n  "format": "mixgraph",\n  "nodes": [,]\n}\n');
    for (const args of [['validate', 'broken.json'], ['render', 'broken.json', '-o', 'broken.wav']]) {
      const r = await run(args, dir);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual(["broken.json:3:13: not valid JSON: Unexpected token ','"]);
    }
    write(dir, 'truncated.json', '{\n  "format": "mixgraph",\n  "nodes": [');
    const r = await run(['validate', 'truncated.json'], dir);
    expect(r.stderr).toMatch(/^truncated\.json:3:13: not valid JSON: /);
    write(dir, 'quote.json', '{\n  "format": "mixgraph",\n  nodes: []\n}');
    const q = await run(['validate', 'quote.json'], dir);
    expect(q.stderr).toMatch(/^quote\.json:3:3: not valid JSON: /);
  });

  test('unknown node type', async () => {
    write(dir, 'unknown.json', sessionJson([{ id: 'wah', type: 'flanger' }, { id: 'master', type: 'master' }], [['wah', 'master']]));
    for (const args of [['validate', 'unknown.json'], ['render', 'unknown.json', '-o', 'unknown.wav']]) {
      const r = await run(args, dir);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual(['unknown.json: nodes[0].type (node "wah"): unknown node type "flanger"']);
    }
  });

  test('a feedback loop without a delay names its nodes', async () => {
    write(
      dir,
      'loop.json',
      sessionJson(
        [
          { id: 'a', type: 'gain' },
          { id: 'b', type: 'eq' },
          { id: 'master', type: 'master' },
        ],
        [
          ['a', 'b'],
          ['b', 'a'],
          ['b', 'master'],
        ],
      ),
    );
    for (const args of [['validate', 'loop.json'], ['render', 'loop.json', '-o', 'loop.wav', '--duration', '1']]) {
      const r = await run(args, dir);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/feedback loop without a delay: a -> b -> a/);
    }
    expect(existsSync(join(dir, 'loop.wav'))).toBe(false);
  });

  test('not a Mixgraph file, and a directory', async () => {
    write(dir, 'other.json', '{"hello": "world"}');
    const r = await run(['validate', 'other.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^other\.json: format: expected "mixgraph"/);
    const d = await run(['validate', 'session'], dir);
    expect(d.code).toBe(1);
    expect(d.stderr).toBe('mixgraph: cannot read "session": it is a directory; Mixgraph reads only regular files\n');
  });
});

describe('audio files', () => {
  test('a missing file names the node and the file (render and validate)', async () => {
    write(session, 'missing.json', trackSession('stems/snare.wav'));
    for (const args of [['validate', 'missing.json'], ['render', 'missing.json', '-o', 'missing.wav']]) {
      const r = await run(args, session);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^missing\.json: nodes\[0\]\.params\.source \(node "kick"\): file "stems\/snare\.wav" not found/);
    }
  });

  test('an undecodable file names the node and the file (validate does not decode)', async () => {
    write(session, 'stems/garbage.wav', new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff));
    write(session, 'garbage.json', trackSession('stems/garbage.wav'));
    const r = await run(['render', 'garbage.json', '-o', 'garbage.wav'], session);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^garbage\.json: nodes\[0\]\.params\.source \(node "kick"\): cannot decode "stems\/garbage\.wav" as audio/);
    expect(existsSync(join(session, 'garbage.wav'))).toBe(false);
    expect((await run(['validate', 'garbage.json'], session)).code).toBe(0);
  });

  test('an absolute path is refused, unless --allow-any-path', async () => {
    const file = join(outside, 'secret.wav');
    write(session, 'absolute.json', trackSession(file));
    for (const args of [['validate', 'absolute.json'], ['render', 'absolute.json', '-o', 'abs.wav']]) {
      const r = await run(args, session);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([
        `absolute.json: nodes[0].params.source (node "kick"): absolute path ${JSON.stringify(file)} refused; a source must be relative to the session's folder (or pass --allow-any-path)`,
      ]);
    }
    expect(existsSync(join(session, 'abs.wav'))).toBe(false);
    const ok = await run(['render', 'absolute.json', '-o', 'abs.wav', '--allow-any-path'], session);
    expect(ok.code).toBe(0);
    expect(existsSync(join(session, 'abs.wav'))).toBe(true);
  });

  test('a path escaping the folder with ../ is refused, unless --allow-any-path', async () => {
    const escape = relative(join(session, 'stems'), join(outside, 'secret.wav')).split('\\').join('/');
    write(session, 'stems/escape.json', trackSession(escape));
    const r = await run(['render', 'stems/escape.json', '-o', 'escape.wav'], session);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^stems\/escape\.json: nodes\[0\]\.params\.source \(node "kick"\): ".*secret\.wav" is outside the session's folder/);
    // Inside after all: `..` that comes back is fine.
    write(session, 'stems/back.json', trackSession('../stems/kick.wav'));
    expect((await run(['validate', 'stems/back.json'], session)).code).toBe(0);
    const ok = await run(['render', 'stems/escape.json', '-o', 'escape.wav', '--allow-any-path'], session);
    expect(ok.code).toBe(0);
  });

  test.skipIf(process.platform === 'win32')('a symbolic link out of the folder is refused; one inside is fine', async () => {
    symlinkSync(join(outside, 'secret.wav'), join(session, 'stems/link.wav'));
    symlinkSync(join(session, 'stems/kick.wav'), join(session, 'stems/inside.wav'));
    write(session, 'link.json', trackSession('stems/link.wav'));
    write(session, 'inside.json', trackSession('stems/inside.wav'));
    const r = await run(['validate', 'link.json'], session);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(node "kick"\): "stems\/link\.wav" leads outside the session's folder through a symbolic link/);
    expect((await run(['validate', 'link.json', '--allow-any-path'], session)).code).toBe(0);
    expect((await run(['validate', 'inside.json'], session)).code).toBe(0);
  });

  test('a URL is refused', async () => {
    write(session, 'url.json', trackSession('https://example.com/kick.wav'));
    const r = await run(['validate', 'url.json'], session);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(node "kick"\): "https:\/\/example\.com\/kick\.wav" looks like a URL/);
    const any = await run(['validate', 'url.json', '--allow-any-path'], session);
    expect(any.code).toBe(1);
    expect(any.stderr).toMatch(/only local files can be read/);
  });
});

describe('a failed render', () => {
  test('leaves an existing output untouched and no temporary file', async () => {
    write(session, 'keep.wav', 'the previous mix');
    write(session, 'fails.json', trackSession('stems/nothing-here.wav'));
    const r = await run(['render', 'fails.json', '-o', 'keep.wav'], session);
    expect(r.code).toBe(1);
    expect(readFileSync(join(session, 'keep.wav'), 'utf8')).toBe('the previous mix');
    write(session, 'stems/noise.wav', new Uint8Array(4096).fill(0x5a));
    write(session, 'noise.json', trackSession('stems/noise.wav'));
    const g = await run(['render', 'noise.json', '-o', 'keep.wav'], session);
    expect(g.code).toBe(1);
    expect(readFileSync(join(session, 'keep.wav'), 'utf8')).toBe('the previous mix');
    expect(readdirSync(session).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('an output that is a directory is refused before rendering', async () => {
    const r = await run(['render', 'ok.json', '-o', 'stems'], session);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^mixgraph: the output "stems" is a directory; Mixgraph writes only regular files/);
  });

  test('refuses to write over the session file itself', async () => {
    const r = await run(['render', 'ok.json', '-o', 'ok.json'], session);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to write the output "ok\.json" over the session file "ok\.json"/);
    expect(JSON.parse(readFileSync(join(session, 'ok.json'), 'utf8')).format).toBe('mixgraph');
  });
});
