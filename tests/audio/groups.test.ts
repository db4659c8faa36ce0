// Groups cost nothing at render time: the compiler flattens them, so a session with groups renders
// sample for sample like the same session without them. Rendered through the runtime.
import { describe, expect, it } from 'vitest';
import type { SessionDoc } from '../../src/model/document.ts';
import { groupNodes, ungroup } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { setBypass, setParam } from '../../src/model/commands.ts';
import { bufferFrom, chain, edge, maxDiff, node, peak, renderSession, session, sine, type SourceMaker } from '../helpers/audio.ts';

const SR = 48000;
const SECONDS = 0.6;

/** A drum-ish burst and a bass-ish sine: different material on the two tracks. */
const burst: SourceMaker = (sampleRate) => bufferFrom(Math.round(0.4 * sampleRate), (i) => (i % 4800 < 800 ? 0.6 * Math.sin(i * 0.37) * Math.exp(-(i % 4800) / 300) : 0), 1);
const buffers = { kick: burst, bass: sine(110, 0.4, 0.5), vox: sine(660, 0.3, 0.45, 2) };

/**
 * Two tracks through EQ and compression into a bus, a vocal with a send to a reverb, a sidechain from
 * the kick to the bass compressor, a mastering chain (EQ, limiter): everything a group can cut across.
 */
function mix(): SessionDoc {
  return session(
    [
      node('kick', 'track', { source: 'kick', gain: -3 }),
      node('bass', 'track', { source: 'bass', pan: -0.3 }),
      node('vox', 'track', { source: 'vox', pan: 0.2 }),
      node('kick_eq', 'eq', { bands: [{ type: 'lowshelf', frequency: 80, gain: 3 }, { type: 'peaking', frequency: 2500, gain: -2, q: 1.4 }] }),
      node('kick_comp', 'compressor', { threshold: -20, ratio: 4, attack: 3 }),
      node('bass_comp', 'compressor', { threshold: -30, ratio: 6, attack: 1, release: 80 }),
      node('vox_send', 'send', { level: -6 }),
      node('verb', 'reverb', { decay: 0.8, predelay: 5 }),
      node('bus', 'bus', { gain: -1 }),
      node('m_eq', 'eq', { bands: [{ type: 'highpass', frequency: 30 }, { type: 'highshelf', frequency: 9000, gain: 1.5 }] }),
      node('m_lim', 'limiter', { ceiling: -1 }),
      node('master', 'master'),
    ],
    [
      edge('kick', 'kick_eq'),
      edge('kick_eq', 'kick_comp'),
      edge('kick_comp', 'bus'),
      edge('bass', 'bass_comp'),
      edge('kick', 'bass_comp.sidechain'),
      edge('bass_comp', 'bus'),
      edge('vox', 'vox_send'),
      edge('vox_send', 'bus'),
      edge('vox_send.send', 'verb'),
      edge('verb', 'bus'),
      ...chain(['bus', 'm_eq', 'm_lim', 'master']),
    ],
  );
}

async function render(doc: SessionDoc) {
  return renderSession(doc, { seconds: SECONDS, sampleRate: SR, buffers });
}

describe('a group renders exactly as its nodes', () => {
  it('one group (EQ and compressor) and the same nodes ungrouped: bit-identical', async () => {
    const h = new History(mix());
    const plain = await render(h.doc);
    expect(peak(plain.left)).toBeGreaterThan(0.05); // there is sound to compare
    h.run(groupNodes(['kick_eq', 'kick_comp'], { id: 'drums', knobs: [{ node: 'kick_comp', param: 'threshold' }] }));
    const grouped = await render(h.doc);
    expect(maxDiff(grouped.left, plain.left)).toBe(0);
    expect(maxDiff(grouped.right, plain.right)).toBe(0);
  });

  it('groups that cut across a send, a sidechain and the bus; and a group nested in a group: bit-identical', async () => {
    const h = new History(mix());
    const plain = await render(h.doc);
    // The bass compressor and the vocal's send and reverb: the group has a sidechain input and
    // takes two audio inputs and gives one output (bus) as two ports of its own.
    h.run(groupNodes(['bass_comp', 'vox_send', 'verb'], { id: 'inst' }));
    const body = h.doc.nodes.find((n) => n.id === 'inst')!.group!;
    expect(body.inputs.map((p) => p.role ?? 'audio').sort()).toEqual(['audio', 'audio', 'sidechain']);
    const across = await render(h.doc);
    expect(maxDiff(across.left, plain.left)).toBe(0);
    expect(maxDiff(across.right, plain.right)).toBe(0);

    // The master chain in a group, then that group and the bus in an outer group.
    h.run(groupNodes(['m_eq', 'm_lim'], { id: 'mastering' }));
    h.run(groupNodes(['bus', 'mastering'], { id: 'out' }));
    expect(h.doc.nodes.find((n) => n.id === 'out')!.group!.nodes.find((n) => n.id === 'mastering')!.group).toBeDefined();
    const nested = await render(h.doc);
    expect(maxDiff(nested.left, plain.left)).toBe(0);
    expect(maxDiff(nested.right, plain.right)).toBe(0);

    // Ungrouped again, everything: the same graph, the same samples.
    h.run(ungroup('out'));
    h.run(ungroup('mastering'));
    h.run(ungroup('inst'));
    const back = await render(h.doc);
    expect(maxDiff(back.left, plain.left)).toBe(0);
  });

  it("a knob edits the inner node (the group's knob and the inner param give the same sound)", async () => {
    const viaKnob = new History(mix());
    viaKnob.run(groupNodes(['kick_eq', 'kick_comp'], { id: 'drums', knobs: [{ node: 'kick_comp', param: 'threshold' }] }));
    viaKnob.run(setParam('drums', 'threshold', -40));
    expect(viaKnob.doc.nodes.find((n) => n.id === 'drums')!.group!.nodes.find((n) => n.id === 'kick_comp')!.params.threshold).toBe(-40);
    const direct = new History(mix());
    direct.run(setParam('kick_comp', 'threshold', -40));
    const [a, b, untouched] = await Promise.all([render(viaKnob.doc), render(direct.doc), render(mix())]);
    expect(maxDiff(a.left, b.left)).toBe(0);
    expect(maxDiff(a.left, untouched.left)).toBeGreaterThan(1e-3); // -40 dB threshold changes the sound
  });

  it('a bypassed group passes its input through, like the nodes removed', async () => {
    const h = new History(mix());
    h.run(groupNodes(['m_eq', 'm_lim'], { id: 'mastering' }));
    h.run(setBypass('mastering', true));
    const bypassed = await render(h.doc);
    const without = session(
      mix().nodes.filter((n) => n.id !== 'm_eq' && n.id !== 'm_lim'),
      mix().edges.filter((e) => !['m_eq', 'm_lim'].includes(e.from) && !['m_eq', 'm_lim'].includes(e.to)).concat([edge('bus', 'master')]),
    );
    const direct = await render(without);
    expect(maxDiff(bypassed.left, direct.left)).toBe(0);
    expect(maxDiff(bypassed.right, direct.right)).toBe(0);
  });
});
