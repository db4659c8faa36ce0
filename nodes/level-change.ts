// Small builders for the definitions' `levelChange` (the gain ladder): the words a student reads
// beside each figure, in one place so every node says them alike. Plain data, no React.
import { panPeakChange } from '../src/dsp/pan.ts';
import type { LevelChange } from './define.ts';
import { fader, panPosition } from './summary.ts';

/** A fader or gain in dB: exact for any signal. */
export function gainChange(db: number, what = 'gain'): LevelChange {
  return { db, kind: 'exact', note: `${what} ${fader(db)}` };
}

/** A pan position: the pan law's change of the louder side (mono in: equal power; stereo in: balance). */
export function panChange(pan: number, channels: 1 | 2): LevelChange {
  const { db, exact } = panPeakChange(pan, channels);
  const where = panPosition(pan);
  const note =
    channels === 1
      ? `pan ${where}: equal-power law, ${fader(db)} on the louder side (mono in, stereo out)`
      : exact
        ? `pan ${where}: a stereo signal at centre is left as it is`
        : `pan ${where}: balance; the far side is moved into the near one, so its peak depends on the signal`;
  return { db, kind: exact ? 'exact' : 'static', note, channels: 2 };
}

/** Two changes one after the other (a track's fader, then its pan). */
export function chain(a: LevelChange, b: LevelChange): LevelChange {
  const db = a.db === null || b.db === null ? null : a.db + b.db;
  const kind = a.kind === 'signal' || b.kind === 'signal' ? 'signal' : a.kind === 'static' || b.kind === 'static' ? 'static' : 'exact';
  const out: LevelChange = { db, kind, note: `${a.note}; ${b.note}` };
  const channels = b.channels ?? a.channels;
  if (channels) out.channels = channels;
  return out;
}

/** Passes the sound through untouched (a meter). */
export const unchanged = (note = 'passes the sound unchanged'): LevelChange => ({ db: 0, kind: 'exact', note });

/** Only the signal can say. */
export const signalDependent = (note: string): LevelChange => ({ db: null, kind: 'signal', note });
