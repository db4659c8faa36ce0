// Any block length gives the same samples, as long as the operations are applied at the same
// frames: every processor is split-invariant (per-sample state, control-rate work on a grid counted
// from the node's creation), and loops split blocks themselves anyway. One session with every node
// type, live edits on odd frames (glides, crossfades, bypass, a node created), rendered with blocks
// of 128, 1, 37, 1000 and 4096 frames: bit-identical.
import { describe, expect, it } from 'vitest';
import type { DocNode } from '../../src/model/document.ts';
import { edge, node, planOf, renderWith, session, sine, type SourceMaker } from '../helpers/audio.ts';
import type { Runtime } from '../../src/runtime/runtime.ts';

const SR = 48000;

const stereoSong: SourceMaker = (sampleRate) => {
  const l = new Float32Array(sampleRate);
  const r = new Float32Array(sampleRate);
  for (let i = 0; i < sampleRate; i++) {
    const beat = (i % 6000) / sampleRate;
    l[i] = 0.7 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 20) + 0.1 * Math.sin(i * 0.31);
    r[i] = 0.6 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 15) + 0.1 * Math.sin(i * 0.17 + 1);
  }
  return [l, r];
};

function everything(edit: number) {
  const nodes: DocNode[] = [
    node('a', 'track', { source: 'song', gain: -3, pan: 0.3, offset: 1.7 }),
    node('b', 'track', { source: 'tone', pan: -0.5, offset: -3 }),
    node('g', 'generator', { waveform: 'sawtooth', frequency: 440 + 10 * edit, level: -20 }),
    node('n', 'generator', { waveform: 'pink', level: -30 }),
    node('eq', 'eq', { bands: [{ type: 'highpass', frequency: 60, q: 0.707 }, { type: 'peaking', frequency: 1200, gain: 4 - 8 * edit, q: 1.4 }, { type: 'highshelf', frequency: 6000, gain: 3, q: 0.9 }] }),
    node('c', 'compressor', { threshold: -30, ratio: 4, knee: 6, attack: 3, release: 80, makeup: 3 + 3 * edit }),
    node('s', 'send', { level: -6 }),
    node('bus', 'bus', { gain: -2 }),
    node('loop', 'delay', { time: 0.1, feedback: 0, mix: 1 }),
    node('lg', 'gain', { gain: -14 }),
    node('d', 'delay', { time: 7.3 + edit, feedback: 0.4, mix: 0.3 }, edit === 1),
    node('rv', 'reverb', { decay: 0.3 + 0.2 * edit, predelay: 4, mix: 0.5 }),
    node('sat', 'saturator', { drive: 9, mix: 0.7 }),
    node('mb', 'multiband', { low: 150 + 100 * edit, high: 3000, lowThreshold: -20, lowRatio: 3, highGain: -2 + 4 * edit }),
    node('st', 'stereo', { width: 1.4, monoBelow: 120 * edit }),
    node('lim', 'limiter', { ceiling: -1 - edit, lookahead: 2 }),
    node('lu', 'loudness'),
    node('m', 'master', { gain: -1 }),
  ];
  if (edit) nodes.push(node('late', 'generator', { frequency: 3000, level: -40 }));
  const edges = [
    edge('a', 'eq'), edge('b', 'eq'), edge('g', 'c'), edge('n', 'c.sidechain'), edge('eq', 'c'), edge('c', 's'), edge('s.out', 'bus'),
    edge('s.send', 'rv'), edge('rv', 'bus'), edge('bus', 'loop'), edge('loop', 'lg'), edge('lg', 'bus'), edge('bus', 'd'), edge('d', 'sat'),
    edge('sat', 'mb'), edge('mb', 'st'), edge('st', 'lim'), edge('lim', 'lu'), edge('lu', 'm'),
  ];
  if (edit) edges.push(edge('late', 'bus'));
  return session(nodes, edges);
}

describe('block length', () => {
  it('128, 1, 37, 1000 and 4096 frames per block give the same samples, live edits at odd frames included', () => {
    const render = (blockSize: number) =>
      renderWith(everything(0), {
        seconds: 0.6,
        blockSize,
        buffers: { song: stereoSong, tone: sine(700, 0.4, 1) },
        edits: [
          { at: 3001 / SR, apply: (rt: Runtime) => rt.update(planOf(everything(1))) },
          { at: 17777 / SR, apply: (rt: Runtime) => rt.update(planOf(everything(0))) },
        ],
      });
    const reference = render(128);
    // The session really makes sound in both halves (and the limiter holds it)
    const energy = (x: Float32Array, a: number, b: number) => x.subarray(a, b).reduce((s, v) => s + v * v, 0);
    expect(energy(reference.left, 3000, 17000)).toBeGreaterThan(1);
    expect(energy(reference.left, 18000, 28000)).toBeGreaterThan(1);
    for (const blockSize of [1, 37, 1000, 4096]) {
      const r = render(blockSize);
      let differ = 0;
      for (let i = 0; i < r.length; i++) if (r.left[i] !== reference.left[i] || r.right[i] !== reference.right[i]) differ++;
      expect(differ, `frames that differ at block ${blockSize}`).toBe(0);
      // ...and the readings that do not depend on the block by definition (a gain reduction reads the
      // deepest point of the last block, a meter peak and RMS over the last block)
      for (const [id, name] of [['lu', 'integrated'], ['lu', 'momentary'], ['st', 'correlation']] as const) {
        expect(r.runtime.reading(id, name), `${id}.${name} at block ${blockSize}`).toBe(reference.runtime.reading(id, name));
      }
    }
  });
});
