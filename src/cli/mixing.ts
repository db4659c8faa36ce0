// The mixing analyses on the command line (src/mixing: one implementation with the editor):
//   mixgraph level SESSION -o LEVELLED.json [--target LUFS] [--json]
//   mixgraph align SESSION --to TRACK_ID -o ALIGNED.json [--json]
//   mixgraph mixcheck SESSION [--json]       exit 0 no findings, 1 findings, 2 bad input (like diff)
// A session is a session file or a `.mixgraph` package. Sources are opened as render opens them
// (WAV streamed, other formats decoded) at 48 kHz and rendered through the runtime. level and
// align write the session with the analysis's command applied: a JSON file (its audio paths made
// relative to the new file's folder) or, from a package or to NAME.mixgraph, a package with the
// same audio.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

import { openSources, specFrames } from '../engine/node.ts';
import { readRegularFile, InputRefused } from '../io/files.ts';
import { MAX_AUDIO_BYTES } from '../io/audio-limits.ts';
import { apply, type Command } from '../model/commands.ts';
import { nodeAt, type SessionDoc } from '../model/document.ts';
import { alignTracks, type AlignResult } from '../mixing/align.ts';
import { DEFAULT_LEVEL_TARGET, levelTracks, type LevelResult } from '../mixing/level.ts';
import { mixCheck, type MixCheckResult } from '../mixing/mixcheck.ts';
import { AnalysisAborted, type AnalysisAudio } from '../mixing/render.ts';
import { saveSession } from '../presets/load.ts';
import { packagePath, PackageError, writePackage, type PackageFile } from '../presets/package.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError } from './errors.ts';
import { catchInterrupts } from './interrupt.ts';
import type { Io } from './io.ts';
import { DEFAULT_SAMPLE_RATE } from './limits.ts';
import { checkOutputs, writeOutputs } from './output.ts';
import { isPackagePath } from './package.ts';
import { prepareSessionSource, progressLine, type SessionSource } from './render.ts';
import { fileParams, openSessionAudio } from './session.ts';

const COMMON: readonly OptionSpec[] = [{ name: 'json' }, { name: 'allow-any-path' }, { name: 'help', short: 'h' }];
export const LEVEL_OPTIONS: readonly OptionSpec[] = [{ name: 'output', short: 'o', value: 'LEVELLED.json' }, { name: 'target', value: 'LUFS' }, ...COMMON];
export const ALIGN_OPTIONS: readonly OptionSpec[] = [{ name: 'output', short: 'o', value: 'ALIGNED.json' }, { name: 'to', value: 'TRACK_ID' }, ...COMMON];
export const MIXCHECK_OPTIONS: readonly OptionSpec[] = COMMON;

/** JSON with -Infinity (silence) as null. */
const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
const fixed = (x: number | null, digits = 2) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits));

function oneSession(positionals: string[], command: string, usage: string): string {
  if (positionals.length === 0) throw new CliError(`mixgraph: ${command} needs a session file: ${usage}`);
  if (positionals.length > 1) throw new CliError(`mixgraph: ${command} takes one session file, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  return positionals[0];
}

function outputOption(options: Map<string, string | true>, command: string, name: string): string {
  const out = options.get('output');
  if (typeof out !== 'string' || out === '') throw new CliError(`mixgraph: ${command} needs an output session: -o ${name}`);
  if (!isPackagePath(out) && !out.toLowerCase().endsWith('.json')) throw new CliError(`mixgraph: the output session must be NAME.json or NAME.mixgraph, got ${JSON.stringify(out)}`);
  return out;
}

interface Opened {
  source: SessionSource;
  audio: AnalysisAudio;
  seconds: number;
  close(): Promise<void>;
}

/** The session loaded, checked and its sources opened for the analyses (render's readers). */
async function openForAnalysis(path: string, allowAnyPath: boolean, io: Io): Promise<Opened> {
  const source = await prepareSessionSource(path, allowAnyPath);
  try {
    const sampleRate = DEFAULT_SAMPLE_RATE;
    const opened = await openSessionAudio(source.session, source.files, sampleRate, io.err);
    const specs = opened.specs;
    let longest = 0;
    for (const s of specs.values()) longest = Math.max(longest, specFrames(s));
    const audio: AnalysisAudio = {
      sampleRate,
      frames: (name) => (specs.has(name) ? specFrames(specs.get(name)!) : undefined),
      open: (plan) => openSources(specs, plan),
    };
    return {
      source,
      audio,
      seconds: longest / sampleRate,
      close: async () => {
        await opened.close();
        await source.session.cleanup();
      },
    };
  } catch (err) {
    await source.session.cleanup();
    throw err;
  }
}

/** Run an analysis with Ctrl-C stopping it (nothing written). */
async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = catchInterrupts();
  try {
    return await work(interrupt.signal);
  } catch (err) {
    if (interrupt.received) throw interrupt.error('nothing was written');
    if (err instanceof AnalysisAborted) throw new CliError('mixgraph: the analysis was stopped; nothing was written');
    throw err;
  } finally {
    interrupt.release();
  }
}

/**
 * The session with `command` applied, as the bytes of `out`: a package (the same audio inside)
 * when `out` is NAME.mixgraph, else JSON whose audio paths are relative to `out`'s folder. A
 * package's session can only go to a package (its audio lives inside it).
 */
async function sessionOutput(opened: Opened, command: Command | null, out: string, warn: (line: string) => void): Promise<Uint8Array> {
  const { session, files } = opened.source;
  // a copy to edit: apply() hands back a frozen document
  const doc: SessionDoc = structuredClone(command ? apply(session.doc, command).doc : session.doc);
  const fromPackage = isPackagePath(session.file);
  if (isPackagePath(out)) {
    const packed: PackageFile[] = [];
    const done = new Set<string>();
    for (const f of fileParams(doc)) {
      const name = packagePath(f.value);
      if (!name.ok) throw new CliError(`${session.name}: node "${f.node}": ${name.message}`);
      if (done.has(name.name)) continue;
      done.add(name.name);
      try {
        packed.push({ name: name.name, bytes: await readRegularFile(files.get(f.value)!, MAX_AUDIO_BYTES) });
      } catch (err) {
        if (err instanceof InputRefused) throw new CliError(`${session.name}: node "${f.node}": cannot read ${JSON.stringify(f.value)}: ${err.message}`);
        throw err;
      }
    }
    try {
      return writePackage(doc, packed);
    } catch (err) {
      if (err instanceof PackageError) throw new CliError(err.problems.map((l) => `${session.name}: ${l}`));
      throw err;
    }
  }
  if (fromPackage) throw new CliError(`mixgraph: ${JSON.stringify(session.file)} is a package: its audio is inside it, so write the result as a package too (-o NAME.mixgraph)`);
  // Audio paths relative to the new file's folder (the same files, wherever the output goes)
  const outDir = dirname(resolve(out));
  const outside: string[] = [];
  for (const f of fileParams(doc)) {
    const node = nodeAt(doc, f.node);
    const file = files.get(f.value);
    if (!node || !file) continue;
    const rel = relative(outDir, file).split(sep).join('/');
    if (rel.startsWith('../') || isAbsolute(rel)) outside.push(rel);
    (node.params as Record<string, unknown>)[f.param] = rel;
  }
  if (outside.length) warn(`mixgraph: warning: ${out} reads audio outside its folder (${[...new Set(outside)].slice(0, 3).join(', ')}${outside.length > 3 ? ', …' : ''}): using it will need --allow-any-path; write it beside the session, or as NAME.mixgraph`);
  return new TextEncoder().encode(saveSession(doc));
}

// ---------------------------------------------------------------- level

export async function levelCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, LEVEL_OPTIONS, 'level');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  const path = oneSession(positionals, 'level', 'mixgraph level SESSION.json -o LEVELLED.json [--target LUFS]');
  const out = outputOption(options, 'level', 'LEVELLED.json');
  let target = DEFAULT_LEVEL_TARGET;
  const t = options.get('target');
  if (typeof t === 'string') {
    target = Number(t);
    if (t.trim() === '' || !Number.isFinite(target) || target < -60 || target > 0) throw new CliError(`mixgraph: --target must be a loudness from -60 to 0 LUFS, got ${JSON.stringify(t)}`);
  }
  const opened = await openForAnalysis(path, options.get('allow-any-path') === true, io);
  try {
    const [output] = await checkOutputs([{ path: out, what: 'the output session' }], opened.source.inputs);
    const progress = progressLine(io, opened.seconds * 2, 'levelling');
    const result = await interruptible((signal) => levelTracks(opened.source.session.doc, { audio: opened.audio, target, signal, onProgress: progress }));
    const bytes = await sessionOutput(opened, result.command, out, io.err);
    await writeOutputs([output], [bytes], JSON.stringify(out));
    io.out(options.has('json') ? json({ session: path, output: out, ...levelJson(result) }) : levelText(result, out));
    return 0;
  } finally {
    await opened.close();
  }
}

const levelJson = (r: LevelResult) => ({ target: r.target, tracks: r.tracks, silent: r.silent, changed: r.tracks.filter((t) => t.gainAfter !== t.gainBefore).length });

function levelText(r: LevelResult, out: string): string {
  const moved = r.tracks.filter((t) => t.gainAfter !== t.gainBefore);
  const width = Math.max(5, ...r.tracks.map((t) => t.label.length));
  const lines = [`levelled ${moved.length} of ${r.tracks.length} tracks to ${r.target} LUFS; wrote ${out}`, `  ${'track'.padEnd(width)}  loudness     gain before -> after   result`];
  for (const t of r.tracks) {
    const loud = t.loudness === null ? '—' : `${fixed(t.loudness)} LUFS`;
    const after = t.loudnessAfter !== null && t.gainAfter !== t.gainBefore ? `${fixed(t.loudnessAfter)} LUFS` : t.note ?? t.status;
    lines.push(`  ${t.label.padEnd(width)}  ${loud.padEnd(11)}  ${fixed(t.gainBefore).padStart(6)} -> ${fixed(t.gainAfter).padStart(6)} dB   ${t.status === 'levelled' || t.status === 'clamped' ? `${after}${t.note ? ` (${t.note})` : ''}` : after}`);
  }
  if (r.silent.length) lines.push(`  left alone, silent or near-silent: ${r.silent.join(', ')}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- align

export async function alignCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, options } = parseArgs(argv, ALIGN_OPTIONS, 'align');
  if (options.has('help')) {
    io.out(io.usage);
    return 0;
  }
  const path = oneSession(positionals, 'align', 'mixgraph align SESSION.json --to TRACK_ID -o ALIGNED.json');
  const to = options.get('to');
  if (typeof to !== 'string' || to === '') throw new CliError('mixgraph: align needs the reference track: --to TRACK_ID');
  const out = outputOption(options, 'align', 'ALIGNED.json');
  const opened = await openForAnalysis(path, options.get('allow-any-path') === true, io);
  try {
    const ref = nodeAt(opened.source.session.doc, to);
    if (!ref || ref.type !== 'track') throw new CliError(`${opened.source.session.name}: no track "${to}" to align to${ref ? ` (it is a ${ref.type})` : ''}; give a track's id (group/id inside a group)`);
    const [output] = await checkOutputs([{ path: out, what: 'the output session' }], opened.source.inputs);
    const progress = progressLine(io, opened.seconds, 'aligning');
    const result = await interruptible((signal) => alignTracks(opened.source.session.doc, { reference: to, audio: opened.audio, signal, onProgress: progress }));
    const bytes = await sessionOutput(opened, result.command, out, io.err);
    await writeOutputs([output], [bytes], JSON.stringify(out));
    io.out(options.has('json') ? json({ session: path, output: out, reference: result.reference, sampleRate: result.sampleRate, tracks: result.tracks }) : alignText(result, out));
    return 0;
  } finally {
    await opened.close();
  }
}

function alignText(r: AlignResult, out: string): string {
  const moved = r.tracks.filter((t) => t.offsetAfter !== t.offsetBefore || t.invertAfter !== t.invertBefore);
  const width = Math.max(5, ...r.tracks.map((t) => t.label.length));
  const lines = [`aligned ${moved.length} of ${r.tracks.length - 1} tracks to ${r.reference}; wrote ${out}`, `  ${'track'.padEnd(width)}  delay ms   samples    polarity  confidence  offset ms before -> after   result`];
  for (const t of r.tracks) {
    if (t.status === 'reference') {
      lines.push(`  ${t.label.padEnd(width)}  (the reference)`);
      continue;
    }
    const polarity = t.delayMs === null ? '' : t.inverted ? 'inverted' : 'same';
    lines.push(
      `  ${t.label.padEnd(width)}  ${fixed(t.delayMs, 3).padStart(8)}  ${fixed(t.delaySamples, 2).padStart(8)}    ${polarity.padEnd(8)}  ${fixed(t.confidence).padStart(10)}  ${fixed(t.offsetBefore, 3).padStart(9)} -> ${fixed(t.offsetAfter, 3).padStart(9)}${t.invertAfter !== t.invertBefore ? ', polarity flipped' : ''}   ${t.status}`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- mixcheck

/** mixgraph mixcheck: exit 0 no findings, 1 findings, 2 bad input (1 means "found something", like diff's). */
export async function mixcheckCommand(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { positionals, options } = parseArgs(argv, MIXCHECK_OPTIONS, 'mixcheck');
    if (options.has('help')) {
      io.out(io.usage);
      return 0;
    }
    const path = oneSession(positionals, 'mixcheck', 'mixgraph mixcheck SESSION.json [--json]');
    const opened = await openForAnalysis(path, options.get('allow-any-path') === true, io);
    try {
      const progress = progressLine(io, opened.seconds * 4, 'checking');
      const result = await interruptible((signal) => mixCheck(opened.source.session.doc, { audio: opened.audio, signal, onProgress: progress }));
      io.out(options.has('json') ? json({ session: path, ...mixcheckJson(result) }) : mixcheckText(result, path));
      return result.findings.length ? 1 : 0;
    } finally {
      await opened.close();
    }
  } catch (err) {
    if (err instanceof CliError) {
      for (const line of err.lines) io.err(line);
      return err.status === 1 ? 2 : err.status;
    }
    throw err;
  }
}

const mixcheckJson = (r: MixCheckResult) => ({
  mixLoudness: r.mixLoudness,
  bands: r.bands,
  tracks: r.tracks,
  findings: r.findings.map((f) => ({ kind: f.kind, tracks: f.tracks, message: f.message, figures: f.figures, suggestion: f.suggestion ? { text: f.suggestion.text, edit: f.suggestion.edit } : null })),
});

function mixcheckText(r: MixCheckResult, path: string): string {
  const width = Math.max(5, ...r.tracks.map((t) => t.label.length));
  const lines = [`mix check of ${path}: the mix reaches the master at ${fixed(r.mixLoudness, 1)} LUFS`, `  ${'track'.padEnd(width)}  loudness     against the mix`];
  for (const t of r.tracks) lines.push(`  ${t.label.padEnd(width)}  ${t.loudness === null ? 'silent     ' : `${fixed(t.loudness, 1)} LUFS`.padEnd(11)}  ${t.relative === null ? '' : `${t.relative >= 0 ? '+' : ''}${fixed(t.relative, 1)} LU`}`);
  if (r.findings.length === 0) lines.push('no findings');
  else {
    lines.push(`${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}:`);
    for (const f of r.findings) {
      lines.push(`  ${f.kind}: ${f.message}`);
      if (f.suggestion) lines.push(`    fix: ${f.suggestion.text}`);
    }
  }
  return lines.join('\n');
}
