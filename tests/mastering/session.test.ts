// "Match target" in a session: the gain before the final limiter that lands the master on a
// loudness target. Checked by rendering the edited session through the runtime and measuring.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/dsp/loudness.ts';
import { bounce } from '../../src/runtime/render.ts';
import { matchTarget, planSessionGain } from '../../src/mastering/session.ts';
import { History } from '../../src/model/history.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { captureSnapshot } from '../../src/model/snapshots.ts';
import { nodeAt } from '../../src/model/document.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { loadSession } from '../../src/presets/load.ts';
import { chain, edge, node, planOf, session } from '../helpers/audio.ts';

const SR = 48000;
const SECONDS = 6;
const render = async (doc: SessionDoc) => bounce(planOf(doc), { sampleRate: SR, frames: SECONDS * SR });

/** Pink noise at -20 dBFS peak, an EQ, then `tail` into the master (limiter at -1 dBTP by default). */
const noiseInto = (tail: string[], extra: ReturnType<typeof node>[] = [], masterGain = 0) =>
  session(
    [node('g', 'generator', { waveform: 'pink', level: -20 }), node('eq', 'eq'), ...extra, node('lim', 'limiter', { ceiling: -1 }), node('meter', 'loudness'), node('m', 'master', { gain: masterGain })],
    chain(['g', 'eq', ...tail, 'lim', 'meter', 'm']),
  );

async function matched(doc: SessionDoc, target: number) {
  const result = await matchTarget(doc, target, render, SR);
  const after = new History(doc).run(result.command);
  const out = analyze(await render(after), SR);
  return { result, after, out };
}

describe('match target in a session', () => {
  it('inserts a gain before the limiter: the rendered master lands within ±0.5 LU of -10 LUFS, true peak at most -1 + 0.1 dBTP', async () => {
    const doc = noiseInto([]);
    const { result, after, out } = await matched(doc, -10);
    // -20 dBFS pink noise is far below -10 LUFS: a large boost, the limiter working hard
    expect(result.gainDb).toBeGreaterThan(6);
    const gain = after.nodes.find((n) => n.type === 'gain')!;
    expect(gain.params.gain).toBeCloseTo(result.gainDb, 2);
    expect(after.edges.filter((e) => e.to === 'lim')).toEqual([{ from: gain.id, fromPort: 'out', to: 'lim', toPort: 'in' }]);
    expect(Math.abs(out.integrated - -10)).toBeLessThanOrEqual(0.5);
    expect(out.truePeak).toBeLessThanOrEqual(-1 + 0.1);
    // The prediction (limiter core alone) and the render (the runtime's limiter processor) agree
    expect(Math.abs(result.report.integrated - out.integrated)).toBeLessThan(0.1);
  });

  it('reuses a gain node that feeds only the limiter, and accounts for the master fader after the limiter', async () => {
    const doc = noiseInto(['trim'], [node('trim', 'gain', { gain: 3 })], -2);
    const { result, after, out } = await matched(doc, -16);
    expect(after.nodes.length).toBe(doc.nodes.length); // nothing inserted
    expect(after.nodes.find((n) => n.id === 'trim')!.params.gain).toBeCloseTo(3 + result.gainDb, 2);
    expect(Math.abs(out.integrated - -16)).toBeLessThanOrEqual(0.5);
  });

  it("the demo session: its master gain (before the limiter) is the one set, and the split leaves the limiter and meter out", () => {
    const demo = loadSession(readFileSync(join(import.meta.dirname, '../../presets/demo/demo.json'), 'utf8'));
    const plan = planSessionGain(demo);
    expect(plan.limiter.id).toBe('master_limiter');
    expect(plan.into).toMatchObject({ from: 'master_gain', to: 'master_limiter' });
    const ids = plan.pre.nodes.map((n) => n.id);
    expect(ids).not.toContain('master_limiter');
    expect(ids).not.toContain('master_loudness');
    expect(plan.pre.edges.filter((e) => e.to === 'master')).toEqual([{ from: 'master_gain', fromPort: 'out', to: 'master', toPort: 'in' }]);
  });

  it('says what to change when there is no limiter, or a signal goes around it', () => {
    const noLimiter = session([node('g', 'generator'), node('m', 'master')], chain(['g', 'm']));
    expect(() => planSessionGain(noLimiter)).toThrow(/no limiter before the master/);
    const around = noiseInto([]);
    around.nodes.push(node('g2', 'generator'));
    around.edges.push(edge('g2', 'm'));
    expect(() => planSessionGain(around)).toThrow(/"g2" reaches the master without passing through the limiter "lim"/);
  });
});

describe('match target through groups, and with snapshots', () => {
  it("the demo's mastering chain as a group: found inside it, its trim gain reused, snapshots no obstacle", () => {
    const demo = loadSession(readFileSync(join(import.meta.dirname, '../../presets/demo/demo.json'), 'utf8'));
    const h = new History(demo);
    h.run(captureSnapshot('A'));
    h.run(groupNodes(['master_eq', 'master_comp', 'master_sat', 'master_gain', 'master_limiter', 'master_loudness'], { id: 'mastering' }));
    const plan = planSessionGain(h.doc);
    expect(plan.limiterPath).toBe('mastering/master_limiter');
    expect(plan.edit).toMatchObject({ scope: 'mastering', from: 'mastering/master_gain', edge: { from: 'master_gain', to: 'master_limiter' } });
    expect(plan.pre.snapshots).toBeUndefined();
    expect(planOf(plan.pre).nodes.some((n) => n.type === 'limiter')).toBe(false);
  });

  it('a gain and the final limiter inside a group: the gain is set there and the master lands on the target', async () => {
    const h = new History(noiseInto(['trim'], [node('trim', 'gain')]));
    h.run(captureSnapshot('A'));
    h.run(groupNodes(['trim', 'lim', 'meter'], { id: 'mastering' }));
    const { result, after, out } = await matched(h.doc, -12);
    expect(nodeAt(after, 'mastering/trim')!.params.gain).toBeCloseTo(result.gainDb, 2);
    expect(after.nodes.find((n) => n.id === 'mastering')!.group!.nodes.filter((n) => n.type === 'gain')).toHaveLength(1);
    expect(Math.abs(out.integrated - -12)).toBeLessThanOrEqual(0.5);
  }, 120_000);

  it('a limiter inside a group fed by the group input: a gain is inserted inside the group', async () => {
    const h = new History(noiseInto([]));
    h.run(groupNodes(['lim', 'meter'], { id: 'out' }));
    const { after, out } = await matched(h.doc, -12);
    const body = after.nodes.find((n) => n.id === 'out')!.group!;
    const gain = body.nodes.find((n) => n.type === 'gain')!;
    expect(body.edges).toContainEqual({ from: 'input', fromPort: 'in', to: gain.id, toPort: 'in' });
    expect(body.edges).toContainEqual({ from: gain.id, fromPort: 'out', to: 'lim', toPort: 'in' });
    expect(Math.abs(out.integrated - -12)).toBeLessThanOrEqual(0.5);
  }, 120_000);
});
