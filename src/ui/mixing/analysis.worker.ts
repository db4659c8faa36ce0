// The mixing analyses off the main thread: each is dozens of offline renders of the session (a mix
// check renders every track's contribution), seconds of arithmetic that would freeze the editor.
// The worker gets the document and the decoded audio, posts progress, and answers with the report
// as data; commands hold functions, so the editor rebuilds them from the report (run.ts).
import { alignTracks } from '../../mixing/align.ts';
import { levelTracks } from '../../mixing/level.ts';
import { measureOffline } from '../../lessons/offline.ts';
import { mixCheck } from '../../mixing/mixcheck.ts';
import { memoryAudio } from '../../mixing/render.ts';
import type { AnalysisJob } from './run.ts';

self.onmessage = async (e: MessageEvent<AnalysisJob>) => {
  const { kind, doc, buffers, sampleRate, target, reference, needs, fallbackSeconds } = e.data;
  const audio = memoryAudio(new Map(buffers), sampleRate);
  const onProgress = (fraction: number, what = '') => self.postMessage({ progress: fraction, what });
  try {
    if (kind === 'level') {
      const { command: _, ...report } = await levelTracks(doc, { audio, target, onProgress });
      self.postMessage({ result: report });
    } else if (kind === 'lesson') {
      // A lesson's loudness, levelled and level checks measured as `mixgraph check` measures them.
      const m = await measureOffline(doc, needs!, { audio, fallbackSeconds: fallbackSeconds ?? 5 });
      const levels = needs!.levels.map(({ node, port }) => ({ node, port, reading: m.level(node, port) }));
      self.postMessage({ result: { levels, mix: m.mix(), tracks: m.tracks() } });
    } else if (kind === 'align') {
      const { command: _, ...report } = await alignTracks(doc, { audio, reference: reference!, onProgress });
      self.postMessage({ result: report });
    } else {
      const result = await mixCheck(doc, { audio, onProgress });
      const findings = result.findings.map((f) => ({ ...f, suggestion: f.suggestion && { text: f.suggestion.text, edit: f.suggestion.edit } }));
      self.postMessage({ result: { ...result, findings } });
    }
  } catch (err) {
    self.postMessage({ error: (err as Error).message });
  }
};
