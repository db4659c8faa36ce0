import { GuardCore } from '../../src/dsp/guard.ts';
import { applyGainStereo, Ramp } from '../../src/dsp/ramp.ts';
import { dbToGain, num, type NodeProcessor, type Params, type ProcessorContext, type SourceAudio } from '../define.ts';
import { SourceReader } from '../track/processor.ts';

/**
 * A finished record for A/B: plays its file to the speakers only while the editor's switch selects
 * it, at the loudness-matching trim plus its own gain. Otherwise silent, and its file is not even
 * read: renders never select it, so it never reaches an export.
 */
export function referenceProcessor(ctx: ProcessorContext, params: Params): NodeProcessor {
  let current = params;
  let listening = false;
  let trim = 0;
  const level = new Ramp(0, ctx.glide);
  const reader = new SourceReader(ctx.maxFrames);
  const guard = new GuardCore();
  const pair: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  let playing: SourceAudio | null = null;
  let at = 0;
  const target = () => (listening ? dbToGain(trim + num(current, 'gain')) : 0);
  return {
    process(_inputs, outputs, n) {
      const speakers = outputs[0];
      speakers.channels = 2;
      const source = playing;
      const quiet = level.value === 0 && !level.moving;
      if (!source || quiet || at >= source.frames) {
        speakers.data[0].fill(0, 0, n);
        speakers.data[1].fill(0, 0, n);
        at += n;
        return;
      }
      reader.read(source, at, n);
      at += n;
      applyGainStereo(reader.left, SourceReader.channelsOf(source) === 2 ? reader.right : reader.left, speakers.data[0], speakers.data[1], n, level);
      pair[0] = speakers.data[0];
      pair[1] = speakers.data[1];
      guard.process(pair, pair, n);
    },
    set(name, _value, p) {
      current = p;
      if (name === 'source') playing = null;
      else level.set(target());
    },
    start(from) {
      const source = ctx.source(current.source as string);
      playing = source && source.sampleRate === ctx.sampleRate ? source : null;
      at = Math.round(from * ctx.sampleRate);
    },
    stop() {
      playing = null;
    },
    monitor(source, trimDb) {
      listening = source === 'reference';
      trim = trimDb;
      level.set(target());
    },
  };
}
