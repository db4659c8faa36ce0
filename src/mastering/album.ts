// Album mastering: every track through the same chain, with ONE gain for the whole album found so
// that the album's integrated loudness (all tracks measured as one programme) lands on the target.
// Each track keeps its level relative to the others, as the engineer balanced them (plus any
// per-track offset), instead of each being pushed to the target on its own; only the limiter's
// action on the loudest passages changes the relations, and the report shows by how much.
import { analyze, ProgrammeAnalysis, type LoudnessReport } from '../dsp/loudness.ts';
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
  // The album as one programme at gain g: each track's limited audio is measured and dropped, so a
  // try holds one track at a time (the parts before the limiter stay, rendered once).
  const albumAt = async (g: number): Promise<LoudnessReport> => {
    let programme: ProgrammeAnalysis | null = null;
    for (const st of stages) {
      const audio = await st.at(g);
      (programme ??= new ProgrammeAnalysis(audio.sampleRate, audio.channels.length)).add(audio.channels);
    }
    return programme!.report();
  };
  const preAlbum = (await albumAt(0)).integrated;
  if (!Number.isFinite(preAlbum)) throw new MasteringError(`the album is silent out of the chain: ${SILENT}`);
  const range: [number, number] = [Math.max(...stages.map((st) => st.range[0])), Math.min(...stages.map((st) => st.range[1]))];
  const result = await searchGain(s.target, s.target - preAlbum, async (g) => ({ audio: null, report: await albumAt(g) }), s.onTry, range);
  const tracks: AlbumTrackResult[] = [];
  for (const [i, t] of inputs.entries()) {
    const audio = await stages[i].at(result.gainDb);
    tracks.push({ title: t.title, audio, report: analyze(audio.channels, audio.sampleRate), before: stages[i].loudness });
  }
  return { tracks, album: result.report, gainDb: result.gainDb, tries: result.tries, addedLimiter: stages.some((st) => st.addedLimiter) };
}
