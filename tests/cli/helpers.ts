// Helpers for the CLI tests: run the real `mixgraph` binary in a scratch folder and read what it wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

import { decodeWav, encodeWav, type DecodedWav, type WavFormat } from '../../src/io/wav.ts';

/**
 * Each run renders at most a few minutes of audio through the runtime, seconds at most on an idle
 * machine; on a machine busy with other work it can take many times longer: the limits are
 * generous so that only a hang fails.
 */
export const RUN_TIMEOUT = 90_000;
export const TEST_TIMEOUT = 180_000;

export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/mixgraph.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `node bin/mixgraph.js ...args` in `cwd` (with `env` added to the environment, e.g. a TMPDIR). Every run is checked for a stack trace on stderr,
 * which must never be shown whatever went wrong.
 */
export function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: RUN_TIMEOUT, env: { ...process.env, MIXGRAPH_DEBUG: '', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (code === null) return fail(err);
      try {
        expect(stderr, 'a stack trace on stderr').not.toMatch(/^ {4}at /m);
        expect(stderr).not.toMatch(/mixgraph: internal error/);
      } catch (failure) {
        return fail(failure);
      }
      done({ code, stdout, stderr });
    });
  });
}

/** A fresh folder under the OS temp dir, removed after the file's tests. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mixgraph-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface NodeSpec {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  bypass?: boolean;
}

/** Session JSON text; edges as [from, to] or {from, to, fromPort, toPort}. */
export function sessionJson(nodes: NodeSpec[], edges: (readonly [string, string] | Record<string, string>)[]): string {
  return JSON.stringify(
    {
      format: 'mixgraph',
      version: 1,
      kind: 'session',
      name: 't',
      nodes,
      edges: edges.map((e) => (Array.isArray(e) ? { from: e[0], to: e[1] } : e)),
    },
    null,
    2,
  );
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A mono sine WAV: `seconds` long, peak `amplitude`, written with our own encoder. */
export function sineWav(seconds: number, sampleRate: number, format: WavFormat, amplitude = 0.5, frequency = 440): Uint8Array {
  const frames = Math.round(seconds * sampleRate);
  const data = new Float32Array(frames);
  for (let i = 0; i < frames; i++) data[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return encodeWav([data], sampleRate, format);
}

export function readWav(path: string): DecodedWav {
  return decodeWav(readFileSync(path));
}

export function peakDb(samples: Float32Array, from = 0, to = samples.length): number {
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i]));
  return 20 * Math.log10(peak);
}

export const frames = (wav: DecodedWav) => wav.channels[0].length;


export { songChannels } from '../helpers/signals.ts';
