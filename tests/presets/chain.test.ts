// Chain documents: what loads, what is refused and how the messages point at the problem.
import { describe, expect, it } from 'vitest';
import { chainToSession, loadChain, loadChainValue } from '../../src/presets/chain.ts';
import { saveSession } from '../../src/presets/load.ts';
import { loadSession } from '../../src/presets/load.ts';
import { compile } from '../../src/compiler/compile.ts';
import { PresetError } from '../../src/presets/json.ts';

const base = (nodes: unknown[], edges: unknown[], extra: Record<string, unknown> = {}) => ({ format: 'mixgraph', version: 1, kind: 'chain', name: 'c', nodes, edges, ...extra });
const problems = (value: unknown) => {
  const r = loadChainValue(value);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('chain documents', () => {
  it('loads input -> eq -> limiter -> output, fills defaults, and becomes a compilable session', () => {
    const chain = loadChain(
      JSON.stringify(base([{ id: 'eq', type: 'eq' }, { id: 'lim', type: 'limiter', params: { ceiling: -2 } }], [{ from: 'input', to: 'eq' }, { from: 'eq', to: 'lim' }, { from: 'lim', to: 'output' }])),
    );
    expect(chain.kind).toBe('chain');
    expect(chain.nodes[1].params.ceiling).toBe(-2);
    expect(chain.nodes[1].params.release).toBe(60); // the limiter's default, filled in
    const session = chainToSession(chain, 'song.wav');
    expect(session.nodes.map((n) => n.type)).toEqual(['eq', 'limiter', 'track', 'master']);
    expect(compile(session).ok).toBe(true);
  });

  it('saves as a chain and loads back equal', () => {
    const chain = loadChain(JSON.stringify(base([{ id: 'g', type: 'gain', params: { gain: -3 } }], [{ from: 'input', to: 'g' }, { from: 'g', to: 'output' }])));
    const text = saveSession(chain);
    expect(JSON.parse(text).kind).toBe('chain');
    expect(loadChain(text)).toEqual(chain);
  });

  it('refuses sources and a master, with the reason', () => {
    const p = problems(base([{ id: 't', type: 'track' }, { id: 'm', type: 'master' }], [{ from: 'input', to: 'm' }, { from: 't', to: 'output' }]));
    expect(p).toContain('nodes[0].type: a chain cannot hold a track node: it takes its sound from "input" and gives it to "output" (save a session instead if you need sources)');
    expect(p.some((l) => l.startsWith('nodes[1].type: a chain cannot hold a master node'))).toBe(true);
  });

  it('refuses nodes that take the reserved ids, edges into input or out of output, and missing ends', () => {
    expect(problems(base([{ id: 'input', type: 'gain' }], [{ from: 'input', to: 'output' }]))[0]).toMatch(/^nodes\[0\]\.id: "input" is reserved in a chain/);
    expect(problems(base([{ id: 'g', type: 'gain' }], [{ from: 'g', to: 'input' }, { from: 'input', to: 'g' }, { from: 'g', to: 'output' }]))).toContain(
      'edges[0].to: "input" is where the chain starts: nothing can be connected into it',
    );
    expect(problems(base([{ id: 'g', type: 'gain' }], [{ from: 'g', to: 'output' }]))).toEqual([
      'edges: no edge starts at "input": connect it to the first node, e.g. { "from": "input", "to": "eq" }',
    ]);
    expect(problems(base([{ id: 'g', type: 'gain' }], [{ from: 'input', to: 'g' }]))[0]).toMatch(/no edge ends at "output"/);
    expect(problems(base([{ id: 'a', type: 'gain' }, { id: 'b', type: 'gain' }], [{ from: 'input', to: 'a' }, { from: 'b', to: 'output' }]))).toEqual([
      'edges: no path leads from "input" to "output": the chain would be silent',
    ]);
  });

  it('applies every session rule to the chain graph (ports, params, loops) at the chain\'s own paths', () => {
    const p = problems(
      base(
        [{ id: 'a', type: 'gain', params: { gain: 99 } }, { id: 'b', type: 'gain' }],
        [{ from: 'input', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }, { from: 'b', to: 'output', toPort: 'sidechain' }],
      ),
    );
    expect(p.some((l) => l.startsWith('nodes[0].params.gain:'))).toBe(true);
    expect(p.some((l) => /^edges\[3\]\.toPort: master has no input "sidechain"/.test(l))).toBe(true);
  });

  it('a session is not a chain and a chain is not a session: the message says which it is', () => {
    expect(problems({ ...base([], []), kind: 'session' })).toEqual(['kind: expected "chain", got "session": this file is a session, not a chain']);
    expect(() => loadSession(JSON.stringify(base([], [])), 'c.json')).toThrow(PresetError);
    try {
      loadSession(JSON.stringify(base([], [])), 'c.json');
    } catch (err) {
      expect((err as PresetError).problems).toEqual(['c.json: kind: expected "session", got "chain": this file is a chain, not a session']);
    }
  });
});
