// A room in Chromium: the room server as `npm run room` starts it, a teacher and two students in three browser
// contexts. The teacher opens a room from the Session menu; the students open its link; the teacher's edit
// appears for both; a student's edit is refused (read-only); a student's fork is editable and its edits reach
// nobody, and the room no longer changes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { centreOf, docOf, drag, dropFiles, nodeBox, paramOf, port, screenshot, settledBox, sineWavBytes } from './harness.ts';
import { useEditors } from './suite.ts';

const editor = useEditors();
let child: ChildProcess;
let server = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/room/server.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+:\d+)/.exec(out);
      if (m) done(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`the room server exited (${code})`)));
  });
}, 30_000);

afterAll(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

async function menu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: /^Session/ }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

async function setThreshold(page: Page, value: string): Promise<void> {
  await nodeBox(page, 'master_comp').click();
  const field = page.getByRole('textbox', { name: 'Threshold value in dB' });
  await field.fill(value);
  await field.press('Enter');
}

const until = async (what: string, ok: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('room', () => {
  it("a teacher's change appears for two students; students are read-only; a student's fork reaches nobody", async () => {
    const teacher = await editor();
    const a = await editor();
    const b = await editor();

    await menu(teacher.page, 'Open a room…');
    const dialog = teacher.page.getByRole('dialog', { name: 'Open a room' });
    await dialog.getByLabel('Room server').fill(server);
    await dialog.getByRole('button', { name: 'Open room', exact: true }).click();
    const banner = teacher.page.getByRole('status', { name: 'Room' });
    await banner.waitFor();
    const code = (await banner.locator('.room-code').textContent())!;
    expect(code).toMatch(/^[A-HJKMNP-Z]{6}$/);
    const link = await banner.getByRole('textbox', { name: 'Room link' }).inputValue();
    expect(link).toContain(`#room=${code}`);

    // Every audio fetch each student makes from the room.
    const fetched = new Map<Page, string[]>();
    for (const s of [a, b]) {
      fetched.set(s.page, []);
      s.page.on('request', (r) => {
        const m = /\/api\/rooms\/[A-Z]{6}\/audio\/([0-9a-f]{64})$/.exec(r.url());
        if (m && r.method() === 'GET') fetched.get(s.page)!.push(m[1]);
      });
    }

    // Student a by the link, student b by the code in "Join a room…".
    await a.page.goto(link);
    await menu(b.page, 'Join a room…');
    const join = b.page.getByRole('dialog', { name: 'Join a room' });
    await join.getByLabel('Room code').fill(code.toLowerCase());
    await join.getByLabel('Room server').fill(server);
    await join.getByRole('button', { name: 'Join', exact: true }).click();
    const sent = await docOf(teacher.page);
    for (const s of [a, b]) {
      await s.page.getByText('you see the teacher’s session as it changes').waitFor();
      expect(await docOf(s.page)).toEqual(sent);
    }

    // The teacher edits: both students see it.
    await setThreshold(teacher.page, '-30');
    for (const s of [a, b]) await until('the teacher’s threshold', async () => (await paramOf(s.page, 'master_comp', 'threshold')) === -30);
    // The teacher drops a file: it goes up once and each student fetches it once, however many edits follow.
    const pane = (await teacher.page.locator('.react-flow').boundingBox())!;
    await dropFiles(teacher.page, [{ name: 'tone.wav', bytes: sineWavBytes(1, 440) }], { x: pane.x + 150, y: pane.y + 650 });
    const hasTone = (p: Page) => p.evaluate(() => (window as unknown as { mixgraph: { audio: { sources: { has(s: string): boolean } } } }).mixgraph.audio.sources.has('tone.wav'));
    for (const s of [a, b]) {
      await nodeBox(s.page, 'tone').waitFor();
      await until('tone.wav at a student', () => hasTone(s.page));
    }
    await setThreshold(teacher.page, '-31');
    await setThreshold(teacher.page, '-30');
    for (const s of [a, b]) await until('the teacher’s threshold again', async () => (await paramOf(s.page, 'master_comp', 'threshold')) === -30);
    for (const s of [a, b]) {
      const hashes = fetched.get(s.page)!;
      expect(hashes.length).toBeGreaterThan(0);
      expect(new Set(hashes).size).toBe(hashes.length);
    }
    await screenshot(teacher.page, 'room-teacher');
    await screenshot(a.page, 'room-student');

    // A student's edit is refused here and never reaches anyone.
    await setThreshold(a.page, '-50');
    expect(await paramOf(a.page, 'master_comp', 'threshold')).toBe(-30);
    await a.page.getByText('it is read-only here').first().waitFor();

    // Student a forks: the copy is editable, its edits stay in it, and the room no longer changes it.
    await a.page.getByRole('button', { name: 'Fork into my session' }).click();
    await expect.poll(() => a.page.getByRole('status', { name: 'Room' }).count()).toBe(0);
    await setThreshold(a.page, '-45');
    expect(await paramOf(a.page, 'master_comp', 'threshold')).toBe(-45);
    await screenshot(a.page, 'room-student-forked');
    await setThreshold(teacher.page, '-20');
    await until('the teacher’s second change at b', async () => (await paramOf(b.page, 'master_comp', 'threshold')) === -20);
    await new Promise((r) => setTimeout(r, 300));
    expect(await paramOf(teacher.page, 'master_comp', 'threshold')).toBe(-20);
    expect(await paramOf(a.page, 'master_comp', 'threshold')).toBe(-45);
    expect((await docOf(b.page)).nodes).toEqual((await docOf(teacher.page)).nodes);

    for (const e of [teacher, a, b]) expect(e.errors).toEqual([]);
  }, 90_000);

  it("the lesson the teacher has open and the step shown reach the students; a student's fork keeps the lesson as their own", async () => {
    const teacher = await editor();
    const a = await editor();
    await menu(teacher.page, 'Lessons…');
    const lessons = teacher.page.getByRole('dialog', { name: 'Lessons' });
    await lessons.getByRole('button', { name: /^Signal flow 101/ }).click();
    await lessons.getByRole('button', { name: 'Open lesson Signal flow 101: source to bus to master' }).click();
    await nodeBox(teacher.page, 'kick').waitFor();
    await menu(teacher.page, 'Open a room…');
    const dialog = teacher.page.getByRole('dialog', { name: 'Open a room' });
    await dialog.getByLabel('Room server').fill(server);
    await dialog.getByRole('button', { name: 'Open room', exact: true }).click();
    const link = await teacher.page.getByRole('status', { name: 'Room' }).getByRole('textbox', { name: 'Room link' }).inputValue();

    await a.page.goto(link);
    const panel = a.page.getByRole('complementary', { name: 'Lesson: Signal flow 101: source to bus to master' });
    const follow = panel.getByRole('status', { name: 'Teacher’s step' });
    await expect.poll(() => follow.textContent()).toBe('The teacher is on step 1: Route the kick through the drum bus');
    // A student following the room cannot close the teacher's lesson; the step's checks tick on the teacher's graph.
    expect(await panel.getByRole('button', { name: 'Close lesson' }).count()).toBe(0);
    const kickCheck = panel.getByRole('checkbox', { name: 'Kick reaches Drum bus' });
    expect(await kickCheck.isChecked()).toBe(false);

    // The teacher opens step 2 to talk about it: the students' panels open it too.
    const teacherPanel = teacher.page.getByRole('complementary', { name: /^Lesson:/ });
    await teacherPanel.getByRole('button', { name: /The hats join the bus/ }).click();
    await expect.poll(() => follow.textContent()).toBe('The teacher is on step 2: The hats join the bus');
    expect(await panel.locator('.lesson-step-title[aria-expanded="true"]').textContent()).toContain('The hats join the bus');
    // The teacher shows the connection of step 1: the student's tick follows the teacher's graph, and the teacher's
    // panel, having moved on to step 2, keeps the room there.
    await teacherPanel.getByRole('button', { name: /Route the kick through the drum bus/ }).click();
    await expect.poll(() => follow.textContent()).toBe('The teacher is on step 1: Route the kick through the drum bus');
    await settledBox(teacher.page, nodeBox(teacher.page, 'kick'));
    await drag(teacher.page, await centreOf(port(teacher.page, 'kick', 'out', 'source')), await centreOf(port(teacher.page, 'drums', 'in', 'target')));
    await expect.poll(() => panel.getByRole('checkbox', { name: 'Kick reaches Drum bus' }).isChecked()).toBe(true);
    await screenshot(a.page, 'room-student-lesson');

    // The fork keeps the lesson, now the student's own (it closes; it follows the student's copy).
    await a.page.getByRole('button', { name: 'Fork into my session' }).click();
    const own = a.page.getByRole('complementary', { name: 'Lesson: Signal flow 101: source to bus to master' });
    await own.getByRole('button', { name: 'Close lesson' }).waitFor();
    expect(await own.getByRole('status', { name: 'Teacher’s step' }).count()).toBe(0);
    expect(await own.getByRole('checkbox', { name: 'Kick reaches Drum bus' }).isChecked()).toBe(true);
    // The teacher closes the lesson: the room carries none any more (a fresh student sees no panel).
    await teacherPanel.getByRole('button', { name: 'Close lesson' }).click();
    const b = await editor();
    await b.page.goto(link);
    await b.page.getByText('you see the teacher’s session as it changes').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    expect(await b.page.getByRole('complementary', { name: /^Lesson:/ }).count()).toBe(0);
    for (const e of [teacher, a, b]) expect(e.errors).toEqual([]);
  }, 90_000);
});
