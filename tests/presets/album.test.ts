// Album documents: fields, ISRC checks, inline or file chains, and the messages for bad input.
import { describe, expect, it } from 'vitest';
import { loadAlbumValue } from '../../src/presets/album.ts';

const chain = { kind: 'chain', nodes: [{ id: 'lim', type: 'limiter' }], edges: [{ from: 'input', to: 'lim' }, { from: 'lim', to: 'output' }] };
const album = (extra: Record<string, unknown> = {}) => ({
  format: 'mixgraph',
  version: 1,
  kind: 'album',
  name: 'Night Drive',
  artist: 'The Examples',
  chain: 'chains/streaming.json',
  target: -14,
  tracks: [
    { title: 'One', source: 'one.wav', isrc: 'gb-aye-24-00001' },
    { title: 'Two', source: 'two.json', gain: -2 },
  ],
  ...extra,
});
const problems = (value: unknown) => {
  const r = loadAlbumValue(value);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('album documents', () => {
  it('loads a chain path, normalises ISRCs to 12 characters and defaults the track gain to 0', () => {
    const r = loadAlbumValue(album());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.chain).toBe('chains/streaming.json');
    expect(r.doc.tracks[0]).toEqual({ title: 'One', source: 'one.wav', isrc: 'GBAYE2400001', gain: 0 });
    expect(r.doc.tracks[1].gain).toBe(-2);
  });

  it('takes an inline chain without format and version, checked like a chain file', () => {
    const r = loadAlbumValue(album({ chain }));
    expect(r.ok && typeof r.doc.chain === 'object' && r.doc.chain.nodes[0].params.ceiling).toBe(-1);
    expect(problems(album({ chain: { ...chain, nodes: [{ id: 'lim', type: 'master' }] } }))[0]).toMatch(/^chain\.nodes\[0\]\.type: a chain cannot hold a master node/);
  });

  it('refuses a bad ISRC with the expected form, and the same ISRC twice', () => {
    const bad = problems(album({ tracks: [{ title: 'One', source: 'a.wav', isrc: 'US-RC1-76-0783' }] }));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^tracks\[0\]\.isrc: .*CC-XXX-YY-NNNNN/);
    const twice = problems(album({ tracks: [{ title: 'One', source: 'a.wav', isrc: 'GBAYE2400001' }, { title: 'Two', source: 'b.wav', isrc: 'GB-AYE-24-00001' }] }));
    expect(twice).toEqual(['tracks[1].isrc: the same ISRC as tracks[0]; every recording has its own code']);
  });

  it('names every missing or wrong field', () => {
    expect(problems({ format: 'mixgraph', version: 1, kind: 'album' })).toEqual([
      'name: must be a non-empty string of at most 200 characters',
      'artist: must be a non-empty string of at most 200 characters',
      'chain: is required: the path of a chain file (e.g. "../chains/streaming.json") or a chain object',
      'target: must be a number from -36 to -5 LUFS, got undefined',
      'tracks: must be a list of at least one track: { "title": ..., "source": ... }',
    ]);
    expect(problems(album({ target: -50, ceiling: 3, extra: 1 }))).toEqual([
      'target: must be a number from -36 to -5 LUFS, got -50',
      'ceiling: must be a number from -12 to 0 dBTP, got 3',
      'extra: unknown field; known: $schema, format, version, kind, types, name, artist, chain, target, ceiling, tracks',
    ]);
    expect(problems(album({ tracks: [{ title: '', source: 'a.wav', gain: 30 }] }))).toEqual([
      'tracks[0].title: must be a non-empty string of at most 200 characters',
      'tracks[0].gain: must be a number from -24 to 24 dB, got 30',
    ]);
    expect(problems(album({ tracks: Array.from({ length: 100 }, (_, i) => ({ title: `T${i}`, source: 'a.wav' })) }))[0]).toMatch(/at most 99/);
    expect(problems({ ...album(), kind: 'chain' })[0]).toBe('kind: expected "album", got "chain": this file is a chain, not an album');
  });
});
