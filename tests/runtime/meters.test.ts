// Meters: after every block the runtime has the peak and RMS of every output port (per channel,
// linear, METER_STRIDE floats per port in one Float32Array a host can post as it is), and the
// master's momentary K-weighted loudness.
import { describe, expect, it } from 'vitest';
import { LoudnessMeter } from '../../src/dsp/loudness.ts';
import { METER_STRIDE, Runtime } from '../../src/runtime/runtime.ts';
import { chain, edge, expectWithin, node, planOf, renderWith, session } from '../helpers/audio.ts';

const SR = 48000;
const db = (x: number) => 20 * Math.log10(x);

describe('meters', () => {
  it('a -6 dBFS sine reads -6.02 dB peak and -9.03 dB RMS at the node output, both channels of a stereo port', () => {
    // 375 Hz at 48 kHz: exactly 128 samples a period, so a block holds one whole period and a sample
    // lands on the crest; 0.5 peak (-6.02 dBFS), RMS 0.5/√2 (-9.03 dBFS)
    const doc = session([node('g', 'generator', { frequency: 375, level: 20 * Math.log10(0.5) }), node('x', 'gain', { gain: 0 }), node('p', 'pan', { pan: 0 }), node('m', 'master')], chain(['g', 'x', 'p', 'm']));
    const { runtime } = renderWith(doc, { seconds: 0.1 });
    const meters = runtime.meters;
    const at = runtime.meterIndex('x');
    expectWithin(db(meters[at]), -6.0206, 0.001, 'gain output peak, left (dB)');
    expectWithin(db(meters[at + 2]), -9.0309, 0.001, 'gain output RMS, left (dB)');
    // A mono port repeats its one channel
    expect(meters[at + 1]).toBe(meters[at]);
    expect(meters[at + 3]).toBe(meters[at + 2]);
    // The pan node at centre: -3.01 dB on each side (equal power for a mono input)
    const p = runtime.meterIndex('p', 'out');
    expectWithin(db(meters[p]), -6.0206 - 3.0103, 0.001, 'pan output peak, left (dB)');
    expectWithin(db(meters[p + 1]), -6.0206 - 3.0103, 0.001, 'pan output peak, right (dB)');
    expectWithin(db(meters[p + 3]), -9.0309 - 3.0103, 0.001, 'pan output RMS, right (dB)');
    // The master meters its speakers (post-fader, post-guard)
    const m = runtime.meterIndex('m');
    expect(m).toBe(runtime.meterIndex('m', 'speakers'));
    expectWithin(db(meters[m]), -9.0309, 0.001, 'master peak, left (dB)');
    runtime.dispose();
  });

  it('every output port has its own slot, listed by meterLayout; a send meters both of its outputs', () => {
    const doc = session([node('g', 'generator', { level: -12 }), node('s', 'send', { level: -6 }), node('m', 'master')], [edge('g', 's'), edge('s.out', 'm'), edge('s.send', 'm')]);
    const { runtime } = renderWith(doc, { seconds: 0.05 });
    const layout = runtime.meterLayout();
    expect(layout.map((l) => `${l.id}.${l.port}`).sort()).toEqual(['g.out', 'm.speakers', 's.out', 's.send']);
    expect(new Set(layout.map((l) => l.index)).size).toBe(4);
    for (const l of layout) expect(l.index % METER_STRIDE).toBe(0);
    const out = runtime.meters[runtime.meterIndex('s', 'out')];
    const send = runtime.meters[runtime.meterIndex('s', 'send')];
    // The send port at -6 dB: 10^(-6/20) of the out port's peak
    expectWithin(db(send) - db(out), -6, 1e-4, 'send port vs out port (dB)');
    runtime.dispose();
  });

  it("the master's momentary loudness is the loudness meter's (BS.1770 K-weighting, 400 ms) on the output", () => {
    const doc = session([node('g', 'generator', { waveform: 'pink', level: -10 }), node('m', 'master')], chain(['g', 'm']));
    const { runtime, left, right } = renderWith(doc, { seconds: 1 });
    const meter = new LoudnessMeter(SR, 2);
    meter.process([left, right], left.length);
    expect(runtime.masterLoudness()).toBe(meter.momentary());
    expect(runtime.masterLoudness()).toBeGreaterThan(-30);
    runtime.dispose();
  });

  it('meters can be switched off (offline renders), and then cost nothing', () => {
    const runtime = new Runtime({ sampleRate: SR, meters: false });
    runtime.update(planOf(session([node('g', 'generator'), node('m', 'master')], chain(['g', 'm']))));
    runtime.start();
    runtime.process([new Float32Array(128), new Float32Array(128)]);
    expect(runtime.meterIndex('g')).toBe(-1);
    expect(runtime.masterLoudness()).toBe(-Infinity);
    runtime.dispose();
  });
});
