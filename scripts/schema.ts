// npm run schema: writes presets/schema.json, the format's JSON Schema (draft 2020-12), from the zod
// schema in src/presets/schema.ts. tests/presets/schema.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedSchemaText } from '../src/presets/schema.ts';

const file = join(import.meta.dirname, '../presets/schema.json');
writeFileSync(file, publishedSchemaText());
console.log(`wrote ${file}`);
