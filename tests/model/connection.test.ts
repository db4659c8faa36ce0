import { describe, expect, it } from 'vitest';
import { connectionProblem } from '../../src/model/connection.ts';
import { apply } from '../../src/model/commands.ts';
import { copy, paste } from '../../src/ui/clipboard.ts';
import { edge, session } from './build.ts';

const doc = session(
  [
    ['g', 'generator'],
    ['eq', 'eq'],
    ['comp', 'compressor'],
    ['d', 'delay'],
    ['master', 'master'],
  ],
  ['g->eq', 'eq->comp', 'comp->master'],
);

describe('connectionProblem (what the editor says while a cable is dragged)', () => {
  it('allows a new output-to-input edge, including the sidechain', () => {
    expect(connectionProblem(doc, edge('g->comp.sidechain'))).toBeNull();
    expect(connectionProblem(doc, edge('g->master'))).toBeNull();
  });
  it('refuses a duplicate edge', () => {
    expect(connectionProblem(doc, edge('g->eq'))).toMatch(/connected already/);
  });
  it('refuses an output connected to an output, and a node feeding itself', () => {
    expect(connectionProblem(doc, edge('g->eq.out'))).toMatch(/output cannot be connected to an output/);
    expect(connectionProblem(doc, edge('eq->eq'))).toMatch(/cannot feed itself/);
  });
  it('refuses a loop without a delay and names the nodes in it', () => {
    expect(connectionProblem(doc, edge('comp->eq'))).toMatch(/feedback loop without a delay \(.*eq.*comp.*\)/);
  });
  it('allows a loop through a delay', () => {
    const withDelay = session(
      [
        ['eq', 'eq'],
        ['d', 'delay'],
        ['master', 'master'],
      ],
      ['eq->d', 'd->master'],
    );
    expect(connectionProblem(withDelay, edge('d->eq'))).toBeNull();
  });
  it('refuses unknown nodes and ports', () => {
    expect(connectionProblem(doc, edge('nope->eq'))).toMatch(/both ends/);
    expect(connectionProblem(doc, edge('g.wet->eq'))).toMatch(/not an output/);
    expect(connectionProblem(doc, edge('g->eq.side'))).toMatch(/not an input/);
  });
});

describe('copy and paste', () => {
  it('pastes the chosen nodes under fresh ids with the edges between them, not the master', () => {
    const clip = copy(doc, ['eq', 'comp', 'master'])!;
    expect(clip.nodes.map((n) => n.id)).toEqual(['eq', 'comp']);
    const { command, ids } = paste(doc, clip);
    const next = apply(doc, command).doc;
    expect(ids).toEqual(['eq2', 'comp2']);
    expect(next.nodes.map((n) => n.id)).toEqual(['g', 'eq', 'comp', 'd', 'master', 'eq2', 'comp2']);
    expect(next.edges.filter((e) => ids.includes(e.from) || ids.includes(e.to))).toEqual([edge('eq2->comp2')]);
    expect(next.nodes.find((n) => n.id === 'eq2')!.params).toEqual(doc.nodes.find((n) => n.id === 'eq')!.params);
  });
  it('copies nothing when only the master is selected', () => {
    expect(copy(doc, ['master'])).toBeNull();
  });
});
