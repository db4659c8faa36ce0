// Delivery verdicts: the published figures, the tolerance edges and the reasons given.
import { describe, expect, it } from 'vitest';
import { DELIVERY_TARGETS, verdicts } from '../../src/mastering/compliance.ts';

const byId = (m: { integrated: number; truePeak: number }) => Object.fromEntries(verdicts(m).map((v) => [v.target, v]));

describe('delivery targets', () => {
  it('holds the published figures', () => {
    const t = Object.fromEntries(DELIVERY_TARGETS.map((x) => [x.id, [x.integrated, x.tolerance, x.truePeak]]));
    expect(t).toEqual({ spotify: [-14, 1, -1], apple: [-16, 1, -1], youtube: [-14, 1, -1], 'ebu-r128': [-23, 0.5, -1], 'atsc-a85': [-24, 2, -2] });
  });

  it('a -14 LUFS / -1.2 dBTP master passes Spotify and YouTube, fails Apple, EBU and ATSC', () => {
    const v = byId({ integrated: -14, truePeak: -1.2 });
    expect([v.spotify.pass, v.youtube.pass, v.apple.pass, v['ebu-r128'].pass, v['atsc-a85'].pass]).toEqual([true, true, false, false, false]);
    expect(v.apple.reasons).toEqual(['integrated -14.0 LUFS is 2.0 LU above -16 ±1']);
  });

  it('EBU R128 is -23 ±0.5 LU and -1 dBTP; ATSC A/85 -24 ±2 and -2 dBTP', () => {
    expect(byId({ integrated: -22.5, truePeak: -1 })['ebu-r128'].pass).toBe(true);
    expect(byId({ integrated: -22.4, truePeak: -1 })['ebu-r128'].pass).toBe(false);
    expect(byId({ integrated: -23, truePeak: -0.9 })['ebu-r128'].reasons).toEqual(['true peak -0.9 dBTP is above -1 dBTP']);
    expect(byId({ integrated: -26, truePeak: -2 })['atsc-a85'].pass).toBe(true);
    expect(byId({ integrated: -26.1, truePeak: -2 })['atsc-a85'].pass).toBe(false);
    expect(byId({ integrated: -24, truePeak: -1.9 })['atsc-a85'].pass).toBe(false);
  });

  it('silence fails everything with a reason', () => {
    const v = verdicts({ integrated: -Infinity, truePeak: -Infinity });
    expect(v.every((x) => !x.pass && x.reasons[0] === 'no measurable loudness (silence)')).toBe(true);
  });
});
