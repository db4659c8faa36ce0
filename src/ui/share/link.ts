// Share links: the session file, deflated (CompressionStream 'deflate-raw') and base64url-encoded in
// the URL's fragment, so nothing is uploaded anywhere (a fragment never reaches a server). Audio is
// never in a link: its tracks open as placeholders to relink. A link is hostile input like a file:
// its length is limited before it is decoded, the inflated size while it inflates (no deflate
// bomb), and the document goes through the loader like any session file.
import type { SessionDoc } from '../../model/document.ts';
import { MAX_BYTES } from '../../presets/json.ts';
import { loadSession, saveSession } from '../../presets/load.ts';

/** The fragment's key: `#share=<base64url>`. */
export const SHARE_KEY = 'share';

/**
 * The longest link the editor makes or opens, in characters. Chromium takes 2 MB in the address bar
 * and Firefox and Safari about 64 K, but mail and chat programs cut or mangle links far shorter;
 * 32 K characters still pastes whole into the common ones. Larger sessions travel as packages.
 */
export const MAX_LINK_CHARS = 32 * 1024;

export class ShareError extends Error {
  override name = 'ShareError';
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError('the link holds characters a share link never has (was it cut or changed when it was pasted?)');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    throw new ShareError('the link is cut short or damaged');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflate, stopping as soon as the output passes `limit` bytes (a small link cannot become gigabytes). */
async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel();
        throw new ShareError(`it unpacks to more than ${limit / 1024 / 1024} MiB, more than any session file may be`);
      }
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof ShareError) throw err;
    throw new ShareError('the link is cut short or damaged (its data does not unpack)');
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The link for `doc` on the page at `base` (the editor's address without a fragment). */
export async function shareLink(doc: SessionDoc, base: string): Promise<{ url: string; chars: number } | { tooLong: number }> {
  const text = saveSession(doc);
  const packed = toBase64Url(await deflate(new TextEncoder().encode(text)));
  const url = `${base}#${SHARE_KEY}=${packed}`;
  return url.length > MAX_LINK_CHARS ? { tooLong: url.length } : { url, chars: url.length };
}

/** The `share` value of a fragment ("#share=..."), or null when the fragment holds none. */
export function sharedPayload(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(SHARE_KEY);
}

/** The session a link holds: length, base64url, inflated size and the session format all checked. */
export async function openShared(payload: string): Promise<SessionDoc> {
  if (payload.length > MAX_LINK_CHARS) throw new ShareError(`the link is ${payload.length} characters long; share links are at most ${MAX_LINK_CHARS}`);
  const bytes = await inflate(fromBase64Url(payload), MAX_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ShareError('what the link holds is not text (not a Mixgraph session)');
  }
  return loadSession(text, 'the shared session');
}
