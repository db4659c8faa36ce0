// Reading inputs safely (Node): only regular files, a size limit checked on the opened file.
// A path is opened first and the open file is examined, never the path: a symbolic link swapped
// between a check and the read, a FIFO that would block, a device that never ends (/dev/zero) or a
// file that grows while it is read cannot make Mixgraph hang or take memory without bound.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';

/** A file Mixgraph will not read, with the reason (callers add the file's name). */
export class InputRefused extends Error {
  override name = 'InputRefused';
}

export function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const bytesText = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n >= 1024 ** 3 ? 0 : 1)} MiB` : `${n} bytes`);

/** Why a file operation failed, short, without the path Node repeats in its message. */
export function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EROFS':
      return 'read-only file system';
    case 'EEXIST':
      return 'already exists';
    case 'ENAMETOOLONG':
      return 'name too long';
    case 'ELOOP':
      return 'too many symbolic links (a link that points to itself?)';
    case 'ENXIO':
      return 'a socket or a device without a driver, not a regular file';
    case 'EIO':
      return 'input/output error';
    default:
      return e?.code ?? (e instanceof Error ? e.message : String(err));
  }
}

export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

/**
 * Open `path` for reading and check the open file: a regular file of at most `limit` bytes.
 * O_NONBLOCK keeps open() of a FIFO from waiting for a writer (it is then refused as a FIFO).
 * The caller closes the handle.
 */
export async function openRegularFile(path: string, limit: number): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputRefused(reasonOf(err));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new InputRefused(`it is ${kindOf(info)}; Mixgraph reads only regular files`);
    if (info.size > limit) throw new InputRefused(`it is ${bytesText(info.size)}, more than the ${bytesText(limit + 1)} limit`);
    return { handle, size: info.size };
  } catch (err) {
    await handle.close().catch(() => {});
    if (err instanceof InputRefused) throw err;
    throw new InputRefused(reasonOf(err));
  }
}

/** The whole of a regular file of at most `limit` bytes; a file that grows past it while read is refused too. */
export async function readRegularFile(path: string, limit: number): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path, limit);
  try {
    // One byte more than the limit is room enough to see a file that grew.
    const room = Math.min(limit + 1, size + 65536);
    const buffer = new Uint8Array(room);
    let filled = 0;
    for (;;) {
      if (filled === room) {
        if (room > limit) throw new InputRefused(`it grew past the ${bytesText(limit + 1)} limit while it was read`);
        break;
      }
      const { bytesRead } = await handle.read(buffer, filled, room - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === room ? buffer : buffer.subarray(0, filled);
  } catch (err) {
    if (err instanceof InputRefused) throw err;
    throw new InputRefused(reasonOf(err));
  } finally {
    await handle.close().catch(() => {});
  }
}
