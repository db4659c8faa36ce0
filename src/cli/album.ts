// mixgraph album ALBUM.json -o DIR: master every track through the album's chain with one album
// gain, write one tagged WAV per track, a CUE sheet and the report (JSON and text), all or nothing.
// Tracks are taken one after another (src/mastering/album.ts says what is held), and each mastered
// track goes into its file block by block through the delivery's temporary files.
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';

import { writeCue, type CueSheet } from '../io/cue.ts';
import { resolveSource } from '../io/paths.ts';
import { WavFileWriter } from '../io/wav-stream.ts';
import { masterAlbum, type AlbumTrackInput } from '../mastering/album.ts';
import { DELIVERY_TARGETS, fmt, formatVerdicts, verdicts } from '../mastering/compliance.ts';
import { MasteringError, type ChainInput } from '../mastering/master.ts';
import { openSource } from '../engine/node.ts';
import type { ChainDoc } from '../model/document.ts';
import { loadAlbum, type AlbumDoc } from '../presets/album.ts';
import { PACKAGE_EXTENSION } from '../presets/package.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { reportJson, reportLines } from './analyze.ts';
import { openInput } from './audio.ts';
import { CliError, fsReason } from './errors.ts';
import type { Io } from './io.ts';
import { deliveryRate, formatOption, rateOption } from './master.ts';
import { catchInterrupts } from './interrupt.ts';
import { checkOutputs, streamOutputs, type JobFile } from './output.ts';
import { prepareSessionSource, renderSessionAudio, type SessionSource } from './render.ts';
import { loadOrFail, readChain, readDocumentText } from './session.ts';

export const ALBUM_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'DIR' },
  { name: 'bit-depth', value: '16|24|32f' },
  { name: 'sample-rate', value: '44100|48000' },
  { name: 'allow-any-path' },
  { name: 'json' },
  { name: 'help', short: 'h' },
];

const utf8 = new TextEncoder();

/**
 * A file name part from a title: no path separators or characters Windows refuses, at most 80
 * characters and at most `maxBytes` bytes of UTF-8 (cut at a character, never inside one), so the
 * file name fits the file system's 255 bytes in any script.
 */
export function safeName(title: string, fallback: string, maxBytes = 240): string {
  let clean = title.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  const chars = [...clean].slice(0, 80);
  while (chars.length && utf8.encode(chars.join('')).length > maxBytes) chars.pop();
  clean = chars.join('').replace(/[.\s]+$/, '');
  return clean || fallback;
}

/** "NN Title.wav": 3 + 4 bytes around the title, so the title gets 248 of the 255. */
export const fileNameFor = (index: number, title: string): string => `${String(index + 1).padStart(2, '0')} ${safeName(title, 'Track', 248)}.wav`;

async function checkOutputDir(dir: string): Promise<void> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new CliError(`mixgraph: output ${JSON.stringify(dir)} is a file; album -o takes a folder (created if missing)`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`mixgraph: cannot use output folder ${JSON.stringify(dir)}: ${fsReason(err)}`);
  }
}

async function albumChain(album: AlbumDoc, albumPath: string, allowAnyPath: boolean): Promise<ChainDoc> {
  if (typeof album.chain !== 'string') return album.chain;
  const where = await resolveSource(dirname(resolve(albumPath)), album.chain, allowAnyPath);
  if (!where.ok) throw new CliError(`${albumPath}: chain: ${where.message}`);
  return readChain(where.file);
}

/** Where a track's audio comes from: a file, or a session (loaded and checked, rendered later). */
type TrackSource = { kind: 'file'; file: string } | { kind: 'session'; source: SessionSource };

/** Removes what the sessions' packages unpacked. */
const cleanupAll = (sources: readonly TrackSource[]) => Promise.all(sources.map((t) => (t.kind === 'session' ? t.source.session.cleanup() : undefined)));

async function trackSources(album: AlbumDoc, albumPath: string, allowAnyPath: boolean): Promise<TrackSource[]> {
  const out: TrackSource[] = [];
  try {
    await collectTrackSources(album, albumPath, allowAnyPath, out);
  } catch (err) {
    await cleanupAll(out);
    throw err;
  }
  return out;
}

async function collectTrackSources(album: AlbumDoc, albumPath: string, allowAnyPath: boolean, out: TrackSource[]): Promise<void> {
  for (const [i, t] of album.tracks.entries()) {
    const where = await resolveSource(dirname(resolve(albumPath)), t.source, allowAnyPath);
    if (!where.ok) throw new CliError(`${albumPath}: tracks[${i}].source: ${where.message}`);
    const ext = extname(where.file).toLowerCase();
    out.push(ext === '.json' || ext === PACKAGE_EXTENSION ? { kind: 'session', source: await prepareSessionSource(where.file, allowAnyPath) } : { kind: 'file', file: where.file });
  }
}

/**
 * A track's audio at `rate` for the chain: a file opened (a WAV file streams as the chain renders
 * it), a session rendered (into memory: it is the chain's input). `done` closes what was opened.
 */
async function trackAudio(source: TrackSource, index: number, rate: number, albumPath: string, warn: (line: string) => void): Promise<{ input: ChainInput; done(): Promise<void> }> {
  if (source.kind === 'session') {
    // A session: its mix, rendered at the album's rate, is the track.
    return { input: await renderSessionAudio(source.source, rate, warn), done: async () => {} };
  }
  const what = `tracks[${index}].source`;
  const audio = await openInput(source.file, rate, what, warn);
  try {
    if (audio.channels > 2) throw new CliError(`${albumPath}: tracks[${index}].source has ${audio.channels} channels; album mastering works on mono and stereo`);
    let spec = audio.spec;
    // Decoded whole at the file's own rate (MP3, OGG): converted here, as a WAV file is while it streams.
    if (spec.kind === 'memory' && spec.sampleRate !== rate) spec = { kind: 'memory', channels: await (await import('../io/resample.ts')).resample(spec.channels, spec.sampleRate, rate), sampleRate: rate };
    const reader = await openSource(spec, JSON.stringify(source.file));
    return {
      input: { source: reader.source, sampleRate: rate },
      done: async () => {
        reader.dispose();
        await audio.close();
      },
    };
  } catch (err) {
    await audio.close();
    throw err;
  }
}

/** The album's rate: the one asked for, or the first track's own when it is a delivery rate (a session's: 48 kHz). */
async function albumRate(first: TrackSource, rateAsked: number | null): Promise<number> {
  if (rateAsked !== null) return rateAsked;
  if (first.kind === 'session') return 48000;
  const audio = await openInput(first.file, null, 'tracks[0].source');
  await audio.close();
  return deliveryRate(audio.fileRate);
}

export async function albumCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, ALBUM_OPTIONS, 'album');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError('mixgraph: album needs one album file: mixgraph album ALBUM.json -o DIR');
  const albumPath = positionals[0];
  const outDir = options.get('output');
  if (typeof outDir !== 'string' || outDir === '') throw new CliError('mixgraph: album needs an output folder: -o DIR');
  const format = formatOption(options);
  const rateAsked = rateOption(options);
  const allowAnyPath = options.get('allow-any-path') === true;
  await checkOutputDir(outDir);

  const text = await readDocumentText(albumPath);
  const album = loadOrFail(() => loadAlbum(text, albumPath));
  const chain = await albumChain(album, albumPath, allowAnyPath);
  const sources = await trackSources(album, albumPath, allowAnyPath);
  try {
    return await masterTracks(album, albumPath, chain, sources, outDir, options, format, rateAsked, io);
  } finally {
    await cleanupAll(sources);
  }
}

async function masterTracks(
  album: AlbumDoc,
  albumPath: string,
  chain: ChainDoc,
  sources: TrackSource[],
  outDir: string,
  options: Map<string, string | true>,
  format: ReturnType<typeof formatOption>,
  rateAsked: number | null,
  io: Io,
): Promise<number> {
  const names = album.tracks.map((t, i) => fileNameFor(i, t.title));
  const cueName = `${safeName(album.name, 'album', 251)}.cue`;
  // Before any work: no output may be the album, its chain, a track's source or a session's audio.
  const jobInputs: JobFile[] = [{ path: albumPath, what: 'the album file' }];
  if (typeof album.chain === 'string') jobInputs.push({ path: resolve(dirname(resolve(albumPath)), album.chain), what: 'the chain file' });
  sources.forEach((t, i) => {
    if (t.kind === 'file') jobInputs.push({ path: t.file, what: `tracks[${i}].source` });
    else jobInputs.push(...t.source.inputs.map((x) => ({ path: x.path, what: `tracks[${i}]'s ${x.what}` })));
  });
  const outputs: JobFile[] = [
    ...names.map((n, i) => ({ path: join(outDir, n), what: `track ${i + 1}'s file` })),
    { path: join(outDir, cueName), what: 'the CUE sheet' },
    { path: join(outDir, 'report.json'), what: 'the report' },
    { path: join(outDir, 'report.txt'), what: 'the text report' },
  ];
  const planned = await checkOutputs(outputs, jobInputs);
  // The CUE sheet is written last but checked first: a title it cannot hold fails before the work.
  const sheet: CueSheet = { title: album.name, performer: album.artist, files: album.tracks.map((t, i) => ({ file: names[i], title: t.title, performer: t.artist ?? album.artist, isrc: t.isrc })) };
  let cue: string;
  try {
    cue = writeCue(sheet);
  } catch (err) {
    throw new CliError(`${albumPath}: ${(err as Error).message}`);
  }

  // Every track at one rate: the one asked for, or the first track's own when it is a delivery rate.
  const sampleRate = await albumRate(sources[0], rateAsked);
  const inputs: AlbumTrackInput[] = album.tracks.map((t, i) => ({
    title: t.title,
    gain: t.gain,
    open: () => {
      io.err(`reading ${i + 1}/${album.tracks.length}: ${t.title}`);
      return trackAudio(sources[i], i, sampleRate, albumPath, io.err);
    },
  }));
  const metadataOf = (i: number) => {
    const track = album.tracks[i];
    return { title: track.title, artist: track.artist ?? album.artist, album: album.name, isrc: track.isrc, track: `${i + 1}/${album.tracks.length}`, software: 'Mixgraph' };
  };
  const interrupt = catchInterrupts();
  let report: Record<string, unknown>;
  let textReport: string;
  try {
    // All or none: the tracks go into the delivery's temporary files as they are mastered; a failure
    // at any step (the last rename too) leaves the previous delivery as it was.
    await streamOutputs(planned, `into ${JSON.stringify(outDir)}`, async (delivery) => {
      const writers = new Map<number, { writer: WavFileWriter; written: number }>();
      let result;
      try {
        result = await masterAlbum(chain, inputs, {
          target: album.target,
          ceiling: album.ceiling ?? null,
          onTrack: (i, title) => {
            if (interrupt.received) throw interrupt.error('nothing was changed there');
            io.err(`rendering the chain ${i + 1}/${inputs.length}: ${title}`);
          },
          onTry: (g, l) => io.err(`album gain: ${g >= 0 ? '+' : ''}${g.toFixed(2)} dB into the limiter gives ${fmt(l, 2)} LUFS for the album`),
          write: async (i, channels, n, length) => {
            if (interrupt.received) throw interrupt.error('nothing was changed there');
            let w = writers.get(i);
            if (!w) {
              w = { writer: new WavFileWriter(delivery.handle(i), { channels: channels.length, sampleRate, format, frames: length, metadata: metadataOf(i) }), written: 0 };
              writers.set(i, w);
            }
            await w.writer.write(channels, n);
            w.written += n;
            if (w.written === length) await w.writer.finish();
          },
        });
      } catch (err) {
        if (err instanceof MasteringError) throw new CliError(`${albumPath}: ${err.message}`);
        if (err instanceof RangeError) throw new CliError(`mixgraph: ${err.message}`);
        throw err;
      }
      report = {
        album: album.name,
        artist: album.artist,
        target: album.target,
        sampleRate,
        bitDepth: format,
        albumGainDb: Math.round(result.gainDb * 100) / 100,
        loudness: reportJson(cueName, result.album, verdicts(result.album, DELIVERY_TARGETS)),
        tracks: result.tracks.map((t, i) => ({
          ...reportJson(names[i], t.report, verdicts(t.report, DELIVERY_TARGETS)),
          title: t.title,
          isrc: album.tracks[i].isrc ?? null,
          gainOffset: album.tracks[i].gain,
          // Out of the chain before the album gain: the relation the album gain keeps.
          before: Number.isFinite(t.before) ? Math.round(t.before * 100) / 100 : null,
        })),
      };
      const lines = [`${album.artist}: ${album.name}, ${album.tracks.length} track${album.tracks.length === 1 ? '' : 's'} to ${album.target} LUFS, album gain ${result.gainDb >= 0 ? '+' : ''}${result.gainDb.toFixed(2)} dB`];
      if (result.addedLimiter) lines.push(`the chain has no limiter: a true-peak limiter at ${album.ceiling ?? -1} dBTP was added at its end`);
      lines.push('', 'album', ...reportLines(result.album), ...formatVerdicts(verdicts(result.album, DELIVERY_TARGETS)));
      result.tracks.forEach((t, i) => {
        lines.push('', `${names[i]}  (${fmt(t.before)} LUFS out of the chain before the album gain)`, ...reportLines(t.report));
      });
      textReport = lines.join('\n') + '\n';
      const texts = [cue, JSON.stringify(report, null, 2) + '\n', textReport];
      for (const [k, text] of texts.entries()) await delivery.write(names.length + k, utf8.encode(text));
    });
  } finally {
    interrupt.release();
  }
  const files = names.length + 3;
  if (options.has('json')) io.out(JSON.stringify(report!, null, 2));
  else io.out(`wrote ${files} files into ${outDir}\n${textReport!}`);
  return 0;
}
