#!/usr/bin/env node
// The mixgraph command: runs the CLI from a bundle of its TypeScript sources, rebuilt whenever a
// source changes (bin/launch.js), so the command always matches the source.
import { cliEntry } from './launch.js';

const { main } = await import(await cliEntry());
if (process.env.MIXGRAPH_DEBUG) process.setSourceMapsEnabled(true);
process.exitCode = await main(process.argv.slice(2));
