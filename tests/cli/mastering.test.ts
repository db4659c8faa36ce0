// mixgraph analyze, master and album, run as the real binary on real files. Every figure is
// measured again here from the written file with the loudness core, independently of the report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { analyze } from '../../src/dsp/loudness.ts';
import { truePeakOf } from '../../src/dsp/truepeak.ts';
import { parseCue } from '../../src/io/cue.ts';
import { encodeWav, readWavMetadata } from '../../src/io/wav.ts';
import { readWav, run, scratch, songChannels, TEST_TIMEOUT, write } from './helpers.ts';

const dir = scratch();
const SR = 48000;

const chainJson = (nodes: unknown[], edges: [string, string][]) =>
  JSON.stringify({ format: 'mixgraph', version: 1, kind: 'chain', name: 'test chain', nodes, edges: edges.map(([from, to]) => ({ from, to })) });

// input -> high-pass EQ -> limiter -> loudness meter (target -14) -> output
const STREAMING = chainJson(
  [
    { id: 'eq', type: 'eq', params: { bands: [{ type: 'highpass', frequency: 30, q: 0.707 }] } },
    { id: 'lim', type: 'limiter', params: { ceiling: -1, release: 80, lookahead: 5 } },
    { id: 'meter', type: 'loudness', params: { target: -14 } },
  ],
  [
    ['input', 'eq'],
    ['eq', 'lim'],
    ['lim', 'meter'],
    ['meter', 'output'],
  ],
);

const loudnessOf = (path: string) => {
  const wav = readWav(path);
  return { ...analyze(wav.channels, wav.sampleRate), wav };
};

describe('mixgraph analyze', () => {
  it('EBU reference: a 1 kHz stereo sine at -23 dBFS is -23 LUFS; --json has every figure and the verdicts', async () => {
    const n = 10 * SR;
    const tone = new Float32Array(n).map((_, i) => Math.pow(10, -23 / 20) * Math.sin((2 * Math.PI * 1000 * i) / SR));
    write(dir, 'ref.wav', encodeWav([tone, tone], SR, '32f'));
    const r = await run(['analyze', 'ref.wav', '--json'], dir);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Math.abs(j.integrated - -23)).toBeLessThanOrEqual(0.1); // EBU Tech 3341 case 1
    expect(Math.abs(j.shortTermMax - -23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(j.momentaryMax - -23)).toBeLessThanOrEqual(0.1);
    expect(j.lra).toBeLessThanOrEqual(0.1); // a steady tone has no range
    expect(Math.abs(j.samplePeak - -23)).toBeLessThanOrEqual(0.01);
    expect(j.truePeak).toBeGreaterThanOrEqual(-23.01);
    expect(j.truePeak).toBeLessThanOrEqual(-22.9);
    expect(j.compliance['ebu-r128'].pass).toBe(true);
    expect(j.compliance.spotify.pass).toBe(false);
    expect(Object.keys(j.compliance)).toEqual(['spotify', 'apple', 'youtube', 'ebu-r128', 'atsc-a85']);

    const text = await run(['analyze', 'ref.wav'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/integrated\s+-23\.0 LUFS/);
    expect(text.stdout).toMatch(/EBU R128 broadcast\s+pass/);
  }, TEST_TIMEOUT);

  it('a missing file and a file that is not audio: exit 1, one clear line', async () => {
    const missing = await run(['analyze', 'nope.wav'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('mixgraph: cannot read audio file "nope.wav": no such file or directory\n');
    write(dir, 'text.wav', 'this is not audio');
    const bad = await run(['analyze', 'text.wav'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^mixgraph: cannot decode audio file "text\.wav": it looks like text, not audio; Mixgraph reads WAV, FLAC, MP3 and OGG\n$/);
  }, TEST_TIMEOUT);
});

describe('mixgraph master', () => {
  it('brings a quiet mix to -14 LUFS within 0.5 LU under a -1 dBTP ceiling, with tags read back', async () => {
    write(dir, 'streaming.json', STREAMING);
    write(dir, 'song.wav', encodeWav(songChannels(6, SR, -12, 7), SR, '24'));
    const r = await run(['master', 'streaming.json', 'song.wav', '-o', 'out/song-master.wav', '--title', 'Jóga', '--artist', 'Björk', '--album', 'Homogenic', '--isrc', 'GB-AYE-97-00001'], dir);
    expect(r.stderr).toMatch(/auto-gain: /);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/target {7}-14 LUFS \(the chain's loudness node\)/);
    const m = loudnessOf(join(dir, 'out/song-master.wav'));
    expect(Math.abs(m.integrated - -14)).toBeLessThanOrEqual(0.5);
    // The 24-bit file's true peak, measured again: the limiter's promise is ceiling + 0.1 dB
    expect(20 * Math.log10(truePeakOf(m.wav.channels, SR))).toBeLessThanOrEqual(-0.9);
    expect(m.wav.format).toBe('24');
    expect(m.wav.channels[0].length).toBe(6 * SR); // latency compensated: same length, nothing lost
    expect(readWavMetadata(readFileSync(join(dir, 'out/song-master.wav')))).toMatchObject({ title: 'Jóga', artist: 'Björk', album: 'Homogenic', isrc: 'GBAYE9700001' });
  }, TEST_TIMEOUT);

  it('--target and --ceiling override the chain; 16-bit at 44.1 kHz; the report as JSON', async () => {
    write(dir, 'song44.wav', encodeWav(songChannels(5, 44100, -3, 3), 44100, '24'));
    const r = await run(['master', 'streaming.json', 'song44.wav', '-o', 'loud.wav', '--target', '-10', '--ceiling', '-2', '--bit-depth', '16', '--json'], dir);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.target).toBe(-10);
    const m = loudnessOf(join(dir, 'loud.wav'));
    expect(m.wav.sampleRate).toBe(44100);
    expect(m.wav.format).toBe('16');
    expect(Math.abs(m.integrated - -10)).toBeLessThanOrEqual(0.5);
    expect(20 * Math.log10(truePeakOf(m.wav.channels, 44100))).toBeLessThanOrEqual(-1.9);
    expect(Math.abs(j.integrated - m.integrated)).toBeLessThanOrEqual(0.05); // the report is the file
  }, TEST_TIMEOUT);

  it('a chain without a limiter gets one when a target is set', async () => {
    write(dir, 'eq-only.json', chainJson([{ id: 'g', type: 'gain', params: { gain: 0 } }], [['input', 'g'], ['g', 'output']]));
    const r = await run(['master', 'eq-only.json', 'song.wav', '-o', 'added.wav', '--target', '-16'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/a true-peak limiter at -1 dBTP was added/);
    const m = loudnessOf(join(dir, 'added.wav'));
    expect(Math.abs(m.integrated - -16)).toBeLessThanOrEqual(0.5);
  }, TEST_TIMEOUT);

  it('bad input: a bad ISRC, a session given as chain, an unreadable input: exit 1, no file written', async () => {
    const isrc = await run(['master', 'streaming.json', 'song.wav', '-o', 'x1.wav', '--isrc', 'US-RC1-76-0783'], dir);
    expect(isrc.code).toBe(1);
    expect(isrc.stderr).toMatch(/^mixgraph: --isrc: .*CC-XXX-YY-NNNNN/);
    write(dir, 'session.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'session', nodes: [{ id: 'm', type: 'master' }], edges: [] }));
    const notChain = await run(['master', 'session.json', 'song.wav', '-o', 'x2.wav'], dir);
    expect(notChain.code).toBe(1);
    expect(notChain.stderr).toBe('session.json: kind: expected "chain", got "session": this file is a session, not a chain\n');
    const noInput = await run(['master', 'streaming.json', 'missing.wav', '-o', 'x3.wav'], dir);
    expect(noInput.code).toBe(1);
    expect(noInput.stderr).toBe('mixgraph: cannot read input "missing.wav": no such file or directory\n');
    const over = await run(['master', 'streaming.json', 'song.wav', '-o', 'song.wav'], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/refusing to write the output "song\.wav" over the input file "song\.wav"/);
    const unreachable = await run(['master', 'streaming.json', 'song.wav', '-o', 'x4.wav', '--target', '-40'], dir);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/--target must be a number from -36 to -5 LUFS/);
    expect(readdirSync(dir).filter((f) => /^x\d|tmp/.test(f))).toEqual([]);
  }, TEST_TIMEOUT);
});

describe('mixgraph album', () => {
  it('one album gain: the 6 dB between two songs stays, the album lands on the target, CUE and report written', async () => {
    // The second song is mixed 6 dB quieter (a ballad): album normalisation keeps that.
    write(dir, 'album/one.wav', encodeWav(songChannels(5, SR, -8, 1), SR, '24'));
    write(dir, 'album/two.wav', encodeWav(songChannels(5, SR, -14, 2), SR, '24'));
    write(dir, 'album/chain.json', STREAMING);
    write(
      dir,
      'album/album.json',
      JSON.stringify({
        format: 'mixgraph',
        version: 1,
        kind: 'album',
        name: 'Night Drive',
        artist: 'The Examples',
        chain: 'chain.json',
        target: -16,
        tracks: [
          { title: 'Opening', source: 'one.wav', isrc: 'GB-AYE-24-00001' },
          { title: 'Ballad', source: 'two.wav', isrc: 'GB-AYE-24-00002' },
        ],
      }),
    );
    const r = await run(['album', 'album/album.json', '-o', 'delivery'], dir);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'delivery')).sort()).toEqual(['01 Opening.wav', '02 Ballad.wav', 'Night Drive.cue', 'report.json', 'report.txt']);
    const one = loudnessOf(join(dir, 'delivery/01 Opening.wav'));
    const two = loudnessOf(join(dir, 'delivery/02 Ballad.wav'));
    // 6 dB apart before; the limiter works a little harder on the louder song, so allow 1 LU
    expect(Math.abs(one.integrated - two.integrated - 6)).toBeLessThanOrEqual(1);
    const whole = analyze([0, 1].map((c) => Float32Array.from([...one.wav.channels[c], ...two.wav.channels[c]])), SR);
    expect(Math.abs(whole.integrated - -16)).toBeLessThanOrEqual(0.5);
    const report = JSON.parse(readFileSync(join(dir, 'delivery/report.json'), 'utf8'));
    expect(report.tracks.map((t: { title: string; isrc: string }) => [t.title, t.isrc])).toEqual([
      ['Opening', 'GBAYE2400001'],
      ['Ballad', 'GBAYE2400002'],
    ]);
    const cue = parseCue(readFileSync(join(dir, 'delivery/Night Drive.cue'), 'utf8'));
    expect(cue.title).toBe('Night Drive');
    expect(cue.performer).toBe('The Examples');
    expect(cue.files.map((f) => [f.file, f.title, f.isrc])).toEqual([
      ['01 Opening.wav', 'Opening', 'GBAYE2400001'],
      ['02 Ballad.wav', 'Ballad', 'GBAYE2400002'],
    ]);
    expect(readWavMetadata(readFileSync(join(dir, 'delivery/02 Ballad.wav')))).toMatchObject({ title: 'Ballad', artist: 'The Examples', album: 'Night Drive', isrc: 'GBAYE2400002', track: '2/2' });
  }, TEST_TIMEOUT);

  it('a track whose source is a session: its mix is rendered, then mastered', async () => {
    write(dir, 'album/short.wav', encodeWav(songChannels(2, SR, -8, 4), SR, '24'));
    write(
      dir,
      'album/mix.json',
      JSON.stringify({ format: 'mixgraph', version: 1, kind: 'session', nodes: [{ id: 't', type: 'track', params: { source: 'short.wav', gain: -6 } }, { id: 'm', type: 'master' }], edges: [{ from: 't', to: 'm' }] }),
    );
    write(dir, 'album/from-session.json', JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'S', artist: 'A', chain: 'chain.json', target: -18, tracks: [{ title: 'Mix', source: 'mix.json' }] }));
    const r = await run(['album', 'album/from-session.json', '-o', 'from-session'], dir);
    expect(r.code, r.stderr).toBe(0);
    const m = loudnessOf(join(dir, 'from-session/01 Mix.wav'));
    expect(m.wav.channels[0].length).toBe(2 * SR); // the session's length: its one track
    expect(Math.abs(m.integrated - -18)).toBeLessThanOrEqual(0.5);
  }, TEST_TIMEOUT);

  it('a bad ISRC or a missing source: exit 1 and nothing written', async () => {
    const album = (tracks: unknown[]) => JSON.stringify({ format: 'mixgraph', version: 1, kind: 'album', name: 'A', artist: 'B', chain: 'chain.json', target: -14, tracks });
    write(dir, 'album/bad-isrc.json', album([{ title: 'One', source: 'one.wav', isrc: 'XX-1' }]));
    const bad = await run(['album', 'album/bad-isrc.json', '-o', 'nothing'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^album\/bad-isrc\.json: tracks\[0\]\.isrc: .*CC-XXX-YY-NNNNN/);
    write(dir, 'album/missing.json', album([{ title: 'One', source: 'one.wav' }, { title: 'Gone', source: 'gone.wav' }]));
    const missing = await run(['album', 'album/missing.json', '-o', 'nothing'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/tracks\[1\]\.source/);
    expect(existsSync(join(dir, 'nothing'))).toBe(false);
  }, TEST_TIMEOUT);
});
