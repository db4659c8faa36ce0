// Where bin/mixgraph.js finds the CLI: a bundle of the TypeScript sources that esbuild makes on
// first use and again whenever a source changes, or the sources themselves through tsx.
//
// Why: tsx compiles every module of the CLI on every start (about 200 ms before any work, and again
// in each render thread), which is more than `mixgraph analyze` of a 3-minute file needs for the
// analysis itself. The bundle is keyed by a hash of every source file's path, size and modification
// time (src/, nodes/, package.json, package-lock.json, this file and the Node version), so the
// command always runs what the sources say; checking the key takes a few milliseconds. Bundles live
// in node_modules/.cache/mixgraph/ (ignored by git, like every tool's cache there), each written to
// a temporary folder and renamed into place, so processes starting at the same time never see half
// of one. Without a writable cache, or with MIXGRAPH_TSX=1, the CLI runs through tsx as before.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'mixgraph');
/** Bundles not used for this long are removed (a running process may still load a chunk of its own). */
const STALE_MS = 24 * 3600 * 1000;

function sourceKey() {
  const hash = createHash('sha256');
  hash.update(`${process.version}\n`);
  const add = (path) => {
    const s = statSync(path);
    hash.update(`${path.slice(ROOT.length)}\0${s.size}\0${s.mtimeMs}\n`);
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) add(path);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'nodes'));
  for (const file of ['package.json', 'package-lock.json', 'bin/launch.js']) add(join(ROOT, file));
  return hash.digest('hex').slice(0, 20);
}

async function bundle(dir) {
  const { build } = await import('esbuild');
  const pkg = JSON.parse(await (await import('node:fs/promises')).readFile(join(ROOT, 'package.json'), 'utf8'));
  mkdirSync(CACHE, { recursive: true });
  const temp = mkdtempSync(join(CACHE, '.build-'));
  try {
    await build({
      entryPoints: { cli: join(ROOT, 'src/cli/main.ts'), 'render-worker': join(ROOT, 'src/engine/render-worker.ts') },
      outdir: temp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      sourcemap: true,
      logLevel: 'silent',
      define: { MIXGRAPH_BUNDLED_WORKER: JSON.stringify('./render-worker.mjs'), MIXGRAPH_VERSION: JSON.stringify(pkg.version ?? '?') },
    });
    try {
      renameSync(temp, dir);
    } catch (err) {
      // Another process made the same bundle first: use that one.
      if (!['EEXIST', 'ENOTEMPTY'].includes(err.code)) throw err;
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  for (const entry of readdirSync(CACHE)) {
    const path = join(CACHE, entry);
    if (path === dir) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

/** The CLI's module URL: the bundle (made now if needed), or the TypeScript source through tsx. */
export async function cliEntry() {
  if (!process.env.MIXGRAPH_TSX) {
    try {
      const dir = join(CACHE, sourceKey());
      let fresh = true;
      try {
        statSync(join(dir, 'cli.mjs'));
      } catch {
        fresh = false;
      }
      if (!fresh) await bundle(dir);
      return pathToFileURL(join(dir, 'cli.mjs')).href;
    } catch {
      // No writable cache, or esbuild missing: run the sources as they are.
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return new URL('../src/cli/main.ts', import.meta.url).href;
}
