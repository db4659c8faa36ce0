// The room server (src/room/server.ts) as `npm run room` starts it, in its own process on a free port, with
// real WebSocket clients: y-websocket's WebsocketProvider for the teacher and the students, raw `ws` sockets
// for what a hostile client sends.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { connectRoom, createRoom, fetchAudio, uploadAudio, type RoomRefusal, type RoomTicket } from '../../src/room/client.ts';
import { readRoom, validateRoom, writeSession } from '../../src/room/doc.ts';
import { saveSession, loadSession } from '../../src/presets/load.ts';
import { MAX_MESSAGE_BYTES, MESSAGE_ROOM_ERROR } from '../../src/room/server.ts';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let child: ChildProcess;
let base = '';
let stderr = '';
const dataDir = mkdtempSync(join(tmpdir(), 'mixgraph-room-test-'));

beforeAll(async () => {
  // The same command as package.json's "room" script.
  child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/room/server.ts', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d) => (stderr += d));
  base = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+:\d+)/.exec(out);
      if (m) done(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`the room server exited (${code}): ${stderr}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const session = (threshold: number, name = 'Lesson') =>
  JSON.parse(
    saveSession(
      loadSession(
        JSON.stringify({
          format: 'mixgraph',
          version: 2,
          kind: 'session',
          name,
          nodes: [
            { id: 'gen', type: 'generator', position: { x: 0, y: 0 } },
            { id: 'comp', type: 'compressor', position: { x: 200, y: 0 }, params: { threshold } },
            { id: 'master', type: 'master', position: { x: 400, y: 0 } },
          ],
          edges: [
            { from: 'gen', to: 'comp' },
            { from: 'comp', to: 'master' },
          ],
        }),
      ),
    ),
  ) as Record<string, unknown>;

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

type Peer = { doc: Y.Doc; refusals: RoomRefusal[]; destroy(): void; synced: Promise<void> };
const open: Peer[] = [];
function peer(code: string, token?: string): Peer {
  const doc = new Y.Doc();
  const refusals: RoomRefusal[] = [];
  const c = connectRoom(base, code, doc, { token, onRefusal: (r) => refusals.push(r), WebSocketPolyfill: WebSocket });
  const synced = new Promise<void>((r) => c.provider.once('sync', (s: boolean) => s && r()));
  const p = { doc, refusals, destroy: c.destroy, synced };
  open.push(p);
  return p;
}
afterAll(() => open.forEach((p) => p.destroy()));

const threshold = (doc: Y.Doc) => ((doc.getMap('nodes').get('comp') as { params?: { threshold?: number } } | undefined)?.params?.threshold);

/** A raw socket that collects the room's refusals and tells how it closed. */
async function raw(code: string, token?: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/room/${code}${token ? `?token=${token}` : ''}`);
  const refusals: RoomRefusal[] = [];
  const closed = new Promise<number>((r) => ws.once('close', (c) => r(c)));
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) === MESSAGE_ROOM_ERROR) refusals.push(JSON.parse(decoding.readVarString(d)));
  });
  await new Promise((r, f) => {
    ws.once('open', r);
    ws.once('error', f);
  });
  return { ws, refusals, closed };
}

const updateMessage = (update: Uint8Array) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
};

async function serverAlive() {
  const res = await fetch(`${base}/health`);
  expect(res.status).toBe(200);
  expect(child.exitCode).toBeNull();
}

describe('room server', () => {
  let ticket: RoomTicket;
  let teacher: Peer;
  let students: Peer[];

  beforeAll(async () => {
    ticket = await createRoom(base);
    teacher = peer(ticket.code, ticket.token);
    await teacher.synced;
    writeSession(teacher.doc, session(-18));
    students = [peer(ticket.code), peer(ticket.code)];
    await Promise.all(students.map((s) => s.synced));
  });

  test('a room gets a 6-letter code without I, L, O and a token', () => {
    expect(ticket.code).toMatch(/^[A-HJKMNP-Z]{6}$/);
    expect(ticket.token.length).toBeGreaterThanOrEqual(32);
  });

  test("the teacher's session and each change reach two students", async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(teacher.refusals).toEqual([]);
    for (const s of students) await until('the first session', () => threshold(s.doc) === -18);
    const read = validateRoom(students[0].doc);
    expect(read.ok && read.session?.nodes.map((n) => n.id)).toEqual(['gen', 'comp', 'master']);
    let bytes = 0;
    teacher.doc.once('update', (u: Uint8Array) => (bytes = u.length));
    writeSession(teacher.doc, session(-24));
    for (const s of students) await until('the new threshold', () => threshold(s.doc) === -24);
    // A knob change travels as that node's entry, not the whole session.
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(JSON.stringify(session(-24)).length / 2);
    expect(teacher.refusals).toEqual([]);
  });

  test("a student's change is refused and reaches neither the teacher nor the other student", async () => {
    const [a, b] = students;
    a.doc.getMap('nodes').set('comp', { ...(a.doc.getMap('nodes').get('comp') as object), params: { threshold: -40 } });
    a.doc.getMap('head').set('name', 'hacked');
    await until('the refusal', () => a.refusals.length > 0);
    expect(a.refusals[0]).toMatchObject({ code: 'read-only' });
    expect(a.refusals[0].error).toMatch(/students cannot change/);
    // The teacher's next change arrives; the student's never did.
    writeSession(teacher.doc, session(-30));
    await until('the teacher change at b', () => threshold(b.doc) === -30);
    expect(teacher.doc.getMap('head').get('name')).toBe('Lesson');
    expect(b.doc.getMap('head').get('name')).toBe('Lesson');
    expect(threshold(teacher.doc)).toBe(-30);
    // A fresh student sees the room as the teacher has it.
    const c = peer(ticket.code);
    await c.synced;
    await until('c synced', () => threshold(c.doc) === -30);
    expect(c.doc.getMap('head').get('name')).toBe('Lesson');
    // a's own copy keeps its refused edit (Yjs may order it after the teacher's for that key): it is a
    // diverged replica, which the editor never makes (a student's editor does not write). c takes its place.
    a.destroy();
    students[0] = c;
  });

  test('a wrong token is refused at the door', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/room/${ticket.code}?token=nope`);
    const err = await new Promise<Error>((r) => ws.once('error', r));
    expect(err.message).toMatch(/403/);
  });

  test('an update making an invalid session is refused with its problems; the room keeps the valid one', async () => {
    const { ws, refusals } = await raw(ticket.code, ticket.token);
    // A copy of the room plus a node of a type that does not exist and an edge to nowhere.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(teacher.doc));
    const before = Y.encodeStateVector(copy);
    copy.getMap('nodes').set('x', { id: 'x', type: 'laser', position: { x: 0, y: 0 } });
    ws.send(updateMessage(Y.encodeStateAsUpdate(copy, before)));
    await until('the refusal', () => refusals.length > 0);
    expect(refusals[0].code).toBe('invalid-document');
    expect(refusals[0].error).toMatch(/laser/);
    // A root the room does not know, and a node under someone else's id.
    const copy2 = new Y.Doc();
    Y.applyUpdate(copy2, Y.encodeStateAsUpdate(teacher.doc));
    const before2 = Y.encodeStateVector(copy2);
    copy2.getMap('scripts').set('run', 'alert(1)');
    copy2.getMap('nodes').set('gen', { id: 'other', type: 'generator' });
    ws.send(updateMessage(Y.encodeStateAsUpdate(copy2, before2)));
    await until('the second refusal', () => refusals.length > 1);
    expect(refusals[1].error).toMatch(/unknown part "scripts"/);
    expect(refusals[1].error).toMatch(/must hold the node whose id it is/);
    ws.close();
    await new Promise((r) => setTimeout(r, 200));
    for (const p of [teacher, ...students]) {
      expect([...p.doc.getMap('nodes').keys()].sort()).toEqual(['comp', 'gen', 'master']);
      expect(p.doc.share.has('scripts')).toBe(false);
    }
    await serverAlive();
  });

  test('unknown messages, garbage bytes, text and oversized messages are refused; the server stays up', async () => {
    const unknown = await raw(ticket.code);
    unknown.ws.send(Uint8Array.from([7, 1, 2, 3]));
    expect(await unknown.closed).toBe(4400);
    expect(unknown.refusals[0]).toMatchObject({ code: 'unknown-message' });

    const garbage = await raw(ticket.code, ticket.token);
    garbage.ws.send(Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(await garbage.closed).toBe(4400);
    expect(garbage.refusals[0].code).toMatch(/bad-/);

    const notYjs = await raw(ticket.code, ticket.token);
    notYjs.ws.send(updateMessage(randomBytes(64)));
    await until('a refusal of random bytes as an update', () => notYjs.refusals.length > 0 || notYjs.ws.readyState !== WebSocket.OPEN);
    notYjs.ws.close();

    const text = await raw(ticket.code);
    text.ws.send('{"type":"update"}');
    expect(await text.closed).toBe(4400);

    const big = await raw(ticket.code, ticket.token);
    big.ws.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
    expect(await big.closed).toBe(1009);

    await serverAlive();
    // The room still works after all of it.
    writeSession(teacher.doc, session(-12));
    for (const s of students) await until('a change after the attacks', () => threshold(s.doc) === -12);
    expect(readRoom(students[0].doc).ok).toBe(true);
  });

  test('the lesson the teacher has open and its step reach the students; a broken lesson or a step past its end is refused', async () => {
    const lesson = JSON.parse(readFileSync('presets/lessons/signal-flow-101.json', 'utf8')) as Record<string, unknown> & { steps: { checks: Record<string, unknown>[] }[] };
    writeSession(teacher.doc, session(-12), { lesson, step: 1 });
    for (const s of students) {
      await until('the lesson at a student', () => {
        const r = validateRoom(s.doc);
        return r.ok && r.lesson?.name === lesson.name && r.state.step === 1;
      });
    }
    const read = validateRoom(students[1].doc);
    expect(read.ok && read.lesson?.steps.length).toBe(lesson.steps.length);
    expect(teacher.refusals).toEqual([]);

    const { ws, refusals } = await raw(ticket.code, ticket.token);
    const attempt = async (change: (room: Y.Map<unknown>) => void) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(teacher.doc));
      const before = Y.encodeStateVector(copy);
      change(copy.getMap('room'));
      const n = refusals.length;
      ws.send(updateMessage(Y.encodeStateAsUpdate(copy, before)));
      await until('the refusal', () => refusals.length > n);
      return refusals[n];
    };
    // A check that names a node the lesson's starting session does not have: refused as a lesson file would be.
    const broken = structuredClone(lesson);
    broken.steps[0].checks[0] = { ...broken.steps[0].checks[0], from: 'nobody' };
    expect((await attempt((room) => room.set('lesson', broken))).error).toMatch(/lesson: steps\[0\]\.checks\[0\]\.from.*no node "nobody"/);
    expect((await attempt((room) => room.set('step', lesson.steps.length))).error).toMatch(/past the lesson's last step/);
    expect((await attempt((room) => room.set('lesson', 'run me'))).error).toMatch(/room\.lesson must be a lesson file/);
    ws.close();
    await new Promise((r) => setTimeout(r, 200));
    for (const p of [teacher, ...students]) {
      const r = validateRoom(p.doc);
      expect(r.ok && [r.lesson?.steps[0].checks[0], r.state.step]).toEqual([lesson.steps[0].checks[0], 1]);
    }
    // The teacher closes the lesson: the students' panels go with it.
    writeSession(teacher.doc, session(-12), { lesson: null, step: null });
    for (const s of students) await until('no lesson', () => (validateRoom(s.doc) as { lesson?: unknown }).lesson === null);
  });

  test('audio uploaded once (by SHA-256) is fetched by hash; a student cannot upload; a wrong hash is refused', async () => {
    const bytes = randomBytes(200_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const first = await uploadAudio(base, ticket, bytes);
    expect(first).toEqual({ sha256: sha, stored: true });
    expect(await uploadAudio(base, ticket, bytes)).toEqual({ sha256: sha, stored: false });
    expect(readdirSync(join(dataDir, ticket.code))).toEqual([sha]);
    const got = await fetchAudio(base, ticket.code, sha);
    expect(Buffer.from(got).equals(bytes)).toBe(true);

    const other = randomBytes(1000);
    const otherSha = createHash('sha256').update(other).digest('hex');
    const url = `${base}/api/rooms/${ticket.code}/audio/${otherSha}`;
    expect((await fetch(url, { method: 'PUT', body: other })).status).toBe(403);
    const wrong = await fetch(url, { method: 'PUT', body: randomBytes(1000), headers: { authorization: `Bearer ${ticket.token}` } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/SHA-256 is/);
    expect((await fetch(url)).status).toBe(404);
    const huge = await fetch(url, { method: 'PUT', body: other, headers: { authorization: `Bearer ${ticket.token}`, 'content-length': String(2 ** 33) } }).catch(() => null);
    if (huge) expect(huge.status).toBe(413);
    expect(readdirSync(join(dataDir, ticket.code))).toEqual([sha]);
  });

  test('hostile room codes and paths are refused', async () => {
    for (const path of ['/api/rooms/../../etc/passwd', '/api/rooms/%2e%2e%2f%2e%2e/audio/' + 'a'.repeat(64), `/api/rooms/${ticket.code}/audio/..%2f..%2fetc%2fpasswd`, `/api/rooms/${ticket.code}/audio/${'A'.repeat(64)}`, '/api/rooms/abcdef', '/api/rooms/IIIIII', '/etc/passwd']) {
      const res = await fetch(base + path);
      expect([400, 404]).toContain(res.status);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(10);
    }
    for (const path of ['/room/../../x', '/room/abcdef', '/room/ZZZZZZ', `/room/${ticket.code}/x`, '/elsewhere']) {
      const ws = new WebSocket(base.replace('http', 'ws') + path);
      const err = await new Promise<Error>((r) => ws.once('error', r));
      expect(err.message).toMatch(/404/);
    }
    await serverAlive();
  });
});
