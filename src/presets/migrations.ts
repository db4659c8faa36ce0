// Document-level migrations, one per version step, oldest first. Version 1 is the first
// public format, so the list is empty; the next format change adds `2: (v1) => v2` here
// and a frozen v1 fixture in tests/presets/fixtures.
import { FORMAT_VERSION } from '../model/document.ts';

type Loose = Record<string, unknown>;
const steps: Record<number, (doc: Loose) => Loose> = {};

export function migrate(doc: Loose): { ok: true; value: Loose } | { ok: false; message: string } {
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, message: `must be a whole number from 1 to ${FORMAT_VERSION}, got ${JSON.stringify(version)}` };
  }
  if (version > FORMAT_VERSION) {
    return { ok: false, message: `version ${version} is newer than this Mixgraph reads (${FORMAT_VERSION}): update Mixgraph to open it` };
  }
  let value = doc;
  for (let v = version + 1; v <= FORMAT_VERSION; v++) value = { ...steps[v](value), version: v };
  return { ok: true, value };
}
