// Measurements for the checks from an offline render with the runtime (src/mixing/render.ts
// streamPlan): the CLI's `mixgraph check` and the tests. One render of the whole session gives the
// level at each node a check names (a tap on its output port: the highest sample peak and the RMS
// over the render, of the louder channel) and the mix at the speakers (BS.1770 integrated loudness
// and true peak, src/dsp/loudness.ts); the tracks' loudness comes from src/mixing/level.ts, which
// measures each track through its own chain as `mixgraph level` does.
import { getDefinition } from '../../nodes/registry.ts';
import { compile } from '../compiler/compile.ts';
import { renderFrameCount, sessionLength } from '../compiler/duration.ts';
import { LoudnessMeter } from '../dsp/loudness.ts';
import { LevelMeter } from '../io/levels.ts';
import type { Plan } from '../compiler/plan.ts';
import type { SessionDoc } from '../model/document.ts';
import { formatProblem } from '../model/validate.ts';
import { levelTracks } from '../mixing/level.ts';
import { streamPlan, type AnalysisAudio, type Tap } from '../mixing/render.ts';
import type { MeasurementNeeds, Measurements, MixReading, PortReading, TrackReading } from './checks.ts';

export interface OfflineOptions {
  audio: AnalysisAudio;
  /** Seconds to render when no audio file sets the session's length (a lesson's `seconds`). */
  fallbackSeconds: number;
  signal?: AbortSignal;
}

/** Frames to render: the session's length from its files and tails, or the fallback when nothing timed sounds. */
export function checkFrames(doc: SessionDoc, audio: AnalysisAudio, fallbackSeconds: number, plan?: Plan): number {
  if (!plan) {
    const compiled = compile(doc);
    if (!compiled.ok) return renderFrameCount(fallbackSeconds, audio.sampleRate);
    plan = compiled.plan;
  }
  const length = sessionLength(plan, (s) => {
    const frames = audio.frames(s);
    return frames === undefined ? undefined : { duration: frames / audio.sampleRate };
  });
  const seconds = length.soundingSources > 0 && length.seconds > 0 ? length.seconds : fallbackSeconds;
  return renderFrameCount(seconds, audio.sampleRate);
}

/** Render the session once and measure what `needs` asks for; what it does not ask for reads null. */
export async function measureOffline(doc: SessionDoc, needs: MeasurementNeeds, options: OfflineOptions): Promise<Measurements> {
  const levels = new Map<string, PortReading>();
  let mix: MixReading | null = null;
  let tracks: TrackReading[] | null = null;
  const key = (node: string, port?: string) => `${node}\u0000${port ?? ''}`;

  if (needs.levels.length || needs.mix) {
    const compiled = compile(doc);
    if (!compiled.ok) throw new Error(`the session has problems:\n${compiled.problems.map(formatProblem).join('\n')}`);
    const plan = compiled.plan;
    const byId = new Map(plan.nodes.map((n) => [n.id, n]));
    // A tap per level the checks read; the master (no output port) is read at the speakers.
    const taps: Tap[] = [];
    const readers: { key: string; tap: number | 'speakers'; meters: [LevelMeter, LevelMeter] }[] = [];
    const meters = (): [LevelMeter, LevelMeter] => [new LevelMeter(), new LevelMeter()];
    for (const want of needs.levels) {
      const node = byId.get(want.node);
      if (!node) continue; // not in the session (or inside a group the check cannot see): the check says so
      const outputs = getDefinition(node.type)?.ports.outputs ?? [];
      const port = want.port ?? outputs[0]?.id;
      if (port === undefined) readers.push({ key: key(want.node, want.port), tap: 'speakers', meters: meters() });
      else if (outputs.some((p) => p.id === port)) {
        readers.push({ key: key(want.node, want.port), tap: taps.length, meters: meters() });
        taps.push({ id: want.node, port });
      }
    }
    const meter = needs.mix ? new LoudnessMeter(options.audio.sampleRate, 2) : null;
    const frames = checkFrames(doc, options.audio, options.fallbackSeconds, plan);
    await streamPlan(plan, taps, { audio: options.audio, frames, signal: options.signal }, (block) => {
      for (const r of readers) {
        let chans: readonly Float32Array[];
        let from: number;
        let count: number;
        if (r.tap === 'speakers') {
          chans = block.speakers;
          from = block.from;
          count = block.count;
        } else {
          const bus = block.taps[r.tap];
          chans = bus.channels > 1 ? [bus.data[0], bus.data[1]] : [bus.data[0], bus.data[0]];
          from = 0;
          count = block.frames;
        }
        for (let c = 0; c < 2; c++) r.meters[c].add(from ? chans[c].subarray(from) : chans[c], count);
      }
      if (meter && block.count > 0) meter.process(block.from === 0 ? block.speakers : block.speakers.map((ch) => ch.subarray(block.from)), block.count);
    });
    // The louder channel's figures (a mono tap reads the same on both).
    for (const r of readers) {
      const [a, b] = r.meters.map((m) => m.levels());
      levels.set(r.key, { peak: Math.max(a.peakDb, b.peakDb), rms: Math.max(a.rmsDb, b.rmsDb) });
    }
    if (meter) mix = { integrated: meter.integrated(), truePeak: meter.truePeak() };
  }
  if (needs.tracks) {
    const result = await levelTracks(doc, { audio: options.audio, signal: options.signal });
    tracks = result.tracks.filter((t) => t.status !== 'unreached' && t.status !== 'no-audio').map((t) => ({ path: t.path, label: t.label, loudness: t.loudness }));
  }
  return {
    level: (node, port) => levels.get(key(node, port)) ?? null,
    mix: () => mix,
    tracks: () => tracks,
  };
}
