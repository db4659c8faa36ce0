// "Mix check": what each track gives the mix, and the usual problems, with figures and a fix.
//
// Each track's contribution is what reaches the master's input when it plays alone (the others
// muted): its own chain, the buses it goes through, its sends' returns. The whole session is
// rendered once per track through the runtime, plus once as it plays (for the mix's loudness).
// Shared dynamics (a bus compressor) hear one track at a time there, so on a bus that compresses
// hard the contributions are what each track would give alone, not its part of the compressed sum.
//
// From the contributions:
// - Loudness: each track's BS.1770 integrated loudness, against the mix's. A track more than
//   6 LU over the median of the others dominates (the fix: its fader down to 3 LU over them).
// - Masking: 1/3-octave band energies over frames of ~170 ms (src/dsp/bands.ts). In a frame a
//   band counts when it is within 30 dB of the frame's strongest band (a band far under the
//   others is not heard anyway). Two tracks mask each other there when each carries at least
//   30 % of the band's energy at once (within 3.7 dB of each other with nobody else in the band).
//   A pair that does so in 40 % or more of the frames where the band counts (under 250 Hz with
//   one drum in the pair: of the frames where the drum holds 30 % of the band, its hits: a kick
//   is masked when the bass covers its hits, however short they are), for a second or more and
//   a tenth of the time the band counts, is a finding; neighbouring bands of one pair make one finding, named by the band where
//   it is strongest. The fix: under 250 Hz, where one of them is drums (the kick and the bass),
//   duck the other under it with a sidechain; otherwise cut the track that needs the band less
//   (never the vocal; else the one for which this band holds the smaller part of its energy) with
//   a peaking cut centred on the bands found, as wide as they are plus a third of an octave each
//   side, deep enough (by the EQ's own response at each band's centre, 3 to 12 dB) to put it 6 dB
//   under the other in every one of them (from their mean difference while they contend).
// - Vocal presence: each `vocals` track's energy in the 1-4 kHz bands (where consonants and
//   intelligibility live) against the non-vocal tracks' there, over the frames where the vocal
//   sounds (within 40 dB of its loudest frame). Under 0 dB (the band carries more of the others
//   than of the voice) it is buried; over 10 dB (the voice has the range to itself, the track
//   under it sounds hollow) it is on top. The fix: its fader to +5 dB, the middle.
// The thresholds are rules of thumb, stated as constants so the editor can show them.
import type { Plan, PlanNode } from '../compiler/plan.ts';
import type { Command } from '../model/commands.ts';
import type { SessionDoc } from '../model/document.ts';
import { BAND_CENTRES, BandAnalyser } from '../dsp/bands.ts';
import { LoudnessMeter } from '../dsp/loudness.ts';
import { cookbook, magnitudeDb } from '../dsp/biquad.ts';
import { getDefinition, isProgramOutput } from '../../nodes/registry.ts';
import { addPeakingCut, duckUnder, formatHz, planOrThrow, round2, setTrackGains, trackChains, unmuted, type PeakingCut } from './graph.ts';
import { streamPlan, type AnalysisAudio, type Tap } from './render.ts';
import type { TrackCategory } from './categories.ts';

export const DOMINATING_LU = 6;
/** The fix for a dominating track leaves it this far over the median. */
export const DOMINATING_FIX_LU = 3;
export const MASK_SHARE = 0.3;
export const MASK_FRACTION = 0.4;
export const MASK_MIN_SECONDS = 1;
/** ... and for at least this part of the time the band counts (a long song's brief overlaps pass). */
export const MASK_MIN_TIME_FRACTION = 0.1;
/** A band under the frame's strongest band by more than this does not count in that frame. */
export const BAND_FLOOR_DB = 30;
/** The fix for masking leaves the cut track this far under the other in the band. */
export const MASK_FIX_DB = 6;
export const DUCK_BELOW_HZ = 250;
export const PRESENCE_HZ: readonly [number, number] = [1000, 4000];
export const VOCAL_BURIED_DB = 0;
export const VOCAL_ON_TOP_DB = 10;
export const VOCAL_TARGET_DB = 5;
/** A contribution under this (LUFS) is silent and left out. */
const SILENT_LUFS = -70;

export type FindingKind = 'dominating' | 'masking' | 'vocal-buried' | 'vocal-on-top';

/** A fix as plain data (for JSON, and for the editor to rebuild): `command` is the same edit. */
export type Edit =
  | ({ type: 'peaking-cut' } & PeakingCut)
  | { type: 'duck'; key: string; target: string }
  | { type: 'gain'; track: string; gain: number };

export interface Suggestion {
  text: string;
  edit: Edit;
  /** One undo step; built for the session that was checked. */
  command: Command;
}

export interface Finding {
  kind: FindingKind;
  /** The tracks concerned (paths): the dominating one; the masking pair; the vocal. */
  tracks: string[];
  message: string;
  figures: Record<string, number>;
  suggestion: Suggestion | null;
}

export interface MixTrack {
  path: string;
  label: string;
  category: TrackCategory;
  /** Integrated loudness of its contribution (LUFS); null when silent. */
  loudness: number | null;
  /** Its loudness minus the mix's (LU); null when silent. */
  relative: number | null;
  /** Mean level per band of its contribution (dB, common reference across tracks), BAND_CENTRES order. */
  spectrum: number[];
}

export interface MixCheckResult {
  /** Integrated loudness of the master's input with every track as it plays (LUFS). */
  mixLoudness: number;
  bands: readonly number[];
  tracks: MixTrack[];
  findings: Finding[];
}

export interface MixCheckOptions {
  audio: AnalysisAudio;
  signal?: AbortSignal;
  onProgress?: (fraction: number, what: string) => void;
}

const db = (x: number) => 10 * Math.log10(x);

/** Frames of the longest track with its offset, plus the graph's tails (up to 10 s). */
function sessionFrames(plan: Plan, audio: AnalysisAudio): number {
  let longest = 0;
  let tail = 0;
  for (const n of plan.nodes) {
    tail += getDefinition(n.type)?.tail?.(n.params) ?? 0;
    if (n.type !== 'track' || !n.params.source) continue;
    const f = audio.frames(String(n.params.source));
    if (f === undefined) continue;
    longest = Math.max(longest, f + Math.round(((n.params.offset as number) / 1000) * audio.sampleRate));
  }
  return longest > 0 ? longest + Math.round(Math.min(tail, 10) * audio.sampleRate) : 0;
}

interface Rendered {
  loudness: number;
  /** frames × bands energies. */
  energy: Float32Array;
  frames: number;
}

/** Render `plan` and measure what reaches the master's input. */
const KEY_COPY = '__key__';

/**
 * The plan with every sidechain fed by a copy of its key's upstream graph (every node the key
 * hears, renamed, reaching nothing else), so muting a track on the main path leaves the keys alone.
 */
function withKeyCopies(plan: Plan): Plan {
  const isKey = (e: Plan['edges'][number]) => {
    const type = plan.nodes.find((n) => n.id === e.to)?.type;
    return getDefinition(type ?? '')?.ports.inputs.find((p) => p.id === e.toPort)?.role === 'sidechain';
  };
  const keys = plan.edges.filter(isKey);
  if (keys.length === 0) return plan;
  const upstream = new Set<string>();
  const visit = (id: string) => {
    if (upstream.has(id)) return;
    upstream.add(id);
    for (const e of plan.edges) if (e.to === id) visit(e.from);
  };
  for (const e of keys) visit(e.from);
  const copy = (id: string) => KEY_COPY + id;
  return {
    nodes: [...plan.nodes.filter((n) => upstream.has(n.id)).map((n) => ({ ...n, id: copy(n.id) })), ...plan.nodes],
    edges: [
      ...plan.edges.filter((e) => upstream.has(e.to) && upstream.has(e.from)).map((e) => ({ ...e, from: copy(e.from), to: copy(e.to) })),
      ...plan.edges.map((e) => (isKey(e) ? { ...e, from: copy(e.from) } : e)),
    ],
  };
}

async function renderMasterInput(plan: Plan, taps: readonly Tap[], frames: number, options: MixCheckOptions): Promise<Rendered> {
  const sr = options.audio.sampleRate;
  const energy = new Float32Array(BandAnalyser.frames(frames, sr) * BAND_CENTRES.length);
  const bands = new BandAnalyser(sr, energy);
  const meter = new LoudnessMeter(sr, 2, { truePeak: false });
  const l = new Float32Array(128);
  const r = new Float32Array(128);
  const m = new Float32Array(128);
  const pair = [l, r];
  await streamPlan(plan, taps, { audio: options.audio, frames, signal: options.signal }, (block) => {
    const n = block.frames;
    l.fill(0, 0, n);
    r.fill(0, 0, n);
    for (const bus of block.taps) {
      const a = bus.data[0];
      const b = bus.channels > 1 ? bus.data[1] : a;
      for (let i = 0; i < n; i++) {
        l[i] += a[i];
        r[i] += b[i];
      }
    }
    for (let i = 0; i < n; i++) m[i] = 0.5 * (l[i] + r[i]);
    meter.process(pair, n);
    bands.push(m, n);
  });
  bands.finish();
  // Rebase the stride: the analyser writes `bands.bands` per frame (fewer at low rates)
  return { loudness: meter.integrated(), energy, frames: bands.written };
}

export async function mixCheck(doc: SessionDoc, options: MixCheckOptions): Promise<MixCheckResult> {
  const sr = options.audio.sampleRate;
  const plan = planOrThrow(unmuted(doc));
  const master = plan.nodes.find((n) => isProgramOutput(n.type));
  if (!master) throw new Error('the session has no master to check');
  const taps: Tap[] = plan.edges.filter((e) => e.to === master.id).map((e) => ({ id: e.from, port: e.fromPort }));
  const chains = trackChains(doc);
  const frames = sessionFrames(plan, options.audio);
  const asPlayed = planOrThrow(doc);
  const renders = chains.length + 1;
  options.onProgress?.(0, 'the mix');
  const playedTaps: Tap[] = asPlayed.edges.filter((e) => e.to === master.id).map((e) => ({ id: e.from, port: e.fromPort }));
  const mix = frames > 0 && playedTaps.length ? await renderMasterInput(asPlayed, playedTaps, frames, options) : null;
  const nb = new BandAnalyser(sr, new Float32Array(0)).bands;
  const bands = BAND_CENTRES.slice(0, nb);

  // Each track alone: the unmuted plan with every other track muted, except that sidechain keys
  // still play (a bass ducked under the kick is heard ducked), from copies of what feeds them.
  const keyed = withKeyCopies(plan);
  const alone = (path: string): Plan => ({
    nodes: keyed.nodes.map((n): PlanNode => (n.type === 'track' && n.id !== path && !n.id.startsWith(KEY_COPY) ? { ...n, params: { ...n.params, mute: true } } : n)),
    edges: keyed.edges,
  });
  const contributions: (Rendered | null)[] = [];
  for (let k = 0; k < chains.length; k++) {
    const c = chains[k];
    options.onProgress?.((k + 1) / renders, c.label);
    const sounds = frames > 0 && taps.length && c.node.params.source && options.audio.frames(String(c.node.params.source)) !== undefined && c.exits.length > 0;
    contributions.push(sounds ? await renderMasterInput(alone(c.path), taps, frames, options) : null);
  }
  options.onProgress?.(1, '');
  const mixLoudness = mix ? mix.loudness : -Infinity;
  const audible = (r: Rendered | null): r is Rendered => r !== null && r.loudness > SILENT_LUFS;

  const tracks: MixTrack[] = chains.map((c, k) => {
    const r = contributions[k];
    const spectrum = bands.map((_, b) => {
      if (!r || r.frames === 0) return -Infinity;
      let e = 0;
      for (let f = 0; f < r.frames; f++) e += r.energy[f * nb + b];
      return e > 0 ? round2(db(e / r.frames)) : -Infinity;
    });
    const loud = audible(r) ? r.loudness : null;
    return {
      path: c.path,
      label: c.label,
      category: c.category,
      loudness: loud,
      relative: loud !== null && Number.isFinite(mixLoudness) ? loud - mixLoudness : null,
      spectrum,
    };
  });

  const findings: Finding[] = [];
  const heard = chains.map((_, k) => k).filter((k) => audible(contributions[k]));
  const labelOf = (k: number) => chains[k].label;

  // ---- dominating
  for (const k of heard) {
    const others = heard.filter((j) => j !== k).map((j) => contributions[j]!.loudness).sort((a, b) => a - b);
    if (others.length < 2) continue;
    const mid = others.length >> 1;
    const median = others.length % 2 ? others[mid] : (others[mid - 1] + others[mid]) / 2;
    const loud = contributions[k]!.loudness;
    const over = loud - median;
    if (over <= DOMINATING_LU) continue;
    const gainBefore = chains[k].node.params.gain as number;
    const gain = round2(gainBefore - (over - DOMINATING_FIX_LU));
    findings.push({
      kind: 'dominating',
      tracks: [chains[k].path],
      message: `${labelOf(k)} is ${over.toFixed(1)} LU above the median of the other tracks (${loud.toFixed(1)} against ${median.toFixed(1)} LUFS)`,
      figures: { loudness: loud, median, over },
      suggestion: {
        text: `Lower ${labelOf(k)} by ${round2(over - DOMINATING_FIX_LU)} dB (fader ${gainBefore} -> ${gain} dB)`,
        edit: { type: 'gain', track: chains[k].path, gain },
        command: setTrackGains([{ path: chains[k].path, gain }], `Lower ${labelOf(k)} by ${round2(over - DOMINATING_FIX_LU)} dB`),
      },
    });
  }

  // ---- masking and presence need the frames side by side
  const nf = heard.length ? Math.min(...heard.map((k) => contributions[k]!.frames)) : 0;
  const E = (k: number, f: number, b: number) => contributions[k]!.energy[f * nb + b];
  if (nf > 0) {
    const total = new Float64Array(nf * nb);
    const frameTotal = new Float64Array(nf);
    for (const k of heard)
      for (let f = 0; f < nf; f++)
        for (let b = 0; b < nb; b++) {
          const e = E(k, f, b);
          total[f * nb + b] += e;
          frameTotal[f] += e;
        }
    // A frame counts when the mix sounds in it (within 50 dB of its loudest frame)
    let loudestFrame = 0;
    for (let f = 0; f < nf; f++) loudestFrame = Math.max(loudestFrame, frameTotal[f]);
    const counts = new Uint8Array(nf * nb); // 1 where the band counts
    const active = new Int32Array(nb);
    for (let f = 0; f < nf; f++) {
      if (!(frameTotal[f] > 0) || frameTotal[f] < loudestFrame * 1e-5) continue;
      let top = 0;
      for (let b = 0; b < nb; b++) top = Math.max(top, total[f * nb + b]);
      const floor = top * Math.pow(10, -BAND_FLOOR_DB / 10);
      for (let b = 0; b < nb; b++)
        if (total[f * nb + b] >= floor && total[f * nb + b] > 0) {
          counts[f * nb + b] = 1;
          active[b]++;
        }
    }
    // Pair conflicts per band: at most three tracks can hold 30 % each, so a frame adds few pairs
    const H = heard.length;
    const conflicts = new Int32Array(H * H * nb);
    const diffSum = new Float64Array(H * H * nb); // Σ dB(i over j), i < j
    const holders = new Int32Array(4);
    // Frames in which each track holds 30 % of a band (alone or with others)
    const holds = new Int32Array(H * nb);
    for (let f = 0; f < nf; f++)
      for (let b = 0; b < nb; b++) {
        if (!counts[f * nb + b]) continue;
        const t = total[f * nb + b];
        let nh = 0;
        for (let h = 0; h < H && nh < 4; h++) if (E(heard[h], f, b) >= MASK_SHARE * t) holders[nh++] = h;
        for (let x = 0; x < nh; x++) holds[holders[x] * nb + b]++;
        for (let x = 0; x < nh; x++)
          for (let y = x + 1; y < nh; y++) {
            const i = holders[x];
            const j = holders[y];
            const at = (i * H + j) * nb + b;
            conflicts[at]++;
            diffSum[at] += db(E(heard[i], f, b) / E(heard[j], f, b));
          }
      }
    const hopSeconds = new BandAnalyser(sr, new Float32Array(0)).hop / sr;
    // Each track's energy per band over the frames that count: how much of its sound a band holds
    const own = heard.map((k) => {
      const per = new Float64Array(nb);
      let sum = 0;
      for (let f = 0; f < nf; f++)
        for (let b = 0; b < nb; b++) {
          const e = E(k, f, b);
          per[b] += e;
          sum += e;
        }
      return per.map((e) => (sum > 0 ? e / sum : 0));
    });
    for (let i = 0; i < H; i++)
      for (let j = i + 1; j < H; j++) {
        // Of the time the band counts; for a drum against another track in the lows, of the time
        // the drum holds the band: its hits are short by nature, and it is masked when they are.
        const ci = chains[heard[i]].category === 'drums';
        const cj = chains[heard[j]].category === 'drums';
        const drum = ci !== cj ? (ci ? i : j) : -1;
        const present = (b: number) => (drum >= 0 && bands[b] < DUCK_BELOW_HZ ? holds[drum * nb + b] : active[b]);
        const share = (b: number) => conflicts[(i * H + j) * nb + b] / Math.max(1, present(b));
        const flagged = (b: number) => {
          const c = conflicts[(i * H + j) * nb + b];
          return c > 0 && share(b) >= MASK_FRACTION && c * hopSeconds >= MASK_MIN_SECONDS && c >= MASK_MIN_TIME_FRACTION * active[b];
        };
        for (let b = 0; b < nb; ) {
          if (!flagged(b)) {
            b++;
            continue;
          }
          let end = b;
          while (end + 1 < nb && flagged(end + 1)) end++;
          let peak = b;
          for (let x = b; x <= end; x++) if (share(x) > share(peak)) peak = x;
          const diffs: number[] = [];
          for (let x = b; x <= end; x++) diffs.push(diffSum[(i * H + j) * nb + x] / conflicts[(i * H + j) * nb + x]);
          findings.push(maskingFinding(doc, sr, chains, heard[i], heard[j], own[i], own[j], { from: b, to: end, peak, bands, diffs }, {
            fraction: share(peak),
            seconds: conflicts[(i * H + j) * nb + peak] * hopSeconds,
            meanDiff: diffSum[(i * H + j) * nb + peak] / conflicts[(i * H + j) * nb + peak],
          }));
          b = end + 1;
        }
      }

    // ---- vocal presence
    const presence = bands.map((c, b) => (c >= PRESENCE_HZ[0] && c <= PRESENCE_HZ[1] ? b : -1)).filter((b) => b >= 0);
    const rest = heard.filter((k) => chains[k].category !== 'vocals');
    for (const v of heard.filter((k) => chains[k].category === 'vocals')) {
      if (rest.length === 0) continue;
      const frameE = new Float64Array(nf);
      for (let f = 0; f < nf; f++) for (let b = 0; b < nb; b++) frameE[f] += E(v, f, b);
      let loudest = 0;
      for (let f = 0; f < nf; f++) loudest = Math.max(loudest, frameE[f]);
      let pv = 0;
      let pr = 0;
      let sounding = 0;
      for (let f = 0; f < nf; f++) {
        if (!(frameE[f] > 0) || frameE[f] < loudest * 1e-4) continue;
        sounding++;
        for (const b of presence) {
          pv += E(v, f, b);
          for (const k of rest) pr += E(k, f, b);
        }
      }
      if (!(pv > 0) || !(pr > 0)) continue;
      const ratio = db(pv / pr);
      const buried = ratio < VOCAL_BURIED_DB;
      const onTop = ratio > VOCAL_ON_TOP_DB;
      if (!buried && !onTop) continue;
      const change = round2(VOCAL_TARGET_DB - ratio);
      const gainBefore = chains[v].node.params.gain as number;
      const gain = round2(gainBefore + change);
      const name = labelOf(v);
      findings.push({
        kind: buried ? 'vocal-buried' : 'vocal-on-top',
        tracks: [chains[v].path],
        message: buried
          ? `${name} is buried: ${(-ratio).toFixed(1)} dB under the rest in the presence range (1-4 kHz)`
          : `${name} sits on top: ${ratio.toFixed(1)} dB over the rest in the presence range (1-4 kHz)`,
        figures: { presence: ratio, seconds: sounding * hopSeconds },
        suggestion: {
          text: `${change > 0 ? 'Raise' : 'Lower'} ${name} by ${Math.abs(change)} dB (fader ${gainBefore} -> ${gain} dB)`,
          edit: { type: 'gain', track: chains[v].path, gain },
          command: setTrackGains([{ path: chains[v].path, gain }], `${change > 0 ? 'Raise' : 'Lower'} ${name} by ${Math.abs(change)} dB`),
        },
      });
    }
  }
  return { mixLoudness, bands, tracks, findings };
}

/**
 * The shallowest peaking cut (3 to 12 dB, in half dB) centred at `centre` with quality `q` that
 * takes every band of the run at least `needed[k]` dB down at its centre frequency (the EQ's
 * own Cookbook response), or 12 dB when none does.
 */
function cutDepth(centre: number, q: number, frequencies: readonly number[], needed: readonly number[], sampleRate: number): number {
  for (let depth = 3; depth <= 12; depth += 0.5) {
    const c = cookbook('peaking', centre, q, -depth, sampleRate);
    if (frequencies.every((f, k) => -magnitudeDb(c, f, sampleRate) >= needed[k])) return depth;
  }
  return 12;
}

function maskingFinding(
  doc: SessionDoc,
  sampleRate: number,
  chains: ReturnType<typeof trackChains>,
  a: number,
  b: number,
  ownA: Float64Array,
  ownB: Float64Array,
  run: { from: number; to: number; peak: number; bands: readonly number[]; diffs: readonly number[] },
  figures: { fraction: number; seconds: number; meanDiff: number },
): Finding {
  const ca = chains[a];
  const cb = chains[b];
  const centre = run.bands[run.peak];
  const range = run.from === run.to ? formatHz(centre) : `${formatHz(run.bands[run.from])}-${formatHz(run.bands[run.to])}`;
  const message = `${ca.label} and ${cb.label} mask each other around ${formatHz(centre)} (${range}): both carry 30 % or more of the band at once, ${Math.round(figures.fraction * 100)} % of the time (${figures.seconds.toFixed(1)} s)`;
  const base = { fraction: figures.fraction, seconds: figures.seconds, frequency: centre, low: run.bands[run.from], high: run.bands[run.to], difference: figures.meanDiff };
  let suggestion: Suggestion | null = null;
  const drums = [a, b].filter((k) => chains[k].category === 'drums');
  const vocals = [a, b].filter((k) => chains[k].category === 'vocals');
  if (centre < DUCK_BELOW_HZ && drums.length === 1) {
    const key = chains[drums[0]];
    const target = chains[drums[0] === a ? b : a];
    try {
      suggestion = {
        text: `Duck ${target.label} under ${key.label} (a sidechain compressor on ${target.label}, keyed from ${key.label})`,
        edit: { type: 'duck', key: key.path, target: target.path },
        command: duckUnder(doc, { key: key.path, target: target.path }),
      };
    } catch {
      suggestion = null; // refused (another group, a loop): a cut instead
    }
  }
  if (!suggestion) {
    // Cut the one that needs the band less: never the vocal, else the smaller share of its own sound
    let cut: number;
    if (vocals.length === 1) cut = vocals[0] === a ? b : a;
    else cut = ownA[run.peak] <= ownB[run.peak] ? a : b;
    const keep = cut === a ? b : a;
    // diffs are dB of a over b per band; the cut track's level over the kept one's, plus the margin
    const needed = run.diffs.map((d) => (cut === a ? d : -d) + MASK_FIX_DB);
    // Centred on the bands found (geometrically), as wide as they are plus a third of an octave
    // each side (a bell's bandwidth edges get only half its depth), as deep as the worst band needs.
    const frequencies = run.bands.slice(run.from, run.to + 1);
    const middle = Math.round(Math.sqrt(frequencies[0] * frequencies[frequencies.length - 1]));
    const octaves = (run.to - run.from + 1) / 3 + 2 / 3;
    const q = round2(Math.sqrt(Math.pow(2, octaves)) / (Math.pow(2, octaves) - 1));
    const depth = cutDepth(middle, q, frequencies, needed, sampleRate);
    const cutSpec: PeakingCut = { track: chains[cut].path, frequency: middle, gain: -depth, q };
    suggestion = {
      text: `Cut ${chains[cut].label} by ${depth} dB at ${formatHz(middle)} (Q ${q}) to leave ${range} to ${chains[keep].label}`,
      edit: { type: 'peaking-cut', ...cutSpec },
      command: addPeakingCut(doc, cutSpec),
    };
  }
  return { kind: 'masking', tracks: [ca.path, cb.path], message, figures: base, suggestion };
}
