// One reading path: render (a track's source), analyze, master (its input) and album (a track) accept
// and refuse exactly the same files, with the same reason. In-process (main with its own streams):
// the same code as the binary, without a process start per case.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { REFUSED, TRUNCATED } from '../helpers/wav-bytes.ts';
import { scratch, sessionJson } from './helpers.ts';

const dir = scratch();
const chain = join(dir, 'chain.json');
writeFileSync(
  chain,
  JSON.stringify({ format: 'mixgraph', version: 1, kind: 'chain', name: 'c', nodes: [{ id: 'g', type: 'gain' }], edges: [{ from: 'input', to: 'g' }, { from: 'g', to: 'output' }] }),
);

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), errRaw: (t) => void (err += t), errIsTTY: false, usage: '' };
  const code = await main(argv, io);
  return { code, out, err };
}

/** The four ways a file is read, each given the file's path; each returns what the command said. */
function commands(name: string, file: string) {
  const folder = join(dir, name.replace(/\W/g, '_'));
  mkdirSync(folder, { recursive: true });
  const session = join(folder, 'session.json');
  writeFileSync(session, sessionJson([{ id: 't', type: 'track', params: { source: file } }, { id: 'master', type: 'master' }], [['t', 'master']]));
  const album = join(folder, 'album.json');
  writeFileSync(album, JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'A', artist: 'B', chain, target: -14, tracks: [{ title: 'One', source: file }] }));
  return {
    render: () => cli(['render', session, '-o', join(folder, 'mix.wav'), '--allow-any-path']),
    analyze: () => cli(['analyze', file]),
    master: () => cli(['master', chain, file, '-o', join(folder, 'master.wav')]),
    album: () => cli(['album', album, '-o', join(folder, 'out'), '--allow-any-path']),
  };
}

describe('every command refuses the same files with the same reason', () => {
  test.each(REFUSED.map((f) => [f.name, f] as const))('%s', async (name, f) => {
    const file = join(dir, name);
    writeFileSync(file, f.bytes);
    for (const [command, run] of Object.entries(commands(name, file))) {
      const r = await run();
      expect(r.code, `${command}: exit code`).toBe(1);
      expect(r.err, `${command}: reason`).toMatch(f.reason);
      // album says which track it reads first (progress); the problem is one line
      expect(r.err.trimEnd().split('\n').filter((l) => !/^reading \d+\/\d+: /.test(l)), `${command}: one line`).toHaveLength(1);
      expect(r.err, `${command}: names the file`).toContain(name);
    }
  });
});

describe('a file cut short', () => {
  test('is read by every command, each saying so on stderr', { timeout: 120_000 }, async () => {
    const file = join(dir, TRUNCATED.name);
    writeFileSync(file, TRUNCATED.bytes);
    for (const [command, run] of Object.entries(commands('cut', file))) {
      const r = await run();
      expect(r.code, `${command}: exit code (${r.err})`).toBe(0);
      expect(r.err, `${command}: the warning`).toMatch(TRUNCATED.warning);
    }
  });
});
