// Small building blocks several node factories use.
import { rampParam, type NodeEnv } from './define.ts';
export { seededRandom } from '../src/dsp/random.ts';

/** A GainNode at a fixed gain: the stable point a port connects to. */
export function gainNode(ctx: BaseAudioContext, gain = 1): GainNode {
  const g = ctx.createGain();
  g.gain.value = gain;
  return g;
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

