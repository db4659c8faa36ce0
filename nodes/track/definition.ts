import { defineNode, bool, num } from '../define.ts';
import { fader, join, panPosition } from '../summary.ts';
import { chain, gainChange, panChange } from '../level-change.ts';
import { trackProcessor } from './processor.ts';

export const CATEGORIES = ['drums', 'bass', 'guitar', 'keys', 'vocals', 'fx', 'other'] as const;

export const track = defineNode({
  type: 'track',
  version: 1,
  category: 'source',
  title: 'Track',
  description:
    'Plays one recorded audio file (WAV, FLAC, MP3 or OGG). The fader sets its level in dB, pan places it ' +
    'left or right with an equal-power law (a mono track at centre is -3 dB in each speaker), and offset moves it in time.',
  ports: { inputs: [], outputs: [{ id: 'out', label: 'Out' }] },
  params: {
    source: { kind: 'string', format: 'file', default: '', maxLength: 1024, label: 'File', description: 'Audio file, relative to the session file.' },
    gain: { kind: 'number', unit: 'dB', min: -60, max: 12, default: 0, label: 'Gain' },
    pan: { kind: 'number', unit: 'pan', min: -1, max: 1, default: 0, label: 'Pan', description: '-1 is hard left, +1 hard right.' },
    mute: { kind: 'bool', default: false, label: 'Mute' },
    solo: { kind: 'bool', default: false, label: 'Solo', description: 'When any track is soloed, only soloed tracks sound.' },
    invert: { kind: 'bool', default: false, label: 'Invert polarity' },
    offset: { kind: 'number', unit: 'ms', min: -2000, max: 2000, default: 0, label: 'Offset', description: 'Positive starts later; negative skips the start of the file.' },
    category: { kind: 'enum', options: CATEGORIES, default: 'other', label: 'Category', meta: true },
    color: { kind: 'string', format: 'color', default: '', maxLength: 32, label: 'Colour', meta: true },
  },
  strip: { kind: 'track', fader: 'gain', pan: 'pan', mute: 'mute', solo: 'solo', invert: 'invert', category: 'category' },
  bypassable: false,
  length: (p, env) => {
    const buffer = env.getBuffer(p.source as string);
    return buffer ? Math.max(0, buffer.duration + num(p, 'offset') / 1000) : 0;
  },
  processor: trackProcessor,
  sourceLevel: (p, env) => {
    const file = env.file(p.source as string);
    const name = p.source === '' ? 'no file' : String(p.source);
    if (!file) return { peakDb: null, channels: 1, note: `${name}: its peak is known once its audio is decoded (press Play)` };
    return { peakDb: file.peakDb, channels: file.channels > 1 ? 2 : 1, note: `the peak of ${name}` };
  },
  // Its fader, then its pan (a mute silences it).
  levelChange: (p, at) =>
    bool(p, 'mute') ? { db: -Infinity, kind: 'exact', note: 'muted', channels: 2 } : chain(gainChange(num(p, 'gain'), 'fader'), panChange(num(p, 'pan'), at.channels)),
  summary: (p) => join(fader(num(p, 'gain')), panPosition(num(p, 'pan')), bool(p, 'invert') && 'ø', num(p, 'offset') !== 0 && `${num(p, 'offset') > 0 ? '+' : ''}${num(p, 'offset')} ms`),
  learn: {
    why: 'Every recorded part of a song (a voice, a guitar, the drums) comes in as a track: the track is where its signal flow starts.',
    typical: 'Gain around -6 to 0 dB to start with, pan the bass and the lead vocal centre and spread the others; leave offset at 0 unless two tracks are out of time.',
    pitfall: 'Turning every fader up until the master clips. Pull the loud tracks down instead: the mix sounds the same, only with headroom left.',
    params: {
      gain: 'The fader: how loud the track plays, in dB (0 is as recorded, -6 dB is half the amplitude).',
      mute: 'Silences the track without losing its settings.',
      invert: 'Flips the waveform upside down: use it when two microphones on one instrument cancel each other.',
      category: 'What kind of part it is (drums, bass, vocals...): it colours the track and groups it in the Mixer.',
      color: 'The colour the node and its strip are drawn in.',
    },
    listen: { plays: 'vox', hear: 'The demo voice plays straight to the master. Set Gain to -6 dB: half the amplitude, and quieter, though not half as loud (that takes about -10 dB).' },
  },
});
