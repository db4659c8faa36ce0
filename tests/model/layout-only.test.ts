// layoutOnly decides when the live engine may skip compiling an edit: only when nothing but node
// positions changed. A wrong "true" would leave the audio graph stale, so every other kind of edit
// must read false.
import { describe, expect, it } from 'vitest';
import { addNode, connect, disconnect, moveNodes, removeNodes, rename, setBypass, setParam, type Command } from '../../src/model/commands.ts';
import { layoutOnly } from '../../src/model/document.ts';
import { History } from '../../src/model/history.ts';
import { demo, edge } from './build.ts';

const after = (command: Command) => {
  const h = new History(demo());
  const before = h.doc;
  return { before, next: h.run(command) };
};

describe('layoutOnly', () => {
  it('is true for moves (one node, several) and for the same document', () => {
    for (const c of [moveNodes([{ id: 'kick', position: { x: 1, y: 2 } }]), moveNodes([{ id: 'kick', position: { x: 5, y: 5 } }, { id: 'master', position: { x: 500, y: 0 } }])]) {
      const { before, next } = after(c);
      expect(next).not.toBe(before);
      expect(layoutOnly(before, next)).toBe(true);
    }
    const doc = demo();
    expect(layoutOnly(doc, doc)).toBe(true);
  });

  it('is false for every edit the audio graph depends on, and for renames and new nodes', () => {
    const edits: [string, Command][] = [
      ['setParam', setParam('comp', 'threshold', -30)],
      ['setBypass', setBypass('eq1', true)],
      ['connect', connect({ from: 'snare', to: 'comp', toPort: 'sidechain' })],
      ['disconnect', disconnect(edge('eq1->comp'))],
      ['addNode', addNode({ id: 'g', type: 'gain' })],
      ['removeNodes', removeNodes(['comp'])],
      ['rename', rename('kick', 'Bass drum')],
    ];
    for (const [name, c] of edits) {
      const { before, next } = after(c);
      expect(layoutOnly(before, next), name).toBe(false);
    }
  });

  it('is false when a move and a parameter change come in one step', () => {
    const { before, next } = after({ label: 'both', run: (d) => (moveNodes([{ id: 'kick', position: { x: 9, y: 9 } }]).run(d), setParam('comp', 'threshold', -12).run(d)) });
    expect(layoutOnly(before, next)).toBe(false);
  });
});
