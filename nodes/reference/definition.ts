import { defineNode, num } from '../define.ts';
import { db, join } from '../summary.ts';
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
  summary: (p) => join(String(p.source).split('/').pop() || 'no file', num(p, 'gain') !== 0 && `trim ${db(num(p, 'gain'))}`),
  speakers: 'monitor',
  learn: {
    why: 'Your ears get used to your own mix in minutes. Comparing it with a finished record you like (at the same loudness) shows at once whether yours is too dull, too boomy or too narrow.',
    typical: 'A record in the same style as yours; leave Trim at 0 dB, since the loudness match is automatic.',
    pitfall: 'Comparing at different levels: the louder one always seems better. That is why the switch matches the loudness for you.',
    listen: { plays: 'keys', hear: 'A reference playing the demo keys is added. Choose Listening: Reference in the Mastering bar to hear it in place of your mix, then switch back.' },
  },
});
