// Every node type's summary: the line its face shows on the canvas (MixNode), from its params.
import { describe, expect, it } from 'vitest';
import type { Params } from '../nodes/define.ts';
import { definitions, getDefinition } from '../nodes/registry.ts';
import { fillParams } from '../src/model/params.ts';

const summary = (type: string, params: Record<string, unknown> = {}) => {
  const def = getDefinition(type)!;
  return def.summary!(fillParams(def, params as Params));
};

describe('node summaries', () => {
  it('every type with a processor has one, and it is a short single line', () => {
    for (const def of definitions) {
      expect(def.summary, def.type).toBeTypeOf('function');
      const text = def.summary!(fillParams(def, undefined));
      expect(text.length, def.type).toBeGreaterThan(0);
      expect(text.length, `${def.type}: ${text}`).toBeLessThanOrEqual(40);
      expect(text).not.toMatch(/\n|NaN|undefined/);
    }
  });

  it('eq: its bands low to high, filters by frequency, cuts and boosts with their gain; switched-off and 0 dB bands left out', () => {
    expect(summary('eq')).toBe('flat');
    expect(
      summary('eq', {
        bands: [
          { type: 'peaking', frequency: 3000, gain: 2 },
          { type: 'highpass', frequency: 80 },
          { type: 'peaking', frequency: 500, gain: 0 },
          { type: 'peaking', frequency: 250, gain: -3, enabled: false },
        ],
      }),
    ).toBe('HP 80 Hz · +2 dB @ 3 kHz');
    expect(summary('eq', { bands: [{ type: 'highshelf', frequency: 10000, gain: 1.5 }, { type: 'lowshelf', frequency: 120, gain: -2 }, { type: 'notch', frequency: 60 }] })).toBe(
      'notch 60 Hz · LS -2 dB @ 120 Hz · HS +1.5 dB @ 10 kHz',
    );
    expect(summary('eq', { bands: [{ type: 'highshelf', frequency: 10000, gain: 1.5 }, { type: 'lowshelf', frequency: 120, gain: -2 }, { type: 'notch', frequency: 60 }, { type: 'lowpass', frequency: 18000 }] })).toBe(
      'notch 60 Hz · LS -2 dB @ 120 Hz · +2 more',
    );
  });

  it('dynamics: compressor, gate, de-esser, multiband, limiter', () => {
    expect(summary('compressor')).toBe('4:1 @ -18 dB');
    expect(summary('compressor', { ratio: 2.5, threshold: -24.5, makeup: 3 })).toBe('2.5:1 @ -24.5 dB · makeup +3 dB');
    expect(summary('gate', { threshold: -35 })).toBe('open @ -35 dB · range 60 dB');
    expect(summary('deesser', { frequency: 7500, threshold: -28, range: 8 })).toBe('7.5 kHz @ -28 dB · max -8 dB');
    expect(summary('deesser', { listen: 'band' })).toBe('6 kHz @ -30 dB · max -6 dB · listen band');
    expect(summary('multiband', { low: 150, high: 3000, lowRatio: 3, midRatio: 1, highRatio: 2 })).toBe('150 Hz / 3 kHz · 3:1 1:1 2:1');
    expect(summary('limiter', { ceiling: -1 })).toBe('ceiling -1 dBTP');
    expect(summary('limiter', { ceiling: -0.3 })).toBe('ceiling -0.3 dBTP');
  });

  it('levels and routing: gain, bus, master, send, pan, track', () => {
    expect(summary('gain', { gain: 3 })).toBe('+3.0 dB');
    expect(summary('gain', { gain: -6.25 })).toBe('-6.3 dB');
    expect(summary('bus', { gain: -2 })).toBe('-2.0 dB');
    expect(summary('master')).toBe('0.0 dB');
    expect(summary('send', { level: -12 })).toBe('send -12 dB');
    expect(summary('send', { level: 3 })).toBe('send +3 dB');
    expect(summary('pan', { pan: -0.3 })).toBe('L 30');
    expect(summary('pan', { pan: 1 })).toBe('R 100');
    expect(summary('track', { source: 'a.wav', gain: -4.5, pan: 0.25 })).toBe('-4.5 dB · R 25');
    expect(summary('track', { source: 'a.wav', invert: true, offset: 12 })).toBe('0.0 dB · C · ø · +12 ms');
  });

  it('effects and utilities: delay, reverb, saturator, stereo, loudness, generator, reference', () => {
    expect(summary('delay', { time: 250, feedback: 0.3 })).toBe('250 ms · fb 30 %');
    expect(summary('reverb', { decay: 2.1, mix: 1 })).toBe('2.1 s · mix 100 %');
    expect(summary('saturator', { drive: 4, mix: 0.5 })).toBe('drive +4 dB · mix 50 %');
    expect(summary('stereo', { width: 1.2, monoBelow: 120 })).toBe('width 120 % · mono < 120 Hz');
    expect(summary('stereo', { width: 0.8, monoBelow: 0 })).toBe('width 80 %');
    expect(summary('loudness', { target: -16 })).toBe('target -16 LUFS');
    expect(summary('generator', { waveform: 'square', frequency: 440, level: -12 })).toBe('square · 440 Hz · -12 dBFS');
    expect(summary('reference', { source: 'refs/song.wav', gain: -2 })).toBe('song.wav · trim -2 dB');
    expect(summary('reference')).toBe('no file');
  });
});
