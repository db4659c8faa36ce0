// Album mastering: every track through the same chain, with ONE gain for the whole album found so
// that the album's integrated loudness (all tracks measured as one programme) lands on the target.
// Each track keeps its level relative to the others, as the engineer balanced them (plus any
// per-track offset), instead of each being pushed to the target on its own; only the limiter's
// action on the loudest passages changes the relations, and the report shows by how much.
//
// Memory: tracks are taken one after another. A track's audio is opened (a WAV file streams into
// the chain), its chain rendered up to the final limiter, and only that render is kept: every gain
// try runs the limiter over each track's render in turn and measures it as it goes, and the final
// pass hands each track's mastered audio to `write` in blocks. So the album holds one render before
// the limiter per track (32-bit float, 23 MB per stereo minute at 48 kHz), never the tracks' inputs
// or their mastered audio.
import { ProgrammeAnalysis, type LoudnessReport } from '../dsp/loudness.ts';
import type { ChainDoc } from '../model/document.ts';
import { gainStage, MasteringError, searchGain, SILENT, type ChainInput, type GainStage } from './master.ts';

export interface AlbumTrackInput {
  title: string;
  /** Opens the track's audio when its turn comes; `done` is called once the chain has read it. */
  open(): Promise<{ input: ChainInput; done(): Promise<void> }>;
  /** dB before the chain: the engineer's offset for this track. */
  gain: number;
}

export interface AlbumTrackResult {
  title: string;
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
  sampleRate: number;
}

export interface AlbumSettings {
  target: number;
  ceiling: number | null;
  onTrack?: (index: number, title: string) => void;
  onTry?: (gainDb: number, loudness: number) => void;
  /** Track `index`'s mastered audio (`length` frames in all), block after block, one track after another. */
  write(index: number, channels: readonly Float32Array[], frames: number, length: number): Promise<void> | void;
}

/** An input `db` louder: in memory a scaled copy, streamed a source that scales what it reads. */
function scaled(input: ChainInput, db: number): ChainInput {
  if (db === 0) return input;
  const g = Math.pow(10, db / 20);
  if ('channels' in input) return { sampleRate: input.sampleRate, channels: input.channels.map((c) => c.map((v) => v * g)) };
  const inner = input.source;
  return {
    sampleRate: input.sampleRate,
    source: {
      sampleRate: inner.sampleRate,
      channels: inner.channels,
      frames: inner.frames,
      read(start, count, out) {
        inner.read(start, count, out);
        for (let c = 0; c < inner.channels && c < out.length; c++) {
          const o = out[c];
          for (let i = 0; i < count; i++) o[i] *= g;
        }
      },
    },
  };
}

export async function masterAlbum(chain: ChainDoc, inputs: readonly AlbumTrackInput[], s: AlbumSettings): Promise<AlbumResult> {
  if (inputs.length === 0) throw new MasteringError('an album needs at least one track');
  const stages: GainStage[] = [];
  let sampleRate = 0;
  let channels = 0;
  for (const [i, t] of inputs.entries()) {
    const { input, done } = await t.open();
    try {
      s.onTrack?.(i, t.title);
      sampleRate ||= input.sampleRate;
      stages.push(await gainStage(chain, scaled(input, t.gain), s.ceiling));
    } finally {
      await done();
    }
  }
  // The album as one programme at gain g: each track's limited audio is measured and dropped, so a
  // try holds one track at a time (the parts before the limiter stay, rendered once).
  const albumAt = async (g: number): Promise<LoudnessReport> => {
    let programme: ProgrammeAnalysis | null = null;
    for (const st of stages) {
      await st.stream(g, (blocks, n) => {
        channels ||= blocks.length;
        (programme ??= new ProgrammeAnalysis(sampleRate, blocks.length)).add(blocks.map((b) => b.subarray(0, n)));
      });
    }
    return programme!.report();
  };
  const preAlbum = (await albumAt(0)).integrated;
  if (!Number.isFinite(preAlbum)) throw new MasteringError(`the album is silent out of the chain: ${SILENT}`);
  const range: [number, number] = [Math.max(...stages.map((st) => st.range[0])), Math.min(...stages.map((st) => st.range[1]))];
  const result = await searchGain(s.target, s.target - preAlbum, async (g) => ({ audio: null, report: await albumAt(g) }), s.onTry, range);
  // The final pass: each track mastered at the album gain, measured as it goes to `write`.
  const tracks: AlbumTrackResult[] = [];
  for (const [i, t] of inputs.entries()) {
    const analysis = new ProgrammeAnalysis(sampleRate, channels);
    await stages[i].stream(result.gainDb, async (blocks, n) => {
      analysis.add(blocks.map((b) => b.subarray(0, n)));
      await s.write(i, blocks, n, stages[i].frames);
    });
    tracks.push({ title: t.title, report: analysis.report(), before: stages[i].loudness });
  }
  return { tracks, album: result.report, gainDb: result.gainDb, tries: result.tries, addedLimiter: stages.some((st) => st.addedLimiter), sampleRate };
}
