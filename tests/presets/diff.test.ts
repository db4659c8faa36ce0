// diffDocuments: what differs between two sessions, chains or node presets, named by path and with units.
import { describe, expect, it } from 'vitest';
import { addNode, connect, disconnect, moveNodes, removeNodes, rename, setBypass, setParam } from '../../src/model/commands.ts';
import { groupNodes, setKnobs } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { nodePresetOf } from '../../src/model/presets.ts';
import { captureSnapshot } from '../../src/model/snapshots.ts';
import { nodeAt } from '../../src/model/document.ts';
import { diffDocuments, formatDiff } from '../../src/presets/diff.ts';
import { addAnnotation, editAnnotation, layoutAnnotations, removeAnnotations } from '../../src/model/annotations.ts';
import { demo, edge } from '../model/build.ts';

describe('diffDocuments', () => {
  it('the same document is equal', () => {
    const d = diffDocuments(demo(), demo());
    expect(d.equal).toBe(true);
    expect(formatDiff(d, { a: 'a.json', b: 'b.json' })).toEqual(['a.json and b.json are the same session']);
  });

  it('nodes and edges added and removed, params with units, bypass, label, layout', () => {
    const h = new History(demo());
    h.run(addNode({ id: 'sat', type: 'saturator', label: 'Warmth' }));
    h.run(disconnect(edge('drums->master')));
    h.run(connect(edge('drums->sat')));
    h.run(connect(edge('sat->master')));
    h.run(removeNodes(['snare']));
    h.run(setParam('comp', 'threshold', -24));
    h.run(setParam('eq1', 'bands', [{ type: 'highpass', frequency: 100, gain: 0, q: 0.707, enabled: true }, { type: 'peaking', frequency: 3000, gain: 2, q: 1, enabled: true }]));
    h.run(setBypass('comp', true));
    h.run(rename('drums', 'Drums'));
    h.run(moveNodes([{ id: 'kick', position: { x: 10, y: 20 } }]));
    const d = diffDocuments(demo(), h.doc);
    expect(d.equal).toBe(false);
    expect(d.nodesAdded).toEqual([{ node: 'sat', type: 'saturator', label: 'Warmth' }]);
    expect(d.nodesRemoved).toEqual([{ node: 'snare', type: 'track' }]);
    expect(d.edgesAdded.map((e) => `${e.from}->${e.to}`)).toEqual(['drums->sat', 'sat->master']);
    expect(d.edgesRemoved.map((e) => `${e.from}->${e.to}`).sort()).toEqual(['drums->master', 'snare->drums']);
    expect(d.params).toEqual([
      { node: 'eq1', param: 'bands[0].frequency', old: 80, new: 100, unit: 'Hz' },
      { node: 'eq1', param: 'bands[1]', old: null, new: { type: 'peaking', frequency: 3000, gain: 2, q: 1, enabled: true }, unit: '' },
      { node: 'comp', param: 'threshold', old: -18, new: -24, unit: 'dB' },
    ]);
    expect(d.nodes).toEqual([
      { field: 'bypass', node: 'comp', old: false, new: true },
      { field: 'label', node: 'drums', old: 'Drum bus', new: 'Drums' },
    ]);
    expect(d.moved).toEqual(['kick']);
    const text = formatDiff(d, { a: 'a.json', b: 'b.json' });
    expect(text).toContain('  ~ comp threshold: -18 dB -> -24 dB');
    expect(text).toContain('  ~ eq1 bands[0].frequency: 80 Hz -> 100 Hz');
    expect(text).toContain('  + sat (saturator "Warmth")');
    expect(text).toContain('  - drums.out -> master.in');
    expect(text).toContain('  ~ comp bypass: on -> bypassed');
    expect(text.at(-1)).toBe('12 differences');
  });

  it('inside groups by path: inner params, inner edges, knobs; a node that became a group is removed and added', () => {
    const grouped = new History(demo());
    grouped.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    const a = grouped.doc;
    grouped.run(setParam('fx/comp', 'ratio', 8));
    grouped.run(setKnobs('fx', [{ node: 'comp', param: 'ratio' }]));
    grouped.run(addNode({ id: 'g', type: 'gain' }, 'fx'));
    grouped.run(disconnect({ from: 'comp', fromPort: 'out', to: 'output', toPort: 'out' }, 'fx'));
    grouped.run(connect({ from: 'comp', to: 'g' }, 'fx'));
    grouped.run(connect({ from: 'g', to: 'output', toPort: 'out' }, 'fx'));
    const d = diffDocuments(a, grouped.doc);
    expect(d.params).toEqual([{ node: 'fx/comp', param: 'ratio', old: 4, new: 8, unit: 'ratio' }]);
    expect(formatDiff(d, { a: 'a', b: 'b' })).toContain('  ~ fx/comp ratio: 4:1 -> 8:1');
    expect(d.nodesAdded).toEqual([{ node: 'fx/g', type: 'gain' }]);
    expect(d.edgesRemoved.map((e) => `${e.from}.${e.fromPort}->${e.to}.${e.toPort}`)).toEqual(['fx/comp.out->fx/output.out']);
    expect(d.edgesAdded.map((e) => `${e.from}.${e.fromPort}->${e.to}.${e.toPort}`).sort()).toEqual(['fx/comp.out->fx/g.in', 'fx/g.out->fx/output.out']);
    expect(d.nodes.map((c) => `${c.node} ${c.field}`)).toEqual(['fx knobs']);
    // Grouping itself: eq1 and comp are gone from the top, fx and its inside are new.
    const g = diffDocuments(demo(), a);
    expect(g.nodesRemoved.map((n) => n.node).sort()).toEqual(['comp', 'eq1']);
    expect(g.nodesAdded.map((n) => n.node).sort()).toEqual(['fx', 'fx/comp', 'fx/eq1']);
  });

  it('node presets: params with units, and another type; snapshots and the name', () => {
    const a = nodePresetOf(nodeAt(demo(), 'comp')!, { name: 'Gentle' });
    const b = { ...a, name: 'Firm', params: { ...a.params, ratio: 6, attack: 5 } };
    const d = diffDocuments(a, b);
    expect(d.document).toEqual([{ field: 'name', old: 'Gentle', new: 'Firm' }]);
    expect(d.params).toEqual([
      { node: '(preset)', param: 'ratio', old: 4, new: 6, unit: 'ratio' },
      { node: '(preset)', param: 'attack', old: 10, new: 5, unit: 'ms' },
    ]);
    expect(diffDocuments(a, { ...a, type: 'eq', params: {} }).document).toEqual([{ field: 'type', old: 'compressor', new: 'eq' }]);
    const h = new History(demo());
    h.run(captureSnapshot('A'));
    expect(diffDocuments(demo(), h.doc).snapshots).toEqual([{ field: 'snapshot s1', old: null, new: 'A' }]);
  });

  it('notes and frames: added, removed, text, label, colour and place; nothing else differs', () => {
    const h = new History(demo());
    h.run(addAnnotation({ id: 'intro', kind: 'note', position: { x: 0, y: 0 }, size: { width: 200, height: 100 }, text: 'Start here' }));
    h.run(addAnnotation({ id: 'drums', kind: 'frame', position: { x: 0, y: 0 }, size: { width: 200, height: 100 }, label: 'Drums' }));
    const a = h.doc;
    expect(diffDocuments(demo(), a).annotations).toEqual([
      { field: 'note intro', old: null, new: 'Start here' },
      { field: 'frame drums', old: null, new: 'Drums' },
    ]);
    h.run(editAnnotation('intro', { text: 'Begin here', color: '#40a0e0' }));
    h.run(editAnnotation('drums', { label: 'Drum tracks' }));
    h.run(layoutAnnotations([{ id: 'intro', position: { x: 10, y: 20 } }]));
    const d = diffDocuments(a, h.doc);
    expect(d.equal).toBe(false);
    expect(d.annotations).toEqual([
      { field: 'note intro text', old: 'Start here', new: 'Begin here' },
      { field: 'note intro colour', old: null, new: '#40a0e0' },
      { field: 'note intro place', old: '0,0 200x100', new: '10,20 200x100' },
      { field: 'frame drums label', old: 'Drums', new: 'Drum tracks' },
    ]);
    expect([d.nodes, d.params, d.moved, d.document]).toEqual([[], [], [], []]);
    const lines = formatDiff(d, { a: 'a', b: 'b' });
    expect(lines).toContain('notes and frames:');
    expect(lines).toContain('  ~ note intro text: "Start here" -> "Begin here"');
    expect(lines.at(-1)).toBe('4 differences');
    h.run(removeAnnotations(['intro']));
    expect(formatDiff(diffDocuments(a, h.doc), { a: 'a', b: 'b' })).toContain('  - note intro: "Start here"');
  });
});
