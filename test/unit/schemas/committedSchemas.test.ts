// schemas/*.schema.json are generated (scripts/json-schemas.ts); the committed files must be what
// the generator writes now, and package.json must contribute them to the JSON editor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR, jsonSchemaFiles } from '../../../scripts/jsonSchemaFiles';
import { repoRoot } from '../dataset/cli';

test('the committed JSON schemas are what scripts/json-schemas.ts generates now', () => {
  const files = jsonSchemaFiles();
  assert.deepEqual(readdirSync(join(repoRoot, SCHEMAS_DIR)).sort(), Object.keys(files).sort());
  for (const [name, text] of Object.entries(files)) {
    assert.equal(readFileSync(join(repoRoot, SCHEMAS_DIR, name), 'utf8'), text, `${SCHEMAS_DIR}/${name} is stale: run node --import tsx scripts/json-schemas.ts`);
  }
});

test('package.json contributes the schemas for dataset.json and bundle.json', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.jsonValidation, [
    { fileMatch: 'dataset.json', url: './schemas/dataset.schema.json' },
    { fileMatch: 'bundle.json', url: './schemas/bundle.schema.json' },
  ]);
});
