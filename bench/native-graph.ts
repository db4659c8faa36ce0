// The 16-track session hand-wired on node-web-audio-api's native nodes, as a whole process (the
// comparison the issue asks for; bench/render.ts runs it):
//   tsx bench/native-graph.ts STEMS_DIR SECONDS OUT.wav
// Reads the 16 stems, wires per track BufferSource -> Gain -> StereoPanner -> 4 BiquadFilters
// (highpass, lowshelf, peaking, highshelf) -> DynamicsCompressor -> makeup Gain, into two bus Gains
// and the destination, renders offline and writes a 24-bit WAV file. The native compressor is not
// Mixgraph's (it adds its own makeup, its knee and detector differ): the same work, not the same
// numbers. Prints its phases' times as JSON on stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { OfflineAudioContext } from 'node-web-audio-api';

import { decodeWav, encodeWav } from '../src/io/wav.ts';
import { bandsFor, busOf, COMPRESSOR, panFor, RATE, TRACK_GAIN_DB, TRACKS } from './session16.ts';

const [dir, secondsArg, out] = process.argv.slice(2);
const seconds = Number(secondsArg);
const frames = Math.round(seconds * RATE);
const t0 = performance.now();
const ctx = new OfflineAudioContext(2, frames, RATE);
const db = (x: number) => Math.pow(10, x / 20);
const buses = [0, 1].map(() => {
  const g = ctx.createGain();
  g.connect(ctx.destination);
  return g;
});
for (let i = 0; i < TRACKS; i++) {
  const wav = decodeWav(readFileSync(join(dir, `s${i}.wav`)));
  const buffer = ctx.createBuffer(1, frames, RATE);
  buffer.copyToChannel(wav.channels[0].subarray(0, frames) as Float32Array<ArrayBuffer>, 0);
  const player = ctx.createBufferSource();
  player.buffer = buffer;
  const fader = ctx.createGain();
  fader.gain.value = db(TRACK_GAIN_DB);
  const pan = ctx.createStereoPanner();
  pan.pan.value = panFor(i);
  let last: AudioNode = pan as unknown as AudioNode;
  player.connect(fader).connect(pan);
  for (const band of bandsFor(i)) {
    const f = ctx.createBiquadFilter();
    f.type = band.type as BiquadFilterType;
    f.frequency.value = band.frequency;
    f.Q.value = band.q;
    f.gain.value = band.gain;
    last.connect(f as unknown as AudioNode);
    last = f as unknown as AudioNode;
  }
  const comp = ctx.createDynamicsCompressor();
  comp.threshold.value = COMPRESSOR.threshold;
  comp.ratio.value = COMPRESSOR.ratio;
  comp.knee.value = COMPRESSOR.knee;
  comp.attack.value = COMPRESSOR.attack / 1000;
  comp.release.value = COMPRESSOR.release / 1000;
  const makeup = ctx.createGain();
  makeup.gain.value = db(COMPRESSOR.makeup);
  last.connect(comp as unknown as AudioNode);
  comp.connect(makeup).connect(buses[busOf(i)]);
  player.start(0);
}
const t1 = performance.now();
const rendered = (await ctx.startRendering()) as unknown as AudioBuffer;
const t2 = performance.now();
writeFileSync(out, encodeWav([rendered.getChannelData(0).slice(), rendered.getChannelData(1).slice()], RATE, '24'));
const t3 = performance.now();
process.stdout.write(JSON.stringify({ setupS: (t1 - t0) / 1000, renderS: (t2 - t1) / 1000, writeS: (t3 - t2) / 1000 }) + '\n');
process.exit(0);
