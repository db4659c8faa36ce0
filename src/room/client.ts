// The client side of a room, for the editor and the tests: create a room, connect to it with y-websocket's
// WebsocketProvider, hear the server's refusals, move audio by hash.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';

/** The room server's refusal message type (src/room/server.ts MESSAGE_ROOM_ERROR; kept apart so the editor does not import the server). */
export const MESSAGE_ROOM_ERROR = 40;
export { CODE_RE, normaliseCode } from '../ui/room/links.ts';

export type RoomRefusal = { code: string; error: string };
export type RoomTicket = { code: string; token: string };

/** http://host:port -> ws://host:port/room */
export function wsBase(httpBase: string): string {
  return `${httpBase.replace(/^http/, 'ws').replace(/\/$/, '')}/room`;
}

export async function createRoom(httpBase: string): Promise<RoomTicket> {
  const res = await fetch(`${httpBase.replace(/\/$/, '')}/api/rooms`, { method: 'POST' });
  const body = (await res.json()) as Partial<RoomTicket> & { error?: string };
  if (!res.ok || !body.code || !body.token) throw new Error(body.error ?? `the room server answered ${res.status}`);
  return { code: body.code, token: body.token };
}

export type RoomConnection = { provider: WebsocketProvider; doc: Y.Doc; destroy(): void };

/**
 * Connects doc to the room. With a token, this connection is the teacher's (its changes are the room's);
 * without, a student's (read-only: the server drops its changes). The in-page BroadcastChannel that
 * y-websocket uses between tabs is off: it would carry changes past the server's rules.
 */
export function connectRoom(httpBase: string, code: string, doc: Y.Doc, opts: { token?: string; onRefusal?: (r: RoomRefusal) => void; WebSocketPolyfill?: unknown } = {}): RoomConnection {
  const provider = new WebsocketProvider(wsBase(httpBase), code, doc, {
    params: opts.token ? { token: opts.token } : {},
    disableBc: true,
    ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill as typeof WebSocket } : {}),
  });
  provider.messageHandlers[MESSAGE_ROOM_ERROR] = (_encoder, decoder) => {
    let refusal: RoomRefusal;
    try {
      refusal = JSON.parse(decoding.readVarString(decoder)) as RoomRefusal;
    } catch {
      refusal = { code: 'unreadable', error: 'the room server refused something (its message was unreadable)' };
    }
    opts.onRefusal?.(refusal);
  };
  return { provider, doc, destroy: () => provider.destroy() };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Uploads a file to the room; `stored` is false when the room had it already (the server answers so without
 * keeping a second copy). No HEAD probe first: the editor remembers what it sent, and a probe's 404 would be
 * logged by the browser as an error.
 */
export async function uploadAudio(httpBase: string, ticket: RoomTicket, bytes: Uint8Array): Promise<{ sha256: string; stored: boolean }> {
  const sha256 = await sha256Hex(bytes);
  const url = `${httpBase.replace(/\/$/, '')}/api/rooms/${ticket.code}/audio/${sha256}`;
  const res = await fetch(url, { method: 'PUT', body: bytes as Uint8Array<ArrayBuffer>, headers: { authorization: `Bearer ${ticket.token}`, 'content-type': 'application/octet-stream' } });
  const body = (await res.json()) as { error?: string; stored?: boolean };
  if (!res.ok) throw new Error(body.error ?? `upload refused (${res.status})`);
  return { sha256, stored: body.stored === true };
}

/** Fetches one file of the room by hash and checks it is that file. */
export async function fetchAudio(httpBase: string, code: string, sha256: string): Promise<Uint8Array> {
  const res = await fetch(`${httpBase.replace(/\/$/, '')}/api/rooms/${code}/audio/${sha256}`);
  if (!res.ok) throw new Error(`the room has no audio ${sha256} (${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if ((await sha256Hex(bytes)) !== sha256) throw new Error(`the audio fetched for ${sha256} is another file`);
  return bytes;
}
