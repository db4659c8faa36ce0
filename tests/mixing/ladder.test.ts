// The gain ladder (src/mixing/ladder.ts): a source's routes to the master with each step's change
// and the level after it, from the params; and measured by LadderMeter from the runtime's own
// per-port meters while it plays (the real runtime, block by block, as the worklet runs it).
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.ts';
import { ladderOf, LadderMeter, routeMarks, routesOf } from '../../src/mixing/ladder.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { Runtime } from '../../src/runtime/runtime.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { session } from '../model/build.ts';

const PAN_CENTRE_DB = 20 * Math.log10(Math.SQRT1_2); // -3.0103: equal power, a mono input at centre

/** generator (-12 dBFS sine) -> EQ (high-pass 80 Hz) -> gain -6 dB -> bus -> master, and a send to a reverb return. */
function chainDoc(): SessionDoc {
  return session(
    [
      { id: 'tone', type: 'generator', label: 'Tone', params: { level: -12, frequency: 1000 } },
      { id: 'eq', type: 'eq', label: 'EQ', params: { bands: [{ type: 'highpass', frequency: 80, q: 0.707, gain: 0, enabled: true }] } },
      { id: 'trim', type: 'gain', label: 'Trim', params: { gain: -6 } },
      { id: 'snd', type: 'send', label: 'Send', params: { level: -10 } },
      { id: 'bus', type: 'bus', label: 'Bus', params: { gain: -2 } },
      { id: 'verb', type: 'reverb', label: 'Reverb' },
      { id: 'other', type: 'generator', label: 'Other' },
      { id: 'master', type: 'master', label: 'Master' },
    ],
    ['tone->eq', 'eq->trim', 'trim->snd', 'snd->bus', 'snd.send->verb', 'verb->bus', 'other->bus', 'bus->master'],
  );
}

const summary = (doc: SessionDoc, source: string) =>
  ladderOf(doc, source)!.routes.map((r) => r.rungs.map((x) => `${x.path}${x.port ? `.${x.port}` : ''} ${x.change.db === null ? '?' : x.change.db.toFixed(1)} -> ${x.levelDb === null ? '?' : x.levelDb.toFixed(1)}`));

describe('the gain ladder from the params', () => {
  it('track -> EQ -> gain -6 dB -> bus -> master: -6 dB at the gain, the level after each step; the send as a second route', () => {
    const doc = chainDoc();
    const ladder = ladderOf(doc, 'tone')!;
    expect(ladder.sourceLevel.peakDb).toBe(-12);
    expect(ladder.routes).toHaveLength(2);
    const [main, send] = ladder.routes;
    expect(main.send).toBe(false);
    expect(send.send).toBe(true);
    expect(main.rungs.map((r) => r.label)).toEqual(['Tone', 'EQ', 'Trim', 'Send', 'Bus', 'Master']);
    expect(send.rungs.map((r) => r.label)).toEqual(['Tone', 'EQ', 'Trim', 'Send', 'Reverb', 'Bus', 'Master']);
    const trim = main.rungs[2];
    expect(trim.change).toMatchObject({ db: -6, kind: 'exact' });
    // A high-pass at 80 Hz leaves 1 kHz within 0.05 dB: the EQ's static figure is 0 dB, said to be "at 1 kHz".
    expect(main.rungs[1].change).toMatchObject({ db: 0, kind: 'static' });
    expect(main.rungs[1].change.note).toMatch(/at 1 kHz/);
    expect(summary(doc, 'tone')[0]).toEqual(['tone.out 0.0 -> -12.0', 'eq.out 0.0 -> -12.0', 'trim.out -6.0 -> -18.0', 'snd.out 0.0 -> -18.0', 'bus.out -2.0 -> -20.0', 'master 0.0 -> -20.0']);
    // The send's copy leaves at its level; the reverb's change depends on the signal, so what follows is not known.
    expect(send.rungs[3]).toMatchObject({ port: 'send', change: { db: -10, kind: 'exact' }, levelDb: -28 });
    expect(send.rungs[4]).toMatchObject({ type: 'reverb', change: { db: null, kind: 'signal' }, levelDb: null });
    expect(send.rungs[6].levelDb).toBeNull();
    // The EQ is not exact for every signal: every level after it is an estimate.
    expect(main.rungs.map((r) => r.approximate)).toEqual([false, true, true, true, true, true]);
    // The bus sums three connections: its level from the params is this source's alone.
    expect(main.rungs[4].inputs).toBe(3);
  });

  it("a track: the file's peak when known, then its fader and the pan law at centre (mono in: -3.01 dB); muted: silent", () => {
    const doc = session(
      [
        { id: 'kick', type: 'track', params: { source: 'kick.wav', gain: -4 } },
        { id: 'comp', type: 'compressor', params: { makeup: 3 } },
        { id: 'master', type: 'master' },
      ],
      ['kick->comp', 'comp->master'],
    );
    const unknown = ladderOf(doc, 'kick')!;
    expect(unknown.sourceLevel.peakDb).toBeNull();
    expect(unknown.routes[0].rungs[0].change.db).toBeCloseTo(-4 + PAN_CENTRE_DB, 6);
    expect(unknown.routes[0].rungs[0].levelDb).toBeNull();
    // Not decoded yet: the levels relative to the file's own (its fader and pan law, then the make-up).
    expect(unknown.routes[0].rungs[2].relativeDb).toBeCloseTo(-4 + PAN_CENTRE_DB + 3, 6);
    const mono = ladderOf(doc, 'kick', { file: () => ({ peakDb: -1, channels: 1 }) })!;
    const [track, comp, master] = mono.routes[0].rungs;
    expect(track.levelDb).toBeCloseTo(-1 - 4 + PAN_CENTRE_DB, 6);
    expect(track.change.kind).toBe('exact');
    // The compressor's static figure is its make-up; its reduction depends on the signal, and it says so.
    expect(comp.change).toMatchObject({ db: 3, kind: 'static' });
    expect(comp.change.note).toMatch(/make-up \+3 dB.*depends on the signal/);
    expect(master.levelDb).toBeCloseTo(-1 - 4 + PAN_CENTRE_DB + 3, 6);
    // A stereo file at centre: the balance law leaves it as it is.
    const stereo = ladderOf(doc, 'kick', { file: () => ({ peakDb: -1, channels: 2 }) })!;
    expect(stereo.routes[0].rungs[0].levelDb).toBeCloseTo(-5, 6);
    doc.nodes[0].params.mute = true;
    expect(ladderOf(doc, 'kick', { file: () => ({ peakDb: -1, channels: 1 }) })!.routes[0].rungs[0].levelDb).toBe(-Infinity);
  });

  it('groups are seen through: inner nodes by path, labelled through the group; the canvas marks the group at the top and the inner chain inside', () => {
    const doc = chainDoc();
    const grouped = new History(doc).run(groupNodes(['eq', 'trim'], { id: 'fx', label: 'FX' }));
    const ladder = ladderOf(grouped, 'tone')!;
    expect(ladder.routes[0].rungs.map((r) => r.path)).toEqual(['tone', 'fx/eq', 'fx/trim', 'snd', 'bus', 'master']);
    expect(ladder.routes[0].rungs[2]).toMatchObject({ label: 'FX › Trim', change: { db: -6 }, levelDb: -18 });
    const top = routeMarks(grouped, ladder);
    expect([...top.nodes].sort()).toEqual(['bus', 'fx', 'master', 'snd', 'tone', 'verb']);
    expect([...top.edges].sort()).toEqual(['bus:out->master:in', 'fx:out->snd:in', 'snd:out->bus:in', 'snd:send->verb:in', 'tone:out->fx:in', 'verb:out->bus:in']);
    // The other generator's connection into the bus is not on the route.
    expect(top.edges.has('other:out->bus:in')).toBe(false);
    const inside = routeMarks(grouped, ladder, 'fx');
    expect([...inside.nodes].sort()).toEqual(['eq', 'trim']);
    expect([...inside.edges].sort()).toEqual(['eq:out->trim:in', 'input:in->eq:in', 'trim:out->output:out']);
  });

  it('a sidechain is not a route; a source that reaches no master has no route; a bypassed node changes nothing', () => {
    const doc = session(
      [
        { id: 'kick', type: 'generator' },
        { id: 'bass', type: 'generator' },
        { id: 'duck', type: 'compressor' },
        { id: 'loud', type: 'gain', params: { gain: 12 }, bypass: true },
        { id: 'lost', type: 'generator' },
        { id: 'nowhere', type: 'gain' },
        { id: 'master', type: 'master' },
      ],
      ['kick->duck.sidechain', 'kick->loud', 'loud->master', 'bass->duck', 'duck->master', 'lost->nowhere'],
    );
    expect(routesOf(doc, 'kick').routes.map((r) => r.nodes)).toEqual([['kick', 'loud', 'master']]);
    expect(ladderOf(doc, 'kick')!.routes[0].rungs[1]).toMatchObject({ bypassed: true, change: { db: 0, kind: 'exact' } });
    expect(ladderOf(doc, 'lost')!.routes).toEqual([]);
    expect(ladderOf(doc, 'nowhere')).toBeNull(); // not a source
  });
});

describe('the gain ladder measured while playing (the runtime\'s meters)', () => {
  it('the gain measures -6 dB, the pan law -3 dB, the send -10 dB; the bus measures what it sums', () => {
    const doc = session(
      [
        { id: 'tone', type: 'generator', params: { level: -12, frequency: 1000 } },
        { id: 'eq', type: 'eq', params: { bands: [{ type: 'peaking', frequency: 1000, q: 1, gain: 4, enabled: true }] } },
        { id: 'trim', type: 'gain', params: { gain: -6 } },
        { id: 'pan', type: 'pan' },
        { id: 'snd', type: 'send', params: { level: -10 } },
        { id: 'bus', type: 'bus' },
        { id: 'aux', type: 'bus' },
        { id: 'master', type: 'master' },
      ],
      ['tone->eq', 'eq->trim', 'trim->pan', 'pan->snd', 'snd->bus', 'snd.send->aux', 'aux->master', 'bus->master'],
    );
    const ladder = ladderOf(doc, 'tone')!;
    const compiled = compile(doc);
    if (!compiled.ok) throw new Error('does not compile');
    const runtime = new Runtime({ sampleRate: 48000 });
    runtime.update(compiled.plan);
    runtime.start(0);
    const meters = ladder.routes.map((r) => new LadderMeter(r));
    const out = [new Float32Array(128), new Float32Array(128)];
    const read = (id: string, port: string | undefined) => {
      const at = runtime.meterIndex(id, port);
      if (at < 0) return null;
      const m = runtime.meters;
      return { peak: [m[at], m[at + 1]] as const, rms: [m[at + 2], m[at + 3]] as const };
    };
    // 1.5 s of blocks, one sample a block (the worklet posts every 12; the figures are the same)
    for (let b = 0; b < 562; b++) {
      runtime.process(out, 128);
      for (const m of meters) m.sample((b * 128 * 1000) / 48000, read);
    }
    const main = meters[0].readings();
    const names = ladder.routes[0].rungs.map((r) => r.path);
    const at = (name: string) => main[names.indexOf(name)];
    // A -12 dBFS sine: its peak read per block within 0.1 dB (a block holds 2.7 periods of 1 kHz)
    expect(at('tone').levelDb).toBeGreaterThan(-12.1);
    expect(at('tone').levelDb).toBeLessThanOrEqual(-12 + 1e-6);
    // A +4 dB peaking band at 1 kHz: +4 dB on a 1 kHz sine (Cookbook peak at f0), and the params say so
    expect(at('eq').changeDb!).toBeCloseTo(4, 1);
    expect(ladder.routes[0].rungs[1].change.db).toBeCloseTo(4, 1);
    expect(at('trim').changeDb!).toBeCloseTo(-6, 3);
    expect(at('pan').changeDb!).toBeCloseTo(PAN_CENTRE_DB, 3);
    expect(at('snd').changeDb!).toBeCloseTo(0, 3);
    // The master hears the send's return too (the same tone, in phase): it measures louder than the bus alone.
    expect(at('master').changeDb!).toBeGreaterThan(1);
    const side = meters[1].readings();
    expect(side[ladder.routes[1].rungs.findIndex((r) => r.port === 'send')].changeDb!).toBeCloseTo(-10, 3);
    meters[0].reset();
    expect(meters[0].readings()[2]).toEqual({ levelDb: -Infinity, changeDb: null });
    runtime.dispose();
  });
});
