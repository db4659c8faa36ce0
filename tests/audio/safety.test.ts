// Bypass is the identity for every bypassable node type, and broken samples never reach the output.
import { describe, expect, it } from 'vitest';
import type { Params } from '../../nodes/define.ts';
import { definitions } from '../../nodes/registry.ts';
import type { DocEdge } from '../../src/model/document.ts';
import { allFinite, bufferFrom, chain, edge, expectBelow, maxDiff, node, renderSession, session, type SourceMaker } from '../helpers/audio.ts';

const SR = 48000;

/** Stereo, different on each side, with a loud burst for the compressor to bite on. */
const stereo: SourceMaker = (sampleRate) =>
  bufferFrom(
    Math.round(0.2 * sampleRate),
    (i, c) => (c === 0 ? 0.6 * Math.sin((2 * Math.PI * 440 * i) / SR) : 0.3 * Math.sin((2 * Math.PI * 1000 * i) / SR + 1) + 0.2 * Math.sin((2 * Math.PI * 150 * i) / SR)),
    2,
  );

/** Settings that change the sound a lot, so an active node is clearly not the identity. */
const STRONG: Record<string, Params> = {
  eq: { bands: [{ type: 'peaking', frequency: 1000, gain: 18, q: 1 }, { type: 'highshelf', frequency: 300, gain: -12, q: 2 }] },
  compressor: { threshold: -40, ratio: 20, knee: 0, makeup: 12 },
  delay: { time: 10, feedback: 0.5, mix: 0.7 },
  reverb: { mix: 0.8, decay: 0.5 },
  saturator: { drive: 24 },
  gain: { gain: -12 },
  pan: { pan: -1 },
  bus: { gain: -12 },
  send: { level: 6 },
};

describe('bypass is the identity', () => {
  const bypassable = definitions.filter((d) => d.bypassable);
  const buffers = { s: stereo };
  // The input itself: the track straight into the master (rendered once, shared)
  let input: ReturnType<typeof renderSession> | undefined;
  const reference = () => (input ??= renderSession(session([node('t', 'track', { source: 's' }), node('m', 'master')], chain(['t', 'm'])), { seconds: 0.2, buffers }));

  it('covers every bypassable type in the registry', () => {
    // New processor types join the loop below automatically (with their default params if not in STRONG)
    expect(bypassable.length).toBeGreaterThanOrEqual(9);
  });

  for (const def of bypassable) {
    it(`${def.type} with bypass on passes a stereo input through unchanged (within 1e-6)`, async () => {
      const main = def.ports.inputs.find((p) => p.role !== 'sidechain');
      expect(main, `${def.type} has an audio input`).toBeDefined();
      // Every output to the master, so a send's "send" port must be muted while bypassed
      const edges: DocEdge[] = [edge('t', `x.${main!.id}`), ...def.ports.outputs.map((o) => edge(`x.${o.id}`, 'm'))];
      const nodes = (bypass: boolean) => [node('t', 'track', { source: 's' }), node('x', def.type, STRONG[def.type] ?? {}, bypass), node('m', 'master')];
      const ref = await reference();
      const bypassed = await renderSession(session(nodes(true), edges), { seconds: 0.2, buffers });
      // Bypassed: output = input, both channels
      expectBelow(maxDiff(bypassed.left, ref.left), 1e-6, `${def.type} bypassed, left difference`);
      expectBelow(maxDiff(bypassed.right, ref.right), 1e-6, `${def.type} bypassed, right difference`);
      if (STRONG[def.type]) {
        const active = await renderSession(session(nodes(false), edges), { seconds: 0.2, buffers });
        // ...whereas the same node active clearly changes the sound (so the test can tell)
        expect(Math.max(maxDiff(active.left, ref.left), maxDiff(active.right, ref.right))).toBeGreaterThan(0.01);
      }
    });
  }
});

describe('NaN and infinity guard', () => {
  // Finite audio with a NaN at 1000, +Infinity at 2000 and -Infinity at 3000 (both channels)
  const broken: SourceMaker = (sampleRate) =>
    bufferFrom(4800, (i) => (i === 1000 ? NaN : i === 2000 ? Infinity : i === 3000 ? -Infinity : 0.25 * Math.sin((2 * Math.PI * 500 * i) / SR)), 2);

  it('straight to the master: only finite samples, the broken ones replaced by silence', async () => {
    const r = await renderSession(session([node('t', 'track', { source: 'x' }), node('m', 'master')], chain(['t', 'm'])), { seconds: 0.2, buffers: { x: broken } });
    // The master's guard turns every non-finite sample into 0 and lets the rest through
    expect(allFinite(r.left)).toBe(true);
    expect(allFinite(r.right)).toBe(true);
    expect([r.left[1000], r.left[2000], r.left[3000]]).toEqual([0, 0, 0]);
    expect(r.left[1001]).toBeCloseTo(0.25 * Math.sin((2 * Math.PI * 500 * 1001) / SR), 6);
  });

  it('through an EQ, a compressor, a delay, a reverb and a saturator: only finite samples', async () => {
    const doc = session(
      [
        node('t', 'track', { source: 'x' }),
        node('eq', 'eq', { bands: [{ type: 'peaking', frequency: 1000, gain: 6, q: 1 }, { type: 'lowshelf', frequency: 200, gain: 3, q: 0.707 }] }),
        node('c', 'compressor'),
        node('d', 'delay', { time: 20, feedback: 0.5 }),
        node('rv', 'reverb', { decay: 0.3 }),
        node('s', 'saturator'),
        node('m', 'master'),
      ],
      chain(['t', 'eq', 'c', 'd', 'rv', 's', 'm']),
    );
    const r = await renderSession(doc, { seconds: 0.2, buffers: { x: broken } });
    // NaN poisons filter and reverb state downstream; the guard still lets nothing but finite numbers out
    expect(allFinite(r.left)).toBe(true);
    expect(allFinite(r.right)).toBe(true);
  });
});
