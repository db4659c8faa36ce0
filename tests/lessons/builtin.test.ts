// The built-in lessons (presets/lessons): each has a description and steps with text; its solution
// session (NAME.solution.json) passes every check, measured on a real render through the runtime, and
// its starting session leaves every step with checks undone, with the messages a student would read.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { evaluateSteps, measurementNeeds } from '../../src/lessons/checks.ts';
import { measureOffline } from '../../src/lessons/offline.ts';
import { memoryAudio } from '../../src/mixing/render.ts';
import type { SessionDoc } from '../../src/model/document.ts';
import { loadLesson, type LessonDoc } from '../../src/presets/lesson.ts';
import { loadSession } from '../../src/presets/load.ts';

const DIR = join(import.meta.dirname, '../../presets/lessons');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

async function grade(lesson: LessonDoc, doc: SessionDoc) {
  // The built-in lessons play generators: no audio files.
  const m = await measureOffline(doc, measurementNeeds(lesson.steps.flatMap((s) => s.checks)), { audio: memoryAudio(new Map(), 48000), fallbackSeconds: lesson.seconds });
  return evaluateSteps(doc, lesson.steps, m);
}

/** What a student starting each lesson reads (measured figures as NUM). */
const STARTING: Record<string, string[]> = {
  'signal-flow-101': [
    "Expected a path from Kick to Drum bus; Kick goes straight to the Master.",
    "Expected a path from Drum bus to the Master; Drum bus is not connected to anything.",
    "Expected a path from Hats to Drum bus; Hats goes straight to the Master.",
    "Expected the peak level at Drum bus's output at least -30 dBFS; it is silent (no signal reaches it)."
],
  'inserts-versus-sends': [
    "Expected a path from Vocal to the Master without passing a reverb; every path from Vocal to the Master passes Plate reverb (a reverb).",
    "Expected a path from Vocal to Plate reverb through a send; Vocal reaches Plate reverb directly, but through no send.",
    "Expected Plate reverb with Mix at least 1; Plate reverb has 0.3."
],
  'gain-staging': [
    "Expected the peak level at Trim's output from -18 to -6 dBFS; it is NUM dBFS.",
    "Expected the peak level at the Master at most -1 dBFS; it is NUM dBFS."
],
  'what-a-compressor-does': [
    "Expected Compressor playing (not bypassed); Compressor is bypassed.",
    "Expected a compressor with Ratio at least 4:1; Compressor has 1:1.",
    "Expected a compressor with Threshold at most -24 dB; Compressor has -18 dB.",
    "Expected the RMS level at Compressor's output at most -15 dBFS; it is NUM dBFS."
],
  'eq-cut-before-you-boost': [
    "Expected an EQ with Gain of a band at most -3 dB; Guitar EQ band 1 has +9 dB.",
    "Expected an EQ with Frequency of a band from 200 to 500 Hz; Guitar EQ band 1 has 3000 Hz.",
    "Expected every EQ band with Gain at most +3 dB; Guitar EQ band 1 has +9 dB."
],
  'mastering-to-a-loudness-target': [
    "Expected a path from Mix to the Master through a limiter; Mix reaches the Master through Drive, but through no limiter.",
    "Expected a limiter with Ceiling at most -1 dBTP; there is no limiter in the session.",
    "Expected the mix's integrated loudness from -15 to -13 LUFS; it is NUM LUFS."
],
};

describe('built-in lessons', () => {
  const names = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.solution.json')).map((f) => f.slice(0, -'.json'.length));

  it('six or more, each with a description, steps with text, and a solution', () => {
    expect(names.sort()).toEqual(Object.keys(STARTING).sort());
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) {
      const lesson = loadLesson(read(`${name}.json`), name);
      expect(lesson.description.length, name).toBeGreaterThan(80);
      expect(lesson.steps.every((s) => s.text.length > 20 && s.title), name).toBe(true);
      expect(lesson.steps.some((s) => s.checks.length), name).toBe(true);
    }
  });

  for (const name of Object.keys(STARTING)) {
    it(`${name}: the solution passes every check; the starting session does not`, async () => {
      const lesson = loadLesson(read(`${name}.json`), name);
      const solved = await grade(lesson, loadSession(read(`${name}.solution.json`), name));
      expect(solved.flatMap((s) => s.checks.filter((c) => c.status !== 'pass').map((c) => c.message))).toEqual([]);
      expect(solved.every((s) => s.done)).toBe(true);
      const start = await grade(lesson, lesson.session);
      expect(start.filter((s) => s.checks.length).every((s) => !s.done)).toBe(true);
      const failing = start.flatMap((s) => s.checks.filter((c) => c.status !== 'pass').map((c) => c.message.replace(/-?\d+\.\d+ (dBFS|LUFS|dBTP)/, 'NUM $1')));
      expect(failing).toEqual(STARTING[name]);
    });
  }
});
