// Node presets: one node's params for its type, saved and loaded as a file, applied as one undo step.
import { describe, expect, it } from 'vitest';
import { setParam } from '../../src/model/commands.ts';
import { nodeAt } from '../../src/model/document.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { applyNodePreset, nodePresetOf } from '../../src/model/presets.ts';
import { loadNodePreset, loadNodePresetValue, saveNodePreset } from '../../src/presets/load.ts';
import { demo } from './build.ts';

describe('node presets', () => {
  it('from a node: its type and the params that reach the sound, with name and meta', () => {
    const h = new History(demo());
    h.run(setParam('comp', 'threshold', -24));
    const preset = nodePresetOf(nodeAt(h.doc, 'comp')!, { name: 'Gentle vocal compressor', meta: { description: 'Evens out a vocal', tags: ['vocal'] } });
    expect(preset).toEqual({
      format: 'mixgraph',
      version: 2,
      kind: 'node-preset',
      name: 'Gentle vocal compressor',
      meta: { author: '', description: 'Evens out a vocal', tags: ['vocal'] },
      type: 'compressor',
      params: { threshold: -24, ratio: 4, knee: 6, attack: 10, release: 150, makeup: 0 },
    });
    // A track's preset never holds its file or colour.
    expect(Object.keys(nodePresetOf(nodeAt(h.doc, 'kick')!, { name: 'x' }).params)).toEqual(['gain', 'pan', 'mute', 'solo', 'invert', 'offset']);
  });

  it('saves with its type version and loads back equal', () => {
    const preset = nodePresetOf(nodeAt(demo(), 'eq1')!, { name: 'Kick EQ' });
    const text = saveNodePreset(preset);
    expect(JSON.parse(text)).toMatchObject({ kind: 'node-preset', types: { eq: 1 }, type: 'eq' });
    expect(loadNodePreset(text)).toEqual(preset);
  });

  it('applies to a node of its type (inside a group too) as one undo step; refuses another type', () => {
    const h = new History(demo());
    h.run(groupNodes(['eq1', 'comp'], { id: 'fx' }));
    const preset = nodePresetOf(nodeAt(demo(), 'comp')!, { name: 'Squash' });
    preset.params = { ...preset.params, ratio: 12, threshold: -40 };
    h.run(applyNodePreset('fx/comp', preset));
    expect(nodeAt(h.doc, 'fx/comp')!.params).toMatchObject({ ratio: 12, threshold: -40 });
    h.undo();
    expect(nodeAt(h.doc, 'fx/comp')!.params).toMatchObject({ ratio: 4, threshold: -18 });
    expect(() => h.run(applyNodePreset('kick', preset))).toThrow(/a preset for a compressor, and "kick" is a track/);
  });

  it('a file: unknown params, files and metadata, a group type, another kind are refused with their path', () => {
    const base = { format: 'mixgraph', version: 2, kind: 'node-preset', name: 'p', type: 'track', params: { gain: -3 } };
    expect(loadNodePresetValue(base).ok).toBe(true);
    const lines = (v: unknown) => {
      const r = loadNodePresetValue(v);
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(lines({ ...base, params: { gain: 99, source: 'a.wav', color: '#fff' } })).toEqual([
      'params.gain: must be a number from -60 to 12 dB, got 99',
      'params.source: a node preset does not hold files; leave "source" out',
      'params.color: a node preset does not hold metadata; leave "color" out',
    ]);
    expect(lines({ ...base, type: 'group' })).toEqual(['type: a group is saved as a chain preset, not a node preset']);
    expect(lines({ ...base, type: 'nope' })).toEqual(['type: unknown node type "nope"']);
    expect(lines({ ...base, kind: 'chain' })[0]).toBe('kind: expected "node-preset", got "chain": this file is a chain, not a node-preset');
  });
});
