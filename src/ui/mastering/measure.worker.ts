// Loudness and spectrum of a whole mix, off the main thread: a few hundred ms of arithmetic per
// minute of audio that would otherwise freeze the editor while a report or the A/B match measures.
import { analyze } from '../../dsp/loudness.ts';
import { thirdOctaveSpectrum } from '../../dsp/spectrum.ts';

interface Job {
  id: number;
  channels: Float32Array[];
  sampleRate: number;
}

self.onmessage = (e: MessageEvent<Job>) => {
  const { id, channels, sampleRate } = e.data;
  try {
    self.postMessage({ id, result: { loudness: analyze(channels, sampleRate), spectrum: thirdOctaveSpectrum(channels, sampleRate) } });
  } catch (err) {
    self.postMessage({ id, error: (err as Error).message });
  }
};
