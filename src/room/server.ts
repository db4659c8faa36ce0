// The room server: `npm run room` (tsx src/room/server.ts [--port N] [--host H] [--data DIR]).
//
// Yjs documents synced over WebSockets with the y-websocket wire protocol (y-protocols' sync messages, as
// y-websocket's own server sends them), so the editor connects with y-websocket's WebsocketProvider. The
// server does not call y-websocket 2.x's bin/utils setupWSConnection: that function applies every update
// from every connection and has no hook to refuse one, and a room must be read-only for students and must
// refuse documents that fail validation. So each message is read here with y-protocols' decoders and passed
// through the room's rules before Yjs applies it (see the README's "Rooms" for the rules):
// - students: sync step 1 (asking for the state) is answered; any update or sync step 2 they send is dropped
//   and answered with an error;
// - the teacher (the connection that gave the room's token): each update is applied to a copy of the room's
//   document first, and only when the copy passes readRoom + the project's own loadSessionValue is it applied
//   to the room and sent on;
// - awareness messages are read and dropped (a room shares no presence); anything else, garbage bytes and
//   messages over MAX_MESSAGE_BYTES are refused with an error and the connection is closed.
// Audio: PUT /api/rooms/CODE/audio/SHA256 (teacher's token, checked against the hash, size-limited) and GET
// (anyone with the code), kept on disk under --data until the room expires.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, createReadStream, statSync, existsSync, renameSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { validateRoom, MAX_AUDIO_BYTES } from './doc.ts';

/** y-websocket's message types. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;
/** The room's own message: a refusal, a JSON { error, code } (editor registers a handler for it). */
export const MESSAGE_ROOM_ERROR = 40;
/** Largest WebSocket message: a whole session's first sync fits (10,000 nodes is about 3 MB). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Unambiguous letters: no I, L, O (read as 1, 1, 0), no digits. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;
const CODE_RE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
const SHA256_RE = /^[0-9a-f]{64}$/;
const MAX_ROOMS = 500;
const MAX_CONNECTIONS_PER_ROOM = 300;
const MAX_ROOM_AUDIO_BYTES = 4 * 1024 * 1024 * 1024;
/** A room is removed (document and audio) this long after its last connection closed, or after creation if nobody came. */
export const DEFAULT_IDLE_MS = 12 * 60 * 60 * 1000;

type Conn = { ws: WebSocket; teacher: boolean };
type Room = {
  code: string;
  token: Buffer;
  doc: Y.Doc;
  conns: Set<Conn>;
  audioBytes: number;
  audio: Set<string>;
  idle: NodeJS.Timeout | null;
};

export type RoomServerOptions = { port?: number; host?: string; dataDir?: string; idleMs?: number; log?: (line: string) => void };
export type RoomServer = { server: Server; port: number; host: string; dataDir: string; rooms: Map<string, Room>; close(): Promise<void> };

function error(ws: WebSocket, code: string, message: string): void {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_ROOM_ERROR);
  encoding.writeVarString(e, JSON.stringify({ code, error: message }));
  if (ws.readyState === ws.OPEN) ws.send(encoding.toUint8Array(e));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function newCode(taken: (code: string) => boolean): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (!taken(code)) return code;
  }
}

function tokenMatches(room: Room, given: string | null | undefined): boolean {
  if (!given) return false;
  const b = Buffer.from(given);
  return b.length === room.token.length && timingSafeEqual(b, room.token);
}

export function startRoomServer(options: RoomServerOptions = {}): Promise<RoomServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'mixgraph-room-'));
  const ownDataDir = !options.dataDir;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const rooms = new Map<string, Room>();

  function removeRoom(room: Room): void {
    for (const c of room.conns) c.ws.close(4410, 'the room has closed');
    if (room.idle) clearTimeout(room.idle);
    room.doc.destroy();
    rooms.delete(room.code);
    rmSync(join(dataDir, room.code), { recursive: true, force: true });
    log(`room ${room.code} closed`);
  }
  function armIdle(room: Room): void {
    if (room.idle) clearTimeout(room.idle);
    room.idle = room.conns.size === 0 ? setTimeout(() => removeRoom(room), idleMs) : null;
    room.idle?.unref();
  }

  function roomOf(code: string): Room | undefined {
    return CODE_RE.test(code) ? rooms.get(code) : undefined;
  }

  function broadcast(room: Room, message: Uint8Array): void {
    for (const c of room.conns) if (c.ws.readyState === c.ws.OPEN) c.ws.send(message);
  }

  /** Applies a teacher's update when the document it makes still validates; false (and an error sent) when not. */
  function teacherUpdate(room: Room, conn: Conn, update: Uint8Array): boolean {
    const copy = new Y.Doc();
    try {
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
      Y.applyUpdate(copy, update);
    } catch (e) {
      copy.destroy();
      error(conn.ws, 'bad-update', `the update could not be read as a Yjs update (${(e as Error).message}); nothing changed`);
      return false;
    }
    // Pending structs: the update builds on changes the room never received; applying it would leave the
    // room's document half-updated, so it is refused like an invalid one.
    if (copy.store.pendingStructs || copy.store.pendingDs) {
      copy.destroy();
      error(conn.ws, 'out-of-order', 'the update builds on changes the room does not have; reconnect to resynchronise');
      return false;
    }
    const checked = validateRoom(copy);
    copy.destroy();
    if (!checked.ok) {
      const lines = checked.problems.slice(0, 20);
      error(conn.ws, 'invalid-document', `refused: the session would not be valid: ${lines.join('; ')}${checked.problems.length > 20 ? ` (and ${checked.problems.length - 20} more)` : ''}`);
      return false;
    }
    Y.applyUpdate(room.doc, update, conn);
    return true;
  }

  function onMessage(room: Room, conn: Conn, data: Buffer): void {
    const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let type: number;
    const decoder = decoding.createDecoder(message);
    try {
      type = decoding.readVarUint(decoder);
    } catch {
      type = -1;
    }
    try {
      if (type === MESSAGE_SYNC) {
        const sub = decoding.readVarUint(decoder);
        if (sub === syncProtocol.messageYjsSyncStep1) {
          const stateVector = decoding.readVarUint8Array(decoder);
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeSyncStep2(e, room.doc, stateVector);
          conn.ws.send(encoding.toUint8Array(e));
          return;
        }
        if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) {
          const update = decoding.readVarUint8Array(decoder);
          if (!conn.teacher) {
            // A student's client sends its (empty) state as sync step 2 on connecting: that is no change and
            // needs no error; anything that would change the document is refused.
            if (isEmptyUpdate(update)) return;
            error(conn.ws, 'read-only', 'refused: students cannot change the teacher\'s session (fork it into your own session to edit)');
            return;
          }
          teacherUpdate(room, conn, update);
          return;
        }
        throw new Error(`unknown sync message ${sub}`);
      }
      if (type === MESSAGE_AWARENESS) {
        decoding.readVarUint8Array(decoder);
        return;
      }
      if (type === MESSAGE_QUERY_AWARENESS) return;
      error(conn.ws, 'unknown-message', `refused: unknown message type ${type === -1 ? '(unreadable)' : type}; the room speaks y-websocket's sync protocol`);
      conn.ws.close(4400, 'unknown message');
    } catch (e) {
      error(conn.ws, 'bad-message', `refused: the message could not be read (${(e as Error).message})`);
      conn.ws.close(4400, 'bad message');
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((e) => {
      if (!res.headersSent) json(res, 500, { error: `the room server failed: ${(e as Error).message}` });
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The editor is served from another origin (vite, or a school's own web server): allow it to call.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'GET, HEAD, PUT, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://room');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { ok: true, rooms: rooms.size });
    if (parts[0] !== 'api' || parts[1] !== 'rooms') return json(res, 404, { error: `no such address ${url.pathname.slice(0, 100)}: the room server answers /api/rooms and /room/CODE` });
    if (parts.length === 2) {
      if (req.method !== 'POST') return json(res, 405, { error: 'POST /api/rooms creates a room' });
      if (rooms.size >= MAX_ROOMS) return json(res, 503, { error: `the server holds ${MAX_ROOMS} rooms already; try later` });
      const code = newCode((c) => rooms.has(c));
      const token = randomBytes(24).toString('base64url');
      const room: Room = { code, token: Buffer.from(token), doc: new Y.Doc(), conns: new Set(), audioBytes: 0, audio: new Set(), idle: null };
      // Every change the room accepts goes to every connection, the teacher's too (Yjs ignores what it has).
      room.doc.on('update', (update: Uint8Array) => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeUpdate(e, update);
        broadcast(room, encoding.toUint8Array(e));
      });
      rooms.set(code, room);
      armIdle(room);
      log(`room ${code} opened`);
      return json(res, 201, { code, token });
    }
    const code = parts[2];
    const room = roomOf(code);
    if (!room) return json(res, 404, { error: CODE_RE.test(code) ? `no room ${code} (it may have closed)` : `"${code.slice(0, 20)}" is not a room code (${CODE_LENGTH} letters)` });
    if (parts.length === 3 && req.method === 'GET') return json(res, 200, { code, students: [...room.conns].filter((c) => !c.teacher).length });
    if (parts.length !== 5 || parts[3] !== 'audio') return json(res, 404, { error: 'a room answers /api/rooms/CODE/audio/SHA256' });
    const hash = parts[4];
    if (!SHA256_RE.test(hash)) return json(res, 400, { error: 'audio is addressed by its SHA-256: 64 lowercase hex digits' });
    const file = join(dataDir, code, hash);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (!room.audio.has(hash)) return json(res, 404, { error: `room ${code} has no audio ${hash}` });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': statSync(file).size, 'cache-control': 'private, max-age=31536000, immutable' });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file).pipe(res);
      return;
    }
    if (req.method !== 'PUT') return json(res, 405, { error: 'audio is uploaded with PUT and fetched with GET' });
    const auth = req.headers.authorization ?? '';
    if (!tokenMatches(room, auth.startsWith('Bearer ') ? auth.slice(7) : null)) return json(res, 403, { error: 'only the teacher (with the room\'s token) uploads audio' });
    if (room.audio.has(hash)) {
      req.resume();
      return json(res, 200, { sha256: hash, stored: false, message: 'already in the room' });
    }
    const declared = Number(req.headers['content-length']);
    if (!Number.isFinite(declared)) return json(res, 411, { error: 'give the Content-Length of the file' });
    if (declared > MAX_AUDIO_BYTES) return json(res, 413, { error: `the file is ${declared} bytes; a room takes audio files up to ${MAX_AUDIO_BYTES} bytes` });
    if (room.audioBytes + declared > MAX_ROOM_AUDIO_BYTES) return json(res, 413, { error: `the room holds ${room.audioBytes} bytes of audio; at most ${MAX_ROOM_AUDIO_BYTES}` });
    mkdirSync(join(dataDir, code), { recursive: true, mode: 0o700 });
    const part = `${file}.${randomBytes(6).toString('hex')}.part`;
    const sha = createHash('sha256');
    let size = 0;
    const out = createWriteStream(part, { mode: 0o600 });
    const result = await new Promise<'ok' | 'too-big' | 'failed'>((done) => {
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > declared || size > MAX_AUDIO_BYTES) {
          req.pause();
          done('too-big');
          return;
        }
        sha.update(chunk);
        if (!out.write(chunk)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      });
      req.on('end', () => done('ok'));
      req.on('error', () => done('failed'));
    });
    await new Promise<void>((r) => out.end(r));
    const digest = sha.digest('hex');
    if (result !== 'ok' || digest !== hash || size !== declared) {
      rmSync(part, { force: true });
      const why = result === 'too-big' ? 'more bytes than its Content-Length' : result === 'failed' ? 'the upload broke off' : digest !== hash ? `its SHA-256 is ${digest}, not ${hash}` : `${size} bytes arrived, not ${declared}`;
      json(res, result === 'too-big' ? 413 : 400, { error: `audio refused: ${why}` });
      if (result === 'too-big') req.destroy();
      return;
    }
    if (!room.audio.has(hash) && rooms.get(code) === room) {
      renameSync(part, file);
      room.audio.add(hash);
      room.audioBytes += size;
    } else rmSync(part, { force: true });
    json(res, 201, { sha256: hash, stored: true, size });
  }

  server.on('upgrade', (req, socket, head) => {
    // A client that resets its connection mid-handshake must not end the process (an unhandled socket error).
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://room');
    const parts = url.pathname.split('/').filter(Boolean);
    const room = parts.length === 2 && parts[0] === 'room' ? roomOf(parts[1]) : undefined;
    if (!room || room.conns.size >= MAX_CONNECTIONS_PER_ROOM) {
      socket.end(`HTTP/1.1 ${room ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const token = url.searchParams.get('token');
    if (token !== null && !tokenMatches(room, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, teacher: token !== null };
      room.conns.add(conn);
      armIdle(room);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          error(ws, 'unknown-message', 'refused: text messages are not part of the room protocol (binary y-websocket messages only)');
          ws.close(4400, 'text message');
          return;
        }
        onMessage(room, conn, data);
      });
      // ws reports an oversized or malformed frame as an error after closing the socket itself (1009 for a
      // message over maxPayload, 1002 for a protocol error); unhandled, it would end the process.
      ws.on('error', (e) => log(`room ${room.code}: a connection closed on ${e.message}`));
      ws.on('close', () => {
        room.conns.delete(conn);
        if (rooms.get(room.code) === room) armIdle(room);
      });
      // The server's state first, as y-websocket's server does: the client answers with its own step 2.
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(e, room.doc);
      ws.send(encoding.toUint8Array(e));
    });
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4455, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port ?? 4455;
      const host = options.host ?? '127.0.0.1';
      resolvePromise({
        server,
        port,
        host,
        dataDir,
        rooms,
        close: () =>
          new Promise<void>((done) => {
            for (const room of [...rooms.values()]) removeRoom(room);
            wss.close();
            server.close(() => {
              if (ownDataDir && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
              done();
            });
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** An update that changes nothing (what an empty client sends as its sync step 2). */
function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const probe = new Y.Doc();
    Y.applyUpdate(probe, update);
    const empty = probe.store.clients.size === 0 && !probe.store.pendingStructs && !probe.store.pendingDs;
    probe.destroy();
    return empty;
  } catch {
    return false;
  }
}

function parseFlags(argv: string[]): { port: number; host: string; dataDir?: string } | string {
  let port = Number(process.env.ROOM_PORT ?? 4455);
  let host = process.env.ROOM_HOST ?? '127.0.0.1';
  let dataDir = process.env.ROOM_DATA;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') return 'usage: npm run room -- [--port N (4455; 0 picks a free one)] [--host H (127.0.0.1; 0.0.0.0 for the whole network)] [--data DIR (a new temporary folder)]';
    if (flag !== '--port' && flag !== '--host' && flag !== '--data') return `unknown option ${flag}: use --port, --host or --data`;
    if (value === undefined) return `${flag} needs a value`;
    i++;
    if (flag === '--port') port = Number(value);
    else if (flag === '--host') host = value;
    else dataDir = value;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `the port must be a whole number from 0 to 65535 (got ${process.env.ROOM_PORT ?? ''}${argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : ''})`;
  return { port, host, dataDir };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (typeof flags === 'string') {
    console.error(flags);
    process.exit(flags.startsWith('usage') ? 0 : 2);
  }
  try {
    const room = await startRoomServer({ port: flags.port, host: flags.host, dataDir: flags.dataDir });
    const shown = room.host === '0.0.0.0' || room.host === '::' ? 'this machine\'s address' : room.host;
    console.log(`mixgraph room server listening on http://${shown}:${room.port} (rooms: ws://${shown}:${room.port}/room/CODE; audio kept in ${room.dataDir})`);
    const stop = () => void room.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    console.error(`the room server could not start on ${flags.host}:${flags.port}: ${(e as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
