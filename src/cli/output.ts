// Checks on an output path, made before any work so that a long render never ends in "cannot write".
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { CliError, fsReason } from './errors.ts';

/** Refuse an output we could not write before spending time on the render. */
export async function checkOutput(out: string, ...inputs: string[]): Promise<void> {
  const target = resolve(out);
  for (const input of inputs) if (target === resolve(input)) throw new CliError(`mixgraph: refusing to write over the input file ${JSON.stringify(input)}; choose another output name`);
  try {
    const info = await stat(target);
    if (info.isDirectory()) throw new CliError(`mixgraph: output ${JSON.stringify(out)} is a directory; give a file name, e.g. ${out.replace(/\/*$/, '')}/mix.wav`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`mixgraph: cannot write ${JSON.stringify(out)}: ${fsReason(err)}`);
  }
  // The nearest folder that exists must be a folder we can write in (missing ones are created later).
  let dir = dirname(target);
  for (;;) {
    try {
      const info = await stat(dir);
      if (!info.isDirectory()) throw new CliError(`mixgraph: cannot write ${JSON.stringify(out)}: ${dir} is not a directory`);
      await access(dir, constants.W_OK);
      return;
    } catch (err) {
      if (err instanceof CliError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(dir) !== dir) {
        dir = dirname(dir);
        continue;
      }
      throw new CliError(`mixgraph: cannot write ${JSON.stringify(out)}: ${fsReason(err)} (${dir})`);
    }
  }
}

