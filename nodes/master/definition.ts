import { GUARD_PROCESSOR } from '../../src/worklets/names.ts';
import { dbToGain, defineNode, num, rampParam } from '../define.ts';
import { workletNode } from '../shared.ts';
import { masterProcessor } from './processor.ts';

export const master = defineNode({
  type: 'master',
  version: 1,
  category: 'output',
  title: 'Master',
  description:
    'The speakers: whatever reaches the master is what you hear and what gets rendered. Exactly one per session. ' +
    'It guards your ears: a broken signal (NaN or infinity) is turned into silence before it can reach them.',
  ports: { inputs: [{ id: 'in', label: 'In' }], outputs: [] },
  params: {
    gain: { kind: 'number', unit: 'dB', min: -60, max: 12, default: 0, label: 'Gain' },
  },
  strip: { kind: 'master', fader: 'gain' },
  bypassable: false,
  worklets: [GUARD_PROCESSOR],
  processor: masterProcessor,
  speakers: 'mix',
  readings: ['replaced'],
  create(ctx, params, env) {
    const fader = ctx.createGain();
    fader.gain.value = dbToGain(num(params, 'gain'));
    const guard = workletNode(ctx, env, GUARD_PROCESSOR);
    fader.connect(guard.node).connect(ctx.destination);
    let current = params;
    let silenced = false;
    return {
      inputs: { in: { node: fader } },
      outputs: {},
      setParam(_name, _value, p) {
        current = p;
        if (!silenced) rampParam(fader.gain, dbToGain(num(p, 'gain')), ctx, env.smoothing);
      },
      // A/B: while the reference plays, the mix is faded out (and back in), never disconnected.
      monitor(source) {
        silenced = source === 'reference';
        rampParam(fader.gain, silenced ? 0 : dbToGain(num(current, 'gain')), ctx, env.smoothing);
      },
      dispose() {
        fader.disconnect();
        guard.dispose();
      },
    };
  },
});
