// mixgraph master CHAIN.json IN -o OUT.wav: run a file through a mastering chain, bring it to a
// loudness target under a true-peak ceiling, write a delivery WAV with its tags, report compliance.
// The input streams into the chain's render (a WAV file; other formats are decoded first); the
// result goes to the file block by block through the delivery's temporary file.
import { WAV_FORMATS, type WavFormat } from '../io/wav.ts';
import { WavFileWriter } from '../io/wav-stream.ts';
import { openSource } from '../engine/node.ts';
import { parseIsrc } from '../io/isrc.ts';
import type { WavMetadataInput } from '../io/metadata.ts';
import { DELIVERY_TARGETS, fmt, formatVerdicts, verdicts } from '../mastering/compliance.ts';
import { chainTarget, emitBlocks, master, MasteringError, type MasterResult } from '../mastering/master.ts';
import { CEILING_RANGE, outOfRange, TARGET_RANGE } from '../presets/album.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { reportJson, reportLines } from './analyze.ts';
import { openInput } from './audio.ts';
import { CliError } from './errors.ts';
import { catchInterrupts } from './interrupt.ts';
import type { Io } from './io.ts';
import { checkOutputs, streamOutputs } from './output.ts';
import { readChain } from './session.ts';

export const MASTER_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'OUT.wav' },
  { name: 'target', value: 'LUFS' },
  { name: 'ceiling', value: 'dBTP' },
  { name: 'bit-depth', value: '16|24|32f' },
  { name: 'sample-rate', value: '44100|48000' },
  { name: 'title', value: 'TEXT' },
  { name: 'artist', value: 'TEXT' },
  { name: 'album', value: 'TEXT' },
  { name: 'isrc', value: 'CC-XXX-YY-NNNNN' },
  { name: 'json' },
  { name: 'help', short: 'h' },
];

export const DELIVERY_RATES = [44100, 48000] as const;
// The same ranges as an album file's target and ceiling.
export { CEILING_RANGE, TARGET_RANGE };

/** A number option within a range, or null when absent. */
export function numberOption(options: Map<string, string | true>, name: string, range: readonly [number, number], unit: string): number | null {
  const raw = options.get(name);
  if (raw === undefined) return null;
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const message = outOfRange(v, range, unit, raw);
  if (message !== null) throw new CliError(`mixgraph: --${name} ${message}`);
  return v;
}

export function formatOption(options: Map<string, string | true>): WavFormat {
  const depth = options.get('bit-depth');
  if (depth === undefined) return '24';
  if (typeof depth !== 'string' || !(WAV_FORMATS as readonly string[]).includes(depth)) throw new CliError(`mixgraph: --bit-depth must be 16, 24 or 32f (32-bit float), got ${JSON.stringify(depth)}`);
  return depth as WavFormat;
}

/** --sample-rate: 44100 or 48000, the delivery rates; null leaves it to the input. */
export function rateOption(options: Map<string, string | true>): number | null {
  const raw = options.get('sample-rate');
  if (raw === undefined) return null;
  const v = Number(raw);
  if (!(DELIVERY_RATES as readonly number[]).includes(v)) throw new CliError(`mixgraph: --sample-rate must be 44100 or 48000 (the delivery rates), got ${JSON.stringify(raw)}`);
  return v;
}

/** The delivery rate for a file at `fileRate`: its own when that is a delivery rate, else 48 kHz. */
export const deliveryRate = (fileRate: number | null): number => ((DELIVERY_RATES as readonly (number | null)[]).includes(fileRate) ? fileRate! : 48000);

function formatName(format: WavFormat): string {
  return format === '32f' ? '32-bit float' : `${format}-bit PCM${format === '16' ? ' (TPDF dither)' : ''}`;
}

export async function masterCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, MASTER_OPTIONS, 'master');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  if (positionals.length !== 2) throw new CliError('mixgraph: master needs a chain and an audio file: mixgraph master CHAIN.json IN.wav -o OUT.wav');
  const [chainPath, inPath] = positionals;
  const out = options.get('output');
  if (typeof out !== 'string' || out === '') throw new CliError('mixgraph: master needs an output file: -o OUT.wav');
  const targetOption = numberOption(options, 'target', TARGET_RANGE, 'LUFS');
  const ceiling = numberOption(options, 'ceiling', CEILING_RANGE, 'dBTP');
  const format = formatOption(options);
  const rate = rateOption(options);
  const metadata: WavMetadataInput = {};
  for (const key of ['title', 'artist', 'album'] as const) {
    const v = options.get(key);
    if (typeof v === 'string') metadata[key] = v;
  }
  const isrc = options.get('isrc');
  if (typeof isrc === 'string') {
    const parsed = parseIsrc(isrc);
    if (!parsed.ok) throw new CliError(`mixgraph: --isrc: ${parsed.message}`);
    metadata.isrc = parsed.isrc;
  }
  metadata.software = 'Mixgraph';
  // Everything that can be refused is refused before the work starts.
  const [output] = await checkOutputs([{ path: out, what: 'the output' }], [{ path: chainPath, what: 'the chain file' }, { path: inPath, what: 'the input file' }]);
  const chain = await readChain(chainPath);
  const input = await openInput(inPath, null, 'input', io.err);
  let result: MasterResult;
  let sampleRate: number;
  let target: number | null;
  const fromChain = chainTarget(chain);
  try {
    if (input.channels > 2) throw new CliError(`mixgraph: ${JSON.stringify(inPath)} has ${input.channels} channels; master works on mono and stereo files`);
    sampleRate = rate ?? deliveryRate(input.fileRate);
    // A file at another rate (96 kHz, say) is converted to the delivery rate: a WAV file while it
    // streams into the chain, a decoded one here.
    let spec = input.spec;
    if (spec.kind === 'wav') spec = { ...spec, sampleRate };
    else if (spec.sampleRate !== sampleRate) spec = { kind: 'memory', channels: await (await import('../io/resample.ts')).resample(spec.channels, spec.sampleRate, sampleRate), sampleRate };
    const reader = await openSource(spec, JSON.stringify(inPath));
    target = targetOption ?? fromChain;
    const seconds = reader.source.frames / sampleRate;
    const tty = io.errIsTTY;
    const progress = tty || seconds > 20 ? (fraction: number) => (tty ? io.errRaw(`\rrendering the chain ${String(Math.floor(fraction * 100)).padStart(3)}%${fraction >= 1 ? '\n' : ''}`) : io.err(`rendering the chain ${Math.floor(fraction * 100)}%`)) : undefined;
    try {
      result = await master(chain, { source: reader.source, sampleRate }, {
        target,
        ceiling,
        onProgress: progress,
        onTry: (g, l) => io.err(`auto-gain: ${g >= 0 ? '+' : ''}${g.toFixed(2)} dB into the limiter gives ${fmt(l, 2)} LUFS`),
      });
    } catch (err) {
      if (err instanceof MasteringError) throw new CliError(`mixgraph: ${chainPath}: ${err.message}`);
      throw err;
    } finally {
      reader.dispose();
    }
  } finally {
    await input.close();
  }
  const audio = result.audio;
  const interrupt = catchInterrupts();
  try {
    await streamOutputs([output], JSON.stringify(out), async (delivery) => {
      let writer: WavFileWriter;
      try {
        writer = new WavFileWriter(delivery.handle(0), { channels: audio.channels.length, sampleRate, format, frames: audio.channels[0].length, metadata });
      } catch (err) {
        throw new CliError(`mixgraph: ${(err as Error).message}`);
      }
      await emitBlocks(audio, async (channels, n) => {
        if (interrupt.received) throw interrupt.error('nothing was written');
        await writer.write(channels, n);
      });
      await writer.finish();
    });
  } finally {
    interrupt.release();
  }
  const v = verdicts(result.report, DELIVERY_TARGETS);
  if (options.has('json')) {
    io.out(JSON.stringify({ ...reportJson(out, result.report, v), target, ceiling, gainDb: Math.round(result.gainDb * 100) / 100, addedLimiter: result.addedLimiter }, null, 2));
    return 0;
  }
  const lines = [`wrote ${out}`, `  sample rate  ${sampleRate} Hz`, `  bit depth    ${formatName(format)}`];
  if (target !== null) {
    lines.push(`  target       ${target} LUFS${targetOption === null ? " (the chain's loudness node)" : ''}; ${result.gainDb >= 0 ? '+' : ''}${result.gainDb.toFixed(2)} dB into the limiter`);
  }
  if (result.addedLimiter) lines.push(`  the chain has no limiter: a true-peak limiter at ${ceiling ?? -1} dBTP was added at its end`);
  const tags = Object.entries(metadata).filter(([k]) => k !== 'software');
  if (tags.length) lines.push(`  tags         ${tags.map(([k, val]) => `${k} ${JSON.stringify(val)}`).join(', ')}`);
  io.out([...lines, ...reportLines(result.report), 'delivery targets:', ...formatVerdicts(v)].join('\n'));
  return 0;
}
