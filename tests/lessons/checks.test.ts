// Every check type, passing and failing, with the words a student reads. Measured checks read a real
// render of the session through the runtime (src/lessons/offline.ts; generators and signals in
// memory as the sources), and the live measurements are fed real level posts through Levels.
import { describe, expect, it } from 'vitest';

import { Levels } from '../../src/engine/levels.ts';
import { evaluateCheck, evaluateSteps, measurementNeeds, NO_MEASUREMENTS, type Check, type Measurements } from '../../src/lessons/checks.ts';
import { LiveMeasurements } from '../../src/lessons/live.ts';
import { measureOffline } from '../../src/lessons/offline.ts';
import { memoryAudio } from '../../src/mixing/render.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { loadSessionValue } from '../../src/presets/load.ts';
import { METER_STRIDE } from '../../src/runtime/runtime.ts';

const RATE = 48000;

type N = { id: string; type: string; label?: string; params?: Record<string, unknown>; bypass?: boolean; group?: unknown };
function session(nodes: N[], edges: ([string, string] | Record<string, string>)[]): SessionDoc {
  const r = loadSessionValue({ format: 'mixgraph', version: 2, kind: 'session', name: 't', nodes: nodes.map((n) => ({ params: {}, ...n })), edges: edges.map((e) => (Array.isArray(e) ? { from: e[0], to: e[1] } : e)) });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.doc;
}

const kick: N = { id: 'kick', type: 'generator', label: 'Kick', params: { frequency: 60, level: -12 } };
const bus: N = { id: 'drums', type: 'bus', label: 'Drum bus' };
const master: N = { id: 'master', type: 'master' };

const one = (doc: SessionDoc, check: Check, m: Measurements = NO_MEASUREMENTS) => evaluateCheck(doc, check, m);

async function measured(doc: SessionDoc, checks: Check[], audio = new Map<string, Float32Array[]>()) {
  return measureOffline(doc, measurementNeeds(checks), { audio: memoryAudio(audio, RATE), fallbackSeconds: 1 });
}

describe('path checks (on the flattened graph)', () => {
  it('a path from A to B passes; a node going straight to the master fails with where it goes', () => {
    const check: Check = { type: 'path', from: 'kick', to: 'drums' };
    const good = one(session([kick, bus, master], [['kick', 'drums'], ['drums', 'master']]), check);
    expect(good).toMatchObject({ status: 'pass', label: 'Kick reaches Drum bus', message: 'Kick reaches Drum bus.' });
    const bad = one(session([kick, bus, master], [['kick', 'master']]), check);
    expect(bad.status).toBe('fail');
    expect(bad.message).toBe('Expected a path from Kick to Drum bus; Kick goes straight to the Master.');
    const unwired = one(session([kick, bus, master], []), check);
    expect(unwired.message).toBe('Expected a path from Kick to Drum bus; Kick is not connected to anything.');
    const chain = one(session([kick, { id: 'eq', type: 'eq', label: 'Kick EQ' }, { id: 'comp', type: 'compressor' }, bus, master], [['kick', 'eq'], ['eq', 'comp'], ['comp', 'master']]), check);
    expect(chain.message).toBe('Expected a path from Kick to Drum bus; Kick goes through Kick EQ, comp to the Master.');
  });

  it('sees through groups: a node inside a group is named by its path', () => {
    const doc = session(
      [
        kick,
        { id: 'g', type: 'group', group: { inputs: [{ id: 'in' }], outputs: [{ id: 'out' }], nodes: [{ id: 'comp', type: 'compressor', params: {} }], edges: [{ from: 'input', fromPort: 'in', to: 'comp' }, { from: 'comp', to: 'output', toPort: 'out' }] } },
        master,
      ],
      [['kick', 'g'], ['g', 'master']],
    );
    expect(one(doc, { type: 'path', from: 'kick', to: 'master', through: 'compressor' })).toMatchObject({ status: 'pass', found: 'Kick reaches the Master through g/comp' });
  });

  it('through a type: passes only when a node of it is on the way', () => {
    const check: Check = { type: 'path', from: 'kick', to: 'master', through: 'compressor' };
    expect(one(session([kick, { id: 'comp', type: 'compressor', label: 'Kick comp' }, master], [['kick', 'comp'], ['comp', 'master']]), check).status).toBe('pass');
    const bad = one(session([kick, bus, master], [['kick', 'drums'], ['drums', 'master']]), check);
    expect(bad.message).toBe('Expected a path from Kick to the Master through a compressor; Kick reaches the Master through Drum bus, but through no compressor.');
  });

  it('not through a type: fails when every path passes one; a sidechain carries no signal', () => {
    const check: Check = { type: 'path', from: 'kick', to: 'master', notThrough: 'reverb' };
    const insert = session([kick, { id: 'plate', type: 'reverb', label: 'Plate' }, master], [['kick', 'plate'], ['plate', 'master']]);
    expect(one(insert, check).message).toBe('Expected a path from Kick to the Master without passing a reverb; every path from Kick to the Master passes Plate (a reverb).');
    const send = session(
      [kick, { id: 's', type: 'send' }, { id: 'plate', type: 'reverb', label: 'Plate' }, master],
      [['kick', 's'], ['s', 'master'], { from: 's', fromPort: 'send', to: 'plate' }, ['plate', 'master']],
    );
    expect(one(send, check).status).toBe('pass');
    const sidechain = session(
      [kick, { id: 'pad', type: 'generator', label: 'Pad' }, { id: 'duck', type: 'compressor' }, master],
      [['pad', 'duck'], { from: 'kick', to: 'duck', toPort: 'sidechain' }, ['duck', 'master']],
    );
    expect(one(sidechain, { type: 'path', from: 'kick', to: 'master' }).message).toBe('Expected a path from Kick to the Master; Kick is not connected to anything.');
  });

  it('a node the student deleted is named', () => {
    expect(one(session([kick, master], [['kick', 'master']]), { type: 'path', from: 'kick', to: 'drums' }).message).toBe('Expected a path from Kick to "drums"; the session has no node "drums" (was it deleted or renamed?).');
  });
});

describe('param checks', () => {
  const comp = (ratio: number, threshold = -18): N => ({ id: 'comp', type: 'compressor', label: 'Vocal comp', params: { ratio, threshold } });
  it('a node of a type with a param in range', () => {
    const check: Check = { type: 'param', nodeType: 'compressor', param: 'ratio', min: 3, max: 8 };
    expect(one(session([kick, comp(4), master], [['kick', 'comp'], ['comp', 'master']]), check)).toMatchObject({ status: 'pass', value: 4, message: 'Vocal comp has 4:1.' });
    const low = one(session([kick, comp(2), master], [['kick', 'comp'], ['comp', 'master']]), check);
    expect(low).toMatchObject({ status: 'fail', value: 2 });
    expect(low.message).toBe('Expected a compressor with Ratio from 3:1 to 8:1; Vocal comp has 2:1.');
    expect(one(session([kick, master], [['kick', 'master']]), check).message).toBe('Expected a compressor with Ratio from 3:1 to 8:1; there is no compressor in the session.');
    expect(one(session([kick, comp(2, -30), master], [['kick', 'comp'], ['comp', 'master']]), { type: 'param', nodeType: 'compressor', param: 'threshold', max: -24 }).message).toBe('Vocal comp has -30 dB.');
  });

  it('a list field (an EQ band): one band is enough, or every band with `all`; switched-off bands do not count', () => {
    const eq = (bands: object[]): N => ({ id: 'eq', type: 'eq', label: 'Guitar EQ', params: { bands } });
    const band = (gain: number, enabled = true) => ({ type: 'peaking', frequency: 1000, gain, enabled });
    const cut: Check = { type: 'param', nodeType: 'eq', param: 'bands.gain', max: -3 };
    const noBoost: Check = { type: 'param', nodeType: 'eq', param: 'bands.gain', max: 3, all: true };
    const both = session([kick, eq([band(-6), band(2)]), master], [['kick', 'eq'], ['eq', 'master']]);
    expect(one(both, cut)).toMatchObject({ status: 'pass', message: 'Guitar EQ band 1 has -6 dB.' });
    expect(one(both, noBoost).status).toBe('pass');
    const boost = session([kick, eq([band(9), band(-6, false)]), master], [['kick', 'eq'], ['eq', 'master']]);
    expect(one(boost, cut).message).toBe('Expected an EQ with Gain of a band at most -3 dB; Guitar EQ band 1 has +9 dB.');
    expect(one(boost, noBoost).message).toBe('Expected every EQ band with Gain at most +3 dB; Guitar EQ band 1 has +9 dB.');
  });
});

describe('bypass checks', () => {
  it('bypassed or playing, with what it is', () => {
    const doc = (bypass: boolean) => session([kick, { id: 'comp', type: 'compressor', label: 'Comp', bypass }, master], [['kick', 'comp'], ['comp', 'master']]);
    expect(one(doc(false), { type: 'bypass', node: 'comp', bypassed: false })).toMatchObject({ status: 'pass', message: 'Comp plays.' });
    expect(one(doc(true), { type: 'bypass', node: 'comp', bypassed: false }).message).toBe('Expected Comp playing (not bypassed); Comp is bypassed.');
    expect(one(doc(false), { type: 'bypass', node: 'comp', bypassed: true }).message).toBe('Expected Comp bypassed; Comp plays.');
  });
});

describe('measured checks, from an offline render with the runtime', () => {
  it('the level at a node\'s output: peak and RMS in dBFS, a silent node says so; unmeasured without measurements', async () => {
    const trim = (gain: number): N => ({ id: 'trim', type: 'gain', label: 'Trim', params: { gain } });
    const peak: Check = { type: 'level', node: 'trim', measure: 'peak', min: -18, max: -6 };
    const rms: Check = { type: 'level', node: 'trim', measure: 'rms', max: -12 };
    const hot = session([{ ...kick, params: { waveform: 'sine', frequency: 100, level: -3 } }, trim(12), master], [['kick', 'trim'], ['trim', 'master']]);
    const m = await measured(hot, [peak, rms]);
    const r = one(hot, peak, m);
    expect(r.status).toBe('fail');
    expect(r.value!).toBeCloseTo(9, 1);
    expect(r.message).toMatch(/^Expected the peak level at Trim's output from -18 to -6 dBFS; it is 9(\.\d+)? dBFS\.$/);
    // A sine's RMS is 3 dB under its peak.
    expect(one(hot, rms, m).value!).toBeCloseTo(6, 1);
    const fine = session([{ ...kick, params: { waveform: 'sine', frequency: 100, level: -3 } }, trim(-9), master], [['kick', 'trim'], ['trim', 'master']]);
    const ok = one(fine, peak, await measured(fine, [peak]));
    expect(ok.status).toBe('pass');
    expect(ok.value!).toBeCloseTo(-12, 1);
    const silent = session([kick, trim(0), master], [['kick', 'master'], ['trim', 'master']]);
    expect(one(silent, peak, await measured(silent, [peak])).message).toBe("Expected the peak level at Trim's output from -18 to -6 dBFS; it is silent (no signal reaches it).");
    expect(one(fine, peak).status).toBe('unmeasured');
  });

  it('the master is read at the speakers', async () => {
    const doc = session([{ ...kick, params: { level: -6 } }, { ...master, params: { gain: -3 } }], [['kick', 'master']]);
    const check: Check = { type: 'level', node: 'master', measure: 'peak', max: -1 };
    const r = one(doc, check, await measured(doc, [check]));
    expect(r.status).toBe('pass');
    expect(r.value!).toBeCloseTo(-9, 1);
  });

  it("the mix's integrated loudness and true peak", async () => {
    const doc = session([{ id: 'mix', type: 'generator', params: { waveform: 'sine', frequency: 1000, level: -20 } }, master], [['mix', 'master']]);
    const lufs: Check = { type: 'loudness', measure: 'integrated', min: -15, max: -13 };
    const tp: Check = { type: 'loudness', measure: 'truePeak', max: -1 };
    const m = await measured(doc, [lufs, tp]);
    // A 1 kHz sine at -20 dBFS peak in both channels: -20 - 3.01 (RMS) + 3.01 (two channels) - 0.69 + 0.7 (K-weighting at 1 kHz) ≈ -20 LUFS.
    const r = one(doc, lufs, m);
    expect(r.status).toBe('fail');
    expect(r.value!).toBeCloseTo(-20, 0);
    expect(r.message).toMatch(/^Expected the mix's integrated loudness from -15 to -13 LUFS; it is -(19|20)\.\d+ LUFS\.$/);
    expect(one(doc, tp, m)).toMatchObject({ status: 'pass' });
    expect(one(doc, tp, m).value!).toBeCloseTo(-20, 0);
    const silent = session([{ id: 'mix', type: 'generator', params: { level: -96 } }, master], []);
    expect(one(silent, lufs, await measured(silent, [lufs])).message).toBe("Expected the mix's integrated loudness from -15 to -13 LUFS; the mix is silent.");
  });

  it('the tracks levelled within a tolerance, each measured through its own chain', async () => {
    const sine = (amp: number, f: number) => {
      const x = new Float32Array(RATE * 2);
      for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * f * i) / RATE);
      return [x];
    };
    const audio = new Map([
      ['vox.wav', sine(0.5, 1000)],
      ['bass.wav', sine(0.05, 1000)],
    ]);
    const check: Check = { type: 'levelled', tolerance: 2 };
    const doc = (bassGain: number) =>
      session(
        [
          { id: 'vox', type: 'track', label: 'Vocals', params: { source: 'vox.wav' } },
          { id: 'bass', type: 'track', label: 'Bass', params: { source: 'bass.wav', gain: bassGain } },
          master,
        ],
        [['vox', 'master'], ['bass', 'master']],
      );
    const apart = doc(0);
    const r = one(apart, check, await measured(apart, [check], audio));
    expect(r.status).toBe('fail');
    expect(r.value!).toBeCloseTo(20, 0);
    expect(r.message).toMatch(/^Expected every track within 2 LU of the others; Vocals \(-\d+\.\d+ LUFS\) and Bass \(-\d+\.\d+ LUFS\) are 20(\.\d+)? LU apart\.$/);
    const level = doc(12); // 12 of the 20 dB: still 8 LU apart
    expect(one(level, check, await measured(level, [check], audio)).status).toBe('fail');
    const withTarget: Check = { type: 'levelled', tolerance: 2, target: -35 };
    const close = session(
      [
        { id: 'vox', type: 'track', label: 'Vocals', params: { source: 'vox.wav', gain: -20 } },
        { id: 'bass', type: 'track', label: 'Bass', params: { source: 'bass.wav' } },
        master,
      ],
      [['vox', 'master'], ['bass', 'master']],
    );
    const m = await measured(close, [check, withTarget], audio);
    expect(one(close, check, m)).toMatchObject({ status: 'pass' });
    expect(one(close, check, m).message).toMatch(/^The tracks are 0(\.\d+)? LU apart, from .* to .*\.$/);
    expect(one(close, withTarget, m).message).toMatch(/^Expected every track within 2 LU of the others and of -35 LUFS; Vocals \(.*\) and Bass \(.*\) are more than 2 LU from -35 LUFS\.$/);
  });
});

describe('steps and live measurements', () => {
  it('a step is done when all its checks pass', () => {
    const doc = session([kick, bus, master], [['kick', 'drums'], ['drums', 'master']]);
    const steps = evaluateSteps(doc, [
      { title: 'wire', checks: [{ type: 'path', from: 'kick', to: 'drums' }, { type: 'path', from: 'drums', to: 'master' }] },
      { checks: [{ type: 'bypass', node: 'drums', bypassed: true }] },
      { checks: [] },
    ]);
    expect(steps.map((s) => s.done)).toEqual([true, false, true]);
    expect(steps[0].title).toBe('wire');
  });

  it('LiveMeasurements holds the peak and mean power of the level posts since the last reset', () => {
    const check: Check = { type: 'level', node: 'trim', measure: 'peak', max: -6 };
    const live = new LiveMeasurements(measurementNeeds([check]), 3);
    const levels = new Levels();
    const post = (peak: number, rms: number, version = 1, layout = true) => {
      const data = new Float32Array(METER_STRIDE);
      data.set([peak, peak, rms, rms]);
      levels.receive({ version, layout: layout ? [{ id: 'trim', port: 'out', index: 0 }] : undefined, levels: data } as Parameters<Levels['receive']>[0]);
      live.observe(levels);
    };
    const doc = session([kick, { id: 'trim', type: 'gain', label: 'Trim' }, master], [['kick', 'trim'], ['trim', 'master']]);
    post(0.25, 0.1);
    expect(evaluateCheck(doc, check, live).status).toBe('unmeasured');
    post(1, 0.5, 1, false);
    post(0.25, 0.1, 1, false);
    const r = evaluateCheck(doc, check, live);
    expect(r.status).toBe('fail');
    expect(r.value).toBeCloseTo(0, 5);
    live.reset();
    for (let i = 0; i < 3; i++) post(0.25, 0.1, 1, false);
    expect(evaluateCheck(doc, check, live)).toMatchObject({ status: 'pass' });
    expect(live.level('trim')!.rms).toBeCloseTo(-20, 3);
    live.setMix({ integrated: -14, truePeak: -1.5 });
    expect(evaluateCheck(doc, { type: 'loudness', measure: 'truePeak', max: -1 }, live).status).toBe('pass');
  });
});
