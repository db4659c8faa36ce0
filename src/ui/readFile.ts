// A dropped or picked JSON file as text, with the CLI's checks: the size limit before reading, and
// UTF-16 or other non-UTF-8 files named as such (src/presets/json.ts documentText).
import { documentText, MAX_BYTES, PresetError } from '../presets/json.ts';

export async function readDocumentFile(file: File): Promise<string> {
  if (file.size > MAX_BYTES) throw new PresetError(`${file.name}: ${file.size} bytes is larger than the ${MAX_BYTES / 1024 / 1024} MiB limit for a preset`);
  try {
    return documentText(new Uint8Array(await file.arrayBuffer()));
  } catch (err) {
    throw new PresetError(`${file.name}: ${(err as Error).message}`);
  }
}
