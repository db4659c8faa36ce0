// Small building blocks several node factories use.
import { rampParam, type NodeEnv } from './define.ts';
export { seededRandom } from '../src/dsp/random.ts';

/** A GainNode at a fixed gain: the stable point a port connects to. */
export function gainNode(ctx: BaseAudioContext, gain = 1): GainNode {
  const g = ctx.createGain();
  g.gain.value = gain;
  return g;
}

export interface WorkletOptions {
  /** Inputs of the processor (the compressor's second is its sidechain); 1 when not given. */
  inputs?: number;
  /** Always two channels in: a mono input is up-mixed to L = R by Web Audio ('speakers'). */
  stereoIn?: boolean;
}

/** A worklet-backed node's AudioWorkletNode and what every such node does with it. */
export interface WorkletPart {
  node: AudioWorkletNode;
  param(name: string): AudioParam;
  /** Glide a param to `value` with the engine's smoothing. */
  ramp(name: string, value: number): void;
  /** Set a param at once, from now on (where a glide would do harm). */
  jump(name: string, value: number): void;
  dispose(): void;
}

/** An AudioWorkletNode of processor `name` with one stereo output, as every Mixgraph processor has. */
export function workletNode(ctx: BaseAudioContext, env: NodeEnv, name: string, options: WorkletOptions = {}): WorkletPart {
  const node = env.createWorklet(name, {
    numberOfInputs: options.inputs ?? 1,
    numberOfOutputs: 1,
    outputChannelCount: [2],
    ...(options.stereoIn ? { channelCount: 2, channelCountMode: 'explicit', channelInterpretation: 'speakers' } : {}),
  });
  const param = (p: string) => node.parameters.get(p) as AudioParam;
  return {
    node,
    param,
    ramp: (p, value) => rampParam(param(p), value, ctx, env.smoothing),
    jump: (p, value) => param(p).setValueAtTime(value, ctx.currentTime),
    dispose() {
      node.disconnect();
      node.port.close();
    },
  };
}

/**
 * The latest reading a processor posts on `port`: `pick` takes it from a message (undefined
 * ignores the message), `initial` stands until the first arrives. The port is listened to only
 * from the first call: in Node a port with a listener keeps the process alive.
 */
export function lazyReadings<M, T>(port: MessagePort, initial: T, pick: (message: M) => T | undefined): () => T {
  let latest = initial;
  let listening = false;
  return () => {
    if (!listening) {
      listening = true;
      port.onmessage = (e: MessageEvent<M>) => {
        const value = pick(e.data);
        if (value !== undefined) latest = value;
      };
    }
    return latest;
  };
}

/** A `pick` for lazyReadings: the message's `field` when it is a number. */
export const numberField =
  (field: string) =>
  (message: Record<string, unknown>): number | undefined => {
    const value = message[field];
    return typeof value === 'number' ? value : undefined;
  };

/**
 * Plays buffers into `into`, one AudioBufferSourceNode at a time (a source node plays once, so
 * every start makes a new one and stops the last). `at` is the position in the buffer at `when`,
 * in seconds; a negative position starts the buffer that much later.
 */
export function bufferPlayer(ctx: BaseAudioContext, into: AudioNode) {
  let player: AudioBufferSourceNode | null = null;
  const stop = () => {
    if (!player) return;
    player.stop();
    player.disconnect();
    player = null;
  };
  const play = (buffer: AudioBuffer, when: number, at: number) => {
    stop();
    if (at >= buffer.duration) return;
    player = ctx.createBufferSource();
    player.buffer = buffer;
    player.connect(into);
    if (at >= 0) player.start(when, at);
    else player.start(when - at);
  };
  return { play, stop };
}

/**
 * The StereoPannerNode's law, for mono and stereo inputs alike, built from gains. Mono at `pan`
 * gets the equal-power law (cos and sin of (pan + 1)·π/4: -3 dB each side at centre); stereo gets
 * the balance law (centre leaves it untouched). Why not StereoPannerNode itself:
 * standardized-audio-context's panner has channelCountMode "explicit" (it refuses "clamped-max"),
 * so it up-mixes mono to stereo and applies the balance law: a centred mono source came out 3 dB
 * louder in the browser than in Node.
 *
 * Which law applies is decided per block by the input's channel count, as in the spec, without
 * knowing it in advance: the input up-mixed "discrete" is A = (in, 0) for mono and (L, R) for
 * stereo; up-mixed "speakers" it is S = (in, in) and (L, R). So M = S.R - A.R is the mono input
 * itself, and exactly 0 for a stereo one (x - x), and out = balance(A) + (cL, cR)·M gives one
 * law or the other; at centre a stereo input passes untouched. Inputs of more than two channels
 * are first mixed down to stereo ("speakers"), as the panner's "clamped-max" mode does.
 */
export class Panner {
  readonly input: GainNode;
  readonly output: ChannelMergerNode;
  /** [A.L→L, A.R→L, M→L, A.L→R, A.R→R, M→R] (see above). */
  private readonly gains: GainNode[];
  /** Every Web Audio node inside. */
  readonly nodes: AudioNode[];

  constructor(private readonly ctx: BaseAudioContext, pan: number) {
    const upmix = (interpretation: ChannelInterpretation) => {
      const g = ctx.createGain();
      g.channelCount = 2;
      g.channelCountMode = 'explicit';
      g.channelInterpretation = interpretation;
      return g;
    };
    this.input = ctx.createGain();
    this.input.channelCount = 2;
    this.input.channelCountMode = 'clamped-max';
    this.input.channelInterpretation = 'speakers';
    const discrete = upmix('discrete');
    const speakers = upmix('speakers');
    this.input.connect(discrete);
    this.input.connect(speakers);
    const a = ctx.createChannelSplitter(2);
    const s = ctx.createChannelSplitter(2);
    discrete.connect(a);
    speakers.connect(s);
    // M = S.R - A.R, summed in one node
    const mono = gainNode(ctx, 1);
    const minusAR = gainNode(ctx, -1);
    s.connect(mono, 1);
    a.connect(minusAR, 1);
    minusAR.connect(mono);
    this.output = ctx.createChannelMerger(2);
    const sources: [AudioNode, number][] = [[a, 0], [a, 1], [mono, 0]];
    this.gains = Panner.coefficients(pan).map((c, i) => {
      const g = gainNode(ctx, c);
      const [from, channel] = sources[i % 3];
      from.connect(g, channel);
      g.connect(this.output, 0, i < 3 ? 0 : 1);
      return g;
    });
    this.nodes = [this.input, discrete, speakers, a, s, mono, minusAR, ...this.gains, this.output];
  }

  /** The six gains for `pan` (-1..1); see the class comment for what they multiply. */
  static coefficients(pan: number): number[] {
    const p = Math.max(-1, Math.min(1, pan));
    const m = ((p + 1) / 2) * (Math.PI / 2); // mono: equal power
    // Balance of A (the spec's stereo law) ...
    const x = (p <= 0 ? p + 1 : p) * (Math.PI / 2);
    const [ll, rl, lr, rr] = p <= 0 ? [1, Math.cos(x), 0, Math.sin(x)] : [Math.cos(x), 0, Math.sin(x), 1];
    // ... plus what turns balance((in, 0)) into the equal-power law, on M (the mono input, else 0).
    // cos(π/2) is 6e-17, not 0: snapped, so a centred stereo input gets exact 0 and 1 gains.
    const snap = (v: number) => (Math.abs(v) < 1e-12 ? 0 : v);
    return [ll, rl, Math.cos(m) - ll, lr, rr, Math.sin(m) - lr].map(snap);
  }

  set(pan: number, tau: number): void {
    Panner.coefficients(pan).forEach((c, i) => rampParam(this.gains[i].gain, c, this.ctx, tau));
  }

  dispose(): void {
    for (const n of this.nodes) n.disconnect();
  }
}

/**
 * A stereo delay line: one DelayNode per channel, between a splitter and a merger.
 * Why not one DelayNode: node-web-audio-api 1.0.9's DelayNode mixes a stereo input down to
 * mono ((L+R)/2 on both sides) once its delay reaches a render quantum (128 frames), so every
 * echo and every reverb pre-delay came out centred and, for a one-sided source, 6 dB low.
 * Fed one channel each, the delay lines keep left and right apart. The input up-mixes a mono
 * signal to both sides first ('speakers'), so a mono source is delayed on both, as before.
 * Each path through it holds a DelayNode, so it may close a feedback loop.
 */
export class StereoDelay {
  readonly input: GainNode;
  readonly output: ChannelMergerNode;
  private readonly splitter: ChannelSplitterNode;
  private readonly lines: DelayNode[];
  /** Every Web Audio node inside, for owners that disconnect nodes themselves. */
  readonly nodes: AudioNode[];

  constructor(private readonly ctx: BaseAudioContext, maxSeconds: number, seconds: number) {
    this.input = ctx.createGain();
    this.input.channelCount = 2;
    this.input.channelCountMode = 'explicit';
    this.input.channelInterpretation = 'speakers';
    this.splitter = ctx.createChannelSplitter(2);
    this.output = ctx.createChannelMerger(2);
    this.input.connect(this.splitter);
    this.lines = [0, 1].map((channel) => {
      const line = ctx.createDelay(maxSeconds);
      line.delayTime.value = seconds;
      this.splitter.connect(line, channel);
      line.connect(this.output, 0, channel);
      return line;
    });
    this.nodes = [this.input, this.splitter, ...this.lines, this.output];
  }

  /** Glide both channels to a new delay (seconds). */
  setTime(seconds: number, tau: number): void {
    for (const line of this.lines) rampParam(line.delayTime, seconds, this.ctx, tau);
  }

  dispose(): void {
    for (const n of this.nodes) n.disconnect();
  }
}

interface Generation {
  fader: GainNode;
  first: AudioNode;
  nodes: AudioNode[];
}

/**
 * Swap one sub-graph for another without a click: the new one fades in while the old one
 * fades out over `fade` seconds; the old one is disconnected on the next swap or dispose.
 * Used where Web Audio cannot change a node in place (IIR coefficients, convolver buffers).
 */
export class Crossfader {
  readonly input: GainNode;
  readonly output: GainNode;
  private current: Generation | null = null;
  private retired: (Generation & { until: number })[] = [];

  constructor(private readonly ctx: BaseAudioContext, private readonly env: NodeEnv, private readonly fade = 0.02) {
    this.input = gainNode(ctx);
    this.output = gainNode(ctx);
  }

  /** Route input -> first ... last -> output; `nodes` are disconnected when retired. */
  swap(first: AudioNode, last: AudioNode, nodes: AudioNode[]): void {
    const { ctx } = this;
    const now = ctx.currentTime;
    this.collect(now);
    const fader = gainNode(ctx, this.current ? 0 : 1);
    this.input.connect(first);
    last.connect(fader);
    fader.connect(this.output);
    if (this.current) {
      fader.gain.setTargetAtTime(1, now, this.fade / 4);
      this.current.fader.gain.setTargetAtTime(0, now, this.fade / 4);
      this.retired.push({ ...this.current, until: now + this.fade * 2 });
    }
    this.current = { fader, first, nodes };
  }

  private collect(now: number): void {
    this.retired = this.retired.filter((r) => {
      if (r.until > now) return true;
      this.drop(r);
      return false;
    });
  }

  private drop(r: Generation): void {
    // The input feeds every generation; cut only this one's first node.
    this.input.disconnect(r.first);
    for (const n of r.nodes) n.disconnect();
    r.fader.disconnect();
  }

  dispose(): void {
    for (const r of this.retired) this.drop(r);
    if (this.current) this.drop(this.current);
    this.retired = [];
    this.current = null;
    this.input.disconnect();
    this.output.disconnect();
  }
}

