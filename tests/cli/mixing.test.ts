// `mixgraph level`, `align` and `mixcheck` through the binary: exit codes, --json, and the session
// they write (it loads, and holds the new gains and offsets). Stems from tests/helpers/stems.ts
// written as 32-bit float WAV files.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { encodeWav } from '../../src/io/wav.ts';
import { loadSession } from '../../src/presets/load.ts';
import { nodeAt } from '../../src/model/document.ts';
import { bandStems, delayed, overhead, kick } from '../helpers/stems.ts';
import { run, scratch, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT });
const dir = scratch();
const SR = 48000;
const S = 8;
for (const [name, channels] of bandStems(S, SR)) write(dir, name, encodeWav(channels, SR, '32f'));
write(dir, 'oh.wav', encodeWav([overhead(S, SR)], SR, '32f'));
write(dir, 'kick-late.wav', encodeWav([delayed(kick(S, SR), 0.03 * SR)], SR, '32f'));
copyFileSync(new URL('../fixtures/mixing/balanced.json', import.meta.url), join(dir, 'balanced.json'));
const balanced = JSON.parse(readFileSync(join(dir, 'balanced.json'), 'utf8'));
const withParam = (id: string, param: string, value: unknown) => {
  const doc = structuredClone(balanced);
  doc.nodes.find((n: { id: string }) => n.id === id).params[param] = value;
  return JSON.stringify(doc);
};
write(dir, 'hot-keys.json', withParam('keys', 'gain', 12));
const session = (nodes: object[], edges: object[]) => JSON.stringify({ format: 'mixgraph', version: 2, kind: 'session', name: 't', nodes, edges });
write(
  dir,
  'kit.json',
  session(
    [
      { id: 'oh', type: 'track', params: { source: 'oh.wav', category: 'drums' } },
      { id: 'kick', type: 'track', params: { source: 'kick-late.wav' } },
      { id: 'keys', type: 'track', params: { source: 'keys.wav' } },
      { id: 'master', type: 'master' },
    ],
    ['oh', 'kick', 'keys'].map((from) => ({ from, to: 'master' })),
  ),
);
const read = (name: string) => loadSession(readFileSync(join(dir, name), 'utf8'), name);

describe('mixgraph level', () => {
  test('levels each track to the target, writes the session with the new faders (audio paths still right)', async () => {
    const r = await run(['level', 'hot-keys.json', '-o', 'levelled-20.json', '--target', '-20', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.target).toBe(-20);
    const keys = report.tracks.find((t: { path: string }) => t.path === 'keys');
    expect(keys.status).toBe('levelled');
    expect(Math.abs(keys.loudnessAfter - -20)).toBeLessThan(0.5);
    const doc = read('levelled-20.json');
    for (const t of report.tracks) expect(nodeAt(doc, t.path)!.params.gain, t.path).toBe(t.gainAfter);
    expect(nodeAt(doc, 'keys')!.params.source).toBe('keys.wav');
    // the written session is levelled: measured again, every sounding track is at the target
    const again = await run(['level', 'levelled-20.json', '-o', 'again.json', '--target', '-20', '--json'], dir);
    expect(again.code, again.stderr).toBe(0);
    const levelled = report.tracks.filter((t: { status: string }) => t.status === 'levelled').map((t: { path: string }) => t.path);
    expect(levelled.length).toBeGreaterThan(3);
    for (const t of JSON.parse(again.stdout).tracks) if (levelled.includes(t.path)) expect(Math.abs(t.loudness - -20), t.path).toBeLessThanOrEqual(0.1);
    // the hats need more than the fader's +12 dB: clamped, and said so
    expect(report.tracks.find((t: { path: string }) => t.path === 'hats').status).toBe('clamped');
  });

  test('written into another folder: the audio paths point back to the files, with a warning', async () => {
    const r = await run(['level', 'hot-keys.json', '-o', 'out/levelled.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/out\/levelled.json reads audio outside its folder \(\.\.\/kick.wav/);
    const doc = loadSession(readFileSync(join(dir, 'out/levelled.json'), 'utf8'), 'levelled.json');
    expect(nodeAt(doc, 'keys')!.params.source).toBe('../keys.wav');
    expect((await run(['mixcheck', 'out/levelled.json', '--allow-any-path'], dir)).code).toBeLessThan(2);
  });

  test('text report; a bad target and a missing output are exit 1', async () => {
    const r = await run(['level', 'hot-keys.json', '-o', 'levelled.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^levelled \d+ of 6 tracks to -18 LUFS; wrote levelled.json/);
    expect((await run(['level', 'hot-keys.json', '-o', 'x.json', '--target', '3'], dir)).code).toBe(1);
    expect((await run(['level', 'hot-keys.json'], dir)).code).toBe(1);
  });
});

describe('mixgraph align', () => {
  test('finds the kick 30 ms late against the overhead and writes the session with its offset moved', async () => {
    const r = await run(['align', 'kit.json', '--to', 'oh', '-o', 'aligned.json', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const k = report.tracks.find((t: { path: string }) => t.path === 'kick');
    expect(Math.abs(k.delaySamples - 1440)).toBeLessThan(0.5);
    expect(k.offsetAfter).toBe(-30);
    expect(report.tracks.find((t: { path: string }) => t.path === 'keys').status).toBe('low-confidence');
    const doc = read('aligned.json');
    expect(nodeAt(doc, 'kick')!.params.offset).toBe(-30);
    expect(nodeAt(doc, 'keys')!.params.offset).toBe(0);
  });

  test('a reference that is not a track, or none, is exit 1', async () => {
    const r = await run(['align', 'kit.json', '--to', 'master', '-o', 'a.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no track "master" to align to/);
    expect((await run(['align', 'kit.json', '-o', 'a.json'], dir)).code).toBe(1);
  });
});

describe('mixgraph mixcheck', () => {
  test('the balanced session: no findings, exit 0', async () => {
    const r = await run(['mixcheck', 'balanced.json'], dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/no findings/);
  });

  test('hot keys: a dominating finding with its fix, exit 1; --json', async () => {
    const r = await run(['mixcheck', 'hot-keys.json', '--json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    const f = report.findings.find((x: { kind: string }) => x.kind === 'dominating');
    expect(f.tracks).toEqual(['keys']);
    expect(f.suggestion.edit).toMatchObject({ type: 'gain', track: 'keys' });
    expect(report.tracks).toHaveLength(6);
  });

  test('bad input is exit 2', async () => {
    write(dir, 'missing.json', session([{ id: 't', type: 'track', params: { source: 'nope.wav' } }, { id: 'master', type: 'master' }], [{ from: 't', to: 'master' }]));
    expect((await run(['mixcheck', 'missing.json'], dir)).code).toBe(2);
    expect((await run(['mixcheck', 'nothing-here.json'], dir)).code).toBe(2);
    expect((await run(['mixcheck', 'balanced.json', '--bogus'], dir)).code).toBe(2);
  });

  test('packages: checked as sessions; level from a package writes a package, not JSON', async () => {
    const p = await run(['pack', 'hot-keys.json', '-o', 'hot.mixgraph'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect((await run(['mixcheck', 'hot.mixgraph'], dir)).code).toBe(1);
    const refused = await run(['level', 'hot.mixgraph', '-o', 'from-package.json'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/write the result as a package too/);
    const ok = await run(['level', 'hot.mixgraph', '-o', 'levelled.mixgraph', '--json'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    const check = await run(['mixcheck', 'levelled.mixgraph', '--json'], dir);
    expect(JSON.parse(check.stdout).tracks.find((t: { path: string }) => t.path === 'keys').loudness).toBeLessThan(-17);
  });
});
