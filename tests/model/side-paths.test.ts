// Side paths (sends and aux returns) as the canvas draws them: from port roles, not node types.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { edgeKey } from '../../src/model/edge-key.ts';
import { sideEdges } from '../../src/model/side-paths.ts';
import { loadSession } from '../../src/presets/load.ts';
import type { Graph } from '../../src/model/document.ts';
import { session } from './build.ts';

const keys = (g: Graph) => [...sideEdges(g)].map(edgeKey).sort();

describe('side paths', () => {
  it("the demo: both sends' aux outputs and the reverb return up to the mix bus; no insert edge", () => {
    const demo = loadSession(readFileSync(new URL('../../presets/demo/demo.json', import.meta.url), 'utf8'), 'demo.json');
    expect(keys(demo)).toEqual(
      ['keys_send:send->reverb_bus:in', 'vox_send:send->reverb_bus:in', 'reverb_bus:out->reverb:in', 'reverb:out->mix_bus:in'].sort(),
    );
  });

  it('a send\'s "out" is the insert chain; a node that also hears a dry signal ends the side path', () => {
    const doc = session(
      [['t', 'track'], ['s', 'send'], ['d', 'delay'], ['b', 'bus'], ['m', 'master']],
      ['t->s', 's->b', 's.send->d', 'd->b', 't->b', 'b->m'],
    );
    expect(keys(doc)).toEqual(['d:out->b:in', 's:send->d:in']);
  });

  it('a feedback loop inside a return stays a side path; a loop of its own with no send is not one', () => {
    const doc = session(
      [['t', 'track'], ['s', 'send'], ['ret', 'bus'], ['d', 'delay'], ['mix', 'bus'], ['m', 'master'], ['g', 'generator'], ['a', 'bus'], ['d2', 'delay']],
      ['t->s', 's->mix', 's.send->ret', 'ret->d', 'd->ret', 'd->mix', 'mix->m', 'g->a', 'a->d2', 'd2->a', 'a->m'],
    );
    expect(keys(doc)).toEqual(['d:out->mix:in', 'd:out->ret:in', 'ret:out->d:in', 's:send->ret:in']);
  });

  it('a sidechain fed from a send does not make its node a return', () => {
    const doc = session(
      [['t', 'track'], ['v', 'track'], ['s', 'send'], ['c', 'compressor'], ['m', 'master']],
      ['v->s', 's->m', 's.send->c.sidechain', 't->c', 'c->m'],
    );
    expect(keys(doc)).toEqual(['s:send->c:sidechain']);
  });
});
