// Album mastering: every track through the same chain, with ONE gain for the whole album found so
// that the album's integrated loudness (all tracks measured as one programme) lands on the target.
// Each track keeps its level relative to the others, as the engineer balanced them (plus any
// per-track offset), instead of each being pushed to the target on its own; only the limiter's
// action on the loudest passages changes the relations, and the report shows by how much.
import { analyze, type LoudnessReport } from '../dsp/loudness.ts';
import type { ChainDoc } from '../model/document.ts';
import { gainStage, MasteringError, searchGain, SILENT, type Audio, type GainStage } from './master.ts';

export interface AlbumTrackInput {
  title: string;
  audio: Audio;
  /** dB before the chain: the engineer's offset for this track. */
  gain: number;
}

export interface AlbumTrackResult {
  title: string;
  audio: Audio;
  report: LoudnessReport;
  /** The track's integrated loudness out of the chain before the album gain and limiter, LUFS. */
  before: number;
}

export interface AlbumResult {
  tracks: AlbumTrackResult[];
  album: LoudnessReport;
  gainDb: number;
  tries: number;
  addedLimiter: boolean;
}

export interface AlbumSettings {
  target: number;
  ceiling: number | null;
  onTrack?: (index: number, title: string) => void;
  onTry?: (gainDb: number, loudness: number) => void;
}

function concat(list: Audio[]): Audio {
  const channels = list[0].channels.map((_, c) => {
    const total = list.reduce((n, a) => n + a.channels[c].length, 0);
    const out = new Float32Array(total);
    let at = 0;
    for (const a of list) out.set(a.channels[c], at), (at += a.channels[c].length);
    return out;
  });
  return { channels, sampleRate: list[0].sampleRate };
}

const scaled = (a: Audio, db: number): Audio => {
  if (db === 0) return a;
  const g = Math.pow(10, db / 20);
  return { sampleRate: a.sampleRate, channels: a.channels.map((c) => c.map((v) => v * g)) };
};

export async function masterAlbum(chain: ChainDoc, inputs: readonly AlbumTrackInput[], s: AlbumSettings): Promise<AlbumResult> {
  if (inputs.length === 0) throw new MasteringError('an album needs at least one track');
  const stages: GainStage[] = [];
  for (const [i, t] of inputs.entries()) {
    s.onTrack?.(i, t.title);
    stages.push(await gainStage(chain, scaled(t.audio, t.gain), s.ceiling));
  }
  // The album's loudness before the limiter: the energy-weighted whole, as one programme.
  const preAlbum = analyze(concat(await Promise.all(stages.map((st) => st.at(0)))).channels, inputs[0].audio.sampleRate).integrated;
  if (!Number.isFinite(preAlbum)) throw new MasteringError(`the album is silent out of the chain: ${SILENT}`);
  // The closest try's tracks (the search returns its best try, not always its last); only one set
  // is kept, since an album's worth of audio per try would be a lot of memory.
  let best: { gain: number; error: number; tracks: Audio[] } | null = null;
  const range: [number, number] = [Math.max(...stages.map((st) => st.range[0])), Math.min(...stages.map((st) => st.range[1]))];
  const result = await searchGain(
    s.target,
    s.target - preAlbum,
    async (g) => {
      const tracks: Audio[] = [];
      for (const st of stages) tracks.push(await st.at(g));
      const whole = concat(tracks);
      const report = analyze(whole.channels, whole.sampleRate);
      const error = Math.abs(report.integrated - s.target);
      if (!best || error < best.error) best = { gain: g, error, tracks };
      return { audio: whole, report };
    },
    s.onTry,
    range,
  );
  const finalTracks = best!.gain === result.gainDb ? best!.tracks : await Promise.all(stages.map((st) => st.at(result.gainDb)));
  const tracks = inputs.map((t, i) => ({
    title: t.title,
    audio: finalTracks[i],
    report: analyze(finalTracks[i].channels, finalTracks[i].sampleRate),
    before: stages[i].loudness,
  }));
  return { tracks, album: result.report, gainDb: result.gainDb, tries: result.tries, addedLimiter: stages.some((st) => st.addedLimiter) };
}
