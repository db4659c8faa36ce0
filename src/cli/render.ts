// mixgraph render SESSION.json -o OUT.wav: load, check, open the sources, render through the runtime
// (src/engine/node.ts; the tracks' chains on every core) straight into the output file block by
// block, and report the levels measured on the way. Memory does not grow with the session's length.
import { compile } from '../compiler/compile.ts';
import { renderFrameCount, sessionLength } from '../compiler/duration.ts';
import { defaultThreads, renderPlan, RenderAborted, specFrames, type SourceSpec } from '../engine/node.ts';
import { formatDb, LevelMeter } from '../io/levels.ts';
import { SourceChanged } from '../io/wav-source.ts';
import { WavFileWriter } from '../io/wav-stream.ts';
import { WAV_FORMATS, type WavFormat } from '../io/wav.ts';
import { formatProblem } from '../model/validate.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import { catchInterrupts } from './interrupt.ts';
import { checkOutputs, streamOutputs, type JobFile, type PlannedOutput } from './output.ts';
import type { WavMetadataInput } from '../io/metadata.ts';
import { checkSources, fileParams, openSessionAudio, readSession, type LoadedSession } from './session.ts';
import type { Plan } from '../compiler/plan.ts';
import type { Io } from './io.ts';
import { DEFAULT_BIT_DEPTH, DEFAULT_SAMPLE_RATE, MAX_SAMPLE_RATE, MAX_SECONDS, MAX_THREADS, MIN_SAMPLE_RATE } from './limits.ts';

export const RENDER_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'OUT.wav' },
  { name: 'sample-rate', value: 'HZ' },
  { name: 'bit-depth', value: '16|24|32f' },
  { name: 'duration', value: 'SECONDS' },
  { name: 'threads', value: 'N' },
  { name: 'allow-any-path' },
  { name: 'help', short: 'h' },
];

/** Renders longer than this (seconds of audio) report progress even when stderr is not a terminal. */
const PROGRESS_AFTER = 20;

const CHANNELS = 2;

interface RenderSettings {
  session: string;
  out: string;
  sampleRate: number;
  format: WavFormat;
  duration: number | null;
  threads: number;
  allowAnyPath: boolean;
}

/** --threads N: how many threads render (1: no worker threads); default every core. */
export function threadsOption(options: Map<string, string | true>): number {
  const raw = options.get('threads');
  if (raw === undefined) return defaultThreads();
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < 1 || n > MAX_THREADS) throw new CliError(`mixgraph: --threads must be a whole number from 1 to ${MAX_THREADS}, got ${JSON.stringify(raw)}`);
  return n;
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
      throw new CliError(`mixgraph: --duration must be a number of seconds above 0 and at most ${MAX_SECONDS} (24 hours), got ${JSON.stringify(d)}`);
    }
    if (Math.round(duration * sampleRate) < 1) throw new CliError(`mixgraph: --duration ${d} is shorter than one sample at ${sampleRate} Hz`);
  }
  return { session: positionals[0], out, sampleRate, format, duration, threads: threadsOption(options), allowAnyPath: options.get('allow-any-path') === true };
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
  const audio = await openSessionAudio(source.session, source.files, s.sampleRate, io.err);
  try {
    const frames = s.duration !== null ? Math.round(s.duration * s.sampleRate) : renderFrames(source, audio.specs, s.sampleRate, 'give --duration SECONDS');
    const seconds = frames / s.sampleRate;
    const progress = progressLine(io, seconds, 'rendering');
    const levels = [new LevelMeter(), new LevelMeter()];
    await renderToFile(source.plan, audio.specs, { ...s, frames, what: JSON.stringify(s.out), output, onProgress: progress, onAudio: (ch, n) => levels.forEach((l, c) => l.add(ch[c], n)) }, source.session.name);
    const channelLevels = levels.map((l) => l.levels());
    const names = ['L', 'R'];
    const row = (pick: (l: (typeof channelLevels)[number]) => number) => channelLevels.map((l, i) => `${names[i]} ${formatDb(pick(l)).padStart(7)}`).join('   ');
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
    const overs = channelLevels.reduce((n, l) => n + l.overs, 0);
    if (overs > 0 && s.format !== '32f') {
      io.err(`mixgraph: warning: ${overs} samples were above 0 dBFS and clipped; lower the master gain or render with --bit-depth 32f`);
    }
    return 0;
  } finally {
    await audio.close();
  }
}

/** Progress on stderr: redrawn on a terminal, else a line per percent for jobs longer than PROGRESS_AFTER seconds. */
export function progressLine(io: Io, seconds: number, label: string): ((fraction: number) => void) | undefined {
  const tty = io.errIsTTY;
  if (!tty && seconds <= PROGRESS_AFTER) return undefined;
  let last = -1;
  // A line every 10 % off a terminal, every percent on one.
  const step = tty ? 1 : 10;
  return (fraction) => {
    const pct = Math.min(100, Math.floor(fraction * 100));
    const shown = pct === 100 ? 100 : Math.floor(pct / step) * step;
    if (shown <= last) return;
    last = shown;
    const text = `${label} ${String(shown).padStart(3)}%`;
    if (tty) io.errRaw(`\r${text}${pct === 100 ? '\n' : ''}`);
    else io.err(text);
  };
}

export interface FileRender {
  sampleRate: number;
  format: WavFormat;
  frames: number;
  threads: number;
  output: PlannedOutput;
  /** The output in messages: '"mix.wav"'. */
  what: string;
  metadata?: WavMetadataInput;
  onProgress?: (fraction: number) => void;
  /** Each chunk of the output as it goes to the file (for levels or analysis). */
  onAudio?: (channels: readonly Float32Array[], frames: number) => void;
}

/**
 * Render `plan` into one WAV file through a delivery (exclusive temporary file, renamed into place
 * when complete): blocks go to the file as they are made. Ctrl-C or SIGTERM stops the render and
 * removes the temporary file; so does any failure.
 */
export async function renderToFile(plan: Plan, sources: ReadonlyMap<string, SourceSpec>, r: FileRender, sessionName: string): Promise<void> {
  const interrupt = catchInterrupts();
  try {
    await streamOutputs([r.output], r.what, async (delivery) => {
      const writer = new WavFileWriter(delivery.handle(0), { channels: 2, sampleRate: r.sampleRate, format: r.format, frames: r.frames, metadata: r.metadata });
      try {
        await renderPlan(plan, {
          sampleRate: r.sampleRate,
          frames: r.frames,
          sources,
          threads: r.threads,
          signal: interrupt.signal,
          onProgress: r.onProgress,
          onAudio: async (channels, n) => {
            r.onAudio?.(channels, n);
            await writer.write(channels, n);
          },
        });
        await writer.finish();
      } catch (err) {
        if (interrupt.received) throw interrupt.error('nothing was written');
        if (err instanceof SourceChanged || (err as Error)?.name === 'SourceChanged') throw new CliError(`${sessionName}: ${(err as Error).message}; nothing was written`);
        if (err instanceof RenderAborted) throw new CliError('mixgraph: the render was stopped; nothing was written');
        throw err;
      }
    });
  } finally {
    interrupt.release();
  }
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

/** Frames to render: the longest track with its offset plus the effect tails after it; `hint` says what to do instead. */
function renderFrames(source: SessionSource, specs: ReadonlyMap<string, SourceSpec>, sampleRate: number, hint: string): number {
  const name = source.session.name;
  // The length of each source at the render's rate is all the duration needs of it.
  const length = sessionLength(source.plan, (s) => (specs.has(s) ? ({ duration: specFrames(specs.get(s)!) / sampleRate } as AudioBuffer) : undefined));
  if (length.timedSources === 0) throw new CliError(`${name}: ${length.endlessSources ? 'this session has only generators' : 'this session has no tracks'}; ${hint}`);
  if (length.soundingSources === 0) throw new CliError(`${name}: every track in this session is empty (no source file, or no audio in it); ${hint}`);
  if (length.seconds <= 0) throw new CliError(`${name}: no track with audio reaches the master; ${hint}`);
  if (length.seconds > MAX_SECONDS) throw new CliError(`${name}: the session lasts ${formatLength(length.seconds)} with its effect tails, longer than the 24-hour limit (${MAX_SECONDS} s); ${hint}`);
  return renderFrameCount(length.seconds, sampleRate);
}

/** 1 h 02 min 03.5 s, for a length in a message. */
function formatLength(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds - 3600 * h - 60 * m;
  return `${h} h ${String(m).padStart(2, '0')} min ${s.toFixed(1).padStart(4, '0')} s (${seconds.toFixed(1)} s)`;
}

/**
 * A session's mix in memory, for album tracks that are sessions: rendered as `mixgraph render`
 * renders it, at `sampleRate`.
 */
export async function renderSessionAudio(source: SessionSource, sampleRate: number, warn?: (line: string) => void, threads = defaultThreads()): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  const audio = await openSessionAudio(source.session, source.files, sampleRate, warn);
  try {
    const frames = renderFrames(source, audio.specs, sampleRate, 'an album track needs audio to master');
    const channels = [new Float32Array(frames), new Float32Array(frames)];
    let at = 0;
    await renderPlan(source.plan, {
      sampleRate,
      frames,
      sources: audio.specs,
      threads,
      onAudio: (ch, n) => {
        channels[0].set(ch[0].subarray(0, n), at);
        channels[1].set(ch[1].subarray(0, n), at);
        at += n;
      },
    });
    return { channels, sampleRate };
  } catch (err) {
    if (err instanceof SourceChanged || (err as Error)?.name === 'SourceChanged') throw new CliError(`${source.session.name}: ${(err as Error).message}`);
    throw err;
  } finally {
    await audio.close();
  }
}
