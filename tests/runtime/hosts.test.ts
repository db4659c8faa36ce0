// The runtime runs where there is no Web Audio and no DOM (an AudioWorkletGlobalScope, a Worker):
// bundled on its own, the way a host would load it, it renders in a bare JavaScript context.
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chain, node, planOf, session } from '../helpers/audio.ts';

const ENTRY = fileURLToPath(new URL('../../src/runtime/index.ts', import.meta.url));

describe('hosting', () => {
  it('the bundled runtime renders a session in a context with nothing but the JavaScript builtins', async () => {
    const { build } = await import('esbuild');
    const result = await build({ entryPoints: [ENTRY], bundle: true, format: 'iife', globalName: 'Mixgraph', write: false, target: 'es2022', logLevel: 'silent', minifyWhitespace: true });
    const code = result.outputFiles[0].text;
    // It makes no Web Audio context or node of its own and touches no DOM object
    for (const name of ['new AudioContext', 'new OfflineAudioContext', 'new AudioWorkletNode', 'document.', 'window.']) expect(code.includes(name), name).toBe(false);
    const plan = planOf(session([node('g', 'generator', { frequency: 375, level: -6.0206 }), node('eq', 'eq', { bands: [{ type: 'highpass', frequency: 50, q: 0.707 }] }), node('m', 'master')], chain(['g', 'eq', 'm'])));
    // A fresh context: no process, no setTimeout, no performance, no console
    const peak = runInNewContext(
      `${code}
      const rt = new Mixgraph.Runtime({ sampleRate: 48000 });
      rt.update(PLAN);
      rt.start(0);
      const out = [new Float32Array(128), new Float32Array(128)];
      for (let b = 0; b < 100; b++) rt.process(out);
      Math.max(...out[0].map(Math.abs));`,
      { PLAN: JSON.parse(JSON.stringify(plan)) },
    );
    // The 0.5-peak sine at 375 Hz (128 samples a period) through a 50 Hz high-pass: just under 0.5
    expect(peak).toBeGreaterThan(0.49);
    expect(peak).toBeLessThan(0.51);
  });
});
