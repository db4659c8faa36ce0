// Renders a session offline and prints its levels: the whole mix, then each track soloed
// (its path through EQ, compressor, sends and buses, with the mastering chain).
//   npx tsx scripts/check-demo.ts [presets/demo/demo.json] [--write out/demo-check.wav]
// Levels are over both channels: sample peak (dBFS) and RMS (dBFS, 0 dB = full-scale square wave).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';


import { getDefinition } from '../nodes/registry.ts';
import type { NodeEnv, Params } from '../nodes/define.ts';
import { compile } from '../src/compiler/compile.ts';
import { offlineEngine, render, toAudioBuffer } from '../src/engine/node.ts';
import { loadAudio } from '../src/cli/audio.ts';
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

function levels(buffer: AudioBuffer, seconds: number): Levels {
  const frames = Math.min(buffer.length, Math.round(seconds * buffer.sampleRate));
  let peak = 0;
  let sum = 0;
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < buffer.length; i++) peak = Math.max(peak, Math.abs(data[i]));
    for (let i = 0; i < frames; i++) sum += data[i] * data[i];
  }
  return { peak: db(peak), rms: db(Math.sqrt(sum / (frames * buffer.numberOfChannels))) };
}

async function renderDoc(session: SessionDoc): Promise<{ buffer: AudioBuffer; music: number }> {
  const result = compile(session);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const { plan } = result;
  // Decode every source first (the CLI's reading path), to know how long the render must be.
  const sources = new Map<string, AudioBuffer>();
  for (const node of plan.nodes) {
    const source = node.params.source;
    if (typeof source === 'string' && source && !sources.has(source)) {
      const audio = await loadAudio(resolve(base, source), SAMPLE_RATE);
      sources.set(source, toAudioBuffer(audio.channels, audio.sampleRate));
    }
  }
  const env = { getBuffer: (s: string) => sources.get(s) } as NodeEnv;
  let music = 0;
  let tail = 0;
  for (const node of plan.nodes) {
    const def = getDefinition(node.type)!;
    music = Math.max(music, def.length?.(node.params as Params, env) ?? 0);
    if (!node.bypass) tail = Math.max(tail, def.tail?.(node.params as Params) ?? 0);
  }
  const { ctx, engine } = await offlineEngine({ sampleRate: SAMPLE_RATE, length: Math.ceil((music + tail + 0.1) * SAMPLE_RATE), getBuffer: env.getBuffer });
  engine.update(plan);
  engine.start(0, 0);
  return { buffer: await render(ctx), music };
}

function writeWav(path: string, buffer: AudioBuffer): void {
  const ch = buffer.numberOfChannels;
  const out = Buffer.alloc(44 + buffer.length * ch * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + buffer.length * ch * 2, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(ch, 22);
  out.writeUInt32LE(buffer.sampleRate, 24);
  out.writeUInt32LE(buffer.sampleRate * ch * 2, 28);
  out.writeUInt16LE(ch * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(buffer.length * ch * 2, 40);
  const data = Array.from({ length: ch }, (_, c) => buffer.getChannelData(c));
  for (let i = 0, o = 44; i < buffer.length; i++) for (let c = 0; c < ch; c++, o += 2) out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, data[c][i])) * 32767), o);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, out);
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
console.log(`${doc.name}: ${mix.music.toFixed(2)} s of music, ${(mix.buffer.length / SAMPLE_RATE).toFixed(2)} s rendered at ${SAMPLE_RATE} Hz`);
console.log('path            peak dBFS  RMS dBFS');
for (const [name, l] of rows) console.log(`${name.padEnd(16)}${fmt(l.peak)}     ${fmt(l.rms)}`);
const peak = rows[0][1].peak;
if (peak >= 0) {
  console.error(`clipping: peak ${peak.toFixed(2)} dBFS`);
  process.exitCode = 1;
}
