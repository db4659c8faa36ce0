// `mixgraph diff`: through the binary, with its own exit status (0 same, 1 different, 2 bad input).
import { describe, expect, test, vi } from 'vitest';
import { run, scratch, sessionJson, write, TEST_TIMEOUT } from './helpers.ts';

vi.setConfig({ testTimeout: TEST_TIMEOUT });
const dir = scratch();

const nodes = (threshold: number, extra: { id: string; type: string; params?: Record<string, unknown> }[] = []) => [
  { id: 'g', type: 'generator' },
  { id: 'comp', type: 'compressor', params: { threshold } },
  ...extra,
  { id: 'master', type: 'master' },
];
write(dir, 'a.json', sessionJson(nodes(-18), [['g', 'comp'], ['comp', 'master']]));
write(dir, 'same.json', sessionJson(nodes(-18), [['g', 'comp'], ['comp', 'master']]));
write(dir, 'b.json', sessionJson(nodes(-24, [{ id: 'lim', type: 'limiter' }]), [['g', 'comp'], ['comp', 'lim'], ['lim', 'master']]));
write(dir, 'chain.json', JSON.stringify({ format: 'mixgraph', version: 2, kind: 'chain', name: 'c', nodes: [{ id: 'l', type: 'limiter' }], edges: [{ from: 'input', to: 'l' }, { from: 'l', to: 'output' }] }));

describe('mixgraph diff', () => {
  test('the same: exit 0 and one line', async () => {
    const r = await run(['diff', 'a.json', 'same.json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('a.json and same.json are the same session');
  });

  test('different: exit 1, each change with its place and units', async () => {
    const r = await run(['diff', 'a.json', 'b.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      'a.json -> b.json (session)',
      'nodes added:',
      '  + lim (limiter)',
      'edges added:',
      '  + comp.out -> lim.in',
      '  + lim.out -> master.in',
      'edges removed:',
      '  - comp.out -> master.in',
      'parameters:',
      '  ~ comp threshold: -18 dB -> -24 dB',
      '5 differences',
    ]);
  });

  test('--json: the same as an object', async () => {
    const r = await run(['diff', 'a.json', 'b.json', '--json'], dir);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({ a: 'a.json', b: 'b.json', kind: 'session', equal: false, nodesAdded: [{ node: 'lim', type: 'limiter' }], params: [{ node: 'comp', param: 'threshold', old: -18, new: -24, unit: 'dB' }] });
    const same = await run(['diff', 'a.json', 'same.json', '--json'], dir);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).equal).toBe(true);
  });

  test('bad input: exit 2 (a missing file, an invalid one, two kinds, a wrong option, one file)', async () => {
    write(dir, 'bad.json', sessionJson([{ id: 'm', type: 'master', params: { gain: 99 } }], []));
    const cases: [string[], RegExp][] = [
      [['diff', 'a.json', 'nope.json'], /cannot read "nope\.json"/],
      [['diff', 'a.json', 'bad.json'], /bad\.json: nodes\[0\]\.params\.gain \(node "m"\): must be a number from -60 to 12 dB, got 99/],
      [['diff', 'a.json', 'chain.json'], /a\.json is a session and chain\.json is a chain; diff compares two documents of one kind/],
      [['diff', 'a.json', 'b.json', '--colour'], /unknown option "--colour" for diff/],
      [['diff', 'a.json'], /diff needs two files/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });
});
