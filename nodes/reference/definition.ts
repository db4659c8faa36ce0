import { dbToGain, defineNode, num, rampParam } from '../define.ts';
import { bufferPlayer } from '../shared.ts';
import { referenceProcessor } from './processor.ts';

// A reference track for A/B comparison. It has no ports: it is not part of the mix. It plays in
// time with the session (same transport position) straight to the speakers, silent unless the
// editor's A/B switch selects it, and then at a trim that matches its loudness to the mix's. So it
// can never reach an export: renders and bounces never select it.
export const reference = defineNode({
  type: 'reference',
  version: 1,
  category: 'source',
  title: 'Reference',
  description:
    'A finished record to compare your master with. It is not connected to anything and never reaches the export: ' +
    'the A/B switch plays either your mix or this reference, at matched loudness, so you hear the sound and not the level.',
  ports: { inputs: [], outputs: [] },
  params: {
    source: { kind: 'string', format: 'file', default: '', maxLength: 1024, label: 'File', description: 'Audio file, relative to the session file.' },
    gain: { kind: 'number', unit: 'dB', min: -24, max: 24, default: 0, label: 'Trim', description: 'Added to the automatic loudness match.' },
  },
  bypassable: false,
  processor: referenceProcessor,
  speakers: 'monitor',
  create(ctx, params, env) {
    const out = ctx.createGain();
    out.gain.value = 0;
    out.connect(ctx.destination);
    let current = params;
    let listening = false;
    let trim = 0;
    const player = bufferPlayer(ctx, out);
    const stop = player.stop;
    const level = () => (listening ? dbToGain(trim + num(current, 'gain')) : 0);
    return {
      inputs: {},
      outputs: {},
      setParam(name, _value, p) {
        current = p;
        if (name === 'source') stop();
        else rampParam(out.gain, level(), ctx, env.smoothing);
      },
      start(when, from) {
        const buffer = env.getBuffer(current.source as string);
        if (buffer) player.play(buffer, when, from);
        else stop();
      },
      stop,
      monitor(source, trimDb) {
        listening = source === 'reference';
        trim = trimDb;
        rampParam(out.gain, level(), ctx, env.smoothing);
      },
      dispose() {
        stop();
        out.disconnect();
      },
    };
  },
});
