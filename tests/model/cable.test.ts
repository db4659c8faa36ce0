// What a connection on the canvas carries (src/model/cable.ts), as the runtime's ports: the source
// node's port, through groups (a group's output is what its body wires there; inside a group, its
// input is whatever feeds the group), the sum when several connections feed it, nothing through a
// bypassed group's inside; and every port named exists in the compiled plan.
import { getDefinition } from '../../nodes/registry.ts';
import { describe, expect, it } from 'vitest';
import { cableExists, cableName, cablePorts } from '../../src/model/cable.ts';
import { setBypass } from '../../src/model/commands.ts';
import { GROUP_INPUT, GROUP_OUTPUT } from '../../src/model/document.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { edge, node, planOf, session } from '../helpers/audio.ts';

/** Two tracks into a bus (the kick through EQ and compressor, the bass with a send to a reverb), then the master. */
function mix() {
  const doc = session(
    [
      node('kick', 'track', { source: 'kick.wav' }),
      node('bass', 'track', { source: 'bass.wav' }),
      node('eq', 'eq'),
      node('comp', 'compressor'),
      node('snd', 'send'),
      node('verb', 'reverb'),
      node('bus', 'bus'),
      node('m', 'master'),
    ],
    [edge('kick', 'eq'), edge('eq', 'comp'), edge('comp', 'bus'), edge('bass', 'snd'), edge('snd.out', 'bus'), edge('snd.send', 'verb'), edge('verb', 'bus'), edge('bus', 'm')],
  );
  doc.nodes.find((n) => n.id === 'eq')!.label = 'Kick EQ';
  doc.nodes.find((n) => n.id === 'bus')!.label = 'Drum bus';
  return doc;
}

describe('what a cable carries', () => {
  it('a plain connection: its source port, named "from → to" (with the port when it is not the first)', () => {
    const doc = mix();
    const cable = { scope: '', edge: edge('eq', 'comp') };
    expect(cablePorts(doc, cable)).toEqual([{ id: 'eq', port: 'out' }]);
    expect(cableName(doc, { scope: '', edge: edge('comp', 'bus') })).toBe('Compressor → Drum bus');
    expect(cableName(doc, cable)).toBe('Kick EQ → Compressor');
    expect(cablePorts(doc, { scope: '', edge: edge('snd.send', 'verb') })).toEqual([{ id: 'snd', port: 'send' }]);
    expect(cableName(doc, { scope: '', edge: edge('snd.send', 'verb') })).toBe('Send (Send) → Reverb');
    expect(cableName(doc, { scope: '', edge: edge('kick', 'comp.sidechain') })).toBe('Track → Compressor (Sidechain)');
    // Not in the document: undefined (the solo ends)
    expect(cablePorts(doc, { scope: '', edge: edge('kick', 'bus') })).toBeUndefined();
    expect(cableExists(doc, { scope: '', edge: edge('kick', 'bus') })).toBe(false);
  });

  it('through groups: a group output is the inner node feeding it; inside, the group input is what feeds the group (all of it); bypassed, the group passes its input', () => {
    const h = new History(mix());
    h.run(groupNodes(['eq', 'comp'], { id: 'drums', label: 'Drums' }));
    let doc = h.doc;
    const body = doc.nodes.find((n) => n.id === 'drums')!.group!;
    const out = doc.edges.find((e) => e.from === 'drums')!;
    expect(cablePorts(doc, { scope: '', edge: out })).toEqual([{ id: 'drums/comp', port: 'out' }]);
    expect(cableName(doc, { scope: '', edge: out })).toBe('Drums → Drum bus');
    const fromInput = body.edges.find((e) => e.from === GROUP_INPUT)!;
    expect(cablePorts(doc, { scope: 'drums', edge: fromInput })).toEqual([{ id: 'kick', port: 'out' }]);
    expect(cableName(doc, { scope: 'drums', edge: fromInput })).toBe('Drums: Drums in → Kick EQ');
    const toOutput = body.edges.find((e) => e.to === GROUP_OUTPUT)!;
    expect(cableName(doc, { scope: 'drums', edge: toOutput })).toBe('Drums: Compressor → Drums out');

    // A second cable into the group's input: the cable inside carries the sum of both
    h.run({ label: 'wire', run: (d) => void d.edges.push({ from: 'bass', fromPort: 'out', to: 'drums', toPort: fromInput.fromPort }) });
    doc = h.doc;
    expect(cablePorts(doc, { scope: 'drums', edge: fromInput })).toEqual([
      { id: 'bass', port: 'out' },
      { id: 'kick', port: 'out' },
    ]);

    // Every port named is one the compiled plan has
    const plan = planOf(doc);
    const typeOf = new Map(plan.nodes.map((n) => [n.id, n.type]));
    for (const cable of [{ scope: '', edge: out }, { scope: 'drums', edge: fromInput }, { scope: 'drums', edge: toOutput }])
      for (const p of cablePorts(doc, cable)!) {
        expect(typeOf.has(p.id), p.id).toBe(true);
        expect(getDefinition(typeOf.get(p.id)!)!.ports.outputs.map((o) => o.id), `${p.id}.${p.port}`).toContain(p.port);
      }

    // Bypassed: its output carries what feeds its input, and nothing reaches its inside
    h.run(setBypass('drums', true));
    doc = h.doc;
    expect(cablePorts(doc, { scope: '', edge: out })).toEqual([
      { id: 'bass', port: 'out' },
      { id: 'kick', port: 'out' },
    ]);
    expect(cablePorts(doc, { scope: 'drums', edge: fromInput })).toEqual([]);
  });

  it('nested groups: followed all the way to the inner node', () => {
    const h = new History(mix());
    h.run(groupNodes(['eq', 'comp'], { id: 'inner' }));
    h.run(groupNodes(['inner', 'bus'], { id: 'outer', label: 'Outer' }));
    const doc = h.doc;
    const toMaster = doc.edges.find((e) => e.to === 'm')!;
    expect(cablePorts(doc, { scope: '', edge: toMaster })).toEqual([{ id: 'outer/bus', port: 'out' }]);
    const outerBody = doc.nodes.find((n) => n.id === 'outer')!.group!;
    const innerToBus = outerBody.edges.find((e) => e.from === 'inner')!;
    expect(cablePorts(doc, { scope: 'outer', edge: innerToBus })).toEqual([{ id: 'outer/inner/comp', port: 'out' }]);
  });
});
