// Stems for the mixing tests (level, align, mix check) and their fixtures, synthesised in plain
// TypeScript so they need nothing installed and repeat to the bit: a band at 120 BPM in A minor.
// Each instrument lives where a real one does, so the spectra overlap the way a mix's do:
//   kick   a 110 -> 48 Hz sweep with a short click          below 150 Hz, percussive
//   snare  a 190 Hz body and noise from 1 to 6 kHz         on beats 2 and 4
//   hats   noise above 7 kHz                                 eighth notes
//   bass   band-limited sawtooth notes, low-passed           80-400 Hz
//   keys   organ-like triads (three harmonics)              250-1600 Hz, sustained
//   pad    a second sustained triad instrument (for a masking pair with the keys)
//   vocal  formant-synthesised vowels on a melody (F1 700, F2 1200, F3 2600 Hz), phrases with
//          pauses, and "s" bursts of noise at 5-9 kHz at phrase starts
// Levels are peaks in dBFS per stem; every generator takes the seconds and the sample rate.
import { seededRandom } from '../../src/dsp/random.ts';

const TAU = 2 * Math.PI;
const BEAT = 0.5; // s, 120 BPM
const lin = (db: number) => Math.pow(10, db / 20);

/** Scale to a peak of `peakDb` dBFS (in place). */
export function normalise(x: Float32Array, peakDb: number): Float32Array {
  let p = 0;
  for (let i = 0; i < x.length; i++) p = Math.max(p, Math.abs(x[i]));
  const g = p > 0 ? lin(peakDb) / p : 0;
  for (let i = 0; i < x.length; i++) x[i] *= g;
  return x;
}

/** One biquad (Cookbook) run over x in place. */
function biquad(x: Float32Array, type: 'lowpass' | 'highpass' | 'bandpass', f: number, q: number, sr: number): Float32Array {
  const w = (TAU * f) / sr;
  const cos = Math.cos(w);
  const alpha = Math.sin(w) / (2 * q);
  const a0 = 1 + alpha;
  let b0: number, b1: number, b2: number;
  if (type === 'lowpass') [b0, b1, b2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
  else if (type === 'highpass') [b0, b1, b2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
  else [b0, b1, b2] = [alpha, 0, -alpha];
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  b0 /= a0;
  b1 /= a0;
  b2 /= a0;
  let z1 = 0;
  let z2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const y = b0 * v + z1;
    z1 = b1 * v - a1 * y + z2;
    z2 = b2 * v - a2 * y;
    x[i] = y;
  }
  return x;
}

const hz = (midi: number) => 440 * Math.pow(2, (midi - 69) / 12);

export function kick(seconds: number, sr: number, peakDb = -6): Float32Array {
  const x = new Float32Array(Math.round(seconds * sr));
  const random = seededRandom(11);
  const hit = Math.round(BEAT * sr);
  for (let start = 0; start < x.length; start += hit) {
    let phase = 0;
    for (let i = 0; i < Math.min(hit, x.length - start); i++) {
      const t = i / sr;
      phase += (TAU * (48 + 62 * Math.exp(-t * 30))) / sr;
      const click = i < 0.002 * sr ? (random() * 2 - 1) * 0.4 * (1 - i / (0.002 * sr)) : 0;
      x[start + i] = Math.sin(phase) * Math.exp(-t * 9) + click;
    }
  }
  return normalise(x, peakDb);
}

export function snare(seconds: number, sr: number, peakDb = -8): Float32Array {
  const n = Math.round(seconds * sr);
  const noise = new Float32Array(n);
  const body = new Float32Array(n);
  const random = seededRandom(12);
  for (let b = 1; b * BEAT < seconds; b += 2) {
    const start = Math.round(b * BEAT * sr);
    for (let i = 0; i < 0.25 * sr && start + i < n; i++) {
      const t = i / sr;
      noise[start + i] = (random() * 2 - 1) * Math.exp(-t * 22);
      body[start + i] = Math.sin(TAU * 190 * t) * Math.exp(-t * 30);
    }
  }
  biquad(noise, 'highpass', 1000, 0.7, sr);
  biquad(noise, 'lowpass', 6000, 0.7, sr);
  for (let i = 0; i < n; i++) noise[i] = 1.4 * noise[i] + 0.6 * body[i];
  return normalise(noise, peakDb);
}

export function hats(seconds: number, sr: number, peakDb = -14): Float32Array {
  const x = new Float32Array(Math.round(seconds * sr));
  const random = seededRandom(13);
  const step = Math.round((BEAT / 2) * sr);
  for (let start = 0; start < x.length; start += step) {
    for (let i = 0; i < 0.08 * sr && start + i < x.length; i++) x[start + i] = (random() * 2 - 1) * Math.exp(-(i / sr) * 60);
  }
  biquad(x, 'highpass', 7000, 0.7, sr);
  biquad(x, 'highpass', 7000, 0.7, sr);
  return normalise(x, peakDb);
}

/** A drum kit as one "overhead" pair would hear it, mono: kick, snare and hats summed. */
export function overhead(seconds: number, sr: number, peakDb = -6): Float32Array {
  const k = kick(seconds, sr, -8);
  const s = snare(seconds, sr, -9);
  const h = hats(seconds, sr, -12);
  const x = new Float32Array(k.length);
  for (let i = 0; i < x.length; i++) x[i] = k[i] + s[i] + h[i];
  return normalise(x, peakDb);
}

/** Band-limited sawtooth (harmonics under `top` Hz) of frequency f at time t (phase-continuous per note). */
function saw(phase: number, f: number, top: number): number {
  let v = 0;
  for (let h = 1; h * f < top; h++) v += Math.sin(h * phase) / h;
  return v;
}

// Am - F - C - G, a bar each (2 s), bass roots and triads
const ROOTS = [45, 41, 48, 43]; // A2 F2 C3 G2
const TRIADS = [
  [57, 60, 64],
  [53, 57, 60],
  [55, 60, 64],
  [55, 59, 62],
];

/** `octave` -1 gives a sub bass (A1 55 Hz and up), in the kick's range; `alternate` plays root and octave on alternate beats, else the root on every beat. */
export function bass(seconds: number, sr: number, peakDb = -6, octave = 0, alternate = true): Float32Array {
  const x = new Float32Array(Math.round(seconds * sr));
  let phase = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / sr;
    const bar = Math.floor(t / 2) % 4;
    const f = hz(ROOTS[bar] + 12 * octave + (alternate ? 12 * (Math.floor(t / BEAT) % 2) : 0)); // root and octave, alternating beats
    phase += (TAU * f) / sr;
    const inNote = t % BEAT;
    const env = Math.min(1, inNote / 0.005) * Math.exp(-inNote * 2);
    x[i] = saw(phase, f, 500) * env;
  }
  biquad(x, 'lowpass', 400, 0.7, sr);
  return normalise(x, peakDb);
}

/** Sustained triads; `octave` shifts them, `seed` varies the voicing's phases. */
export function keys(seconds: number, sr: number, peakDb = -8, octave = 0, seed = 1): Float32Array {
  const x = new Float32Array(Math.round(seconds * sr));
  const random = seededRandom(seed);
  const offsets = [random() * TAU, random() * TAU, random() * TAU];
  for (let i = 0; i < x.length; i++) {
    const t = i / sr;
    const chord = TRIADS[Math.floor(t / 2) % 4];
    const inBar = t % 2;
    const env = Math.min(1, inBar / 0.02) * (0.8 + 0.2 * Math.exp(-inBar * 3)) * Math.min(1, (2 - inBar) / 0.02);
    let v = 0;
    chord.forEach((m, k) => {
      const f = hz(m + 12 * octave);
      const p = TAU * f * t + offsets[k];
      v += Math.sin(p) + 0.5 * Math.sin(2 * p) + 0.25 * Math.sin(3 * p);
    });
    x[i] = v * env;
  }
  return normalise(x, peakDb);
}

/** A second pad in the keys' register (a different timbre: sawtooth, low-passed at 1.6 kHz). */
export function pad(seconds: number, sr: number, peakDb = -8): Float32Array {
  const x = new Float32Array(Math.round(seconds * sr));
  const phases = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    const t = i / sr;
    const chord = TRIADS[Math.floor(t / 2) % 4];
    const inBar = t % 2;
    const env = Math.min(1, inBar / 0.05) * Math.min(1, (2 - inBar) / 0.05);
    let v = 0;
    chord.forEach((m, k) => {
      const f = hz(m) * 1.003; // slightly detuned against the keys
      phases[k] += (TAU * f) / sr;
      v += saw(phases[k], f, 1800);
    });
    x[i] = v * env;
  }
  biquad(x, 'lowpass', 1600, 0.7, sr);
  return normalise(x, peakDb);
}

const MELODY = [69, 72, 71, 67, 69, 64, 65, 67]; // a phrase of 1.5 s per note pair
const VOWELS: [number, number, number][] = [
  [700, 1220, 2600], // "a"
  [400, 2000, 2550], // "e"
  [450, 800, 2830], // "o"
];

/** Formant-synthesised singing: phrases of 1.5 s with 0.5 s gaps; "s" bursts at 5-9 kHz at phrase starts. */
export function vocal(seconds: number, sr: number, peakDb = -6, sibilance = -12): Float32Array {
  const n = Math.round(seconds * sr);
  const source = new Float32Array(n);
  let phase = 0;
  const random = seededRandom(21);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const inPhrase = t % 2;
    if (inPhrase >= 1.5) continue;
    const note = MELODY[Math.floor(t / 2 + (inPhrase > 0.75 ? 0.5 : 0)) % MELODY.length] - 12;
    const f = hz(note) * (1 + 0.006 * Math.sin(TAU * 5.5 * t));
    phase += (TAU * f) / sr;
    const env = Math.min(1, inPhrase / 0.04) * Math.min(1, (1.5 - inPhrase) / 0.08);
    source[i] = saw(phase, f, 5000) * env * (1 + 0.02 * (random() - 0.5));
  }
  const out = new Float32Array(n);
  // Three formants in parallel (band-passes), the vowel changing per phrase
  for (let v = 0; v < 3; v++) {
    const part = new Float32Array(n);
    for (let i = 0; i < n; i++) part[i] = Math.floor(i / sr / 2) % 3 === v ? source[i] : 0;
    const [f1, f2, f3] = VOWELS[v];
    const a = biquad(part.slice(), 'bandpass', f1, 5, sr);
    const b = biquad(part.slice(), 'bandpass', f2, 8, sr);
    const c = biquad(part.slice(), 'bandpass', f3, 10, sr);
    for (let i = 0; i < n; i++) out[i] += a[i] + 0.7 * b[i] + 0.5 * c[i];
  }
  normalise(out, peakDb);
  // "s": 80 ms of noise at 5-9 kHz at each phrase start
  const s = new Float32Array(n);
  for (let p = 0; p * 2 < seconds; p++) {
    const start = Math.round(p * 2 * sr);
    for (let i = 0; i < 0.08 * sr && start + i < n; i++) s[start + i] = (random() * 2 - 1) * Math.sin((Math.PI * i) / (0.08 * sr));
  }
  biquad(s, 'bandpass', 7000, 1.2, sr);
  normalise(s, sibilance);
  for (let i = 0; i < n; i++) out[i] += s[i];
  return out;
}

/** x delayed by `samples` (whole or fractional: a windowed-sinc interpolator, 64 taps), same length. */
export function delayed(x: Float32Array, samples: number): Float32Array {
  const out = new Float32Array(x.length);
  const whole = Math.floor(samples);
  const frac = samples - whole;
  if (frac === 0) {
    for (let i = whole; i < x.length; i++) if (i - whole >= 0) out[i] = x[i - whole];
    return out;
  }
  const half = 32;
  const taps = new Float64Array(2 * half);
  for (let k = -half + 1; k <= half; k++) {
    const u = k - frac;
    const sinc = Math.sin(Math.PI * u) / (Math.PI * u);
    const w = 0.5 + 0.5 * Math.cos((Math.PI * u) / half);
    taps[k + half - 1] = sinc * w;
  }
  for (let i = 0; i < x.length; i++) {
    let v = 0;
    for (let k = -half + 1; k <= half; k++) {
      const j = i - whole - k;
      if (j >= 0 && j < x.length) v += x[j] * taps[k + half - 1];
    }
    out[i] = v;
  }
  return out;
}

export const inverted = (x: Float32Array): Float32Array => x.map((v) => -v);

/** The band's stems by the file names the mixing fixtures use (tests/fixtures/mixing), mono. */
export function bandStems(seconds: number, sr: number): Map<string, Float32Array[]> {
  return new Map<string, Float32Array[]>([
    ['kick.wav', [kick(seconds, sr)]],
    ['snare.wav', [snare(seconds, sr)]],
    ['hats.wav', [hats(seconds, sr)]],
    ['bass.wav', [bass(seconds, sr)]],
    ['sub-bass.wav', [bass(seconds, sr, -6, -1, false)]],
    ['keys.wav', [keys(seconds, sr)]],
    ['pad.wav', [pad(seconds, sr)]],
    ['vox.wav', [vocal(seconds, sr)]],
  ]);
}
