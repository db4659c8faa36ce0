// The 16-track session of issue 10, shared by the benches: per track gain and pan (in the track), a
// 4-band EQ (high-pass, low shelf, peaking, high shelf) and a compressor; 8 tracks on each of two
// buses; the master. Its stems (seeded, so every run renders the same audio), the same processing
// as one ffmpeg -filter_complex graph, and the stems written as 24-bit WAV files.
import { open } from 'node:fs/promises';
import { join } from 'node:path';

import type { Params } from '../nodes/define.ts';
import { getDefinition } from '../nodes/registry.ts';
import type { BiquadType } from '../src/dsp/biquad.ts';
import { WavFileWriter } from '../src/io/wav-stream.ts';
import { emptySession, type DocEdge, type DocNode, type SessionDoc } from '../src/model/document.ts';
import { fillParams } from '../src/model/params.ts';

export const RATE = 48000;
export const TRACKS = 16;

export interface Band {
  type: BiquadType;
  frequency: number;
  gain: number;
  q: number;
}

export function bandsFor(i: number): Band[] {
  return [
    { type: 'highpass', frequency: 40 + 5 * (i % 8), gain: 0, q: 0.707 },
    { type: 'lowshelf', frequency: 150 + 10 * (i % 5), gain: 2, q: 0.707 },
    { type: 'peaking', frequency: 2000 + 100 * (i % 7), gain: -3, q: 1.4 },
    { type: 'highshelf', frequency: 8000, gain: 2.5, q: 0.707 },
  ];
}
export const COMPRESSOR = { threshold: -24, ratio: 3, knee: 6, attack: 10, release: 120, makeup: 2 };
export const TRACK_GAIN_DB = -12;
export const panFor = (i: number, n = TRACKS) => Number((-0.8 + (1.6 * i) / Math.max(1, n - 1)).toFixed(3));
export const busOf = (i: number) => (i < TRACKS / 2 ? 0 : 1);

function node(id: string, type: string, params: Params = {}): DocNode {
  return { id, type, params: fillParams(getDefinition(type)!, params) };
}
const edge = (from: string, to: string): DocEdge => ({ from, fromPort: 'out', to, toPort: 'in' });

/** The session; track i plays `source(i)`. */
export function benchSession(source: (i: number) => string = (i) => `src${i}`): SessionDoc {
  const doc = emptySession('bench 16 tracks');
  doc.nodes.push(node('master', 'master'));
  for (const b of [0, 1]) {
    doc.nodes.push(node(`bus${b}`, 'bus'));
    doc.edges.push(edge(`bus${b}`, 'master'));
  }
  for (let i = 0; i < TRACKS; i++) {
    doc.nodes.push(node(`track${i}`, 'track', { source: source(i), gain: TRACK_GAIN_DB, pan: panFor(i) }));
    doc.nodes.push(node(`eq${i}`, 'eq', { bands: bandsFor(i) as unknown as Params['bands'] }));
    doc.nodes.push(node(`comp${i}`, 'compressor', COMPRESSOR));
    doc.edges.push(edge(`track${i}`, `eq${i}`), edge(`eq${i}`, `comp${i}`), edge(`comp${i}`, `bus${busOf(i)}`));
  }
  return doc;
}

/**
 * Stem `t`, frames [from, from + out.length): a decaying tone on every half beat plus seeded noise
 * bursts, peak about 0.5. Made piece by piece (the state carries over), so an hour of it never
 * needs to be in memory.
 */
export class StemSynth {
  private seed: number;
  private x = 1;
  private y = 0;
  private i = 0;
  private burst = 0;
  private burstLen = 1;
  private readonly c: number;
  private readonly s: number;
  private readonly note = Math.round(0.3 * RATE);

  constructor(t: number) {
    this.seed = (0x9e3779b9 * (t + 1)) >>> 0;
    const freq = 55 * Math.pow(2, (t * 5) / 12);
    const w = (2 * Math.PI * freq) / RATE;
    this.c = Math.cos(w);
    this.s = Math.sin(w);
  }

  private random(): number {
    this.seed = (this.seed + 0x6d2b79f5) >>> 0;
    let x = this.seed;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }

  fill(out: Float32Array): void {
    const { c, s, note } = this;
    let { x, y } = this;
    for (let k = 0; k < out.length; k++, this.i++) {
      const nx = x * c - y * s; // a rotating phasor: a sine without Math.sin
      y = x * s + y * c;
      x = nx;
      if ((this.i & 1023) === 0) {
        const norm = 1 / Math.hypot(x, y);
        x *= norm;
        y *= norm;
      }
      const inNote = this.i % note;
      if (inNote === 0 && this.burst <= 0 && this.random() < 0.3) this.burst = this.burstLen = Math.round((0.05 + this.random() * 0.15) * RATE);
      const tone = y * (0.15 + 0.25 * Math.exp(-inNote / (0.12 * RATE)));
      let noise = 0;
      if (this.burst > 0) {
        noise = (this.random() * 2 - 1) * 0.25 * (this.burst / this.burstLen);
        this.burst--;
      }
      out[k] = tone + noise;
    }
    this.x = x;
    this.y = y;
  }
}

/** The 16 stems as mono 24-bit WAV files `s<i>.wav` in `dir`, `seconds` long, written piece by piece. */
export async function writeStems(dir: string, seconds: number): Promise<string[]> {
  const frames = Math.round(seconds * RATE);
  const files: string[] = [];
  const piece = new Float32Array(1 << 16);
  for (let t = 0; t < TRACKS; t++) {
    const file = join(dir, `s${t}.wav`);
    const handle = await open(file, 'w');
    try {
      const writer = new WavFileWriter(handle, { channels: 1, sampleRate: RATE, format: '24', frames });
      const synth = new StemSynth(t);
      for (let at = 0; at < frames; at += piece.length) {
        const n = Math.min(piece.length, frames - at);
        const part = n === piece.length ? piece : piece.subarray(0, n);
        synth.fill(part);
        await writer.write([part], n);
      }
      await writer.finish();
    } finally {
      await handle.close();
    }
    files.push(file);
  }
  return files;
}

/** The same processing as one ffmpeg -filter_complex graph, inputs 0..15 the stems. */
export function ffmpegGraph(): string {
  const db = (x: number) => Math.pow(10, x / 20);
  const parts: string[] = [];
  for (let i = 0; i < TRACKS; i++) {
    const p = panFor(i);
    const m = ((p + 1) / 2) * (Math.PI / 2);
    const [b0, b1, b2, b3] = bandsFor(i);
    parts.push(
      `[${i}:a]volume=${TRACK_GAIN_DB}dB,` +
        `pan=stereo|c0=${Math.cos(m).toFixed(6)}*c0|c1=${Math.sin(m).toFixed(6)}*c0,` +
        `highpass=f=${b0.frequency}:width_type=q:width=${b0.q},` +
        // The second band is a low shelf (lowshelf is ffmpeg's shelving biquad; the same cost as equalizer)
        `lowshelf=f=${b1.frequency}:width_type=q:width=${b1.q}:gain=${b1.gain},` +
        `equalizer=f=${b2.frequency}:width_type=q:width=${b2.q}:gain=${b2.gain},` +
        `highshelf=f=${b3.frequency}:width_type=q:width=${b3.q}:gain=${b3.gain},` +
        `acompressor=threshold=${db(COMPRESSOR.threshold).toFixed(6)}:ratio=${COMPRESSOR.ratio}:attack=${COMPRESSOR.attack}:release=${COMPRESSOR.release}:` +
        `makeup=${db(COMPRESSOR.makeup).toFixed(6)}:knee=${db(COMPRESSOR.knee).toFixed(4)}:link=maximum:detection=peak[t${i}]`,
    );
  }
  const half = TRACKS / 2;
  const bus = (b: number) => Array.from({ length: half }, (_, k) => `[t${b * half + k}]`).join('') + `amix=inputs=${half}:normalize=0[b${b}]`;
  parts.push(bus(0), bus(1), '[b0][b1]amix=inputs=2:normalize=0[out]');
  return parts.join(';');
}
