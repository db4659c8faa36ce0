// The lesson authoring builders (src/lessons/authoring.ts), as the editor's authoring panel calls
// them: steps added, removed, reordered and written; checks made from clicked nodes with their
// ranges prefilled from the session; the loader's verdict on whether the lesson can be saved. And a
// lesson built this way, saved to a file, graded by the real `mixgraph check` binary.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { addCheck, addStep, CHECK_MENU, checkFromPicks, moveStep, newLesson, numericParams, paramCheck, pickProblem, problemText, rangeAround, removeCheck, removeStep, setStart, updateCheck, updateStep, validateLesson } from '../../src/lessons/authoring.ts';
import { evaluateSteps, NO_MEASUREMENTS, type Measurements } from '../../src/lessons/checks.ts';
import { CHECK_TYPES } from '../../src/presets/schema.ts';
import { loadLesson, type LessonDoc } from '../../src/presets/lesson.ts';
import { loadSession } from '../../src/presets/load.ts';
import { produce } from 'immer';
import { connect, disconnect } from '../../src/model/commands.ts';
import { run, scratch, TEST_TIMEOUT, write } from '../cli/helpers.ts';

const LESSONS = join(import.meta.dirname, '../../presets/lessons');
const lessonFile = (name: string) => loadLesson(readFileSync(join(LESSONS, name), 'utf8'), name);
/** Signal flow 101's start: Kick and Hats straight to the Master, a Drum bus unconnected. */
const start = lessonFile('signal-flow-101.json').session;
/** Its solution: both through the Drum bus. */
const solution = loadSession(readFileSync(join(LESSONS, 'signal-flow-101.solution.json'), 'utf8'));

const titles = (l: LessonDoc) => l.steps.map((s) => s.title);

describe('lesson authoring builders', () => {
  it('the menu lists every check type, each with a sentence', () => {
    expect(CHECK_MENU.map((k) => k.type).sort()).toEqual([...CHECK_TYPES].sort());
    for (const k of CHECK_MENU) expect(k.sentence.length).toBeGreaterThan(30);
    expect(CHECK_MENU.find((k) => k.type === 'path')!.picks.map((p) => p.prompt)).toEqual(['Click the source node', 'Click the node the signal must reach']);
  });

  it('a new lesson starts from a copy of the session with one empty step', () => {
    const l = newLesson(start, 'Routing');
    expect(l.kind).toBe('lesson');
    expect(l.session).toEqual(start);
    expect(l.session).not.toBe(start);
    expect(l.steps).toEqual([{ title: 'Step 1', text: '', checks: [] }]);
  });

  it('adds, writes, reorders and removes steps without touching the lesson it was given', () => {
    const l0 = newLesson(start, 'Routing');
    const l1 = addStep(addStep(l0));
    expect(titles(l0)).toEqual(['Step 1']);
    expect(titles(l1)).toEqual(['Step 1', 'Step 2', 'Step 3']);
    const l2 = updateStep(l1, 1, { title: 'Bus', text: 'Route the **Kick** to the bus.' });
    expect(l2.steps[1]).toEqual({ title: 'Bus', text: 'Route the **Kick** to the bus.', checks: [] });
    expect(titles(moveStep(l2, 2, 0))).toEqual(['Step 3', 'Step 1', 'Bus']);
    expect(titles(moveStep(l2, 0, 99))).toEqual(['Bus', 'Step 3', 'Step 1']);
    expect(titles(removeStep(l2, 1))).toEqual(['Step 1', 'Step 3']);
    // A lesson keeps one step: removing the last empties it.
    expect(removeStep(l0, 0).steps).toEqual([{ title: 'Step 1', text: '', checks: [] }]);
    expect(() => removeStep(l0, 3)).toThrow(/no step 4: the lesson has 1/);
    expect(addStep(l2, 0).steps.map((s) => s.title)).toEqual(['Step 1', 'Step 4', 'Bus', 'Step 3']);
  });

  it('a path check from two clicked nodes ticks on the solution and not on the start', () => {
    const check = checkFromPicks('path', { from: 'kick', to: 'drums' }, start);
    expect(check).toEqual({ type: 'path', from: 'kick', to: 'drums' });
    const l = addCheck(newLesson(start), 0, check);
    expect(evaluateSteps(solution, l.steps, NO_MEASUREMENTS)[0].checks[0]).toMatchObject({ status: 'pass', label: 'Kick reaches Drum bus' });
    expect(evaluateSteps(start, l.steps, NO_MEASUREMENTS)[0].checks[0]).toMatchObject({ status: 'fail', message: 'Expected a path from Kick to Drum bus; Kick goes straight to the Master.' });
    // Made on the fly: the cable kick → drums ticks it, taking it away unticks it.
    const wired = produce(start, (d) => connect({ from: 'kick', to: 'drums' }).run(d));
    expect(evaluateSteps(wired, l.steps, NO_MEASUREMENTS)[0].checks[0].status).toBe('pass');
    const unwired = produce(wired, (d) => disconnect({ from: 'kick', fromPort: 'out', to: 'drums', toPort: 'in' }).run(d));
    expect(evaluateSteps(unwired, l.steps, NO_MEASUREMENTS)[0].checks[0].status).toBe('fail');
    expect(() => checkFromPicks('path', { from: 'kick' }, start)).toThrow(/needs its "to" node: click the node the signal must reach/);
  });

  it('a param check is prefilled around the clicked node\'s value; the other types too', () => {
    const eqLesson = lessonFile('eq-cut-before-you-boost.json');
    const s = eqLesson.session;
    const params = numericParams('eq').map((p) => p.param);
    expect(params).toEqual(expect.arrayContaining(['bands.gain', 'bands.frequency']));
    // The first number param of the EQ, around the picked node's first band.
    const first = checkFromPicks('param', { node: 'eq' }, s);
    expect(first).toMatchObject({ type: 'param', nodeType: 'eq', node: 'eq' });
    const gain = paramCheck(s, 'eq', 'eq', 'bands.gain');
    expect(gain).toEqual({ type: 'param', nodeType: 'eq', node: 'eq', param: 'bands.gain', min: 8, max: 10 });
    expect(rangeAround(3000, { unit: 'Hz', min: 20, max: 20000 })).toEqual({ min: 2700, max: 3300 });
    expect(rangeAround(-0.5, { unit: 'dB', min: -1, max: 24 })).toEqual({ min: -1, max: 0.5 });
    // Level: around the measured peak when there is one, "at most -1 dBFS" before.
    const measured: Measurements = { level: (n) => (n === 'drums' ? { peak: -10.97, rms: -14 } : null), mix: () => ({ integrated: -13.96, truePeak: -4.4 }), tracks: () => null };
    expect(checkFromPicks('level', { node: 'drums' }, start, measured)).toEqual({ type: 'level', node: 'drums', measure: 'peak', min: -14, max: -8 });
    expect(checkFromPicks('level', { node: 'drums' }, start)).toEqual({ type: 'level', node: 'drums', measure: 'peak', max: -1 });
    expect(checkFromPicks('loudness', {}, start, measured)).toEqual({ type: 'loudness', measure: 'integrated', min: -15, max: -13 });
    expect(checkFromPicks('bypass', { node: 'eq' }, s)).toEqual({ type: 'bypass', node: 'eq', bypassed: false });
    expect(checkFromPicks('levelled', {}, s)).toEqual({ type: 'levelled', tolerance: 2 });
  });

  it('a clicked node the start does not have, a group or a master for a bypass is refused with why', () => {
    const l = newLesson(start);
    expect(pickProblem(l, 'path', 'from', 'kick')).toBeNull();
    expect(pickProblem(l, 'path', 'from', 'comp')).toMatch(/not in the lesson's starting session/);
    expect(pickProblem(l, 'bypass', 'node', 'master')).toMatch(/cannot be bypassed/);
  });

  it('checks are edited and removed in place; the start can be set again', () => {
    let l = addCheck(newLesson(start), 0, { type: 'path', from: 'kick', to: 'drums' });
    l = addCheck(l, 0, { type: 'levelled', tolerance: 2 });
    l = updateCheck(l, 0, 0, { type: 'path', from: 'hats', to: 'drums', notThrough: 'reverb' });
    expect(l.steps[0].checks).toEqual([{ type: 'path', from: 'hats', to: 'drums', notThrough: 'reverb' }, { type: 'levelled', tolerance: 2 }]);
    expect(removeCheck(l, 0, 1).steps[0].checks).toHaveLength(1);
    expect(setStart(l, solution).session.edges).toEqual(solution.edges);
  });

  it('validation is the loader\'s: a good lesson gives the file text, a bad one its problems in a teacher\'s words', () => {
    const good = addCheck(updateStep(newLesson(start, 'Routing'), 0, { text: 'Route the kick.' }), 0, { type: 'path', from: 'kick', to: 'drums' });
    const v = validateLesson(good);
    expect(v.ok).toBe(true);
    if (v.ok) expect(loadLesson(v.text).steps).toEqual(good.steps);
    // A check naming a node the start does not have (the teacher removed it from the start later).
    const bad = addCheck(good, 0, { type: 'path', from: 'vocal', to: 'master' });
    const w = validateLesson(bad);
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.problems.map((p) => problemText(bad, p))).toEqual(['Step 1 (“Step 1”), check 2 (from): the starting session has no node "vocal" (checks name nodes the student starts with)']);
    const unnamed = validateLesson({ ...good, name: '' });
    expect(unnamed.ok).toBe(false);
    if (!unnamed.ok) expect(unnamed.problems.map((p) => problemText(good, p))).toEqual([expect.stringMatching(/^name: /)]);
    const range = validateLesson(addCheck(good, 0, { type: 'loudness', measure: 'integrated', min: -10, max: -20 }));
    expect(range.ok).toBe(false);
    if (!range.ok) expect(problemText(good, range.problems[0])).toBe('Step 1 (“Step 1”), check 2 (min): min -10 is above max -20');
  });
});

describe('a lesson built with the authoring builders, graded by mixgraph check', () => {
  const dir = scratch();
  it(
    'passes the solution (exit 0) and fails the start (exit 1) with the messages',
    async () => {
      let l = newLesson(start, 'Drums on the bus');
      l = updateStep(l, 0, { title: 'Kick to the bus', text: 'Connect the **Kick** to the Drum bus.' });
      l = addCheck(l, 0, checkFromPicks('path', { from: 'kick', to: 'drums' }, l.session));
      l = addStep(l);
      l = updateStep(l, 1, { title: 'Bus to the master', text: 'And the bus to the Master.' });
      l = addCheck(l, 1, checkFromPicks('path', { from: 'drums', to: 'master' }, l.session));
      l = addCheck(l, 1, checkFromPicks('level', { node: 'drums' }, l.session, { level: () => ({ peak: -11, rms: -14 }), mix: () => null, tracks: () => null }));
      const v = validateLesson(l);
      expect(v.ok).toBe(true);
      if (!v.ok) return;
      write(dir, 'lesson.json', v.text);
      write(dir, 'solution.json', readFileSync(join(LESSONS, 'signal-flow-101.solution.json'), 'utf8'));
      // The student's hand-in that changed nothing: the lesson's start as a session file.
      write(dir, 'start.json', JSON.stringify({ format: 'mixgraph', version: 2, ...JSON.parse(readFileSync(join(LESSONS, 'signal-flow-101.json'), 'utf8')).session }));
      const pass = await run(['check', 'lesson.json', 'solution.json'], dir);
      expect(pass.stderr).toBe('');
      expect(pass.stdout).toMatch(/^solution\.json: pass, 3 of 3 checks pass$/m);
      expect(pass.code).toBe(0);
      const fail = await run(['check', 'lesson.json', 'start.json'], dir);
      expect(fail.code).toBe(1);
      expect(fail.stdout).toMatch(/^start\.json: FAIL, 0 of 3 checks pass$/m);
      expect(fail.stdout).toContain('Expected a path from Kick to Drum bus; Kick goes straight to the Master.');
      expect(fail.stdout).toMatch(/Drum bus.*silent/);
    },
    TEST_TIMEOUT,
  );
});
