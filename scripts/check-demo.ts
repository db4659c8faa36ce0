// Renders a session offline and prints its levels: the whole mix, then each track soloed
// (its path through EQ, compressor, sends and buses, with the mastering chain).
//   npx tsx scripts/check-demo.ts [presets/demo/demo.json] [--write out/demo-check.wav]
// Levels are over both channels: sample peak (dBFS) and RMS (dBFS, 0 dB = full-scale square wave).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';


import { getDefinition } from '../nodes/registry.ts';
import type { NodeEnv, Params, SourceAudio } from '../nodes/define.ts';
import { compile } from '../src/compiler/compile.ts';
import { loadAudio } from '../src/cli/audio.ts';
import { bounce } from '../src/runtime/render.ts';
import { MemorySource } from '../src/runtime/source.ts';
import { encodeWav } from '../src/io/wav.ts';
import type { SessionDoc } from '../src/model/document.ts';
import { loadSession } from '../src/presets/load.ts';

const SAMPLE_RATE = 44100;

const args = process.argv.slice(2);
const writeAt = args.indexOf('--write');
const wavOut = writeAt >= 0 ? args.splice(writeAt, 2)[1] : undefined;
const file = resolve(args[0] ?? 'presets/demo/demo.json');
const base = dirname(file);
const doc = loadSession(readFileSync(file, 'utf8'), file);

interface Levels {
  peak: number;
  rms: number;
}

const db = (v: number) => 20 * Math.log10(Math.max(v, 1e-12));

/** Rendered stereo through the runtime (what `mixgraph render` runs). */
interface Rendered {
  channels: Float32Array[];
  sampleRate: number;
}

function levels(audio: Rendered, seconds: number): Levels {
  const length = audio.channels[0].length;
  const frames = Math.min(length, Math.round(seconds * audio.sampleRate));
  let peak = 0;
  let sum = 0;
  for (const data of audio.channels) {
    for (let i = 0; i < length; i++) peak = Math.max(peak, Math.abs(data[i]));
    for (let i = 0; i < frames; i++) sum += data[i] * data[i];
  }
  return { peak: db(peak), rms: db(Math.sqrt(sum / (frames * audio.channels.length))) };
}

async function renderDoc(session: SessionDoc): Promise<{ buffer: Rendered; music: number }> {
  const result = compile(session);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const { plan } = result;
  // Decode every source first (the CLI's reading path), to know how long the render must be.
  const sources = new Map<string, SourceAudio>();
  for (const node of plan.nodes) {
    const source = node.params.source;
    if (typeof source === 'string' && source && !sources.has(source)) {
      const audio = await loadAudio(resolve(base, source), SAMPLE_RATE);
      sources.set(source, new MemorySource(audio.channels, audio.sampleRate));
    }
  }
  // The definitions' lengths read a buffer's duration: the sources' lengths stand in for them.
  const env = { getBuffer: (s: string) => (sources.has(s) ? ({ duration: sources.get(s)!.frames / SAMPLE_RATE } as AudioBuffer) : undefined) } as NodeEnv;
  let music = 0;
  let tail = 0;
  for (const node of plan.nodes) {
    const def = getDefinition(node.type)!;
    music = Math.max(music, def.length?.(node.params as Params, env) ?? 0);
    if (!node.bypass) tail = Math.max(tail, def.tail?.(node.params as Params) ?? 0);
  }
  const channels = bounce(plan, { sampleRate: SAMPLE_RATE, frames: Math.ceil((music + tail + 0.1) * SAMPLE_RATE), sources: (s) => sources.get(s) });
  return { buffer: { channels, sampleRate: SAMPLE_RATE }, music };
}

function writeWav(path: string, audio: Rendered): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeWav(audio.channels, audio.sampleRate, '16'));
}

const fmt = (v: number) => `${v >= 0 ? ' ' : ''}${v.toFixed(1)}`.padStart(6);
const tracks = doc.nodes.filter((n) => n.type === 'track');
const rows: [string, Levels][] = [];
const mix = await renderDoc(doc);
rows.push(['full mix', levels(mix.buffer, mix.music)]);
if (wavOut) writeWav(resolve(wavOut), mix.buffer);
for (const t of tracks) {
  const solo: SessionDoc = { ...doc, nodes: doc.nodes.map((n) => (n === t ? { ...n, params: { ...n.params, solo: true } } : n)) };
  const r = await renderDoc(solo);
  rows.push([`solo ${t.label ?? t.id}`, levels(r.buffer, r.music)]);
}
console.log(`${doc.name}: ${mix.music.toFixed(2)} s of music, ${(mix.buffer.channels[0].length / SAMPLE_RATE).toFixed(2)} s rendered at ${SAMPLE_RATE} Hz (the runtime)`);
console.log('path            peak dBFS  RMS dBFS');
for (const [name, l] of rows) console.log(`${name.padEnd(16)}${fmt(l.peak)}     ${fmt(l.rms)}`);
const peak = rows[0][1].peak;
if (peak >= 0) {
  console.error(`clipping: peak ${peak.toFixed(2)} dBFS`);
  process.exitCode = 1;
}
