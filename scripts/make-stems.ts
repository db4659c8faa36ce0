// Synthesises the demo session's four stems (npm run stems): drums, bass, keys and a vowel-like
// vocal line, 4 bars at 100 BPM in A minor (Am - F - C - G), 44.1 kHz 16-bit mono WAV, each
// peaking at -6 dBFS. Fully deterministic: every noise source is a seeded PRNG, so two runs
// write byte-identical files.
//
// Self-contained on purpose (its own tiny WAV writer and filters): nothing in src/ is needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/dsp/random.ts';

const SAMPLE_RATE = 44100;
const BPM = 100;
const BEAT = 60 / BPM; // 0.6 s
const BARS = 4;
const BEATS = BARS * 4;
const LENGTH = Math.round(BEATS * BEAT * SAMPLE_RATE); // 9.6 s
const PEAK_DBFS = -6;
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'presets', 'demo', 'stems');

// ---------------------------------------------------------------------------------------------
// Helpers


const midiToHz = (m: number) => 440 * Math.pow(2, (m - 69) / 12);
const dbToGain = (db: number) => Math.pow(10, db / 20);
const beatsToSample = (beats: number) => Math.round(beats * BEAT * SAMPLE_RATE);

/** Transposed direct-form II biquad (Audio EQ Cookbook coefficients). */
class Biquad {
  private b0 = 1;
  private b1 = 0;
  private b2 = 0;
  private a1 = 0;
  private a2 = 0;
  private z1 = 0;
  private z2 = 0;

  static highpass(f: number, q: number): Biquad {
    return new Biquad().set('highpass', f, q);
  }
  static lowpass(f: number, q: number): Biquad {
    return new Biquad().set('lowpass', f, q);
  }
  static bandpass(f: number, q: number): Biquad {
    return new Biquad().set('bandpass', f, q);
  }

  /** 'bandpass' has a 0 dB peak gain. Coefficients can change while running (state is kept). */
  set(type: 'highpass' | 'lowpass' | 'bandpass', f: number, q: number): this {
    const w0 = (2 * Math.PI * Math.min(f, SAMPLE_RATE * 0.45)) / SAMPLE_RATE;
    const cos = Math.cos(w0);
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    let b0: number, b1: number, b2: number;
    if (type === 'lowpass') [b0, b1, b2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
    else if (type === 'highpass') [b0, b1, b2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
    else [b0, b1, b2] = [alpha, 0, -alpha];
    this.b0 = b0 / a0;
    this.b1 = b1 / a0;
    this.b2 = b2 / a0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
    return this;
  }

  process(x: number): number {
    const y = this.b0 * x + this.z1;
    this.z1 = this.b1 * x - this.a1 * y + this.z2;
    this.z2 = this.b2 * x - this.a2 * y;
    return y;
  }
}

/** PolyBLEP correction for a band-limited sawtooth (t: phase 0..1, dt: phase increment). */
function polyBlep(t: number, dt: number): number {
  if (t < dt) {
    const x = t / dt;
    return x + x - x * x - 1;
  }
  if (t > 1 - dt) {
    const x = (t - 1) / dt;
    return x * x + x + x + 1;
  }
  return 0;
}

/** A band-limited sawtooth oscillator whose frequency may change every sample. */
class Saw {
  private phase = 0;
  constructor(phase = 0) {
    this.phase = phase;
  }
  next(freq: number): number {
    const dt = freq / SAMPLE_RATE;
    const v = 2 * this.phase - 1 - polyBlep(this.phase, dt);
    this.phase += dt;
    if (this.phase >= 1) this.phase -= 1;
    return v;
  }
}

/** Add `src` into `dst` from sample `at` (clipped at the end of the stem). */
function mixInto(dst: Float32Array, src: Float32Array, at: number, gain = 1): void {
  for (let i = 0; i < src.length; i++) {
    const j = at + i;
    if (j < 0) continue;
    if (j >= dst.length) break;
    dst[j] += src[i] * gain;
  }
}

function normalize(data: Float32Array, peakDb: number): void {
  let peak = 0;
  for (const v of data) peak = Math.max(peak, Math.abs(v));
  const g = dbToGain(peakDb) / peak;
  for (let i = 0; i < data.length; i++) data[i] *= g;
}

/** Short fades at both ends so the loop point does not click. */
function fadeEnds(data: Float32Array, seconds = 0.005): void {
  const n = Math.round(seconds * SAMPLE_RATE);
  for (let i = 0; i < n; i++) {
    const g = i / n;
    data[i] *= g;
    data[data.length - 1 - i] *= g;
  }
}

// ---------------------------------------------------------------------------------------------
// WAV writer: RIFF/WAVE, PCM 16-bit, interleaved channels, TPDF-dithered (seeded).

function wav16(channels: Float32Array[], sampleRate: number, seed: number): Buffer {
  const frames = channels[0].length;
  const blockAlign = channels.length * 2;
  const dataBytes = frames * blockAlign;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels.length, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * blockAlign, 28);
  buf.writeUInt16LE(blockAlign, 32);
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  const random = seededRandom(seed);
  let offset = 44;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const dither = random() - random(); // triangular, ±1 LSB
      const v = Math.round(ch[i] * 32767 + dither);
      buf.writeInt16LE(Math.max(-32768, Math.min(32767, v)), offset);
      offset += 2;
    }
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Harmony: A minor, one chord per bar.

interface Chord {
  root: number; // MIDI note of the bass root
  voicing: number[]; // MIDI notes for the keys
}
const CHORDS: Chord[] = [
  { root: 33, voicing: [57, 60, 64, 69] }, // Am: A1 | A3 C4 E4 A4
  { root: 29, voicing: [57, 60, 65, 69] }, // F:  F1 | A3 C4 F4 A4
  { root: 36, voicing: [55, 60, 64, 67] }, // C:  C2 | G3 C4 E4 G4
  { root: 31, voicing: [55, 59, 62, 67] }, // G:  G1 | G3 B3 D4 G4
];

// ---------------------------------------------------------------------------------------------
// Drums: kick, snare and hats on a 16th-note grid, lightly humanised (seeded).

function kick(velocity: number, random: () => number): Float32Array {
  const n = Math.round(0.5 * SAMPLE_RATE);
  const out = new Float32Array(n);
  let phase = 0;
  const click = Biquad.highpass(2500, 0.7);
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const f = 48 + 110 * Math.exp(-t / 0.035);
    phase += (2 * Math.PI * f) / SAMPLE_RATE;
    const body = Math.sin(phase) * Math.exp(-t / 0.32) * Math.min(1, t / 0.0015);
    const tick = click.process(random() * 2 - 1) * Math.exp(-t / 0.004) * 0.35;
    out[i] = Math.tanh(1.6 * (body + tick)) * velocity;
  }
  return out;
}

function snare(velocity: number, random: () => number): Float32Array {
  const n = Math.round(0.35 * SAMPLE_RATE);
  const out = new Float32Array(n);
  const hp = Biquad.highpass(1200, 0.7);
  const lp = Biquad.lowpass(9000, 0.7);
  let p1 = 0;
  let p2 = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const attack = Math.min(1, t / 0.001);
    p1 += (2 * Math.PI * (185 + 40 * Math.exp(-t / 0.01))) / SAMPLE_RATE;
    p2 += (2 * Math.PI * 330) / SAMPLE_RATE;
    const body = (Math.sin(p1) * 0.8 + Math.sin(p2) * 0.3) * Math.exp(-t / 0.06);
    const rattle = lp.process(hp.process(random() * 2 - 1)) * Math.exp(-t / 0.11) * 1.3;
    out[i] = (body + rattle) * attack * velocity;
  }
  return out;
}

function hat(velocity: number, open: boolean, random: () => number): Float32Array {
  const decay = open ? 0.22 : 0.035;
  const n = Math.round((open ? 0.6 : 0.15) * SAMPLE_RATE);
  const out = new Float32Array(n);
  const hp1 = Biquad.highpass(7000, 0.7);
  const hp2 = Biquad.highpass(7000, 0.7);
  // Metallic tone: a few inharmonic square waves (the classic 808 recipe), plus noise.
  const freqs = [205, 304, 369, 522, 540, 800].map((f) => f * 1.7);
  const phases = freqs.map(() => random());
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    let metal = 0;
    for (let k = 0; k < freqs.length; k++) {
      phases[k] = (phases[k] + freqs[k] / SAMPLE_RATE) % 1;
      metal += phases[k] < 0.5 ? 1 : -1;
    }
    const x = metal / freqs.length * 0.6 + (random() * 2 - 1) * 0.7;
    out[i] = hp2.process(hp1.process(x)) * Math.exp(-t / decay) * Math.min(1, t / 0.0005) * velocity;
  }
  return out;
}

function drums(): Float32Array {
  const out = new Float32Array(LENGTH);
  const random = seededRandom(101);
  const noise = seededRandom(202);
  const sixteenth = BEAT / 4;
  const at = (bar: number, step: number) => {
    const jitter = (random() - 0.5) * 0.004; // ±2 ms
    return Math.max(0, Math.round((bar * 4 * BEAT + step * sixteenth + jitter) * SAMPLE_RATE));
  };
  const vel = (v: number) => v * (0.92 + random() * 0.08);
  for (let bar = 0; bar < BARS; bar++) {
    const last = bar === BARS - 1;
    // Kick: 1, the "a" of 2, 3, and (in the last bar) a push into the loop.
    const kicks = last ? [0, 7, 8, 10, 14] : [0, 7, 8, 11];
    for (const s of kicks) mixInto(out, kick(vel(s === 0 ? 1 : 0.85), noise), at(bar, s));
    // Snare on 2 and 4, a ghost note before 4, a short fill at the very end.
    for (const s of [4, 12]) mixInto(out, snare(vel(0.8), noise), at(bar, s));
    mixInto(out, snare(vel(0.18), noise), at(bar, 10));
    if (last) for (const [s, v] of [[13, 0.3], [15, 0.45]]) mixInto(out, snare(vel(v), noise), at(bar, s));
    // Hats: 8ths, accented on the off-beats, 16ths in the last half bar, open hat on the "and" of 4 in bars 2 and 4.
    for (let s = 0; s < 16; s += 2) {
      const open = s === 14 && bar % 2 === 1;
      mixInto(out, hat(vel(s % 4 === 2 ? 0.5 : 0.32), open, noise), at(bar, s));
      if (bar % 2 === 1 && s >= 8 && s < 14) mixInto(out, hat(vel(0.18), false, noise), at(bar, s + 1));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bass: a saw plus a sine sub through an enveloped low-pass, in 8th notes.

function bass(): Float32Array {
  const out = new Float32Array(LENGTH);
  // [start (8ths), length (8ths), interval above the root, velocity]
  const pattern: [number, number, number, number][] = [
    [0, 2.6, 0, 1],
    [3, 0.8, 0, 0.8],
    [4, 1.7, 12, 0.9],
    [6, 0.8, 0, 0.8],
    [7, 0.8, 7, 0.85],
  ];
  for (let bar = 0; bar < BARS; bar++) {
    const root = CHORDS[bar].root;
    const notes = bar === BARS - 1 ? [...pattern.slice(0, 4), [7, 0.8, 2, 0.85] as [number, number, number, number]] : pattern; // G -> A walk-up
    for (const [start, len, interval, velocity] of notes) {
      const freq = midiToHz(root + interval);
      const n = Math.round(((len * BEAT) / 2 + 0.08) * SAMPLE_RATE);
      const gateEnd = (len * BEAT) / 2;
      const note = new Float32Array(n);
      const saw = new Saw();
      const lp = new Biquad();
      let subPhase = 0;
      for (let i = 0; i < n; i++) {
        const t = i / SAMPLE_RATE;
        if (i % 16 === 0) lp.set('lowpass', 180 + 1100 * velocity * Math.exp(-t / 0.09), 1.1);
        subPhase += (2 * Math.PI * freq) / SAMPLE_RATE;
        const x = saw.next(freq) * 0.55 + Math.sin(subPhase) * 0.6;
        const attack = Math.min(1, t / 0.004);
        const release = t < gateEnd ? 1 : Math.exp(-(t - gateEnd) / 0.015);
        const body = 0.75 + 0.25 * Math.exp(-t / 0.25);
        note[i] = lp.process(x) * attack * release * body * velocity;
      }
      mixInto(out, note, Math.round((bar * 4 * BEAT + (start * BEAT) / 2) * SAMPLE_RATE));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Keys: a two-operator FM electric piano comping the chords.

function epNote(freq: number, seconds: number, velocity: number): Float32Array {
  const n = Math.round((seconds + 0.25) * SAMPLE_RATE);
  const out = new Float32Array(n);
  let pc = 0;
  let pm = 0;
  let pt = 0;
  const w = (2 * Math.PI * freq) / SAMPLE_RATE;
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const index = 0.25 + 1.6 * velocity * Math.exp(-t / 0.25);
    pm += w;
    pc += w;
    pt += w * 7.1; // the "tine": a short inharmonic ping
    const carrier = Math.sin(pc + index * Math.sin(pm));
    const tine = Math.sin(pt) * 0.12 * Math.exp(-t / 0.03);
    const attack = Math.min(1, t / 0.003);
    const decay = Math.exp(-t / 1.4);
    const release = t < seconds ? 1 : Math.exp(-(t - seconds) / 0.06);
    out[i] = (carrier + tine) * attack * decay * release * velocity;
  }
  return out;
}

function keys(): Float32Array {
  const out = new Float32Array(LENGTH);
  // [start beat, length beats, velocity]: a syncopated comp.
  const hits: [number, number, number][] = [
    [0, 1.4, 0.9],
    [1.5, 0.9, 0.7],
    [2.5, 0.4, 0.55],
    [3, 0.9, 0.75],
  ];
  for (let bar = 0; bar < BARS; bar++) {
    for (const [beat, len, velocity] of hits) {
      const at = beatsToSample(bar * 4 + beat);
      CHORDS[bar].voicing.forEach((m, k) => {
        // A slight strum: each voice 6 ms after the one below, the top voice a little softer.
        const v = velocity * (k === 3 ? 0.7 : 1);
        mixInto(out, epNote(midiToHz(m), len * BEAT, v), at + Math.round(k * 0.006 * SAMPLE_RATE));
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Vox: a sawtooth "glottis" with vibrato and glides, through four formant band-passes per vowel.

type Vowel = 'a' | 'e' | 'i' | 'o' | 'u';
/** Soprano formants: frequency (Hz), level (dB), bandwidth (Hz). */
const FORMANTS: Record<Vowel, [number, number, number][]> = {
  a: [[800, 0, 80], [1150, -6, 90], [2900, -20, 120], [3900, -24, 130]],
  e: [[350, 0, 60], [2000, -14, 100], [2800, -15, 120], [3600, -30, 150]],
  i: [[270, 0, 60], [2140, -12, 90], [2950, -22, 100], [3900, -26, 120]],
  o: [[450, 0, 70], [800, -9, 80], [2830, -22, 100], [3800, -24, 130]],
  u: [[325, 0, 50], [700, -14, 60], [2700, -30, 170], [3800, -34, 180]],
};

function vox(): Float32Array {
  // [start beat, length beats, MIDI note, vowel]
  const melody: [number, number, number, Vowel][] = [
    [0.5, 0.45, 64, 'a'],
    [1, 0.95, 69, 'a'],
    [2, 0.5, 67, 'o'],
    [2.5, 1.3, 64, 'a'],
    [4.5, 0.45, 65, 'e'],
    [5, 0.95, 69, 'a'],
    [6, 0.95, 72, 'o'],
    [7, 0.8, 69, 'a'],
    [8.5, 0.45, 67, 'o'],
    [9, 0.95, 64, 'e'],
    [10, 0.5, 67, 'a'],
    [10.5, 1.3, 72, 'a'],
    [12.5, 0.45, 71, 'o'],
    [13, 0.95, 74, 'a'],
    [14, 0.5, 71, 'u'],
    [14.5, 1.2, 69, 'a'],
  ];
  const out = new Float32Array(LENGTH);
  const saw = new Saw(0.3);
  const breath = seededRandom(303);
  const breathFilter = Biquad.bandpass(3000, 0.8);
  const bands = [0, 1, 2, 3].map(() => new Biquad());
  let freq = midiToHz(melody[0][2]);
  let formants = FORMANTS[melody[0][3]].map(([f, db, bw]) => ({ f, g: dbToGain(db), bw }));
  let amp = 0;
  let noteIndex = -1;
  let noteStart = 0;
  const glide = 1 - Math.exp(-1 / (0.03 * SAMPLE_RATE)); // 30 ms portamento
  const morph = 1 - Math.exp(-1 / (0.04 * SAMPLE_RATE)); // vowel changes over ~40 ms
  const attack = 1 - Math.exp(-1 / (0.025 * SAMPLE_RATE));
  const release = 1 - Math.exp(-1 / (0.05 * SAMPLE_RATE));
  for (let i = 0; i < LENGTH; i++) {
    const beat = i / SAMPLE_RATE / BEAT;
    // The note sounding now, if any (the melody is in time order).
    let current = -1;
    for (let k = 0; k < melody.length; k++) {
      if (beat >= melody[k][0] && beat < melody[k][0] + melody[k][1]) current = k;
    }
    if (current !== -1 && current !== noteIndex) {
      if (noteIndex === -1 || amp < 0.05) freq = midiToHz(melody[current][2]); // no glide out of silence
      noteIndex = current;
      noteStart = i;
    }
    const gate = current === -1 ? 0 : 1;
    amp += (gate - amp) * (gate > amp ? attack : release);
    if (noteIndex !== -1) {
      const [, , midi, vowel] = melody[noteIndex];
      freq += (midiToHz(midi) - freq) * glide;
      const target = FORMANTS[vowel];
      formants = formants.map((fm, k) => ({
        f: fm.f + (target[k][0] - fm.f) * morph,
        g: fm.g + (dbToGain(target[k][1]) - fm.g) * morph,
        bw: fm.bw + (target[k][2] - fm.bw) * morph,
      }));
    }
    // Vibrato: 5.5 Hz, fading in over the first 250 ms of each note to ±30 cents.
    const sinceStart = (i - noteStart) / SAMPLE_RATE;
    const depth = 0.3 * Math.min(1, Math.max(0, (sinceStart - 0.1) / 0.25));
    const vib = Math.pow(2, (depth * Math.sin(2 * Math.PI * 5.5 * (i / SAMPLE_RATE))) / 12);
    const source = saw.next(freq * vib) + breathFilter.process(breath() * 2 - 1) * 0.15;
    if (i % 32 === 0) bands.forEach((b, k) => b.set('bandpass', formants[k].f, formants[k].f / formants[k].bw));
    let y = 0;
    for (let k = 0; k < 4; k++) y += bands[k].process(source) * formants[k].g;
    out[i] = y * amp;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const stems: [string, () => Float32Array][] = [
  ['drums', drums],
  ['bass', bass],
  ['keys', keys],
  ['vox', vox],
];

mkdirSync(OUT_DIR, { recursive: true });
let total = 0;
stems.forEach(([name, make], k) => {
  const data = make();
  normalize(data, PEAK_DBFS);
  fadeEnds(data);
  const bytes = wav16([data], SAMPLE_RATE, 9000 + k);
  writeFileSync(join(OUT_DIR, `${name}.wav`), bytes);
  let sum = 0;
  for (const v of data) sum += v * v;
  const rms = 10 * Math.log10(sum / data.length);
  total += bytes.length;
  console.log(`${name}.wav  ${(bytes.length / 1024).toFixed(0)} KiB  peak ${PEAK_DBFS.toFixed(1)} dBFS  RMS ${rms.toFixed(1)} dBFS`);
});
console.log(`${stems.length} stems, ${(total / 1024 / 1024).toFixed(2)} MiB, ${BEATS * BEAT} s at ${BPM} BPM -> ${OUT_DIR}`);
