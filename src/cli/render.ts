// mixgraph render SESSION.json -o OUT.wav: load, check, decode, render offline, write a WAV, report levels.
import { compile } from '../compiler/compile.ts';
import { sessionLength } from '../compiler/duration.ts';
import { bounce, toAudioBuffer } from '../engine/node.ts';
import { formatDb, measureLevels } from '../io/levels.ts';
import { encodeWav, WAV_FORMATS, type WavFormat } from '../io/wav.ts';
import { formatProblem } from '../model/validate.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import { checkOutputs, writeOutputs, type JobFile } from './output.ts';
import { checkSources, decodeSources, fileParams, readSession, type LoadedSession } from './session.ts';
import type { Plan } from '../compiler/plan.ts';
import type { Io } from './io.ts';
import { DEFAULT_BIT_DEPTH, DEFAULT_SAMPLE_RATE, MAX_SAMPLE_RATE, MAX_SECONDS, MIN_SAMPLE_RATE } from './limits.ts';

export const RENDER_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'OUT.wav' },
  { name: 'sample-rate', value: 'HZ' },
  { name: 'bit-depth', value: '16|24|32f' },
  { name: 'duration', value: 'SECONDS' },
  { name: 'allow-any-path' },
  { name: 'help', short: 'h' },
];

/** Renders longer than this (seconds of audio) report progress even when stderr is not a terminal. */
const PROGRESS_AFTER = 20;
const WAV_LIMIT = 0xffffffff - 64;

const CHANNELS = 2;

interface RenderSettings {
  session: string;
  out: string;
  sampleRate: number;
  format: WavFormat;
  duration: number | null;
  allowAnyPath: boolean;
}

function settings(argv: readonly string[]): RenderSettings | 'help' {
  const { positionals, options } = parseArgs(argv, RENDER_OPTIONS, 'render');
  if (options.has('help')) return 'help';
  if (positionals.length === 0) throw new CliError('mixgraph: render needs a session file: mixgraph render SESSION.json -o OUT.wav');
  if (positionals.length > 1) throw new CliError(`mixgraph: render takes one session file, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  const out = options.get('output');
  if (typeof out !== 'string' || out === '') throw new CliError('mixgraph: render needs an output file: -o OUT.wav');

  let sampleRate = DEFAULT_SAMPLE_RATE;
  const rate = options.get('sample-rate');
  if (typeof rate === 'string') {
    sampleRate = Number(rate);
    if (!/^\d+$/.test(rate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
      throw new CliError(`mixgraph: --sample-rate must be a whole number of Hz from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}, got ${JSON.stringify(rate)}`);
    }
  }
  let format = DEFAULT_BIT_DEPTH;
  const depth = options.get('bit-depth');
  if (typeof depth === 'string') {
    if (!(WAV_FORMATS as readonly string[]).includes(depth)) throw new CliError(`mixgraph: --bit-depth must be 16, 24 or 32f (32-bit float), got ${JSON.stringify(depth)}`);
    format = depth as WavFormat;
  }
  let duration: number | null = null;
  const d = options.get('duration');
  if (typeof d === 'string') {
    duration = Number(d);
    if (d.trim() === '' || !Number.isFinite(duration) || duration <= 0 || duration > MAX_SECONDS) {
      throw new CliError(`mixgraph: --duration must be a number of seconds above 0 and at most ${MAX_SECONDS}, got ${JSON.stringify(d)}`);
    }
    if (Math.round(duration * sampleRate) < 1) throw new CliError(`mixgraph: --duration ${d} is shorter than one sample at ${sampleRate} Hz`);
  }
  return { session: positionals[0], out, sampleRate, format, duration, allowAnyPath: options.get('allow-any-path') === true };
}

function formatName(format: WavFormat): string {
  return format === '32f' ? '32-bit float' : `${format}-bit PCM${format === '16' ? ' (TPDF dither)' : ''}`;
}

export async function renderCommand(argv: readonly string[], io: Io): Promise<number> {
  const s = settings(argv);
  if (s === 'help') {
    io.out(io.usage);
    return 0;
  }
  const source = await prepareSessionSource(s.session, s.allowAnyPath);
  try {
    return await renderPrepared(s, source, io);
  } finally {
    await source.session.cleanup();
  }
}

async function renderPrepared(s: RenderSettings, source: SessionSource, io: Io): Promise<number> {
  // Before any work: the output must not be the session or any of its audio files, however named.
  const [output] = await checkOutputs([{ path: s.out, what: 'the output' }], source.inputs);
  const getBuffer = await sourceBuffers(source, s.sampleRate, io.err);
  const frames = s.duration !== null ? Math.round(s.duration * s.sampleRate) : renderFrames(source, getBuffer, s.sampleRate, 'give --duration SECONDS');
  const plan = source.plan;
  const bytesPerSample = s.format === '16' ? 2 : s.format === '24' ? 3 : 4;
  if (frames * CHANNELS * bytesPerSample > WAV_LIMIT) {
    throw new CliError(`mixgraph: ${(frames / s.sampleRate).toFixed(1)} s at ${s.sampleRate} Hz, ${s.format} bit is more than a WAV file can hold (4 GiB); render shorter or at a lower rate`);
  }

  const seconds = frames / s.sampleRate;
  const tty = io.errIsTTY;
  let progress: ((fraction: number) => void) | undefined;
  if (tty || seconds > PROGRESS_AFTER) {
    let last = -1;
    progress = (fraction) => {
      const pct = Math.min(100, Math.floor(fraction * 100));
      if (pct === last) return;
      last = pct;
      const text = `rendering ${String(pct).padStart(3)}%`;
      if (tty) io.errRaw(`\r${text}${pct === 100 ? '\n' : ''}`);
      else io.err(text);
    };
  }
  // About ten steps, at least five seconds of audio apart. A limiter's lookahead is taken out:
  // the file lines up with the sources.
  const channels = await bounce(plan, { sampleRate: s.sampleRate, frames, channels: CHANNELS, getBuffer, onProgress: progress, every: Math.max(5, seconds / 10) });

  await writeOutputs([output], [encodeWav(channels, s.sampleRate, s.format)], JSON.stringify(s.out));

  const levels = channels.map((c) => measureLevels(c));
  const names = CHANNELS === 2 ? ['L', 'R'] : channels.map((_, i) => String(i + 1));
  const row = (pick: (l: (typeof levels)[number]) => number) => levels.map((l, i) => `${names[i]} ${formatDb(pick(l)).padStart(7)}`).join('   ');
  io.out(
    [
      `wrote ${s.out}`,
      `  duration     ${seconds.toFixed(3)} s (${frames} frames)`,
      `  sample rate  ${s.sampleRate} Hz`,
      `  bit depth    ${formatName(s.format)}`,
      `  peak dBFS    ${row((l) => l.peakDb)}`,
      `  RMS dBFS     ${row((l) => l.rmsDb)}`,
    ].join('\n'),
  );
  const overs = levels.reduce((n, l) => n + l.overs, 0);
  if (overs > 0 && s.format !== '32f') {
    io.err(`mixgraph: warning: ${overs} samples were above 0 dBFS and clipped; lower the master gain or render with --bit-depth 32f`);
  }
  return 0;
}

/** Every file a session reads: the session (or package) itself and each source, for the output checks. */
function sessionInputs(session: LoadedSession, files: Map<string, string>): JobFile[] {
  const sources = fileParams(session.doc).map((f) => ({ path: files.get(f.value)!, what: `node ${JSON.stringify(f.node)}'s ${f.param} file` }));
  const what = session.file === session.name ? 'the session file' : 'the package';
  return [{ path: session.file, what }, ...sources.filter((x) => x.path)];
}

/** A session loaded, compiled and its sources checked (not yet decoded): what render and album start from. */
export interface SessionSource {
  session: LoadedSession;
  plan: Plan;
  files: Map<string, string>;
  /** The session file and every audio file it reads. */
  inputs: JobFile[];
}

/** A session (file or package) loaded, compiled and its sources checked; call `session.cleanup()` when done. */
export async function prepareSessionSource(path: string, allowAnyPath: boolean): Promise<SessionSource> {
  const session = await readSession(path);
  try {
    const compiled = compile(session.doc);
    if (!compiled.ok) throw new CliError(compiled.problems.map((p) => `${session.name}: ${formatProblem(p)}`));
    const files = await checkSources(session, allowAnyPath);
    return { session, plan: compiled.plan, files, inputs: sessionInputs(session, files) };
  } catch (err) {
    await session.cleanup();
    throw err;
  }
}

/** Decode every source at `sampleRate`; the engine's buffer lookup. */
async function sourceBuffers(source: SessionSource, sampleRate: number, warn?: (line: string) => void): Promise<(name: string) => AudioBuffer | undefined> {
  const decoded = await decodeSources(source.session, source.files, sampleRate, warn);
  const buffers = new Map([...decoded].map(([name, audio]) => [name, toAudioBuffer(audio.channels, audio.sampleRate)]));
  return (name) => buffers.get(name);
}

/** Frames to render: the longest track with its offset plus the effect tails after it; `hint` says what to do instead. */
function renderFrames(source: SessionSource, getBuffer: (name: string) => AudioBuffer | undefined, sampleRate: number, hint: string): number {
  const name = source.session.name;
  const length = sessionLength(source.plan, getBuffer);
  if (length.timedSources === 0) throw new CliError(`${name}: ${length.endlessSources ? 'this session has only generators' : 'this session has no tracks'}; ${hint}`);
  if (length.soundingSources === 0) throw new CliError(`${name}: every track in this session is empty (no source file, or no audio in it); ${hint}`);
  if (length.seconds <= 0) throw new CliError(`${name}: no track with audio reaches the master; ${hint}`);
  if (length.seconds > MAX_SECONDS) throw new CliError(`${name}: the session lasts ${length.seconds.toFixed(1)} s with its effect tails, longer than the ${MAX_SECONDS} s limit; ${hint}`);
  // Whole samples: a sliver of a sample past the end still gets its sample.
  return Math.max(1, Math.ceil(length.seconds * sampleRate - 1e-6));
}

/** A session's mix as audio, for album tracks that are sessions: rendered as `mixgraph render` renders it, at `sampleRate`. */
export async function renderSessionAudio(source: SessionSource, sampleRate: number, warn?: (line: string) => void): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  const getBuffer = await sourceBuffers(source, sampleRate, warn);
  const frames = renderFrames(source, getBuffer, sampleRate, 'an album track needs audio to master');
  return { channels: await bounce(source.plan, { sampleRate, frames, channels: CHANNELS, getBuffer }), sampleRate };
}
