// Writing a file so that readers see the old file or the whole new one, never half of either.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temporary name `out` is written under first: hidden, next to it (rename stays on one file system). */
export function tempPathFor(out: string): string {
  return join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
}

/**
 * Write `bytes` to a temporary file beside `out`, flush it, then rename it over `out`.
 * Creates the directory if missing. On any failure the temporary file is removed and an
 * existing `out` is left as it was.
 */
export async function writeFileAtomic(out: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  const tmp = tempPathFor(out);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/**
 * Write several files so that either all of them appear or none does: every file goes to its
 * temporary name first, and only when all are written are they renamed into place. On failure the
 * temporary files are removed and existing files keep their old content.
 */
export async function writeFilesAtomic(files: readonly { path: string; bytes: Uint8Array }[]): Promise<void> {
  const written: string[] = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      const tmp = tempPathFor(f.path);
      written.push(tmp);
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(f.bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const f of files) await rename(tempPathFor(f.path), f.path);
  } catch (err) {
    await Promise.all(written.map((tmp) => rm(tmp, { force: true }).catch(() => {})));
    throw err;
  }
}
