// mixgraph analyze FILE [--json]: the loudness report (EBU R128 / BS.1770) and the delivery verdicts.
// A WAV file is measured as it is read, a block at a time (no size limit, memory a block); other
// formats are decoded whole first.
import { ProgrammeAnalysis, type LoudnessReport } from '../dsp/loudness.ts';
import { WavFileSource } from '../io/wav-source.ts';
import { DELIVERY_TARGETS, fmt, formatVerdicts, verdicts, type Verdict } from '../mastering/compliance.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { openInput, type OpenedAudio } from './audio.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';

export const ANALYZE_OPTIONS: readonly OptionSpec[] = [{ name: 'json' }, { name: 'help', short: 'h' }];

/** The JSON form: numbers in LUFS, LU, dBTP, dBFS; silence (-inf) as null. */
export function reportJson(file: string, r: LoudnessReport, v: Verdict[]): Record<string, unknown> {
  const n = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);
  return {
    file,
    sampleRate: r.sampleRate,
    channels: r.channels,
    duration: Math.round(r.duration * 1e6) / 1e6,
    integrated: n(r.integrated),
    lra: n(r.lra),
    momentaryMax: n(r.momentaryMax),
    shortTermMax: n(r.shortTermMax),
    truePeak: n(r.truePeak),
    samplePeak: n(r.samplePeak),
    units: { integrated: 'LUFS', lra: 'LU', momentaryMax: 'LUFS', shortTermMax: 'LUFS', truePeak: 'dBTP', samplePeak: 'dBFS' },
    compliance: Object.fromEntries(v.map((x) => [x.target, { name: x.name, pass: x.pass, loudnessDelta: n(x.loudnessDelta), reasons: x.reasons }])),
  };
}

/** The readable form, shared with master and album. */
export function reportLines(r: LoudnessReport): string[] {
  return [
    `  integrated      ${fmt(r.integrated).padStart(6)} LUFS`,
    `  loudness range  ${fmt(r.lra).padStart(6)} LU`,
    `  momentary max   ${fmt(r.momentaryMax).padStart(6)} LUFS`,
    `  short-term max  ${fmt(r.shortTermMax).padStart(6)} LUFS`,
    `  true peak       ${fmt(r.truePeak).padStart(6)} dBTP`,
    `  sample peak     ${fmt(r.samplePeak).padStart(6)} dBFS`,
  ];
}

export async function analyzeCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, ANALYZE_OPTIONS, 'analyze');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`mixgraph: analyze takes one audio file: mixgraph analyze FILE [--json]${positionals.length ? `, got ${positionals.length}` : ''}`);
  const file = positionals[0];
  const audio = await openInput(file, null, 'audio file', io.err);
  let report: LoudnessReport;
  try {
    const count = audio.channels;
    if (count !== 1 && count !== 2 && count !== 6) {
      throw new CliError(`mixgraph: ${JSON.stringify(file)} has ${count} channels; loudness is measured for mono, stereo and 5.1 (6 channels: L R C LFE Ls Rs)`);
    }
    report = measure(audio.spec);
  } finally {
    await audio.close();
  }
  const v = verdicts(report, DELIVERY_TARGETS);
  if (options.has('json')) io.out(JSON.stringify(reportJson(file, report, v), null, 2));
  else {
    const layout = report.channels === 1 ? 'mono' : report.channels === 2 ? 'stereo' : '5.1';
    io.out([`${file}: ${report.sampleRate} Hz, ${layout}, ${report.duration.toFixed(3)} s`, ...reportLines(report), 'delivery targets:', ...formatVerdicts(v)].join('\n'));
  }
  return 0;
}

/** The report of a whole source, read in blocks (the same readings as analyze() of it in memory). */
function measure(spec: OpenedAudio['spec']): LoudnessReport {
  if (spec.kind === 'memory') return new ProgrammeAnalysis(spec.sampleRate, spec.channels.length).add(spec.channels).report();
  const source = new WavFileSource(spec.fd, spec.info);
  const programme = new ProgrammeAnalysis(source.sampleRate, source.channels);
  const block = 8192;
  const buffers = Array.from({ length: source.channels }, () => new Float32Array(block));
  for (let at = 0; at < source.frames; at += block) {
    const n = Math.min(block, source.frames - at);
    source.read(at, n, buffers);
    programme.add(n === block ? buffers : buffers.map((b) => b.subarray(0, n)));
  }
  return programme.report();
}
