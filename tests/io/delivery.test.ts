// All-or-none deliveries with real files: a failure injected at every file-system step of a
// delivery (each mkdir, open, write, rename, link...) leaves the previous delivery exactly as it was,
// byte for byte, and nothing of the failed one behind; temporary files cannot be redirected.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

import { deliver, planOutputs, realFs, type DeliveryFs } from '../../src/io/outputs.ts';

const root = mkdtempSync(join(tmpdir(), 'mixgraph-delivery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file under `dir` (hidden ones too) with its bytes, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[`${prefix}${e.name}/`] = '';
        walk(p, `${prefix}${e.name}/`);
      } else out[prefix + e.name] = readFileSync(p).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

/** A DeliveryFs that counts every call and throws on call number `failAt` (1-based). */
function failing(failAt: number, noHardLinks = false): { fs: DeliveryFs; calls: () => number } {
  let n = 0;
  const step = (name: string) => {
    n++;
    if (n === failAt) throw Object.assign(new Error(`injected failure at step ${n} (${name})`), { code: 'EIO' });
  };
  const wrapHandle = (h: fsp.FileHandle): fsp.FileHandle =>
    new Proxy(h, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        if (prop === 'write' || prop === 'sync' || prop === 'close') {
          return async (...args: unknown[]) => {
            step(String(prop));
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return v.bind(target);
      },
    });
  const fs: DeliveryFs = {
    open: (async (...args: Parameters<typeof fsp.open>) => {
      step('open');
      return wrapHandle(await realFs.open(...args));
    }) as typeof fsp.open,
    mkdir: async (p) => (step('mkdir'), realFs.mkdir(p)),
    rmdir: async (p) => realFs.rmdir(p), // cleanup steps are not failed: they undo
    link: async (a, b) => {
      step('link');
      // A file system without hard links (FAT, some network shares): the old file is moved aside.
      if (noHardLinks) throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
      return realFs.link(a, b);
    },
    rename: async (a, b) => (step('rename'), realFs.rename(a, b)),
    unlink: async (p) => realFs.unlink(p),
    lstat: async (p) => (step('lstat'), realFs.lstat(p)),
  };
  return { fs, calls: () => n };
}

const names = ['01 One.wav', '02 Two.wav', '03 Three.wav', 'Album.cue', 'report.json', 'report.txt'];
const content = (tag: string) => names.map((n, i) => new TextEncoder().encode(`${tag}:${n}:${'x'.repeat(100 * (i + 1))}`));

describe('a delivery fails at every step: the previous one is intact', () => {
  test.each([
    ['old files kept under backup links until the end', false],
    ['a file system without hard links: old files moved aside until the end', true],
  ])('replacing an existing delivery (%s)', async (label, noHardLinks) => {
    const tag = noHardLinks ? 'moved' : 'linked';
    // Count the steps of a successful delivery first.
    const probe = join(root, `probe-${tag}`);
    mkdirSync(probe);
    names.forEach((n, i) => writeFileSync(join(probe, n), content('old')[i]));
    const counter = failing(0, noHardLinks);
    await deliver(await planOutputs(names.map((n) => ({ path: join(probe, n), what: n })), []), content('new'), counter.fs);
    const steps = counter.calls();
    expect(steps, label).toBeGreaterThan(names.length * 4);

    for (let k = 1; k <= steps; k++) {
      const dir = join(root, `replace-${tag}-${k}`);
      mkdirSync(dir);
      names.forEach((n, i) => writeFileSync(join(dir, n), content('old')[i]));
      writeFileSync(join(dir, 'notes.txt'), 'not ours');
      const before = snapshot(dir);
      const plans = await planOutputs(names.map((n) => ({ path: join(dir, n), what: n })), []);
      await expect(deliver(plans, content('new'), failing(k, noHardLinks).fs), `step ${k}`).rejects.toThrow(/injected failure/);
      expect(snapshot(dir), `after a failure at step ${k}`).toEqual(before);
    }
  });

  test('a first delivery into folders that do not exist yet: no file and no folder is left', async () => {
    const counter = failing(0);
    mkdirSync(join(root, 'first-probe'));
    const firstDir = join(root, 'first-probe', 'a', 'b');
    await deliver(await planOutputs(names.map((n) => ({ path: join(firstDir, n), what: n })), []), content('new'), counter.fs);
    const steps = counter.calls();
    for (let k = 1; k <= steps; k++) {
      const base = join(root, `first-${k}`);
      mkdirSync(base);
      const plans = await planOutputs(names.map((n) => ({ path: join(base, 'a', 'b', n), what: n })), []);
      await expect(deliver(plans, content('new'), failing(k).fs)).rejects.toThrow(/injected failure/);
      expect(snapshot(base), `after a failure at step ${k}`).toEqual({});
    }
  });

  test('a successful delivery replaces every file and leaves no temporary or backup file', async () => {
    const dir = join(root, 'ok');
    mkdirSync(dir);
    names.forEach((n, i) => writeFileSync(join(dir, n), content('old')[i]));
    await deliver(await planOutputs(names.map((n) => ({ path: join(dir, n), what: n })), []), content('new'));
    expect(readdirSync(dir).sort()).toEqual([...names].sort());
    names.forEach((n, i) => expect(readFileSync(join(dir, n))).toEqual(Buffer.from(content('new')[i])));
  });
});

describe('temporary files cannot be redirected', () => {
  test('a symbolic link planted at the temporary name is not followed: the file is written under another name', async () => {
    const dir = join(root, 'planted');
    mkdirSync(dir);
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'precious');
    let planted = 0;
    const fs: DeliveryFs = {
      ...realFs,
      // An attacker who guessed the name: a link there before our exclusive open.
      open: (async (path: string, ...rest: unknown[]) => {
        if (planted++ === 0) symlinkSync(victim, path);
        return (realFs.open as (...a: unknown[]) => Promise<fsp.FileHandle>)(path, ...rest);
      }) as typeof fsp.open,
    };
    await deliver(await planOutputs([{ path: join(dir, 'mix.wav'), what: 'the output' }], []), [new TextEncoder().encode('the mix')], fs);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(join(dir, 'mix.wav'), 'utf8')).toBe('the mix');
    expect(planted).toBe(2); // the first name was taken, the second was used
  });

  test('temporary names are short and unpredictable, in the output folder', async () => {
    const dir = join(root, 'names');
    mkdirSync(dir);
    const seen: string[] = [];
    const fs: DeliveryFs = { ...realFs, open: (async (path: string, ...rest: unknown[]) => (seen.push(path), (realFs.open as (...a: unknown[]) => Promise<fsp.FileHandle>)(path, ...rest))) as typeof fsp.open };
    for (let i = 0; i < 3; i++) await deliver(await planOutputs([{ path: join(dir, 'mix.wav'), what: 'o' }], []), [new Uint8Array([i])], fs);
    expect(new Set(seen).size).toBe(3);
    for (const p of seen) {
      expect(p.startsWith(dir + '/.mixgraph-')).toBe(true);
      expect(Buffer.byteLength(p.slice(dir.length + 1))).toBeLessThanOrEqual(32);
    }
  });
});
