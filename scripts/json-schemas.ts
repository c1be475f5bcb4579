// Writes schemas/dataset.schema.json and schemas/bundle.schema.json from the shape tables:
// node --import tsx scripts/json-schemas.ts   (a unit test fails while the committed files differ)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR, jsonSchemaFiles } from './jsonSchemaFiles';

const dir = join(__dirname, '..', SCHEMAS_DIR);
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(join(dir, name), text);
  process.stdout.write(`wrote ${SCHEMAS_DIR}/${name}\n`);
}
