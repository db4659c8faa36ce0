// The mixgraph command. bin/mixgraph.js calls main(argv) and exits with what it returns:
// 0 success, 1 a problem with the input or the command line (one line per problem on stderr),
// 2 an internal error (one line; MIXGRAPH_DEBUG=1 adds the stack).
import { readFile } from 'node:fs/promises';

import { PresetError } from '../presets/json.ts';
import { CliError } from './errors.ts';
import { processIo, type Io } from './io.ts';
import { availableParallelism } from 'node:os';

import { DEFAULT_SAMPLE_RATE, MAX_SAMPLE_RATE, MAX_SECONDS, MIN_SAMPLE_RATE } from './limits.ts';

const defaultThreads = () => availableParallelism();

export const USAGE = `Usage: mixgraph <command> [options]

Commands:
  render SESSION.json -o OUT.wav        render a session offline to a stereo WAV file and print its levels
  validate FILE.json                    check a session, chain, node preset, album, lesson or package; one line per problem
  pack SESSION.json -o NAME.mixgraph    one file holding the session (or lesson) and every audio file it uses
  diff A.json B.json [--json]           what differs between two sessions, chains or node presets
  check LESSON.json SESSION... [--json] grade sessions (files, packages or folders of them) against
                                        a lesson's checks: per session, per step, per check
  analyze FILE [--json]                 loudness report (EBU R128): integrated, range, momentary and
                                        short-term maxima, true and sample peak, delivery verdicts
  master CHAIN.json IN -o OUT.wav       run a file through a mastering chain to a loudness target
  album ALBUM.json -o DIR               master an album: one WAV per track, a CUE sheet, the report
  level SESSION.json -o OUT.json        set every track's fader so it gives the mix one loudness
  align SESSION.json --to TRACK -o OUT.json  time offset and polarity of each track against a reference
  mixcheck SESSION.json [--json]        what each track gives the mix: dominating tracks, masking,
                                        vocal presence, each finding with a fix
  help                                  show this text

A package (NAME.mixgraph, made by pack or the editor's Save package) can be given wherever a
session is: render, validate, level, align, mixcheck, an album track's source; a package holding
chain.json for master.

render options:
  -o, --output OUT.wav     the file to write (required); missing folders are created
  --sample-rate HZ         ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} (default ${DEFAULT_SAMPLE_RATE})
  --bit-depth 16|24|32f    16-bit PCM with TPDF dither, 24-bit PCM (default), or 32-bit float
  --duration SECONDS       how long to render, at most ${MAX_SECONDS} (24 hours; default: the longest track
                           with its offset, plus the tails of delays and reverbs after it; needed for generators)
  --threads N              threads that render (default: every core, here ${defaultThreads()}; 1: no worker threads;
                           the file is the same to the bit whatever the number)
  --allow-any-path         let the session read audio files outside its folder

validate options:
  --allow-any-path         as for render

pack options:
  -o, --output NAME.mixgraph  the package to write; audio must be inside the session's folder

master options:
  -o, --output OUT.wav     the file to write (required)
  --target LUFS            integrated loudness to reach, -36 to -5 (default: the chain's loudness node's
                           target; without either the chain's own level is kept)
  --ceiling dBTP           true-peak ceiling for the chain's limiters, -12 to 0 (a chain without a
                           limiter gets one at its end when a target is set)
  --bit-depth 16|24|32f    as for render (default 24)
  --sample-rate 44100|48000  delivery rate (default: the input's, when it is one of these, else 48000)
  --title, --artist, --album TEXT   tags written into the WAV file
  --isrc CC-XXX-YY-NNNNN   the recording's ISRC, checked and written into the WAV file
  --json                   print the report as JSON

album options:
  -o, --output DIR         the folder to write into (created if missing)
  --bit-depth, --sample-rate, --allow-any-path, --json   as above

level options:
  -o, --output OUT.json    the levelled session (NAME.mixgraph: a package with the same audio; a package's
                           session can only be written as a package)
  --target LUFS            the loudness each track gives the mix, -60 to 0 (default -18); measured through
                           its own chain up to the first shared node (BS.1770 integrated, gated); silent and
                           near-silent tracks (under -70 LUFS) are left alone and named
  --json, --allow-any-path

align options:
  --to TRACK_ID            the reference track (group/id inside a group), e.g. the overheads
  -o, --output OUT.json    the aligned session, as for level
  --json, --allow-any-path
  Each track is compared with the reference by GCC-PHAT within ±200 ms; its offset moves by the delay
  found (to the sample) and its polarity flips when it is inverted. Tracks whose match has a confidence
  under 0.5 (no shared material) are left alone.

mixcheck options:
  --json, --allow-any-path
  Flags a track more than 6 LU over the median of the others, pairs of tracks that carry 30 % or more
  of a 1/3-octave band together for 40 % of the time it sounds (masking), and a vocals track buried
  (under 0 dB) or on top (over +10 dB) of the rest in 1-4 kHz; each with its figures and a fix (a fader
  change, a peaking cut, or a sidechain duck). Its exit status, like diff's: 0 no findings, 1 findings,
  2 bad input.

diff prints nodes added and removed, edges added and removed, parameter changes with old and new
values and units (inner group nodes by path: group/node), bypass, label, knob and snapshot changes,
and nodes that only moved; --json gives the same as an object. Its exit status: 0 the same,
1 different, 2 bad input (unlike the other commands, whose 1 is bad input).

check renders each session once through the runtime (sources as for render) and evaluates every
step's checks: pass or FAIL with what was expected and what was found. A folder grades every .json
and .mixgraph file in it (not sub-folders). The lesson may be a package holding lesson.json.
Options: --json (the same as an object), --allow-any-path. Its exit status, like diff's: 0 every
check passes, 1 some fail, 2 bad input (a session that cannot be graded is reported and the others
graded).

analyze --json prints integrated (LUFS), lra (LU), momentaryMax and shortTermMax (LUFS), truePeak
(dBTP), samplePeak (dBFS) and a pass/fail verdict for Spotify, Apple Music, YouTube, EBU R128 and
ATSC A/85; silence is null.

Audio files are paths relative to the session file and must stay inside its folder: absolute paths,
paths that leave it (also through symbolic links) and URLs are refused unless --allow-any-path.

Exit status: 0 done, 1 a problem with the input or the command line, 2 an internal error (diff,
check and mixcheck: see above).
`;

let guarded = false;

/** Last resort for errors thrown outside main's await chain: one line, exit 2, no stack. */
function guardProcess(): void {
  if (guarded) return;
  guarded = true;
  const fail = (err: unknown) => {
    process.stderr.write(`mixgraph: internal error: ${messageOf(err)}\n`);
    if (process.env.MIXGRAPH_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(2);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] || (err instanceof Error ? err.name : 'unknown error');
}

declare const MIXGRAPH_VERSION: string | undefined;

async function version(): Promise<string> {
  // The bundle (bin/launch.js) knows its version; the sources read it from package.json.
  if (typeof MIXGRAPH_VERSION === 'string') return `mixgraph ${MIXGRAPH_VERSION}`;
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return `mixgraph ${pkg.version ?? '?'}`;
}

/** Run the command; `io` replaces the process's streams (then no process-wide handlers are installed). */
export async function main(argv: string[], io?: Io): Promise<number> {
  if (io) return run(argv, io);
  guardProcess();
  const code = await run(argv, processIo(USAGE));
  // A thread left behind by a failure (a render worker, node-web-audio-api's decoder) must not
  // keep the process alive; normally the process has ended before this fires.
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}

async function run(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
        io.err(USAGE);
        return 1;
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      case '--version':
      case '-V':
        io.out(await version());
        return 0;
      // Loaded on demand: validate does not need the audio library.
      case 'render':
        return await (await import('./render.ts')).renderCommand(rest, io);
      case 'validate':
        return await (await import('./validate.ts')).validateCommand(rest, io);
      case 'analyze':
        return await (await import('./analyze.ts')).analyzeCommand(rest, io);
      case 'master':
        return await (await import('./master.ts')).masterCommand(rest, io);
      case 'album':
        return await (await import('./album.ts')).albumCommand(rest, io);
      case 'pack':
        return await (await import('./package.ts')).packCommand(rest, io);
      case 'diff':
        return await (await import('./diff.ts')).diffCommand(rest, io);
      case 'check':
        return await (await import('./check.ts')).checkCommand(rest, io);
      case 'level':
        return await (await import('./mixing.ts')).levelCommand(rest, io);
      case 'align':
        return await (await import('./mixing.ts')).alignCommand(rest, io);
      case 'mixcheck':
        return await (await import('./mixing.ts')).mixcheckCommand(rest, io);
      default:
        if (command.startsWith('-')) throw new CliError(`mixgraph: unknown option ${JSON.stringify(command)}; see mixgraph --help`);
        throw new CliError(`mixgraph: unknown command ${JSON.stringify(command)}; the commands are render, validate, analyze, master, album, pack, diff, check, level, align and mixcheck (see mixgraph --help)`);
    }
  } catch (err) {
    if (err instanceof CliError || err instanceof PresetError) {
      const lines = err instanceof CliError ? err.lines : err.problems;
      for (const line of lines) io.err(line);
      return err instanceof CliError ? err.status : 1;
    }
    io.err(`mixgraph: internal error: ${messageOf(err)}`);
    if (process.env.MIXGRAPH_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
    return 2;
  }
}
