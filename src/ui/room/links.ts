// The room's light half: addresses, codes and links, and the status the banner shows. Kept apart from
// controller.ts so the editor's first load does not carry Yjs and y-websocket (about 105 KB minified):
// those load when a room is opened or joined.
import type { LessonDoc } from '../../presets/lesson.ts';

export type RoomStatus =
  | { role: 'none' }
  | { role: 'teacher'; code: string; server: string; link: string; connected: boolean }
  /** A student also sees the lesson the teacher has open (checked as a lesson file) and the step shown. */
  | { role: 'student'; code: string; server: string; connected: boolean; received: boolean; lesson: LessonDoc | null; step: number | null };

export const CODE_RE = /^[ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/;

/** A code as typed by a person: case, spaces and dashes do not matter; null when it cannot be a code. */
export function normaliseCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  return CODE_RE.test(code) ? code : null;
}

/** The room server the editor uses unless told another: VITE_ROOM_SERVER at build time, else port 4455 of the host serving the editor. */
export function defaultRoomServer(): string {
  const configured = (import.meta as { env?: Record<string, string | undefined> }).env?.VITE_ROOM_SERVER;
  if (configured) return configured;
  return `${location.protocol === 'https:' ? 'https:' : 'http:'}//${location.hostname || '127.0.0.1'}:4455`;
}

/** Only http(s) origins: a link cannot point the editor at another scheme. */
export function normaliseServer(typed: string): string | null {
  try {
    const url = new URL(typed.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** The room a link names: `#room=CODE` (and `&server=URL` when the room server is not the default). */
export function roomOfHash(hash: string): { code: string; server: string | null } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const raw = params.get('room');
  if (raw === null) return null;
  const code = normaliseCode(raw);
  if (!code) return null;
  const server = params.get('server');
  return { code, server: server === null ? null : normaliseServer(server) };
}

export function roomLink(code: string, server: string): string {
  const base = `${location.origin}${location.pathname}`;
  return server === defaultRoomServer() ? `${base}#room=${code}` : `${base}#room=${code}&server=${encodeURIComponent(server)}`;
}

