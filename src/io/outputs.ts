// Writing outputs so that nothing the user has is destroyed (Node).
//
// - planOutputs(), before any work: every output is resolved (symbolic links and folders followed to
//   the real file) and compared with every input of the job, by real path and by file identity
//   (device + inode, which also catches hard links); a clash is refused naming both. A target that
//   exists must be a regular file: devices, FIFOs, sockets, folders and symbolic links are refused.
//   Names are checked against the file system's limits (255 bytes a name, 4095 a path).
// - Delivery: every file is written to a temporary file created exclusively (O_CREAT|O_EXCL|
//   O_NOFOLLOW: a planted file or link at that name makes the open fail instead of being followed)
//   under an unpredictable short name in the output's own folder, so the temporary name never makes
//   a legal name too long and the final rename never crosses file systems. commit() then replaces
//   the targets all or none: each old file is kept under a backup name (a hard link, so the target
//   never disappears) until every new file is in place; when any step fails the old files are put
//   back, byte for byte, and every file and folder the job created is removed.
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';

import { kindOf, reasonOf } from './files.ts';

/** An input or output of a job, with words for messages ("the session file", "track kick's source"). */
export interface JobFile {
  path: string;
  what: string;
}

export class OutputRefused extends Error {
  override name = 'OutputRefused';
}

/** Linux's limits (ext4, xfs, btrfs, tmpfs): NAME_MAX and PATH_MAX - 1, in bytes. */
export const NAME_MAX_BYTES = 255;
export const PATH_MAX_BYTES = 4095;

export interface PlannedOutput extends JobFile {
  /** The absolute real path the file will have (folders resolved). */
  real: string;
  /** Folders to create, outermost first. */
  missing: string[];
  /** Identity of the file there now, if any. */
  existing: { dev: number; ino: number } | null;
  /** The target is a symbolic link (refused after the clash checks); where it leads, if anywhere. */
  isLink: boolean;
  linksTo: string | null;
}

const show = JSON.stringify;
const byteLength = (s: string) => new TextEncoder().encode(s).length;

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw err;
  }
}

/** Where `out` really is: the real path of its nearest existing folder plus the rest, and what is missing. */
async function resolveTarget(out: JobFile): Promise<PlannedOutput> {
  const abs = resolve(out.path);
  for (const part of abs.split(sep)) {
    if (byteLength(part) > NAME_MAX_BYTES) throw new OutputRefused(`${out.what} ${show(out.path)}: the name ${show(part.slice(0, 40) + '…')} is ${byteLength(part)} bytes; file names can be at most ${NAME_MAX_BYTES} bytes: choose a shorter name`);
  }
  let target: Stats | null;
  try {
    target = await lstatOrNull(abs);
  } catch (err) {
    throw new OutputRefused(`cannot write ${out.what} ${show(out.path)}: ${reasonOf(err)}`);
  }
  if (target && !target.isFile() && !target.isSymbolicLink()) throw new OutputRefused(`${out.what} ${show(out.path)} is ${kindOf(target)}; Mixgraph writes only regular files and never replaces anything else`);
  // The nearest folder that exists, and the folders to create under it.
  const missing: string[] = [];
  let dir = dirname(abs);
  for (;;) {
    let info: Stats;
    try {
      info = await fsp.stat(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(dir) !== dir) {
        missing.unshift(dir);
        dir = dirname(dir);
        continue;
      }
      throw new OutputRefused(`cannot write ${out.what} ${show(out.path)}: ${reasonOf(err)} (${dir})`);
    }
    if (!info.isDirectory()) throw new OutputRefused(`cannot write ${out.what} ${show(out.path)}: ${dir} is not a folder`);
    try {
      await fsp.access(dir, constants.W_OK);
    } catch (err) {
      throw new OutputRefused(`cannot write ${out.what} ${show(out.path)}: ${reasonOf(err)} (${dir})`);
    }
    break;
  }
  const realDir = await fsp.realpath(dir);
  const rest = abs.slice(dir.length).split(sep).filter(Boolean);
  const real = join(realDir, ...rest);
  if (byteLength(real) > PATH_MAX_BYTES) throw new OutputRefused(`${out.what} ${show(out.path)}: the path is ${byteLength(real)} bytes; paths can be at most ${PATH_MAX_BYTES}`);
  const realMissing = missing.map((m) => join(realDir, m.slice(dir.length)));
  let linksTo: string | null = null;
  if (target?.isSymbolicLink()) linksTo = await fsp.realpath(abs).catch(() => null);
  return { ...out, real, missing: realMissing, existing: target && !target.isSymbolicLink() ? { dev: target.dev, ino: target.ino } : null, linksTo, isLink: target?.isSymbolicLink() === true };
}

/**
 * Resolve every output and refuse, before any work, whatever would destroy an input or could not be
 * written. Inputs that do not exist are skipped (their own reading reports them).
 */
export async function planOutputs(outputs: readonly JobFile[], inputs: readonly JobFile[]): Promise<PlannedOutput[]> {
  const planned: PlannedOutput[] = [];
  for (const out of outputs) planned.push(await resolveTarget(out));
  const seen = new Map<string, PlannedOutput>();
  for (const p of planned) {
    const other = seen.get(p.real);
    if (other) throw new OutputRefused(`${other.what} ${show(other.path)} and ${p.what} ${show(p.path)} are the same file; each output needs its own name`);
    seen.set(p.real, p);
  }
  for (const input of inputs) {
    let real: string;
    let info: Stats;
    try {
      real = await fsp.realpath(input.path);
      info = await fsp.stat(real);
    } catch {
      continue;
    }
    for (const p of planned) {
      const same = p.real === real || p.linksTo === real || (p.existing !== null && p.existing.dev === info.dev && p.existing.ino === info.ino);
      if (same) {
        const via = resolve(p.path) !== real ? ` (${show(p.path)} ${p.existing && p.real !== real ? 'is a hard link to' : 'leads to'} ${show(real)})` : '';
        throw new OutputRefused(`refusing to write ${p.what} ${show(p.path)} over ${input.what} ${show(input.path)}${via}: that would destroy an input of this job; choose another output name`);
      }
    }
  }
  for (const p of planned) {
    if (p.isLink) throw new OutputRefused(`${p.what} ${show(p.path)} is a symbolic link; Mixgraph neither writes through nor replaces links: give the real file's path, or remove the link`);
  }
  return planned;
}

/** The file-system calls a delivery makes: node:fs/promises, or a wrapper that fails on purpose (tests). */
export interface DeliveryFs {
  open: typeof fsp.open;
  mkdir(path: string): Promise<unknown>;
  rmdir(path: string): Promise<void>;
  link(existing: string, link: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  lstat(path: string): Promise<Stats>;
}

export const realFs: DeliveryFs = {
  open: fsp.open,
  mkdir: (p) => fsp.mkdir(p),
  rmdir: fsp.rmdir,
  link: fsp.link,
  rename: fsp.rename,
  unlink: fsp.unlink,
  lstat: fsp.lstat,
};

/** A short unpredictable hidden name in `dir`: ".mixgraph-<16 random characters>.<suffix>". */
export const scratchName = (dir: string, suffix: string) => join(dir, `.mixgraph-${randomBytes(12).toString('base64url')}.${suffix}`);

interface Slot {
  plan: PlannedOutput;
  temp: string;
  handle: fsp.FileHandle | null;
  backup: string | null;
  /** The old file was moved to `backup` (no hard links here), not linked: the target is gone until put back. */
  moved: boolean;
  placed: boolean;
}

/**
 * Files being written as one delivery: create with begin(), write each (write() or handle()), then
 * commit() or abort(). A failed commit restores what was there and leaves nothing of its own.
 */
export class Delivery {
  private slots: Slot[] = [];
  private created: string[] = [];
  private done = false;

  private constructor(private readonly fs: DeliveryFs) {}

  static async begin(plans: readonly PlannedOutput[], fs: DeliveryFs = realFs): Promise<Delivery> {
    const d = new Delivery(fs);
    try {
      for (const p of plans) {
        for (const dir of p.missing) {
          if (d.created.includes(dir)) continue;
          try {
            await fs.mkdir(dir);
            d.created.push(dir);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
            const info = await fs.lstat(dir);
            if (!info.isDirectory()) throw new OutputRefused(`cannot write ${p.what} ${show(p.path)}: ${dir} is not a folder`);
          }
        }
        const slot: Slot = { plan: p, temp: '', handle: null, backup: null, moved: false, placed: false };
        d.slots.push(slot);
        for (let attempt = 0; ; attempt++) {
          slot.temp = scratchName(dirname(p.real), 'part');
          try {
            slot.handle = await fs.open(slot.temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
            break;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) {
              slot.temp = '';
              throw err;
            }
          }
        }
      }
    } catch (err) {
      await d.abort();
      throw err;
    }
    return d;
  }

  /** The open temporary file of output `index` (for writing in pieces). */
  handle(index: number): fsp.FileHandle {
    const h = this.slots[index].handle;
    if (!h) throw new Error('delivery file is closed');
    return h;
  }

  async write(index: number, bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const { bytesWritten } = await this.handle(index).write(bytes, at, bytes.length - at);
      at += bytesWritten;
    }
  }

  /** Put every file in place, or none (see the file comment). */
  async commit(): Promise<void> {
    const { fs } = this;
    try {
      for (const s of this.slots) {
        await s.handle!.sync();
        await s.handle!.close();
        s.handle = null;
      }
      for (const s of this.slots) {
        const now = await lstatOrNullWith(fs, s.plan.real);
        if (now && (!now.isFile() || now.isSymbolicLink())) throw new OutputRefused(`${s.plan.what} ${show(s.plan.path)} became ${kindOf(now)} while Mixgraph worked; nothing was replaced`);
        if (now) {
          s.backup = scratchName(dirname(s.plan.real), 'old');
          try {
            await fs.link(s.plan.real, s.backup);
          } catch (err) {
            // File systems without hard links: move the old file aside instead.
            if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK'].includes((err as NodeJS.ErrnoException).code ?? '')) {
              s.backup = null;
              throw err;
            }
            await fs.rename(s.plan.real, s.backup);
            s.moved = true;
          }
        }
      }
      for (const s of this.slots) {
        await fs.rename(s.temp, s.plan.real);
        s.placed = true;
      }
    } catch (err) {
      await this.rollback();
      throw err;
    }
    this.done = true;
    for (const s of this.slots) if (s.backup) await fs.unlink(s.backup).catch(() => {});
  }

  /** Undo a commit that failed half way: old files back, new ones gone. */
  private async rollback(): Promise<void> {
    const { fs } = this;
    for (const s of [...this.slots].reverse()) {
      if (s.handle) await s.handle.close().catch(() => {});
      s.handle = null;
      // A backup link to a file still in place is only dropped: rename() of a name onto another link
      // of the same file does nothing, and would leave the backup behind.
      if (s.backup && (s.placed || s.moved)) await fs.rename(s.backup, s.plan.real).catch(() => {});
      else if (s.backup) await fs.unlink(s.backup).catch(() => {});
      else if (s.placed) await fs.unlink(s.plan.real).catch(() => {});
      if (!s.placed && s.temp) await fs.unlink(s.temp).catch(() => {});
    }
    await this.removeCreated();
  }

  /** Give up: remove the temporary files and the folders this delivery made. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const s of this.slots) {
      if (s.handle) await s.handle.close().catch(() => {});
      s.handle = null;
      if (s.temp) await this.fs.unlink(s.temp).catch(() => {});
    }
    await this.removeCreated();
  }

  private async removeCreated(): Promise<void> {
    for (const dir of [...this.created].reverse()) await this.fs.rmdir(dir).catch(() => {});
    this.created = [];
  }
}

async function lstatOrNullWith(fs: DeliveryFs, p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Write files as one delivery (all or none). */
export async function deliver(plans: readonly PlannedOutput[], contents: readonly Uint8Array[], fs: DeliveryFs = realFs): Promise<void> {
  const d = await Delivery.begin(plans, fs);
  try {
    for (let i = 0; i < plans.length; i++) await d.write(i, contents[i]);
  } catch (err) {
    await d.abort();
    throw err;
  }
  await d.commit();
}


