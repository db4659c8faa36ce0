// bounce() hands back audio that belongs to the caller. node-web-audio-api 1.0.9's getChannelData
// is a view of the native buffer, freed when the JS AudioBuffer is collected: a view kept after
// that reads whatever the next render writes there. This showed up as album tracks that came out
// identical and as a -6 dBFS render with a sample above full scale, only now and then (GC timing).
// The runtime's bounce keeps the same promise (its buffers are its own, reused per block). The CLI
// no longer renders through Web Audio (src/engine/node.ts is the runtime's host), so only the
// runtime's bounce is checked here.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bounce as runtimeBounce } from '../../src/runtime/render.ts';
import { chain, node, planOf, session } from '../helpers/audio.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SR = 48000;
const peak = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const sine = (level: number) => planOf(session([node('g', 'generator', { level }), node('m', 'master')], chain(['g', 'm'])));

describe('bounce', () => {
  it('the runtime: returns audio that later renders and garbage collection cannot change', async () => {
    const first = runtimeBounce(sine(-20), { sampleRate: SR, frames: SR });
    const before = Float32Array.from(first[0]);
    expect(20 * Math.log10(peak(before))).toBeCloseTo(-20, 1);
    for (let i = 0; i < 6; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
      runtimeBounce(sine(-1 - i), { sampleRate: SR, frames: SR });
    }
    gc();
    let changed = 0;
    for (let i = 0; i < before.length; i++) if (first[0][i] !== before[i]) changed++;
    expect(changed, 'samples of the first render that changed afterwards').toBe(0);
  });
});
