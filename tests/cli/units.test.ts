// The pieces under the command, in-process: WAV encoding/decoding, levels, the session length,
// the atomic write, JSON error positions, and main()'s last-resort error handling.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

import type { NodeEnv } from '../../nodes/define.ts';
import { sessionLength } from '../../src/compiler/duration.ts';
import type { Plan, PlanNode } from '../../src/compiler/plan.ts';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { deliver, planOutputs } from '../../src/io/outputs.ts';
import { formatDb, measureLevels } from '../../src/io/levels.ts';
import { decodeWav, encodeWav } from '../../src/io/wav.ts';
import { parseJson } from '../../src/presets/json.ts';
import { syntaxErrorOffset } from '../../src/presets/syntax.ts';

const tmp = mkdtempSync(join(tmpdir(), 'mixgraph-units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ramp = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => scale * (2 * (i / (n - 1)) - 1));
const text = (bytes: Uint8Array, at: number, n = 4) => String.fromCharCode(...bytes.subarray(at, at + n));
const u16 = (bytes: Uint8Array, at: number) => bytes[at] | (bytes[at + 1] << 8);
const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);

describe('encodeWav / decodeWav', () => {
  test('16-bit PCM: header, size, round trip within dither (±1 LSB) plus rounding', () => {
    const left = ramp(1001, 0.9);
    const right = ramp(1001, -0.5);
    const bytes = encodeWav([left, right], 44100, '16');
    expect(text(bytes, 0)).toBe('RIFF');
    expect(u32(bytes, 4)).toBe(bytes.length - 8);
    expect(text(bytes, 8)).toBe('WAVE');
    expect(text(bytes, 12)).toBe('fmt ');
    expect(u32(bytes, 16)).toBe(16);
    expect(u16(bytes, 20)).toBe(1); // PCM
    expect(u16(bytes, 22)).toBe(2);
    expect(u32(bytes, 24)).toBe(44100);
    expect(u32(bytes, 28)).toBe(44100 * 4);
    expect(u16(bytes, 32)).toBe(4);
    expect(u16(bytes, 34)).toBe(16);
    expect(text(bytes, 36)).toBe('data');
    expect(u32(bytes, 40)).toBe(1001 * 4);
    expect(bytes.length).toBe(44 + 1001 * 4);
    const back = decodeWav(bytes);
    expect(back.format).toBe('16');
    expect(back.sampleRate).toBe(44100);
    for (const [c, src] of [left, right].entries()) {
      for (let i = 0; i < src.length; i++) expect(Math.abs(back.channels[c][i] - src[i])).toBeLessThanOrEqual(1.5 / 32768);
    }
  });

  test('16-bit dither: triangular ±1 LSB on silence, mean near zero, deterministic', () => {
    const silence = new Float32Array(20000);
    const a = encodeWav([silence], 48000, '16');
    const b = encodeWav([silence], 48000, '16');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const samples = decodeWav(a).channels[0].map((v) => v * 32768);
    const counts = new Map<number, number>();
    for (const v of samples) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([-1, 0, 1]);
    // TPDF rounded: P(0) = 3/4, P(±1) = 1/8 each.
    expect(counts.get(0)! / samples.length).toBeCloseTo(0.75, 1);
    const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    const undithered = decodeWav(encodeWav([silence], 48000, '16', { dither: false })).channels[0];
    expect(undithered.every((v) => v === 0)).toBe(true);
  });

  test('24-bit PCM: exact to the LSB, odd data size padded', () => {
    const mono = ramp(7, 0.75);
    const bytes = encodeWav([mono], 48000, '24');
    expect(u16(bytes, 34)).toBe(24);
    expect(u32(bytes, 40)).toBe(21);
    expect(bytes.length).toBe(44 + 22); // one pad byte
    expect(u32(bytes, 4)).toBe(bytes.length - 8);
    const back = decodeWav(bytes).channels[0];
    for (let i = 0; i < mono.length; i++) expect(Math.abs(back[i] - mono[i])).toBeLessThanOrEqual(0.5 / 8388608);
  });

  test('32-bit float: format tag 3, 18-byte fmt, fact chunk, exact round trip', () => {
    const left = ramp(100, 1.7); // floats may exceed full scale
    const right = ramp(100, 0.001);
    const bytes = encodeWav([left, right], 96000, '32f');
    expect(u32(bytes, 16)).toBe(18);
    expect(u16(bytes, 20)).toBe(3);
    expect(u16(bytes, 34)).toBe(32);
    expect(u16(bytes, 36)).toBe(0); // cbSize
    expect(text(bytes, 38)).toBe('fact');
    expect(u32(bytes, 42)).toBe(4);
    expect(u32(bytes, 46)).toBe(100);
    expect(text(bytes, 50)).toBe('data');
    expect(u32(bytes, 54)).toBe(800);
    const back = decodeWav(bytes);
    expect(back.format).toBe('32f');
    expect(back.channels[0]).toEqual(left);
    expect(back.channels[1]).toEqual(right);
  });

  test('integers clip at full scale; NaN and infinity become silence', () => {
    const wild = Float32Array.from([1.5, -1.5, 1, -1, NaN, Infinity, -Infinity]);
    const pcm16 = decodeWav(encodeWav([wild], 8000, '16', { dither: false })).channels[0];
    expect(Array.from(pcm16).map((v) => v * 32768)).toEqual([32767, -32768, 32767, -32768, 0, 0, 0]);
    const pcm24 = decodeWav(encodeWav([wild], 8000, '24')).channels[0];
    expect(Array.from(pcm24).map((v) => v * 8388608)).toEqual([8388607, -8388608, 8388607, -8388608, 0, 0, 0]);
    const float = decodeWav(encodeWav([wild], 8000, '32f')).channels[0];
    expect(Array.from(float)).toEqual([1.5, -1.5, 1, -1, 0, 0, 0]);
  });

  test('decodeWav reads WAVE_FORMAT_EXTENSIBLE and refuses what is not a WAV', () => {
    // Rewrite a 24-bit file's fmt chunk as EXTENSIBLE (40 bytes, subformat PCM).
    const plain = encodeWav([ramp(10, 0.5)], 48000, '24');
    const data = plain.subarray(36);
    const fmt = new Uint8Array(48);
    const v = new DataView(fmt.buffer);
    fmt.set([...'fmt '].map((c) => c.charCodeAt(0)));
    v.setUint32(4, 40, true);
    v.setUint16(8, 0xfffe, true);
    v.setUint16(10, 1, true);
    v.setUint32(12, 48000, true);
    v.setUint32(16, 48000 * 3, true);
    v.setUint16(20, 3, true);
    v.setUint16(22, 24, true);
    v.setUint16(24, 22, true);
    v.setUint16(26, 24, true);
    v.setUint32(28, 4, true);
    v.setUint16(32, 1, true); // SubFormat GUID begins with the format tag
    const riff = new Uint8Array(12 + fmt.length + data.length);
    riff.set(plain.subarray(0, 12));
    riff.set(fmt, 12);
    riff.set(data, 12 + fmt.length);
    new DataView(riff.buffer).setUint32(4, riff.length - 8, true);
    expect(decodeWav(riff).channels[0]).toEqual(decodeWav(plain).channels[0]);
    expect(() => decodeWav(new Uint8Array(100))).toThrow(/not a WAV file/);
  });

  test('encodeWav refuses channels of different lengths and unknown formats', () => {
    expect(() => encodeWav([new Float32Array(3), new Float32Array(4)], 48000, '24')).toThrow(/same length/);
    expect(() => encodeWav([new Float32Array(3)], 48000, '8' as '16')).toThrow(/unknown WAV format/);
  });
});

describe('levels', () => {
  test('peak and RMS of a sine, silence, and overs', () => {
    const sine = Float32Array.from({ length: 48000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000));
    const l = measureLevels(sine);
    expect(l.peakDb).toBeCloseTo(-6.02, 2);
    expect(l.rmsDb).toBeCloseTo(-9.03, 2);
    expect(l.overs).toBe(0);
    expect(measureLevels(new Float32Array(10)).peakDb).toBe(-Infinity);
    expect(measureLevels(Float32Array.from([1.2, -1.1, 0.5])).overs).toBe(2);
    expect(formatDb(-Infinity)).toBe('-inf');
    expect(formatDb(-6.0206)).toBe('-6.02');
    expect(formatDb(0.5)).toBe('+0.50');
    expect(formatDb(-0.001)).toBe('0.00');
  });
});

describe('sessionLength', () => {
  const node = (id: string, type: string, params: Record<string, unknown> = {}, bypass = false): PlanNode => ({ id, type, params: params as PlanNode['params'], bypass });
  const track = (id: string, source: string, offset = 0) => node(id, 'track', { source, offset });
  const edge = (from: string, to: string, toPort = 'in') => ({ from, fromPort: 'out', to, toPort });
  const buffers: Record<string, number> = { 'a.wav': 2, 'b.wav': 3.5 };
  const getBuffer: NodeEnv['getBuffer'] = (s) => (s in buffers ? ({ duration: buffers[s] } as AudioBuffer) : undefined);
  const length = (plan: Plan) => sessionLength(plan, getBuffer);

  test('the longest track, with its offset', () => {
    const plan: Plan = {
      nodes: [track('a', 'a.wav', 1500), track('b', 'b.wav', -1000), node('master', 'master')],
      edges: [edge('a', 'master'), edge('b', 'master')],
    };
    expect(length(plan)).toEqual({ seconds: 3.5, timedSources: 2, soundingSources: 2, endlessSources: 0 });
  });

  test('tails of delays and reverbs on the way to the master add up; a bypassed one adds nothing', () => {
    const delay = { time: 500, feedback: 0 }; // tail = one echo = 0.5 s
    const reverb = { decay: 1.2, predelay: 100 }; // tail 1.3 s
    const nodes = [track('a', 'a.wav'), node('d', 'delay', delay), node('r', 'reverb', reverb), node('master', 'master')];
    const edges = [edge('a', 'd'), edge('d', 'r'), edge('r', 'master')];
    expect(length({ nodes, edges }).seconds).toBeCloseTo(2 + 0.5 + 1.3, 9);
    const bypassed = nodes.map((n) => (n.id === 'r' ? { ...n, bypass: true } : n));
    expect(length({ nodes: bypassed, edges }).seconds).toBeCloseTo(2.5, 9);
  });

  test('a tail only counts for the tracks that pass through it', () => {
    const plan: Plan = {
      nodes: [track('a', 'a.wav'), track('b', 'b.wav'), node('d', 'delay', { time: 1000, feedback: 0 }), node('master', 'master')],
      edges: [edge('a', 'd'), edge('d', 'master'), edge('b', 'master')],
    };
    expect(length(plan).seconds).toBe(3.5); // max(2 + 1, 3.5)
  });

  test('a sidechain input is not heard through the compressor', () => {
    const plan: Plan = {
      nodes: [track('a', 'a.wav'), track('b', 'b.wav', 2000), node('c', 'compressor'), node('master', 'master')],
      edges: [edge('a', 'c'), edge('b', 'c', 'sidechain'), edge('c', 'master')],
    };
    expect(length(plan).seconds).toBe(2);
  });

  test('a feedback loop through a delay counts each tail once (order in the plan does not matter)', () => {
    const nodes = [node('master', 'master'), node('g', 'gain'), node('d', 'delay', { time: 250, feedback: 0 }), track('a', 'a.wav')];
    const edges = [edge('a', 'd'), edge('d', 'g'), edge('g', 'd'), edge('g', 'master')];
    expect(length({ nodes, edges }).seconds).toBeCloseTo(2.25, 9);
  });

  test('tracks that do not reach the master, empty tracks, generators', () => {
    const unconnected = length({ nodes: [track('a', 'a.wav'), node('master', 'master')], edges: [] });
    expect(unconnected).toMatchObject({ seconds: 0, timedSources: 1, soundingSources: 1 });
    const empty = length({ nodes: [track('a', ''), node('master', 'master')], edges: [edge('a', 'master')] });
    expect(empty).toMatchObject({ seconds: 0, timedSources: 1, soundingSources: 0 });
    const generators = length({ nodes: [node('g', 'generator'), node('master', 'master')], edges: [edge('g', 'master')] });
    expect(generators).toEqual({ seconds: 0, timedSources: 0, soundingSources: 0, endlessSources: 1 });
  });
});

describe('deliver (one file)', () => {
  const one = async (path: string, bytes: Uint8Array) => deliver(await planOutputs([{ path, what: 'the output' }], []), [bytes]);
  test('writes through a temporary file, creating folders', async () => {
    const out = join(tmp, 'a/b/out.bin');
    await one(out, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(out)]).toEqual([1, 2, 3]);
    expect(readdirSync(join(tmp, 'a/b'))).toEqual(['out.bin']);
    await one(out, new Uint8Array([4]));
    expect([...readFileSync(out)]).toEqual([4]);
    expect(readdirSync(join(tmp, 'a/b'))).toEqual(['out.bin']);
  });

  test('a folder in the way is refused before anything is written, and it is left as it was', async () => {
    const out = join(tmp, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'inside.txt'), 'keep');
    await expect(one(out, new Uint8Array([1]))).rejects.toThrow(/is a directory; Mixgraph writes only regular files/);
    expect(readFileSync(join(out, 'inside.txt'), 'utf8')).toBe('keep');
    expect(readdirSync(tmp).filter((f) => f.startsWith('.mixgraph-'))).toEqual([]);
  });
});

describe('JSON error positions', () => {
  test.each([
    ['{"a":[,]}', 6],
    ['{\n  "a": tru}', 12],
    ['[1,]', 3],
    ['{"a":1,}', 7],
    ['"abc', 4],
    ['{"a":"\\x"}', 7],
    ['[01]', 2],
    ['[1.]', 3],
    ['{"a":1} x', 8],
    ['', 0],
  ])('%j breaks at %i', (text, offset) => {
    expect(syntaxErrorOffset(text)).toBe(offset);
  });

  test('valid JSON has no error offset', () => {
    expect(syntaxErrorOffset(' {"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"], "b": {}} ')).toBeNull();
  });

  test('parseJson names line and column for the errors V8 gives no position for', () => {
    expect(() => parseJson('{\n  "nodes": [,]\n}', 's.json')).toThrow("s.json:2:13: not valid JSON: Unexpected token ','");
  });
});

describe('main', () => {
  const capture = (overrides: Partial<Io> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), errRaw: (t) => err.push(t), errIsTTY: false, usage: 'USAGE', ...overrides };
    return { io, out, err };
  };

  test('an unexpected error is one line, "internal error", exit 2', async () => {
    const file = join(tmp, 'ok.json');
    writeFileSync(file, JSON.stringify({ format: 'mixgraph', version: 1, kind: 'session', nodes: [{ id: 'master', type: 'master' }], edges: [] }));
    const { io, err } = capture({
      out: () => {
        throw new TypeError('stdout went away');
      },
    });
    expect(await main(['validate', file], io)).toBe(2);
    expect(err).toEqual(['mixgraph: internal error: stdout went away']);
  });

  test('on a terminal, progress redraws one line with \\r, even for a short render', async () => {
    const file = join(tmp, 'tone.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'mixgraph', version: 1, kind: 'session', nodes: [{ id: 'g', type: 'generator' }, { id: 'master', type: 'master' }], edges: [{ from: 'g', to: 'master' }] }),
    );
    const { io, out, err } = capture({ errIsTTY: true });
    expect(await main(['render', file, '-o', join(tmp, 'tone.wav'), '--duration', '0.1', '--sample-rate', '8000'], io)).toBe(0);
    expect(err).toEqual(['\rrendering 100%\n']);
    expect(out.join('\n')).toMatch(/\(800 frames\)/);
    expect(decodeWav(readFileSync(join(tmp, 'tone.wav'))).channels[0]).toHaveLength(800);
  });

  test('validate through main in-process', async () => {
    const file = join(tmp, 'ok.json');
    const { io, out, err } = capture();
    expect(await main(['validate', file], io)).toBe(0);
    expect(out).toEqual([`${file}: ok (1 node, 0 edges)`]);
    expect(err).toEqual([]);
  });
});
