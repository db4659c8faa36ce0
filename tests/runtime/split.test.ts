// A split render (src/runtime/split.ts) is the whole render to the bit: the tracks' chains rendered
// apart (ChainRender, as a render thread does) and played back into the main thread's runtime by
// stand-ins (ExitFeed), in one, two or three groups, against the plan rendered in one runtime.
// Sessions with what a split must get right: sends into a reverb, a sidechain from another track's
// chain, feedback delays inside a chain and through a bus, groups, a limiter's latency, mono ports,
// bypass inside a chain and on an exit. The threads themselves are tested through the CLI
// (tests/cli/streaming.test.ts); this runs the same pieces on one thread, deterministically.
import { describe, expect, it } from 'vitest';

import type { SourceAudio } from '../../nodes/define.ts';
import { prepareBounce } from '../../src/compiler/latency.ts';
import type { Plan } from '../../src/compiler/plan.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { bounce, ChainRender, OfflineRender } from '../../src/runtime/render.ts';
import { MemorySource } from '../../src/runtime/source.ts';
import { ExitFeed, splitPlan, spreadChains } from '../../src/runtime/split.ts';
import { bufferFrom, chain, edge, maxDiff, node, peak, planOf, session, sine } from '../helpers/audio.ts';

const SR = 48000;
const FRAMES = Math.round(1.3 * SR);
const CHUNK_BLOCKS = 16;

const sources = new Map<string, SourceAudio>([
  ['kick', new MemorySource(bufferFrom(SR, (i) => (i % 6000 < 700 ? 0.7 * Math.sin(i * 0.02) * Math.exp(-(i % 6000) / 200) : 0)), SR)],
  ['bass', new MemorySource(sine(55, 0.5, 1.1)(SR), SR)],
  ['vox', new MemorySource(sine(440, 0.3, 0.9, 2)(SR), SR)],
  ['pad', new MemorySource(bufferFrom(Math.round(0.8 * SR), (i, c) => 0.2 * Math.sin(i * (0.013 + 0.002 * c)), 2), SR)],
]);

/** The plan rendered split: chains in `groups` groups, chunk by chunk, as src/engine/node.ts drives the threads. */
function splitRender(plan: Plan, groups: number): Float32Array[] {
  const { plan: aligned, latencyFrames } = prepareBounce(plan, SR);
  const split = splitPlan(aligned);
  const parts = spreadChains(split.chains, groups).map((chains) => {
    const exits = chains.flatMap((c) => c.exits);
    const union: Plan = { nodes: chains.flatMap((c) => c.plan.nodes), edges: chains.flatMap((c) => c.plan.edges) };
    return { render: new ChainRender(union, exits, { sampleRate: SR, totalFrames: latencyFrames + FRAMES, sources: (s) => sources.get(s) }), feed: new ExitFeed(exits) };
  });
  const feedOf = new Map(parts.flatMap((p) => p.render.exitPorts.map((x) => [x.id, p.feed] as const)));
  const main = new OfflineRender(split.main, {
    sampleRate: SR,
    frames: FRAMES,
    sources: (s) => sources.get(s),
    aligned: { latencyFrames },
    processor: (n) => (split.standIns.has(n.id) ? feedOf.get(n.id)!.processor(n) : undefined),
  });
  const out = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
  let written = 0;
  for (let b = 0; b < main.blocks; ) {
    for (const p of parts) p.feed.push(p.render.next(CHUNK_BLOCKS)!);
    for (let k = 0; k < CHUNK_BLOCKS && b < main.blocks; k++, b++) {
      const step = main.step()!;
      for (let c = 0; c < 2; c++) out[c].set(main.block[c].subarray(step.offset, step.offset + step.count), written);
      written += step.count;
      for (const p of parts) p.feed.advance(step.frames);
    }
  }
  expect(written).toBe(FRAMES);
  return out;
}

function expectSame(doc: SessionDoc) {
  const plan = planOf(doc);
  const whole = bounce(plan, { sampleRate: SR, frames: FRAMES, sources: (s) => sources.get(s) });
  expect(peak(whole[0]), 'the session makes sound').toBeGreaterThan(0.01);
  for (const groups of [1, 2, 3]) {
    const parts = splitRender(plan, groups);
    expect(maxDiff(parts[0], whole[0]), `${groups} group(s), left`).toBe(0);
    expect(maxDiff(parts[1], whole[1]), `${groups} group(s), right`).toBe(0);
  }
  return splitPlan(prepareBounce(plan, SR).plan);
}

const owners = (split: ReturnType<typeof splitPlan>) => Object.fromEntries(split.chains.map((c) => [c.root, c.plan.nodes.map((n) => n.id).sort()]));

describe('splitPlan and a split render', () => {
  it('track chains up to the buses: each chain apart, the buses and master on the main thread', () => {
    const doc = session(
      [
        node('kick', 'track', { source: 'kick', gain: -3 }),
        node('kick_eq', 'eq', { bands: [{ type: 'lowshelf', frequency: 80, gain: 3 }] }),
        node('kick_comp', 'compressor', { threshold: -20, ratio: 4, attack: 3 }),
        node('bass', 'track', { source: 'bass', pan: -0.3 }),
        node('bass_comp', 'compressor', { threshold: -30, ratio: 6 }),
        node('bus', 'bus', { gain: -1 }),
        node('master', 'master'),
      ],
      [...chain(['kick', 'kick_eq', 'kick_comp', 'bus']), ...chain(['bass', 'bass_comp', 'bus', 'master'])],
    );
    const split = expectSame(doc);
    expect(owners(split)).toEqual({ kick: ['kick', 'kick_comp', 'kick_eq'], bass: ['bass', 'bass_comp'] });
    expect(split.main.nodes.map((n) => n.id).sort()).toEqual(['bass_comp', 'bus', 'kick_comp', 'master']);
    expect([...split.standIns].sort()).toEqual(['bass_comp', 'kick_comp']);
  });

  it('a sidechain from another chain: the keyed compressor and what follows it run on the main thread', () => {
    const doc = session(
      [
        node('kick', 'track', { source: 'kick' }),
        node('kick_eq', 'eq', { bands: [{ type: 'highpass', frequency: 30 }] }),
        node('bass', 'track', { source: 'bass' }),
        node('bass_eq', 'eq', { bands: [{ type: 'peaking', frequency: 100, gain: 4, q: 1 }] }),
        node('duck', 'compressor', { threshold: -40, ratio: 10, attack: 1, release: 60 }),
        node('bass_gain', 'gain', { gain: -2 }),
        node('master', 'master'),
      ],
      [...chain(['kick', 'kick_eq', 'master']), ...chain(['bass', 'bass_eq', 'duck', 'bass_gain', 'master']), edge('kick_eq', 'duck.sidechain')],
    );
    const split = expectSame(doc);
    expect(owners(split)).toEqual({ kick: ['kick', 'kick_eq'], bass: ['bass', 'bass_eq'] });
    expect(split.chains.find((c) => c.root === 'kick')!.exits).toEqual([{ id: 'kick_eq', port: 'out' }]);
  });

  it('sends into a reverb return, a feedback delay inside a chain, a feedback delay through the bus', () => {
    const doc = session(
      [
        node('vox', 'track', { source: 'vox', pan: 0.2 }),
        node('vox_send', 'send', { level: -6 }),
        node('verb', 'reverb', { decay: 0.6, predelay: 5 }),
        node('pad', 'track', { source: 'pad' }),
        // pad -> echo <-> fb: a loop inside the pad's chain
        node('echo', 'delay', { time: 37, feedback: 0.4, mix: 0.5 }),
        node('fb', 'gain', { gain: -6 }),
        node('bus', 'bus'),
        // bus -> slap -> bus: a loop through the main thread's part
        node('slap', 'delay', { time: 11, feedback: 0.2, mix: 1 }),
        node('master', 'master'),
      ],
      [
        ...chain(['vox', 'vox_send', 'bus']),
        edge('vox_send.send', 'verb'),
        edge('verb', 'bus'),
        ...chain(['pad', 'echo', 'bus']),
        edge('echo', 'fb'),
        edge('fb', 'echo'),
        edge('bus', 'slap'),
        edge('slap', 'bus'),
        edge('bus', 'master'),
      ],
    );
    const split = expectSame(doc);
    expect(owners(split)).toEqual({ vox: ['verb', 'vox', 'vox_send'], pad: ['echo', 'fb', 'pad'] });
    expect(split.main.nodes.map((n) => n.id).sort()).toEqual(['bus', 'echo', 'master', 'slap', 'verb', 'vox_send']);
  });

  it('groups (flattened as group/inner ids), a limiter whose latency is compensated, mono ports, bypass in a chain and on an exit', () => {
    const h = new History(
      session(
        [
          node('kick', 'track', { source: 'kick' }),
          node('kick_eq', 'eq', { bands: [{ type: 'lowshelf', frequency: 80, gain: 3 }] }, true),
          node('kick_comp', 'compressor', { threshold: -20, ratio: 4 }),
          node('bass', 'track', { source: 'bass' }),
          node('bass_lim', 'limiter', { ceiling: -6, lookahead: 5 }),
          // A mono generator through a compressor (mono stays mono) into a pan
          node('tone', 'generator', { waveform: 'sine', frequency: 220, level: -20 }),
          node('tone_comp', 'compressor', { threshold: -30, ratio: 2 }),
          node('tone_pan', 'pan', { pan: 0.5 }, true),
          node('bus', 'bus'),
          node('master', 'master'),
        ],
        [...chain(['kick', 'kick_eq', 'kick_comp', 'bus']), ...chain(['bass', 'bass_lim', 'bus']), ...chain(['tone', 'tone_comp', 'tone_pan', 'bus']), edge('bus', 'master')],
      ),
    );
    h.run(groupNodes(['kick_eq', 'kick_comp'], { id: 'drums' }));
    const split = expectSame(h.doc);
    // The limiter's 5 ms lookahead: the other paths get a compensation delay each, in their chains
    expect(owners(split).kick).toEqual(['drums/kick_comp', 'drums/kick_eq', 'kick', 'mixgraph-latency:drums/kick_comp:out->bus:in']);
    expect(owners(split).tone).toContain('mixgraph-latency:tone_pan:out->bus:in');
  });
});
