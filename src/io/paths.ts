// Where a session may read audio from: files under the session's folder, unless the user says otherwise.
// A session file can come from a stranger; it must not make Mixgraph read (or probe) files elsewhere.
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SourceCheck = { ok: true; file: string } | { ok: false; message: string };

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const WINDOWS_DRIVE = /^[A-Za-z]:/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const show = (s: string) => JSON.stringify(s);

function inside(dir: string, target: string): boolean {
  const rel = relative(dir, target);
  return !isAbsolute(rel) && !/^\.\.(?:[\\/]|$)/.test(rel);
}

/** realpath of `p`, or of its nearest existing ancestor with the rest appended (for files not there yet). */
async function realpathNearest(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const parent = dirname(p);
    if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === p) return p;
    return join(await realpathNearest(parent), basename(p));
  }
}

/**
 * The rule for a `file` param: relative to `sessionDir` and inside it, also after following
 * symbolic links; absolute paths and URLs are refused unless `allowAnyPath`. Then the file
 * must exist and be a regular file. Does not read the file.
 */
export async function resolveSource(sessionDir: string, source: string, allowAnyPath: boolean): Promise<SourceCheck> {
  if (CONTROL.test(source)) return { ok: false, message: `path ${show(source)} contains control characters` };
  let path = source;
  if (URL_LIKE.test(source) && !WINDOWS_DRIVE.test(source)) {
    if (!allowAnyPath) return { ok: false, message: `${show(source)} looks like a URL; a source must be a file path relative to the session's folder (or pass --allow-any-path)` };
    if (!/^file:/i.test(source)) return { ok: false, message: `${show(source)} is a URL; only local files can be read` };
    try {
      path = fileURLToPath(source);
    } catch (err) {
      return { ok: false, message: `${show(source)} is not a usable file URL (${(err as Error).message})` };
    }
  } else if (isAbsolute(source) || win32.isAbsolute(source)) {
    if (!allowAnyPath) return { ok: false, message: `absolute path ${show(source)} refused; a source must be relative to the session's folder (or pass --allow-any-path)` };
  }
  const file = resolve(sessionDir, path);
  if (!allowAnyPath) {
    if (!inside(resolve(sessionDir), file)) return { ok: false, message: `${show(source)} is outside the session's folder; refused (or pass --allow-any-path)` };
    const [realDir, realFile] = await Promise.all([realpathNearest(resolve(sessionDir)), realpathNearest(file)]);
    if (!inside(realDir, realFile)) {
      return { ok: false, message: `${show(source)} leads outside the session's folder through a symbolic link; refused (or pass --allow-any-path)` };
    }
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, message: `${show(source)} is not a file` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, message: `file ${show(source)} not found (looked for ${file})` };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, message: `file ${show(source)} cannot be read: permission denied` };
    if (code === 'ELOOP') return { ok: false, message: `file ${show(source)} cannot be read: too many symbolic links` };
    return { ok: false, message: `file ${show(source)} cannot be read (${code ?? (err as Error).message})` };
  }
  return { ok: true, file };
}
