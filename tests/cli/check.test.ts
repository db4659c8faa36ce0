// mixgraph check through the real binary: a lesson file (and a lesson package) against a class folder
// of passing and failing sessions (files and a package, tracks with real WAV files), per student, per
// step, per check; --json; exit 0 all pass, 1 some fail, 2 bad input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { run, scratch, sessionJson, sineWav, TEST_TIMEOUT, write } from './helpers.ts';

const dir = scratch();
const ROOT = join(import.meta.dirname, '../..');

// A lesson on tracks with audio: route the vocal through a compressor to a bus; level the tracks.
const lesson = {
  format: 'mixgraph',
  version: 2,
  kind: 'lesson',
  name: 'Vocal chain',
  description: 'A compressor on the vocal, both tracks on the bus, the tracks levelled.',
  session: {
    nodes: [
      { id: 'vox', type: 'track', label: 'Vocal', params: { source: 'vox.wav' } },
      { id: 'gtr', type: 'track', label: 'Guitar', params: { source: 'gtr.wav' } },
      { id: 'bus', type: 'bus', label: 'Mix bus', params: {} },
      { id: 'master', type: 'master', params: {} },
    ],
    edges: [
      { from: 'vox', to: 'master' },
      { from: 'gtr', to: 'bus' },
      { from: 'bus', to: 'master' },
    ],
  },
  steps: [
    { title: 'Compress the vocal', text: 'Put a compressor between the Vocal and the Mix bus.', checks: [{ type: 'path', from: 'vox', to: 'bus', through: 'compressor' }] },
    { title: 'Level', text: 'Bring the tracks within 2 LU.', checks: [{ type: 'levelled', tolerance: 2 }, { type: 'level', node: 'master', max: -1 }] },
  ],
};
write(dir, 'lesson/vocal-chain.json', JSON.stringify(lesson));
write(dir, 'lesson/vox.wav', sineWav(1, 48000, '24', 0.25, 440));
write(dir, 'lesson/gtr.wav', sineWav(1, 48000, '24', 0.25, 440));

const wavs = () => {
  write(dir, 'class/vox.wav', sineWav(1, 48000, '24', 0.25, 440));
  write(dir, 'class/gtr.wav', sineWav(1, 48000, '24', 0.0625, 440)); // 12 dB quieter
};
wavs();
const done = (gtrGain: number) =>
  sessionJson(
    [
      { id: 'vox', type: 'track', params: { source: 'vox.wav' } },
      { id: 'gtr', type: 'track', params: { source: 'gtr.wav', gain: gtrGain } },
      { id: 'comp', type: 'compressor', params: { threshold: -60, ratio: 1 } },
      { id: 'bus', type: 'bus', params: { gain: -6 } },
      { id: 'master', type: 'master' },
    ],
    [['vox', 'comp'], ['comp', 'bus'], ['gtr', 'bus'], ['bus', 'master']],
  );
write(dir, 'class/anna.json', done(12));
write(dir, 'class/ben.json', done(0)); // wired right, not levelled
write(
  dir,
  'class/cleo.json',
  sessionJson(
    [
      { id: 'vox', type: 'track', params: { source: 'vox.wav' } },
      { id: 'gtr', type: 'track', params: { source: 'gtr.wav', gain: 12 } },
      { id: 'bus', type: 'bus', params: { gain: 0 } },
      { id: 'master', type: 'master' },
    ],
    [['vox', 'master'], ['gtr', 'bus'], ['bus', 'master']],
  ),
);
write(dir, 'class/notes.txt', 'not a session');

describe('mixgraph check', () => {
  it(
    'grades a class folder per student, per step, per check; exit 1 when some fail',
    async () => {
      const r = await run(['check', 'lesson/vocal-chain.json', 'class'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const out = r.stdout;
      expect(out).toMatch(/^class\/anna\.json: pass, 3 of 3 checks pass$/m);
      expect(out).toMatch(/^class\/ben\.json: FAIL, 2 of 3 checks pass$/m);
      expect(out).toMatch(/^ {4}FAIL {2}The tracks levelled \(every track within 2 LU of the others\): Expected every track within 2 LU of the others; vox \(-\d+\.\d+ LUFS\) and gtr \(-\d+\.\d+ LUFS\) are 12(\.\d+)? LU apart\.$/m);
      expect(out).toMatch(/^class\/cleo\.json: FAIL, 2 of 3 checks pass$/m);
      // Names come from the student's session (these nodes have no labels).
      expect(out).toContain('  step 1 "Compress the vocal": not done\n    FAIL  vox reaches bus through a compressor: Expected a path from vox');
      expect(out).toMatch(/Expected a path from vox to bus through a compressor; vox goes straight to the Master\./);
      expect(out).toMatch(/^1 of 3 sessions pass every check of "Vocal chain"$/m);
      expect(out).not.toContain('notes.txt');
    },
    TEST_TIMEOUT,
  );

  it(
    'one passing session: exit 0; --json gives the same as an object',
    async () => {
      const r = await run(['check', 'lesson/vocal-chain.json', 'class/anna.json', '--json'], dir);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.lesson).toMatchObject({ name: 'Vocal chain', steps: 2, checks: 3 });
      expect(j.pass).toBe(true);
      expect(j.students).toHaveLength(1);
      const s = j.students[0];
      expect(s).toMatchObject({ file: 'class/anna.json', status: 'pass', passed: 3, total: 3 });
      expect(s.steps[1].checks.map((c: { type: string; status: string }) => [c.type, c.status])).toEqual([
        ['levelled', 'pass'],
        ['level', 'pass'],
      ]);
      expect(typeof s.steps[1].checks[1].value).toBe('number');
      // Two in-phase 440 Hz sines at 0.25 (vox as is, gtr at 0.0625 + 12 dB), each -3.01 dB per speaker at
      // centre (the equal-power pan), summed: 0.354 = -9.03 dBFS, then the bus at -6 dB: -15.05 dBFS.
      expect(s.steps[1].checks[1].value).toBeCloseTo(20 * Math.log10(2 * 0.25 * Math.SQRT1_2) - 6, 1);
    },
    TEST_TIMEOUT,
  );

  it(
    'a lesson package (mixgraph pack of a lesson) and a student package; the built-in lesson against its solution',
    async () => {
      const packed = await run(['pack', 'class/anna.json', '-o', 'anna.mixgraph'], dir);
      expect(packed.code).toBe(0);
      const r = await run(['check', 'lesson/vocal-chain.json', 'anna.mixgraph'], dir);
      expect(r.stdout).toMatch(/^anna\.mixgraph: pass, 3 of 3 checks pass$/m);
      expect(r.code).toBe(0);
      // A lesson package: lesson.json and the starting session's audio, made by mixgraph pack.
      const lessonPack = await run(['pack', 'lesson/vocal-chain.json', '-o', 'vocal-chain.mixgraph'], dir);
      expect(lessonPack.code).toBe(0);
      expect(lessonPack.stdout).toMatch(/^wrote vocal-chain\.mixgraph: lesson\.json and 2 audio files, /);
      const fromPackage = await run(['check', 'vocal-chain.mixgraph', 'class/anna.json', 'class/ben.json'], dir);
      expect(fromPackage.code).toBe(1);
      expect(fromPackage.stdout).toMatch(/^1 of 2 sessions pass every check of "Vocal chain"$/m);
      const sessionPackage = await run(['check', 'anna.mixgraph', 'class/anna.json'], dir);
      expect(sessionPackage.code).toBe(2);
      expect(sessionPackage.stderr).toBe('anna.mixgraph: holds session.json, not a lesson; give a lesson file or a package holding a lesson\n');
      const builtIn = await run(['check', join(ROOT, 'presets/lessons/signal-flow-101.json'), join(ROOT, 'presets/lessons/signal-flow-101.solution.json')], dir);
      expect(builtIn.code).toBe(0);
      expect(builtIn.stdout).toContain('step 1 "Route the kick through the drum bus": done');
    },
    TEST_TIMEOUT,
  );

  it(
    'mixgraph validate knows lessons: the file (its audio by the path rule) and a lesson package',
    async () => {
      const file = await run(['validate', 'lesson/vocal-chain.json'], dir);
      expect(file).toMatchObject({ code: 0, stdout: 'lesson/vocal-chain.json: ok (lesson, 2 steps, 3 checks)\n' });
      const pkg = await run(['validate', 'vocal-chain.mixgraph'], dir);
      expect(pkg).toMatchObject({ code: 0, stdout: 'vocal-chain.mixgraph: ok (package: lesson.json, a lesson with 2 steps, 3 checks, 2 audio files)\n' });
      write(dir, 'elsewhere/lesson.json', JSON.stringify(lesson));
      const noAudio = await run(['validate', 'elsewhere/lesson.json'], dir);
      expect(noAudio.code).toBe(1);
      expect(noAudio.stderr).toMatch(/^elsewhere\/lesson\.json: session: nodes\[0\]\.params\.source \(node "vox"\): /m);
    },
    TEST_TIMEOUT,
  );

  it(
    'bad input is exit 2: no sessions, an unreadable lesson, a lesson with a problem, a session that cannot be graded (the others still are)',
    async () => {
      const usage = await run(['check', 'lesson/vocal-chain.json'], dir);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toBe('mixgraph: check needs a lesson and at least one session or folder: mixgraph check LESSON.json SESSION... [--json]\n');
      const missing = await run(['check', 'nope.json', 'class'], dir);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^mixgraph: cannot read "nope\.json": /);
      write(dir, 'bad-lesson.json', JSON.stringify({ ...lesson, steps: [{ text: 'x', checks: [{ type: 'bypass', node: 'comp', bypassed: false }] }] }));
      const bad = await run(['check', 'bad-lesson.json', 'class'], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('bad-lesson.json: steps[0].checks[0].node: the starting session has no node "comp" (checks name nodes the student starts with)\n');
      const notLesson = await run(['check', 'class/anna.json', 'class'], dir);
      expect(notLesson.code).toBe(2);
      expect(notLesson.stderr).toBe('class/anna.json: kind: expected "lesson", got "session": this file is a session, not a lesson\n');
      write(dir, 'class2/ok.json', done(12));
      write(dir, 'class2/vox.wav', readFileSync(join(dir, 'class/vox.wav')));
      write(dir, 'class2/gtr.wav', readFileSync(join(dir, 'class/gtr.wav')));
      write(dir, 'class2/broken.json', '{ "format": "mixgraph", ');
      const mixed = await run(['check', 'lesson/vocal-chain.json', 'class2'], dir);
      expect(mixed.code).toBe(2);
      expect(mixed.stdout).toMatch(/^class2\/broken\.json: cannot be graded\n {2}class2\/broken\.json:1:25: not valid JSON/m);
      expect(mixed.stdout).toMatch(/^class2\/ok\.json: pass, 3 of 3 checks pass$/m);
      expect(mixed.stdout).toMatch(/; 1 could not be graded$/m);
      const empty = await run(['check', 'lesson/vocal-chain.json', 'lesson/vocal-chain.json'], dir);
      expect(empty.code).toBe(2);
      write(dir, 'empty/readme.txt', 'x');
      const none = await run(['check', 'lesson/vocal-chain.json', 'empty'], dir);
      expect(none.code).toBe(2);
      expect(none.stderr).toBe('mixgraph: "empty" holds no session files (.json or .mixgraph)\n');
    },
    TEST_TIMEOUT,
  );
});
